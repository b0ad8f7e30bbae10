import { runCommand } from '../support/run-command';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { WorkspaceRole } from '../../model/enums';
import { E2E_WS, E2EWorld } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { TEST_NOW } from '../support/synth';
import { startEmulator } from '../../emulator/server';
import { findFrameworkCli } from '../../framework';
import { blockLines, checkedBlock, quotedIn } from '../support/doc-blocks';

const REPO = resolve(__dirname, '..', '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = REPO) {
  return runCommand(command, args, env, cwd);
}

describe('segment-access plan', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('exit 2 and the exact changes before a deploy, exit 0 after; --json for machines; writes nothing', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)]));
    const file = join(world.stackDir, `segment-access.${E2E_WS}.json`);
    const before = await run('segment-access', ['plan', '--desired-state', file], world.env);
    expect(before.code).toBe(2);
    expect(before.stdout).toContain('+ invite');
    expect(before.stdout).toContain('ana@agency.example');
    expect(before.stdout).toContain('Plan: 2 to invite, 0 to re-invite, 0 to re-permission, 0 to remove');
    const json = JSON.parse((await run('segment-access', ['plan', '--desired-state', file, '--json'], world.env)).stdout);
    expect(json.hasChanges).toBe(true);
    expect(json.changes.map((c: { kind: string; email: string }) => `${c.kind}:${c.email}`)).toEqual(['invite:ana@agency.example', 'invite:bo@agency.example']);
    expect(world.writes()).toBe(0);
    // The same plan, found by stack name in the synth output.
    const byStack = await run('segment-access', ['plan', '--stack', 'prod', '--outdir', world.outdir], world.env);
    expect(byStack.code).toBe(2);
    expect(byStack.stdout).toBe(before.stdout);

    await world.deploy();
    const after = await run('segment-access', ['plan', '--desired-state', file], world.env);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No access changes: the workspace matches the code.');
  });

  test('fails: exit 1 with an actionable message when the token variable is not set', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    const { SEGMENT_E2E_TOKEN: _unset, ...env } = world.env;
    const result = await run('segment-access', ['plan', '--desired-state', join(world.stackDir, `segment-access.${E2E_WS}.json`)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SEGMENT_E2E_TOKEN is not set. Set it to a Public API token of workspace Acme E2E (wsE2eProd01)');
  });

  test('fails: a desired-state file edited after the plan is refused (digest mismatch)', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    const result = await run('segment-access', ['reconcile', '--desired-state', join(world.stackDir, `segment-access.${E2E_WS}.json`), '--expected-digest', 'f'.repeat(64)], world.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The stack was synthesized again after the plan. Nothing was changed');
    expect(world.writes()).toBe(0);
  });
});

