import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdktf';
import { Environment, WorkspaceRole } from '../../model/enums';
import { DesiredStateSchema } from '../../model/desired-state';
import { sha256 } from '../../model/canonical';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { EXAMPLE_ACCESS } from '../../stacks/example-access';
import type { AccessDefinition } from '../../stacks/access-definition';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { ENVIRONMENTS, readDesiredState, readStackJson, synthApp, TEST_NOW } from '../support/synth';

const WS = { prod: 'AcmeProdWs7Qd2', staging: 'AcmeStageWs4Lk9', dev: 'AcmeDevWs1Xp3' } as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('the example app', () => {
  const outdir = synthApp(EXAMPLE_ACCESS);

  test('synthesizes prod, staging and dev, each with grants, reconciler, release anchor and desired state', () => {
    for (const env of ENVIRONMENTS) {
      const tf = readStackJson(outdir, env);
      const resources = Object.keys(tf.resource.null_resource).sort();
      expect(resources).toContain('workspace_reconciler');
      expect(resources).toContain('workspace_release');
      expect(tf.provider.null).toHaveLength(1);
      const state = DesiredStateSchema.parse(readDesiredState(outdir, env, WS[env]));
      expect(state.workspace.environment).toBe(env);
      expect(resources.filter((r) => r.startsWith('grant_'))).toHaveLength(state.collaborators.length);
    }
  });

  test('the contractor is absent from prod by explicit override; the lead is ADMIN in dev and READ_ONLY in prod', () => {
    const byEnv = Object.fromEntries(ENVIRONMENTS.map((env) => [env, readDesiredState(outdir, env, WS[env])]));
    const role = (env: string, email: string) => byEnv[env].collaborators.find((c: any) => c.email === email)?.role;
    expect(role('prod', 'jonas.weber@contractors.acme.example')).toBeUndefined();
    expect(role('staging', 'jonas.weber@contractors.acme.example')).toBe('MEMBER');
    expect(role('prod', 'priya.shah@northwind-analytics.example')).toBe('READ_ONLY');
    expect(role('dev', 'priya.shah@northwind-analytics.example')).toBe('ADMIN');
    const member = byEnv.prod.collaborators.find((c: any) => c.email === 'segment@northwind-analytics.example');
    expect(member.sources.map((s: any) => s.id)).toEqual(['srcProdIos01', 'srcProdWeb01']);
    expect(member.destinations).toEqual([{ name: 'Amplitude', sourceId: 'srcProdWeb01', sourceName: 'web' }]);
  });

  test('the reconciler runs the executor through environment and the desired-state file, never an interpolated command', () => {
    const tf = readStackJson(outdir, 'prod');
    const reconciler = tf.resource.null_resource.workspace_reconciler;
    const exec = reconciler.provisioner[0]['local-exec'];
    expect(exec.command).toBe('npx --no-install segment-access reconcile');
    expect(exec.environment).toEqual({ SEGMENT_ACCESS_DESIRED_STATE: `segment-access.${WS.prod}.json`, SEGMENT_ACCESS_EXPECTED_DIGEST: '${self.triggers.digest}' });
    const fileBytes = readFileSync(join(outdir, 'stacks', 'prod', `segment-access.${WS.prod}.json`), 'utf8');
    expect(reconciler.triggers.digest).toBe(sha256(fileBytes));
    const release = tf.resource.null_resource.workspace_release;
    expect(release.provisioner[0]['local-exec']).toMatchObject({ when: 'destroy', command: 'npx --no-install segment-access release' });
    // destroy-time provisioners may only reference self
    for (const value of Object.values(release.provisioner[0]['local-exec'].environment)) expect(value).toMatch(/^\$\{self\.triggers\.[a-z_]+\}$/);
    for (const r of Object.values<any>(tf.resource.null_resource)) {
      for (const p of r.provisioner ?? []) expect(p['local-exec'].command).not.toMatch(/\$\{/);
    }
  });

  test('no token value and no absolute synth-machine path appears anywhere in the output', () => {
    const token = 'fake.synth.secret.0123456789abcdef';
    const saved = { ...process.env };
    Object.assign(process.env, { SEGMENT_PROD_TOKEN: token, SEGMENT_STAGING_TOKEN: token, SEGMENT_DEV_TOKEN: token, PUBLIC_API_TOKEN: token });
    try {
      const dir = synthApp(EXAMPLE_ACCESS);
      const files = filesUnder(dir);
      expect(files.length).toBeGreaterThanOrEqual(7);
      for (const f of files) {
        const text = readFileSync(f, 'utf8');
        expect(text).not.toContain(token);
        expect(text).not.toContain(process.cwd());
        expect(text).not.toContain(dir);
        expect(text).not.toMatch(/"\/(home|root|tmp|Users|work)\//);
      }
    } finally {
      process.env = saved;
    }
  });

  test('same input, byte-identical output', () => {
    const again = synthApp(EXAMPLE_ACCESS);
    for (const f of filesUnder(outdir).map((p) => p.slice(outdir.length))) {
      if (f.endsWith('manifest.json')) continue;
      expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(outdir, f), 'utf8'));
    }
  });

  test("changing one collaborator's role changes only that grant's triggers and that workspace's digest", () => {
    const changed: AccessDefinition = {
      ...EXAMPLE_ACCESS,
      collaborators: EXAMPLE_ACCESS.collaborators.map((c) =>
        c.id === 'ReportingService' ? { ...c, environments: { [Environment.STAGING]: { role: WorkspaceRole.MEMBER, reason: 'Builds the staging dashboards.' } } } : c,
      ),
    };
    const after = synthApp(changed);
    for (const env of ENVIRONMENTS) {
      const a = readStackJson(outdir, env).resource.null_resource;
      const b = readStackJson(after, env).resource.null_resource;
      const differing = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
      expect(differing.sort()).toEqual(env === 'staging' ? ['grant_workspace_reportingservice', 'workspace_reconciler'] : []);
    }
    const before = readStackJson(outdir, 'staging').resource.null_resource;
    const now = readStackJson(after, 'staging').resource.null_resource;
    expect(before.grant_workspace_reportingservice.triggers.role).toBe('READ_ONLY');
    expect(now.grant_workspace_reportingservice.triggers.role).toBe('MEMBER');
    expect(now.workspace_reconciler.triggers.digest).not.toBe(before.workspace_reconciler.triggers.digest);
  });
});

describe('stack snapshots', () => {
  test.each(ENVIRONMENTS)('%s stack', (environment) => {
    const app = Testing.app({ context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
    const stack = new SegmentAccessStack(app, environment, { definition: EXAMPLE_ACCESS, environment });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toMatchSnapshot();
    expect(synthesized).toHaveProvider({ tfResourceType: 'null' });
    expect(synthesized).toHaveResourceWithProperties({ tfResourceType: 'null_resource' }, { triggers: expect.objectContaining({ desired_state_file: `segment-access.${WS[environment]}.json` }) });
    expect(stack.workspace.desiredStateJson()).toMatchSnapshot();
  });
});
