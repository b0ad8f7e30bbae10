// `segment-access init`: what it writes, that it writes nothing else (no install, no network), that it
// never overwrites without --force, and that the versions it pins are the ones this repo runs.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { load as parseYaml } from 'js-yaml';
import { runCommand } from '../support/run-command';
import { REPO_ROOT } from '../support/example';
import { docExamples } from '../support/doc-examples';
import { appIdOf, fillTemplate, packageNameOf, scaffoldFiles } from '../../scaffold/project';
import { FRAMEWORK_PACKAGES, TOOL_PACKAGES } from '../../scaffold/versions';
import { scaffoldWorkspaces } from '../../scaffold/workspaces';
import { parseSeed } from '../../emulator/seed';
import { parseAccessRequests } from '../../requests/load';
import { CdkFramework, findFrameworkCli } from '../../framework';

const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const ENV = { PATH: process.env.PATH, HOME: process.env.HOME, SEGMENT_ACCESS_NOW: '2026-12-01T09:00:00Z' };
const init = (args: string[], cwd: string) => runCommand(process.execPath, [CLI, 'init', ...args], ENV, cwd);

function filesUnder(root: string): string[] {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
  return walk(root).map((f) => relative(root, f)).sort();
}

const EXPECTED_FILES = [
  '.github/CODEOWNERS',
  '.github/workflows/segment-access.yml',
  '.gitignore',
  'README.md',
  '__tests__/access.test.ts',
  'access.yaml',
  'cdktf.json',
  'definition.ts',
  'demo/emulator-seed.json',
  'jest.config.js',
  'main.ts',
  'package.json',
  'tsconfig.json',
  'workspaces.ts',
];

describe('segment-access init', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'sa-init-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  test('writes the repo\'s files and nothing else, and prints the next three commands', async () => {
    const result = await init(['acme-access'], work);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(filesUnder(join(work, 'acme-access'))).toEqual(EXPECTED_FILES);
    expect(readdirSync(work)).toEqual(['acme-access']);
    expect(result.stdout.split('\n').slice(1)).toEqual([
      'Next:',
      '  cd acme-access && npm install',
      '  npx segment-access demo   # synth, then deploy prod, staging and dev to the bundled emulator',
      '  npm test                  # type check, guardrails and snapshots',
      '',
    ]);
  });

  test('refuses to overwrite any file without --force (writing nothing at all), and overwrites with it', async () => {
    const dir = join(work, 'repo');
    mkdirSync(dir);
    writeFileSync(join(dir, 'access.yaml'), 'mine');
    const refused = await init([], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `segment-access: init: 1 file(s) already exist in ${dir}: access.yaml. Nothing was written. Fix: choose a new directory, or pass --force to overwrite them.\n`,
    );
    expect(readdirSync(dir)).toEqual(['access.yaml']);
    expect(readFileSync(join(dir, 'access.yaml'), 'utf8')).toBe('mine');
    const forced = await init(['--force'], dir);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('(overwrote access.yaml)');
    expect(readFileSync(join(dir, 'access.yaml'), 'utf8')).toContain('version: 1');
    expect(forced.stdout).toContain('\n  npm install\n');
  });

  test('bad options are refused with the fix, before anything is written', async () => {
    for (const [args, message] of [
      [['repo', '--framework', 'pulumi'], 'init: --framework is "pulumi"; allowed: cdktf or cdktn.'],
      [['2024'], 'init: --app-id is missing, and none can be made from the directory name "2024"'],
      [['repo', '--app-id', 'Acme Access'], 'init: --app-id is "Acme Access"; allowed: 2 to 40 lowercase letters'],
      [['repo', '--from-import', 'nope.ts'], 'init: --from-import "nope.ts" cannot be read.'],
    ] as const) {
      const result = await init([...args], work);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
    }
    writeFileSync(join(work, 'hand-written.ts'), "export const ACCESS = {};\n");
    const notImport = await init(['repo', '--from-import', 'hand-written.ts'], work);
    expect(notImport.stderr).toContain('is not a module `segment-access import` wrote');
    expect(readdirSync(work)).toEqual(['hand-written.ts']);
  });

  test('names: a package name from the directory, an app id from that (or none)', () => {
    expect(packageNameOf('/x/Acme Access!')).toBe('acme-access');
    expect(packageNameOf('/x/...')).toBe('segment-access-repo');
    expect(appIdOf('acme.access_2')).toBe('acme-access-2');
    expect(appIdOf('9')).toBeUndefined();
    expect(() => fillTemplate('{{a}} {{b}}', { a: '1' })).toThrow('template placeholder {{b}} has no value');
  });
});