describe('the main job (npm start)', () => {
  test('synth + deploy of the three example stacks with the project\'s framework CLI and real terraform; a second run changes nothing', async () => {
    const cli = findFrameworkCli(REPO);
    // Output and state outside the project, as with `output` in cdktf.json pointing elsewhere.
    const work = mkdtempSync(join(tmpdir(), 'sa-main-job-'));
    const args = ['demo', '--outdir', join(work, 'cdktf.out'), '--state-dir', join(work, 'state'), '--seed', join(REPO, 'demo', 'emulator-seed.json')];
    // "now" pinned for synth and the executor: the example's expiry dates must not decide this test.
    // TF_CLI_CONFIG_FILE names a missing file, as on this project's machines: no [ERROR] noise may follow.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NPM_CONFIG_UPDATE_NOTIFIER: 'false', SEGMENT_ACCESS_NOW: TEST_NOW, TF_CLI_CONFIG_FILE: join(work, 'missing.tfrc') };
    try {
      // `npm start` itself: dist/ is current (jest's global setup), so it builds nothing and runs the demo.
      const first = await run('npm', ['start', '--silent', '--', ...args.slice(1), '--fresh'], env);
      expect(first.stdout).not.toContain('npm run build');
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('--fresh: nothing to remove (no earlier run)\n');
      expect(first.stdout).not.toMatch(/\n\s+at /);
      // One block per stack, each whole (its apply ends it), terraform init's boilerplate one line each.
      const blocks = first.stdout.split(/\n-- (?=prod\n|staging\n|dev\n)/).slice(1);
      expect(blocks.map((b) => b.split('\n')[0]).sort()).toEqual(['dev', 'prod', 'staging']);
      for (const block of blocks) expect(block.split('\n').filter((l) => l.includes('Apply complete!'))).toHaveLength(1);
      expect(first.stdout.match(/terraform init: done/g)).toHaveLength(3);
      expect(first.stdout).not.toContain('Initializing the backend');
      // It ends with what the deploy did, one table per workspace.
      const tables = first.stdout.slice(first.stdout.indexOf('== What this deploy did, per workspace\n')).split('\n').slice(1, -1);
      expect(tables.slice(0, 7)).toEqual([
        'Acme Production (AcmeProdWs7Qd2)',
        '  invited                 3  bi-reporting@acme.example, priya.shah@northwind-analytics.example, segment@northwind-analytics.example',
        '  re-permissioned         0',
        '  removed                 0',
        '  unchanged               0',
        '  unmanaged, left alone   2  it-admin@acme.example (Workspace Owner), marketing-analyst@acme.example',
        '  API calls              13  6 reads, 7 writes',
      ]);
      expect(tables.filter((l) => l.startsWith('Acme '))).toEqual(['Acme Production (AcmeProdWs7Qd2)', 'Acme Staging (AcmeStageWs4Lk9)', 'Acme Development (AcmeDevWs1Xp3)']);
      expect(tables).toHaveLength(21);
      // The README quotes the first table as it is.
      expect(['== What this deploy did, per workspace', ...tables.slice(0, 7)]).toEqual(blockLines(checkedBlock('README.md', 'demo summary')));
      // docs/deploying.md quotes the dev workspace's deploy log (the executor's lines of its block).
      const devLog = blocks.find((b) => b.startsWith('dev\n'))!.split('\n').map((l) => l.replace(/^\s*terraform_data\.workspace_reconciler \(Workspace\/Reconciler\) \(local-exec\): /, ''));
      expect(quotedIn(blockLines(checkedBlock('docs/deploying.md', 'deploy log')), devLog)).toEqual({ ok: true });
      // It says which framework it ran: this repo's own (cdktf 0.21, or cdktn 0.24 in CI's CDK Terrain line).
      expect(first.stdout).toMatch(new RegExp(`== terraform 1\\.\\d+\\.\\d+; ${cli.framework} ${cli.version.replace(/\./g, '\\.')} \\(CDK (Terrain|for Terraform) CLI\\)`));
      expect(first.stdout).toContain(`== ${cli.framework} synth\n`);
      expect(first.stdout).toContain(`== ${cli.framework} deploy prod staging dev (terraform `);
      expect(first.stdout).toContain('TF_CLI_CONFIG_FILE is set to');
      expect(first.stdout).not.toContain('[ERROR]');
      expect(first.stdout).not.toContain('Unable to open CLI configuration file');
      expect(first.stdout).toContain('Summary for Acme Production (AcmeProdWs7Qd2): invited 3');
      expect(first.stdout).toContain('Summary for Acme Staging (AcmeStageWs4Lk9): invited 4');
      expect(first.stdout).toContain('Acme Development (AcmeDevWs1Xp3): in sync with the code');
      expect(first.stdout).toMatch(/Apply complete! Resources: 2 added, 0 changed, 0 destroyed\./);
      for (const stack of ['prod', 'staging', 'dev']) expect(existsSync(join(work, `terraform.${stack}.tfstate`))).toBe(true);
      const second = await run('npm', ['start', '--silent', '--', ...args.slice(1), '--accept-invites'], env);
      expect(second.code).toBe(0);
      expect(second.stdout.match(/No changes\. Your infrastructure matches the configuration\./g)).toHaveLength(3);
      expect(second.stdout).toMatch(/the executor made 0 API calls \(0 reads, 0 writes\)/);
      expect(second.stdout).not.toContain('[ERROR]');
      expect(second.stdout).toContain(
        '--accept-invites: Acme Production: accepted 3 pending invite(s), as the people would (bi-reporting@acme.example, priya.shah@northwind-analytics.example, segment@northwind-analytics.example); the next run adopts them as members',
      );
      const unchanged = second.stdout.slice(second.stdout.indexOf('== What this deploy did, per workspace\n')).split('\n').slice(1, 8);
      expect(unchanged).toEqual([
        'Acme Production (AcmeProdWs7Qd2)',
        '  invited                0',
        '  re-permissioned        0',
        '  removed                0',
        '  unchanged              3  bi-reporting@acme.example, priya.shah@northwind-analytics.example, segment@northwind-analytics.example',
        '  unmanaged, left alone  2  it-admin@acme.example (Workspace Owner), marketing-analyst@acme.example',
        '  API calls              0  0 reads, 0 writes',
      ]);

      // `destroy` of the same stacks with the same CLI: the release anchors remove exactly what the code manages.
      const emulator = await startEmulator({ seed: join(REPO, 'demo', 'emulator-seed.json'), stateFile: join(work, 'state', 'demo-emulator-state.json') });
      try {
        const tokens = { SEGMENT_PROD_TOKEN: 'demo-prod-token', SEGMENT_STAGING_TOKEN: 'demo-staging-token', SEGMENT_DEV_TOKEN: 'demo-dev-token' };
        // The demo's record key (generated on its first run, kept beside its state): release needs it to act.
        const key = readFileSync(join(work, 'state', 'demo-record-key'), 'utf8').trim();
        expect(key).toMatch(/^sark_[A-Za-z0-9_-]{43}$/);
        expect(statSync(join(work, 'state', 'demo-record-key')).mode & 0o077).toBe(0);
        expect(`${first.stdout}${second.stdout}`).not.toContain(key.slice(5, 20));
        const destroy = await run(process.execPath, [cli.script, 'destroy', 'prod', 'staging', 'dev', '--skip-synth', '--auto-approve', '--no-color', '--output', join(work, 'cdktf.out')], {
          ...env,
          ...tokens,
          SEGMENT_ACCESS_RECORD_KEY: key,
          CI: '1',
          CHECKPOINT_DISABLE: '1',
          TF_CLI_CONFIG_FILE: '',
          PUBLIC_API_URL: emulator.url,
        });
        expect(destroy.code).toBe(0);
        expect(`${destroy.stdout}${destroy.stderr}`.match(/Destroy complete! Resources: 2 destroyed\./g)).toHaveLength(3);
        for (const ws of emulator.state.workspaceIds()) {
          expect(emulator.state.listInvites(ws)).toEqual([]);
          expect(emulator.state.listUsers(ws).map((u) => u.email).sort()).toEqual(['it-admin@acme.example', 'marketing-analyst@acme.example']);
          expect(emulator.state.listGroups(ws).filter((g) => g.name.startsWith('segment-access:'))).toEqual([]);
        }
      } finally {
        await emulator.stop();
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);
});
