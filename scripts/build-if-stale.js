#!/usr/bin/env node
// `npm start` and jest's global setup run dist/ (the demo and the end-to-end tests run the compiled
// executor, as Terraform's local-exec does). Build only when a source is newer than what it compiled
// to (or dist/ is missing, as after `npm ci`): `npm ci && npm start` builds once, a second `npm start`
// not at all, and an edit is never run stale. No install script builds: a team installing the package
// runs none of its scripts (`prepack` builds before `npm pack` / `npm publish`).
const { spawnSync } = require('child_process');
const { existsSync, readdirSync, statSync } = require('fs');
const { join, relative } = require('path');

const ROOT = join(__dirname, '..');
/** Folders compiled into dist/ that the CLI, the executor and the library run (tests run from source). */
const SOURCE_DIRS = ['api', 'approvals', 'audit', 'cli', 'constructs', 'doctor', 'emulator', 'evidence', 'framework', 'importer', 'model', 'policy', 'reconciler', 'records', 'requests', 'reviews', 'scaffold', 'stacks'];
/** The single-file executor synth copies beside each stack: built from the same sources. */
const BUNDLE = join('dist', 'executor', 'segment-access-executor.cjs');

function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Sources whose compiled file in dist/ is missing or older than they are (or than the executor bundle). */
function staleSources(root = ROOT) {
  const sources = [...readdirSync(root).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(root, f)), ...SOURCE_DIRS.flatMap((d) => tsFiles(join(root, d)))];
  const bundle = join(root, BUNDLE);
  const bundledAt = existsSync(bundle) ? statSync(bundle).mtimeMs : -1;
  return sources.filter((source) => {
    const compiled = join(root, 'dist', relative(root, source)).replace(/\.ts$/, '.js');
    const sourceAt = statSync(source).mtimeMs;
    return !existsSync(compiled) || statSync(compiled).mtimeMs < sourceAt || bundledAt < sourceAt;
  });
}

/** "a.ts, b.ts, and 3 more": which sources made the build necessary. */
function describeStale(stale, root = ROOT) {
  return stale.slice(0, 5).map((s) => relative(root, s)).join(', ') + (stale.length > 5 ? `, and ${stale.length - 5} more` : '');
}

/** Runs `npm run build` when dist/ is stale; returns the stale sources it built for (none: nothing ran). */
function buildIfStale(root = ROOT, say = (line) => process.stderr.write(`${line}\n`)) {
  const stale = staleSources(root);
  if (stale.length === 0) return stale;
  const built = existsSync(join(root, 'dist', 'index.js'));
  say(built ? `dist/ is older than ${stale.length} source file(s) (${describeStale(stale, root)}): running \`npm run build\`.` : 'dist/ is not built yet: running `npm run build` (once).');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`\`npm run build\` failed, so dist/ would be stale; fix the build first:\n${build.stdout}${build.stderr}`);
  return stale;
}

module.exports = { staleSources, describeStale, buildIfStale, SOURCE_DIRS };

if (require.main === module) {
  try {
    buildIfStale();
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
