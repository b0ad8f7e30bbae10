#!/usr/bin/env node
// Keeps framework/ the only module that names the CDK framework packages (cdktf or CDK Terrain's cdktn).
//   node scripts/route-framework-imports.js          rewrite imports of the cdktf or cdktn package (import ... from,
//                                                    require, import()) to the relative path of framework/, then list what
//                                                    it cannot rewrite (deep paths, provider packages, resolve)
//   node scripts/route-framework-imports.js --check  list every direct use, rewrite nothing; exit 1 if any
// Rerun it after merging a branch that imports a framework package directly; __tests__/framework checks it.
const { readdirSync, readFileSync, writeFileSync } = require('fs');
const { dirname, join, relative, sep } = require('path');

const ROOT = join(__dirname, '..');
const ADAPTER_DIR = 'framework';
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'reports', 'cdktf.out', 'coverage', '.stryker-tmp', '.segment-access', '.ci-cache']);
const EXTENSIONS = /\.(ts|tsx|js|cjs|mjs)$/;

const PACKAGES = ['cdktf', 'cdktn'];
const FRAMEWORK = `(?:${PACKAGES.join('|')})`;
/** The whole package (rewritable): import ... from, require() and import() of cdktf or cdktn. */
const WHOLE = new RegExp(`(\\bfrom\\s*|\\brequire\\(\\s*|\\bimport\\(\\s*)(['"])${FRAMEWORK}\\2`, 'g');
/** Anything else that reaches a framework package: deep paths and provider packages, require.resolve, side-effect imports. */
const OTHER = [
  new RegExp(`(?:\\bfrom\\s*|\\brequire(?:\\.resolve)?\\(\\s*|\\bimport\\(\\s*|\\bimport\\s+)(['"])@?${FRAMEWORK}/[^'"]*\\1`, 'g'),
  new RegExp(`\\bimport\\s+(['"])${FRAMEWORK}\\1`, 'g'),
  new RegExp(`\\brequire\\.resolve\\(\\s*(['"])${FRAMEWORK}\\1`, 'g'),
];

/** Every source file outside the adapter, relative to root. */
function sourceFiles(root = ROOT, dir = '') {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? join(dir, entry.name) : entry.name;
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.') || path === ADAPTER_DIR ? [] : sourceFiles(root, path);
    return EXTENSIONS.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** Direct uses of a framework package outside framework/: { file, line, text, rewritable }. */
function findFrameworkImports(root = ROOT) {
  const found = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(WHOLE)) found.push({ file, line: lineOf(text, m.index), text: m[0], rewritable: true });
    for (const m of OTHER.flatMap((re) => [...text.matchAll(re)])) found.push({ file, line: lineOf(text, m.index), text: m[0].trim(), rewritable: false });
  }
  return found.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** The module specifier of framework/ as seen from `file`. */
function adapterSpecifier(file) {
  const rel = relative(dirname(file), ADAPTER_DIR).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Rewrites the rewritable uses in place; returns the files changed. */
function rewriteFrameworkImports(root = ROOT) {
  const changed = [];
  for (const file of sourceFiles(root)) {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(WHOLE, (_m, lead, quote) => `${lead}${quote}${adapterSpecifier(file)}${quote}`);
    if (next !== text) {
      writeFileSync(path, next);
      changed.push(file);
    }
  }
  return changed;
}

function main() {
  const check = process.argv.includes('--check');
  if (!check) for (const file of rewriteFrameworkImports()) process.stdout.write(`rewrote ${file}\n`);
  const left = findFrameworkImports();
  for (const use of left) {
    const why = use.rewritable ? 'imports the framework directly' : 'needs a hand edit: add what it uses to framework/ and import it from there';
    process.stdout.write(`${use.file}:${use.line}: ${use.text} (${why})\n`);
  }
  if (left.length) process.exitCode = 1;
}

if (require.main === module) main();

module.exports = { findFrameworkImports, rewriteFrameworkImports, adapterSpecifier };
