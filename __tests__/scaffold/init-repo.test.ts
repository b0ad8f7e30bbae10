// From zero to a reviewed first deploy, as the README tells a newcomer, run here with no terminal (as
// CI runs it) and offline: `init` from the packed package, the install from npm's cache with the packed
// tarball, the demo, the generated test; then the README's "Deploying for real" commands, against the
// emulator seeded with the new repo's own seed, with the real terraform binary.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { packTarball } from '../consumers/support/consumer-project';
import { checkedBlock, runBashBlock } from '../support/doc-blocks';
import { RunningEmulator, startEmulator } from '../../emulator/server';
import { loadSeedFile } from '../../emulator/seed';
import { generateRecordKey } from '../../reconciler/record-key';

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('a new access repo, from the README', () => {
  const work = mkdtempSync(join(tmpdir(), 'sa-init-repo-'));
  const repo = join(work, 'acme-access');
  let tarball: string;
  let emulator: RunningEmulator | undefined;
  const recordKey = generateRecordKey();
  // No terminal and no colour; TF_CLI_CONFIG_FILE not set (the README's setting). The newcomer's own
  // machine first (jest writes the first snapshots there: in CI it refuses to), then a CI job's.
  const local: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', NPM_CONFIG_UPDATE_NOTIFIER: 'false', SEGMENT_ACCESS_AUDIT_DELAY_MS: '0' };
  const env: NodeJS.ProcessEnv = { ...local, CI: '1' };

  beforeAll(async () => {
    tarball = await packTarball(work);
  }, 120_000);
  afterAll(async () => {
    await emulator?.stop();
    if (process.env.SEGMENT_ACCESS_KEEP_CONSUMER === undefined) rmSync(work, { recursive: true, force: true });
  });

  test('init -> install (the packed tarball, offline from npm\'s cache) -> demo -> the generated test passes', async () => {
    // `npx segment-access` runs the packed package (not published here); the install takes it from the
    // tarball instead of the registry; everything else runs as the README writes it.
    const rewrite = `node -e "const f='package.json',p=JSON.parse(require('fs').readFileSync(f));p.dependencies['segment-access']='file:${tarball}';require('fs').writeFileSync(f,JSON.stringify(p,null,2))"`;
    const run = await runBashBlock(checkedBlock('README.md', 'init'), local, work, (command) =>
      command
        .replace(/^npx segment-access init /, `npx --yes --prefer-offline --package ${tarball} segment-access init `)
        .replace(/&& npm install$/, `&& ${rewrite} && npm install --prefer-offline --no-audit --no-fund`),
    );
    const output = plain(run.output);
    expect({ codes: run.codes, output: run.codes.every((c) => c === 0) ? '' : output }).toEqual({ codes: [0, 0, 0, 0], output: '' });
    expect(output).toContain('Wrote 14 files in acme-access');
    expect(output).not.toContain('[ERROR]');
    expect(output).not.toMatch(/\n\s+at /);
    // The demo deployed the three workspaces of the repo's own seed and ended with what it did.
    const summary = output.slice(output.indexOf('== What this deploy did, per workspace'));
    expect(summary).toContain('Production (TODO-prod-workspace-id)\n  invited                 1  segment@agency.example');
    expect(summary).toContain('unmanaged, left alone   1  owner@example.com (Workspace Owner)');
    // The generated test ran: the guardrails and the snapshots of the three stacks.
    expect(output).toMatch(/Tests:\s+6 passed, 6 total/);
    expect(JSON.parse(readFileSync(join(repo, 'node_modules', 'segment-access', 'package.json'), 'utf8')).version).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  }, 600_000);

  test('the README\'s "Deploying for real" commands, with no terminal: validate, synth, plan, deploy --auto-approve, plan, audit', async () => {
    emulator = await startEmulator({ seed: join(repo, 'demo', 'emulator-seed.json'), rateLimit: { writesPerWindow: 1000, windowMs: 60_000 } });
    const seed = loadSeedFile(join(repo, 'demo', 'emulator-seed.json'));
    const tokens = Object.fromEntries(seed.workspaces.map((w) => [`SEGMENT_${w.id.split('-')[1].toUpperCase()}_TOKEN`, w.tokens[0]]));
    expect(Object.keys(tokens).sort()).toEqual(['SEGMENT_DEV_TOKEN', 'SEGMENT_PROD_TOKEN', 'SEGMENT_STAGING_TOKEN']);
    // A workspace the demo has not touched: the demo's own Terraform state stays with the demo.
    for (const stack of ['prod', 'staging', 'dev']) rmSync(join(repo, `terraform.${stack}.tfstate`), { force: true });
    const deployEnv = { ...env, ...tokens, SEGMENT_ACCESS_RECORD_KEY: recordKey, PUBLIC_API_URL: emulator.url };
    // The placeholders (`=...`) are this test's values, already in the environment.
    const run = await runBashBlock(checkedBlock('README.md', 'deploy'), deployEnv, repo, (c) => (/^export \w+=\.\.\./.test(c) ? 'true' : c));
    const output = plain(run.output);
    expect(run.commands.slice(3)).toEqual([
      'npx segment-access validate access.yaml',
      'npx cdktf synth',
      'npx cdktf plan prod --skip-synth',
      'npx cdktf deploy prod staging dev --skip-synth --auto-approve',
      'npx segment-access plan --stack prod',
      'npx segment-access audit --stack prod',
    ]);
    // Each as the README says: 0, except audit's 2 (findings: the pending invites, not yet accepted).
    expect({ codes: run.codes, output: run.codes.slice(0, 8).every((c) => c === 0) ? '' : output }).toEqual({ codes: [0, 0, 0, 0, 0, 0, 0, 0, 2], output: '' });
    expect(output).not.toContain('[ERROR]');
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).toContain('+ "segment@agency.example" = {');
    expect(output.match(/Apply complete! Resources: 2 added, 0 changed, 0 destroyed\./g)).toHaveLength(3);
    expect(output).toContain('No access changes: the workspace matches the code.');
    for (const w of seed.workspaces) expect(emulator.state.listInvites(w.id).map((i) => i.email)).toContain('segment@agency.example');
  }, 600_000);

  test('without --auto-approve and no terminal, cdktf stops before changing anything (as the README warns); with it, destroy releases', async () => {
    const destroyEnv = { ...env, SEGMENT_PROD_TOKEN: 'demo-prod-token', CHECKPOINT_DISABLE: '1', PUBLIC_API_URL: emulator!.url, SEGMENT_ACCESS_RECORD_KEY: recordKey };
    writeFileSync(join(repo, 'no-stdin'), '');
    const asked = await runBashBlock('npx cdktf destroy prod --skip-synth < no-stdin', destroyEnv, repo);
    expect(asked.codes).toEqual([1]);
    expect(plain(asked.output)).toContain('Raw mode is not supported');
    const invited = () => emulator!.state.listInvites('TODO-prod-workspace-id').map((i) => i.email);
    expect(invited()).toContain('segment@agency.example');
    const destroyed = await runBashBlock('npx cdktf destroy prod --skip-synth --auto-approve < no-stdin', destroyEnv, repo);
    expect({ codes: destroyed.codes, output: destroyed.codes[0] === 0 ? '' : plain(destroyed.output) }).toEqual({ codes: [0], output: '' });
    expect(plain(destroyed.output)).toContain('Destroy complete! Resources: 2 destroyed.');
    expect(invited()).toEqual([]);
    expect(emulator!.state.listUsers('TODO-prod-workspace-id').map((u) => u.email)).toEqual(['owner@example.com']);
  }, 300_000);
});
