import { spawnSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join, relative } from 'path';

// The end-to-end tests run the compiled executor in dist/ (as Terraform's local-exec does). Testing
// a dist/ older than the sources would test stale code: rebuild first, or fail saying why.

const ROOT = join(__dirname, '..', '..');
/** Folders compiled into what the tests run (tests themselves run from source through ts-jest). */
const SOURCE_DIRS = ['requests', 'reviews', 'evidence', 'approvals', 'audit', 'constructs', 'framework', 'stacks', 'model', 'api', 'reconciler', 'policy', 'records', 'cli', 'emulator', 'doctor'];
/** The single-file executor synth copies beside each stack: built from the same sources. */
const BUNDLE = join('dist', 'executor', 'segment-access-executor.cjs');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Sources whose compiled file in dist/ is missing or older than they are. */
export function staleSources(root = ROOT): string[] {
  const sources = [...readdirSync(root).filter((f) => f.endsWith('.ts')).map((f) => join(root, f)), ...SOURCE_DIRS.filter((d) => existsSync(join(root, d))).flatMap((d) => tsFiles(join(root, d)))];
  const bundle = join(root, BUNDLE);
  const bundledAt = existsSync(bundle) ? statSync(bundle).mtimeMs : -1;
  return sources.filter((source) => {
    const compiled = join(root, 'dist', relative(root, source)).replace(/\.ts$/, '.js');
    const sourceAt = statSync(source).mtimeMs;
    return !existsSync(compiled) || statSync(compiled).mtimeMs < sourceAt || bundledAt < sourceAt;
  });
}

export default function globalSetup(): void {
  const stale = staleSources();
  if (stale.length === 0) return;
  const list = stale.slice(0, 5).map((s) => relative(ROOT, s)).join(', ') + (stale.length > 5 ? `, and ${stale.length - 5} more` : '');
  if (process.env.SEGMENT_ACCESS_TEST_NO_BUILD) {
    throw new Error(`dist/ is older than the sources (${list}): the end-to-end tests would run stale code. Run \`npm run build\` first (\`npm test\` does).`);
  }
  process.stderr.write(`\ndist/ is older than ${stale.length} source file(s) (${list}): running \`npm run build\` so the tests run the current code.\n`);
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`\`npm run build\` failed, so dist/ would be stale; fix the build first:\n${build.stdout}${build.stderr}`);
  }
}
