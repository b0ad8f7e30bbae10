import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { Testing } from '../../framework';
import { Environment, WorkspaceRole } from '../../model/enums';
import { DesiredStateSchema } from '../../model/desired-state';
import { sha256 } from '../../model/canonical';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { EXAMPLE_ACCESS } from '../support/example';
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

  test('synthesizes prod, staging and dev: one reconciler carrying every grant, a release anchor, the desired state, no provider', () => {
    for (const env of ENVIRONMENTS) {
      const tf = readStackJson(outdir, env);
      expect(Object.keys(tf.resource)).toEqual(['terraform_data']);
      expect(Object.keys(tf.resource.terraform_data).sort()).toEqual(['workspace_reconciler', 'workspace_release']);
      // terraform_data is built into Terraform: nothing to download, so `terraform init` works offline.
      expect(tf.provider).toBeUndefined();
      expect(tf.terraform.required_providers).toBeUndefined();
      const state = DesiredStateSchema.parse(readDesiredState(outdir, env, WS[env]));
      expect(state.workspace.environment).toBe(env);
      const grants = tf.resource.terraform_data.workspace_reconciler.triggers_replace.collaborators;
      expect(Object.keys(grants)).toEqual(state.collaborators.map((c) => c.email));
    }
  });

  test('every grant reads in the plan as who, role, permissions in words, destinations, expiry and ticket', () => {
    const grants = readStackJson(outdir, 'prod').resource.terraform_data.workspace_reconciler.triggers_replace.collaborators;
    expect(grants['segment@northwind-analytics.example']).toEqual({
      kind: 'SERVICE_ACCOUNT',
      role: 'MEMBER',
      permissions: 'Minimal Workspace Access on workspace; Source Admin on source ios (srcProdIos01), source web (srcProdWeb01); Tracking Plan Read-only on workspace',
      destinations: 'Amplitude via web',
      expires: 'never',
      ticket: 'ACCESS-1042',
    });
    expect(grants['priya.shah@northwind-analytics.example']).toMatchObject({ role: 'READ_ONLY', expires: '2027-05-14', kind: 'PERSON' });
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

  test('the reconciler runs the bundled executor with no shell: data only through environment and the desired-state file', () => {
    const tf = readStackJson(outdir, 'prod');
    const reconciler = tf.resource.terraform_data.workspace_reconciler;
    const exec = reconciler.provisioner[0]['local-exec'];
    expect(exec).toEqual({
      interpreter: ['node', 'segment-access-executor.cjs'],
      command: 'reconcile',
      environment: { SEGMENT_ACCESS_DESIRED_STATE: `segment-access.${WS.prod}.json`, SEGMENT_ACCESS_EXPECTED_DIGEST: '${self.triggers_replace.digest}' },
    });
    const fileBytes = readFileSync(join(outdir, 'stacks', 'prod', `segment-access.${WS.prod}.json`), 'utf8');
    expect(reconciler.triggers_replace.digest).toBe(sha256(fileBytes));
    expect(reconciler.depends_on).toEqual(['terraform_data.workspace_release']);
    // The executor travels with the stack: the same bytes the build produced.
    expect(readFileSync(join(outdir, 'stacks', 'prod', 'segment-access-executor.cjs'))).toEqual(readFileSync(join(__dirname, '..', '..', 'dist', 'executor', 'segment-access-executor.cjs')));
    const release = tf.resource.terraform_data.workspace_release;
    expect(release.provisioner[0]['local-exec']).toMatchObject({ when: 'destroy', interpreter: ['node', 'segment-access-executor.cjs'], command: 'release' });
    // The release anchor is replaced only with the workspace identity, so routine edits never destroy it;
    // the token variable, region and display name are input, updated in place.
    expect(release.triggers_replace).toEqual({ workspace_id: WS.prod, app_id: 'acme-access', record_prefix: 'segment-access' });
    expect(release.input).toEqual({ token_env_var: 'SEGMENT_PROD_TOKEN', region: 'US', display_name: 'Acme Production' });
    // destroy-time provisioners may only reference self (app_id through lookup: anchors made before app ids lack it;
    // input through try: anchors of older versions have none)
    expect(release.provisioner[0]['local-exec'].environment).toEqual({
      SEGMENT_ACCESS_WORKSPACE_ID: '${self.triggers_replace.workspace_id}',
      SEGMENT_ACCESS_RECORD_PREFIX: '${self.triggers_replace.record_prefix}',
      SEGMENT_ACCESS_APP_ID: '${lookup(self.triggers_replace, "app_id", "")}',
      SEGMENT_ACCESS_ANCHOR_FORMAT: '${contains(keys(self.triggers_replace), "token_env_var") ? "1" : "2"}',
      SEGMENT_ACCESS_TOKEN_ENV: '${try(self.input.token_env_var, "")}',
      SEGMENT_ACCESS_REGION: '${try(self.input.region, "")}',
      SEGMENT_ACCESS_USE_AUDIT_TRAIL: 'true',
      // The record key's variable NAME is a plain value, not a trigger: renaming it must not replace (and so release) the anchor.
      SEGMENT_ACCESS_RECORD_KEY_ENV: 'SEGMENT_ACCESS_RECORD_KEY',
    });
    // The reconciler's plan names the record key's variable (a control setting), never a key.
    expect(reconciler.triggers_replace.controls.record_key_variable).toBe('SEGMENT_ACCESS_RECORD_KEY');
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

  test("changing one collaborator's role changes only that grant's entry and that workspace's digest", () => {
    const changed: AccessDefinition = {
      ...EXAMPLE_ACCESS,
      collaborators: EXAMPLE_ACCESS.collaborators.map((c) =>
        c.id === 'ReportingService' ? { ...c, environments: { [Environment.STAGING]: { role: WorkspaceRole.MEMBER, reason: 'Builds the staging dashboards.', justification: 'Builds the staging dashboards on web.', approvedBy: 'data-governance@acme.example' } } } : c,
      ),
    };
    const after = synthApp(changed);
    const triggers = (dir: string, env: string) => readStackJson(dir, env).resource.terraform_data.workspace_reconciler.triggers_replace;
    for (const env of ENVIRONMENTS) {
      const a = triggers(outdir, env);
      const b = triggers(after, env);
      const differing = Object.keys(a.collaborators).filter((k) => JSON.stringify(a.collaborators[k]) !== JSON.stringify(b.collaborators[k]));
      expect(differing).toEqual(env === 'staging' ? ['bi-reporting@acme.example'] : []);
      expect(a.digest === b.digest).toBe(env !== 'staging');
      expect(readStackJson(outdir, env).resource.terraform_data.workspace_release).toEqual(readStackJson(after, env).resource.terraform_data.workspace_release);
    }
    expect(triggers(outdir, 'staging').collaborators['bi-reporting@acme.example'].role).toBe('READ_ONLY');
    expect(triggers(after, 'staging').collaborators['bi-reporting@acme.example'].role).toBe('MEMBER');
  });
});

describe('stack snapshots', () => {
  test.each(ENVIRONMENTS)('%s stack', (environment) => {
    const app = Testing.app({ context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
    const stack = new SegmentAccessStack(app, environment, { definition: EXAMPLE_ACCESS, environment });
    const synthesized = Testing.synth(stack);
    // Parsed: cdktf and CDK Terrain lay the same JSON out differently (cdktn writes `{}` on one line).
    expect(JSON.parse(synthesized)).toMatchSnapshot();
    expect(synthesized).not.toHaveProvider({ tfResourceType: 'null' });
    expect(synthesized).toHaveResourceWithProperties({ tfResourceType: 'terraform_data' }, { triggers_replace: expect.objectContaining({ desired_state_file: `segment-access.${WS[environment]}.json` }) });
    expect(stack.workspace.desiredStateJson()).toMatchSnapshot();
  });
});
