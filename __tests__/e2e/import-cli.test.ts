import { readdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { runCommand } from '../support/run-command';
import { ENVS, ImportWorld, importArgs } from '../support/import-world';
import { IMPORT_TOKEN_ENV, IMPORT_TOKENS, importSeed } from '../support/import-seed';

const REPO = resolve(__dirname, '..', '..');

describe('segment-access import: exit 1 with a clear error, and nothing written', () => {
  let world: ImportWorld;
  beforeAll(async () => (world = await ImportWorld.start()));
  afterAll(async () => world.stop());
  const written = () => readdirSync(world.dir).filter((f) => f.endsWith('.ts') && f !== 'main.ts');

  test.each([
    ['the token variable is not set', { env: { SEGMENT_STAGING_TOKEN: undefined } }, 'SEGMENT_STAGING_TOKEN is not set. Set it to a Public API token of the staging workspace wsAcmeStage01'],
    ['a token of another workspace', { env: { SEGMENT_DEV_TOKEN: IMPORT_TOKENS.prod } }, 'Wrong workspace for dev: the token in SEGMENT_DEV_TOKEN belongs to "Acme Production" (wsAcmeProd01), not wsAcmeDev01. Nothing was written.'],
    ['no API at PUBLIC_API_URL', { env: { PUBLIC_API_URL: 'http://127.0.0.1:9' } }, 'segment-access:'],
  ])('%s', async (_name, { env }, message) => {
    const result = await world.import('access.ts', ['--approval-reference', 'imported'], { ...world.env, ...env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    expect(written()).toEqual([]);
  });

  test.each([
    ['no workspace', ['import', '--out', 'a.ts'], 'no workspace given'],
    ['an option before any --environment', ['import', '--workspace-id', 'x', '--environment', 'prod', '--token-env', 'SEGMENT_T', '--out', 'a.ts'], '--workspace-id comes before any --environment'],
    ['an unknown environment', ['import', '--environment', 'qa', '--workspace-id', 'x', '--token-env', 'SEGMENT_T', '--out', 'a.ts'], '--environment "qa" is not one of prod, staging, dev'],
    ['an environment twice', ['import', '--environment', 'prod', '--workspace-id', 'x', '--token-env', 'SEGMENT_T', '--environment', 'prod', '--workspace-id', 'y', '--token-env', 'SEGMENT_U', '--out', 'a.ts'], 'given twice'],
    ['no token variable', ['import', '--environment', 'prod', '--workspace-id', 'x', '--out', 'a.ts'], 'has no --token-env'],
    ['a token instead of its variable name', ['import', '--environment', 'prod', '--workspace-id', 'x', '--token-env', 'sgp_abc.def', '--out', 'a.ts'], 'must be a variable NAME'],
    ['no --out', ['import', '--environment', 'prod', '--workspace-id', 'x', '--token-env', 'SEGMENT_T'], '--out is missing'],
    ['a bad seat limit', ['import', '--environment', 'prod', '--workspace-id', 'x', '--token-env', 'SEGMENT_T', '--seat-limit', '2.5', '--out', 'a.ts'], '--seat-limit "2.5" for prod is not a whole number'],
    ['an unknown option', ['import', '--environment', 'prod', '--workspace-id', 'x', '--token-env', 'SEGMENT_T', '--out', 'a.ts', '--everything'], "Unknown option '--everything'"],
  ])('%s', async (_name, args, message) => {
    const result = await runCommand(process.execPath, [join(REPO, 'dist', 'cli', 'main.js'), ...args], world.env, world.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('segment-access import --help');
    expect(written()).toEqual([]);
  });

  test('an existing file is kept unless --force; --force replaces it', async () => {
    writeFileSync(join(world.dir, 'kept.ts'), '// hand-edited\n');
    const refused = await world.import('kept.ts', ['--approval-reference', 'imported']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('kept.ts exists; nothing was written. Pass --force');
    expect(world.read('kept.ts')).toBe('// hand-edited\n');
    const forced = await world.import('kept.ts', ['--approval-reference', 'imported', '--force']);
    expect(forced.code).toBe(0);
    expect(world.read('kept.ts')).toContain('export const ACCESS: AccessDefinition = {');
    expect(readdirSync(world.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('--help exits 0; the bundled executor (what Terraform runs) has no import command', async () => {
    const help = await runCommand(process.execPath, [join(REPO, 'dist', 'cli', 'main.js'), 'import', '--help'], world.env, world.dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--approval-reference');
    const bundled = await runCommand(process.execPath, [join(REPO, 'dist', 'executor', 'segment-access-executor.cjs'), 'import'], world.env, world.dir);
    expect(bundled.code).toBe(1);
    expect(bundled.stderr).toContain('Unknown command "import"');
  });
});

describe('segment-access import: what the file and the summary say', () => {
  let world: ImportWorld;
  beforeEach(async () => (world = await ImportWorld.start()));
  afterEach(async () => world.stop());

  test('without --approval-reference the placeholders stop synth (SA-AUDIT-001) before anything reaches Segment', async () => {
    const result = await world.import('access.ts');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"TODO(segment-access import)" values; synth stops (SA-AUDIT-001) until they are written');
    const file = world.read('access.ts');
    // 26 collaborators and 1 group grant (the 2 pending invites' entries are commented out).
    expect(file.match(/^ +ticket: TODO_TICKET,/gm)?.length).toBe(27);
    expect(file.match(/^ +\/\/ +ticket: TODO_TICKET,/gm)?.length).toBe(2);
    const synth = await world.synth();
    expect(synth.code).not.toBe(0);
    expect(synth.stderr).toContain('[SA-AUDIT-001]');
    expect(synth.stderr).toContain('still holds the "TODO(segment-access import)" placeholder');
    expect(world.emulator.stats().writes).toBe(0);
  });

  test('the summary lists pending invites, what is not declared, and the guardrail report; no token anywhere', async () => {
    // Per-workspace options go after their --environment.
    const args = importArgs('access.ts', ['--approval-reference', 'imported']);
    const prod = args.indexOf(IMPORT_TOKEN_ENV.prod) + 1;
    args.splice(prod, 0, '--seat-limit', '15', '--sso-domain', 'acme.example', '--sso-domain', 'contractors.acme.example');
    const ok = await runCommand(process.execPath, [join(REPO, 'dist', 'cli', 'main.js'), ...args], world.env, world.dir);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const out = ok.stdout;
    expect(out).toContain('4 pending invite(s) have no readable permissions');
    expect(out).toContain('new.hire@acme.example in prod: age unknown');
    expect(out).toContain('scim.one@acme.example in prod: no permissions of its own; member of user group "Analytics Engineers"');
    expect(out).toContain('user group "Legacy Contractors" in prod holds no permissions');
    expect(out).toContain('sam.doe@gmail.com is a personal mailbox (gmail.com)');
    expect(out).toContain('OWNER grant for it-admin@acme.example in Acme Production (wsAcmeProd01) lacks approvedBy, ticket, justification.');
    expect(out).toContain('priya.shah@northwind-analytics.example is outside the SSO domains of Acme Production (wsAcmeProd01)');
    expect(out).toContain('declares 20 collaborator(s) plus 0 retained member(s) = 20 seats, above its limit of 15');
    expect(out).toContain('Seats in prod: 22 member(s) + 2 pending invite(s) = 24 of 15: ABOVE THE LIMIT');
    expect(world.read('access.ts')).toContain("sso: { enforced: true, domains: ['acme.example', 'contractors.acme.example'] },");
    for (const env of ENVS) {
      expect(out).not.toContain(IMPORT_TOKENS[env]);
      expect(world.read('access.ts')).not.toContain(IMPORT_TOKENS[env]);
    }
    // Source write keys (credentials the API lists with sources) are never read into the file.
    expect(world.read('access.ts')).not.toMatch(/writeKey/i);
  });

  test('live names reach the terminal and the file escaped: no control sequence, no reordering, nothing evaluated', async () => {
    await world.stop();
    const seed = importSeed();
    seed.workspaces[0].name = 'Acme \u001b[31mProd\u001b[0m \u202eevil\u2028${process.exit(1)}';
    seed.workspaces[0].users![0].name = "Robert'); process.exit(1); //";
    world = await ImportWorld.start(seed);
    const ok = await world.import('access.ts', ['--approval-reference', 'imported']);
    expect(ok.code).toBe(0);
    const file = world.read('access.ts');
    for (const text of [ok.stdout, file]) {
      expect(text).not.toMatch(/[\u001b\u202e\u2028]/);
      expect(text).toContain('Acme \\u001b[31mProd\\u001b[0m \\u202eevil\\u2028${process.exit(1)}');
    }
    expect(file).toContain("displayName: 'Robert\\'); process.exit(1); //',");
    expect((await world.synth()).code).toBe(0);
    // A wrong token: the error names the workspace escaped too.
    const wrong = await world.import('other.ts', [], { ...world.env, SEGMENT_DEV_TOKEN: IMPORT_TOKENS.prod });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).not.toMatch(/[\u001b\u202e\u2028]/);
    expect(wrong.stderr).toContain('belongs to "Acme \\u001b[31mProd');
  });
});