describe('what init writes', () => {
  const options = { name: 'acme-access', appId: 'acme-access', segmentAccessVersion: '0.1.0', today: '2026-12-01' };
  const files = (framework = CdkFramework.CDKTF) => new Map(scaffoldFiles({ ...options, framework }).map((f) => [f.path, f.text]));

  test('pins the versions this repo runs (cdktf line): the framework, its CLI, constructs, TypeScript 5, ts-node, jest', () => {
    const installed = (name: string) => (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    const pkg = JSON.parse(files().get('package.json')!) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; engines: { node: string } };
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (name === 'segment-access') expect(version).toBe('^0.1.0');
      else expect([name, version]).toEqual([name, installed(name)]);
    }
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['cdktf-cli', ...Object.keys(TOOL_PACKAGES)].sort());
    expect(pkg.devDependencies.typescript).toMatch(/^5\./);
    expect(pkg.engines.node).toBe('>=20');
  });

  test('on CDK Terrain: cdktn and its CLI as docs/cdk-terrain.md installs them, its tsconfig line, Node 22 in CI', () => {
    const cdktn = files(CdkFramework.CDKTN);
    const pkg = JSON.parse(cdktn.get('package.json')!) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; engines: { node: string } };
    const install = docExamples('docs/cdk-terrain.md').get('install')!.trim().split('\n');
    const named = (line: string) => Object.fromEntries(line.split(' ').filter((w) => w.includes('@') && !w.startsWith('-')).map((w) => [w.slice(0, w.lastIndexOf('@')), w.slice(w.lastIndexOf('@') + 1)]));
    expect({ ...pkg.dependencies, 'segment-access': undefined }).toMatchObject(named(install[0]));
    expect(pkg.devDependencies).toMatchObject(named(install[1]));
    expect(pkg.dependencies).toEqual({ 'segment-access': '^0.1.0', ...FRAMEWORK_PACKAGES.cdktn.dependencies });
    expect(pkg.engines.node).toBe('>=22.19');
    const paths = (JSON.parse(docExamples('docs/cdk-terrain.md').get('tsconfig paths')!) as { compilerOptions: { paths: unknown } }).compilerOptions.paths;
    expect((JSON.parse(cdktn.get('tsconfig.json')!) as { compilerOptions: { paths: unknown } }).compilerOptions.paths).toEqual(paths);
    expect(cdktn.get('__tests__/access.test.ts')).toContain(`import { Testing } from '${CdkFramework.CDKTN}';`);
    const workflow = parseYaml(cdktn.get('.github/workflows/segment-access.yml')!) as { jobs: Record<string, { steps: { run?: string; with?: Record<string, unknown> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(steps.filter((s) => s.run?.includes('cdktf'))).toEqual([]);
    expect(steps.filter((s) => s.run?.includes('npx cdktn')).length).toBeGreaterThan(0);
    // Every job that sets up Node takes 22 (cdktn-cli's engines), and each job that runs cdktn sets it up.
    const versions = steps.filter((s) => s.with?.['node-version'] !== undefined).map((s) => s.with!['node-version']);
    expect(versions.length).toBeGreaterThanOrEqual(Object.values(workflow.jobs).filter((j) => j.steps.some((s) => s.run?.includes('npx cdktn'))).length);
    expect(new Set(versions)).toEqual(new Set([22]));
    expect(JSON.parse(cdktn.get('package.json')!).scripts.synth).toBe('cdktn synth');
  });

  test('the workspaces (code), the requests (data, with the schema line) and the emulator seed agree', () => {
    const written = files();
    const seed = parseSeed(JSON.parse(written.get('demo/emulator-seed.json')!));
    const workspaces = scaffoldWorkspaces('acme-access');
    expect(seed.workspaces.map((w) => [w.id, w.slug, w.name, w.seatLimit, w.sources?.map((s) => `${s.id}=${s.name}`)])).toEqual(
      workspaces.map((w) => [w.workspaceId, w.slug, w.displayName, w.seatLimit, w.sources.map((s) => `${s.id}=${s.name}`)]),
    );
    for (const w of workspaces) expect(written.get('workspaces.ts')).toContain(`workspaceId: '${w.workspaceId}', // TODO(segment-access init)`);
    const access = written.get('access.yaml')!;
    expect(access.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/segment-access/schema/access.schema.json');
    const requests = parseAccessRequests(access);
    expect(requests.collaborators.map((c) => c.email)).toEqual(['segment@agency.example', 'jonas.weber@contractors.example']);
    expect(access).toContain('expiresOn: 2027-03-01');
    expect(written.get('__tests__/access.test.ts')).toContain("const NOW = '2026-12-01';");
  });

  test('the CI workflow and the README name SEGMENT_ACCESS_RECORD_KEY as a secret of the deploy job', () => {
    const written = files();
    const workflow = parseYaml(written.get('.github/workflows/segment-access.yml')!) as { jobs: { deploy: { steps: { env?: Record<string, string> }[] }; plan: object } };
    const deployEnv = Object.assign({}, ...workflow.jobs.deploy.steps.map((s) => s.env ?? {})) as Record<string, string>;
    expect(deployEnv.SEGMENT_ACCESS_RECORD_KEY).toBe('${{ secrets.SEGMENT_ACCESS_RECORD_KEY }}');
    expect(JSON.stringify(workflow.jobs.plan)).not.toContain('SEGMENT_ACCESS_RECORD_KEY');
    expect(written.get('README.md')).toContain('`SEGMENT_ACCESS_RECORD_KEY`, the\n   key that signs the record of managed users');
    expect(written.get('README.md')).not.toMatch(/\{\{|\}\}/);
    expect(written.get('.github/CODEOWNERS')).toBe(readFileSync(join(REPO_ROOT, 'templates', 'CODEOWNERS'), 'utf8'));
  });

  test('the package ships what init and `emulator --seed` need', async () => {
    const packed = await runCommand('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' }, REPO_ROOT);
    const shipped = new Set((JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
    const needed = [
      ...filesUnder(join(REPO_ROOT, 'templates')).map((f) => `templates/${f}`),
      'demo/emulator-seed.json',
      'schema/access.schema.json',
      'dist/cli/commands/init.js',
      'dist/scaffold/project.js',
    ];
    expect(needed.filter((f) => !shipped.has(f))).toEqual([]);
  });
});

describe('init --from-import', () => {
  test('the imported module is the baseline (code), access.yaml takes new requests; it type-checks and synthesizes', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sa-init-import-'));
    try {
      // A module as `segment-access import` writes it (its exact header and export), for one workspace.
      const imported = [
        '// Access definition imported by `segment-access import` on 2026-12-01 from the live workspaces:',
        "import { AccessDefinition, Environment, WorkspaceRole } from 'segment-access';",
        '',
        'export const ACCESS: AccessDefinition = {',
        "  workspaces: { [Environment.PROD]: { workspaceId: 'wsAcme01', slug: 'acme', displayName: 'Acme', environment: Environment.PROD, tokenEnvVar: 'SEGMENT_PROD_TOKEN', appId: 'acme-access', sources: [{ id: 'src1', name: 'web' }] } },",
        "  collaborators: [{ id: 'Ana', email: 'ana@agency.example', displayName: 'Ana', requestedBy: 'lead@acme.example', ticket: 'imported', grant: { role: WorkspaceRole.READ_ONLY } }],",
        '};',
        '',
      ].join('\n');
      writeFileSync(join(work, 'access.ts'), imported);
      const result = await init(['repo', '--from-import', 'access.ts'], work);
      expect(result.code).toBe(0);
      const dir = join(work, 'repo');
      expect(filesUnder(dir)).toEqual(EXPECTED_FILES.filter((f) => f !== 'workspaces.ts' && f !== 'demo/emulator-seed.json').concat('imported-access.ts').sort());
      expect(readFileSync(join(dir, 'imported-access.ts'), 'utf8')).toBe(imported);
      expect(result.stdout).toContain('\n  npx cdktf plan prod   # no token needed: every imported grant reads as adopted (+)\n');
      // With this repo's packages as the installed ones: the new repo's own tsc and its own cdktf synth.
      mkdirSync(join(dir, 'node_modules'));
      for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) symlinkSync(join(REPO_ROOT, 'node_modules', name), join(dir, 'node_modules', name));
      symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'segment-access'));
      const env = { ...ENV, CI: '1', CHECKPOINT_DISABLE: '1' };
      const tsc = await runCommand(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'], env, dir);
      expect(tsc.stdout + tsc.stderr).toBe('');
      const synth = await runCommand(process.execPath, [findFrameworkCli(REPO_ROOT).script, 'synth'], env, dir);
      expect(synth.code).toBe(0);
      expect(readdirSync(join(dir, 'cdktf.out', 'stacks'))).toEqual(['prod']);
      expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'prod', 'segment-access.wsAcme01.json'))).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
