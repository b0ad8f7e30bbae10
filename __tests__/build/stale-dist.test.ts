import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { spawnSync } from 'child_process';
import { tmpdir } from 'os';
import { join } from 'path';
import { staleSources } from '../support/global-setup';

// jest's globalSetup rebuilds dist/ when it is older than the sources, so the end-to-end tests
// (which run dist/) never test stale code. This is the check it relies on.

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'sa-stale-'));
  for (const dir of ['model', 'dist/model', 'cli', 'dist/cli', 'dist/executor']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'dist', 'executor', 'segment-access-executor.cjs'), '');
  writeFileSync(join(root, 'index.ts'), '');
  writeFileSync(join(root, 'dist', 'index.js'), '');
  writeFileSync(join(root, 'model', 'enums.ts'), '');
  writeFileSync(join(root, 'dist', 'model', 'enums.js'), '');
  writeFileSync(join(root, 'cli', 'main.ts'), '');
  writeFileSync(join(root, 'cli', 'types.d.ts'), '');
  writeFileSync(join(root, 'dist', 'cli', 'main.js'), '');
  for (const dir of ['audit', 'constructs', 'framework', 'stacks', 'api', 'reconciler', 'policy', 'records', 'emulator', 'doctor']) mkdirSync(join(root, dir));
  const past = new Date('2026-01-01T00:00:00Z');
  for (const f of ['index.ts', 'model/enums.ts', 'cli/main.ts', 'cli/types.d.ts']) utimesSync(join(root, f), past, past);
  return root;
}

test('a dist/ newer than every source is current', () => {
  expect(staleSources(project())).toEqual([]);
});

test('a bundled executor older than a source makes that source stale', () => {
  const root = project();
  const past = new Date('2025-06-01T00:00:00Z');
  utimesSync(join(root, 'dist', 'executor', 'segment-access-executor.cjs'), past, past);
  expect(staleSources(root).map((p) => p.slice(root.length + 1)).sort()).toEqual(['cli/main.ts', 'index.ts', 'model/enums.ts']);
});

test('a source edited after the build, or never built, is stale', () => {
  const root = project();
  const later = new Date('2027-01-01T00:00:00Z');
  utimesSync(join(root, 'model', 'enums.ts'), later, later);
  writeFileSync(join(root, 'cli', 'new-command.ts'), '');
  expect(staleSources(root).map((p) => p.slice(root.length + 1)).sort()).toEqual(['cli/new-command.ts', 'model/enums.ts']);
});

test('the folders checked are every compiled source folder of tsconfig.json (tests and bench aside)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SOURCE_DIRS } = require('../../scripts/build-if-stale.js') as { SOURCE_DIRS: string[] };
  const tsconfig = readFileSync(join(__dirname, '..', '..', 'tsconfig.json'), 'utf8');
  const include = JSON.parse(tsconfig.replace(/^\s*\/\/.*$/gm, '')).include as string[];
  expect([...SOURCE_DIRS].sort()).toEqual(include.filter((d) => !d.includes('*') && !['__tests__', 'bench'].includes(d)).sort());
});

test('`npm ci && npm start` builds once: no install script builds (a consumer\'s install runs nothing of ours), `npm start` builds when dist/ is stale, `npm pack` before packing', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook]).toBeUndefined();
  expect(pkg.scripts.prepack).toBe('npm run build');
  expect(pkg.scripts.start).toBe('node scripts/build-if-stale.js && node dist/cli/main.js demo');
  // dist/ is current here (jest's global setup made sure): the check builds nothing and prints nothing.
  const run = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-if-stale.js')], { encoding: 'utf8' });
  expect(run).toMatchObject({ status: 0, stdout: '', stderr: '' });
});

test('a missing dist/ is stale: the first `npm start` after `npm ci` builds', () => {
  const root = project();
  rmSync(join(root, 'dist'), { recursive: true });
  expect(staleSources(root).map((p) => p.slice(root.length + 1)).sort()).toEqual(['cli/main.ts', 'index.ts', 'model/enums.ts']);
});
