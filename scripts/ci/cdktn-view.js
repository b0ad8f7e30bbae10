#!/usr/bin/env node
// Makes a view of this repo that runs on CDK Terrain instead of cdktf, for CI's CDK Terrain line:
//   node scripts/ci/cdktn-view.js <view-dir> <cdktn-prefix>
// <view-dir> gets the repo's tracked files (as they are in the work tree) and a node_modules of links
// to this repo's packages, except cdktf, cdktf-cli and @cdktf/* (not installed at all in the view) and
// constructs, which come from <cdktn-prefix>/node_modules (an `npm install --prefix` of cdktn,
// cdktn-cli and the constructs version cdktn accepts): one copy of each, as in a project on cdktn.
const { execFileSync } = require('child_process');
const { existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync } = require('fs');
const { join, resolve } = require('path');

const ROOT = resolve(__dirname, '..', '..');
const LEFT_OUT = new Set(['cdktf', 'cdktf-cli', '@cdktf', 'constructs', '.bin', '.package-lock.json']);
const FROM_CDKTN = ['cdktn', 'constructs'];

function main() {
  const [view, prefix] = process.argv.slice(2).map((p) => p && resolve(p));
  if (!view || !prefix) throw new Error('usage: cdktn-view.js <view-dir> <cdktn-prefix>');
  const cdktnModules = join(prefix, 'node_modules');
  for (const name of [...FROM_CDKTN, join('.bin', 'cdktn')]) {
    if (!existsSync(join(cdktnModules, name))) throw new Error(`${join(cdktnModules, name)} is missing: npm install --prefix ${prefix} cdktn cdktn-cli constructs first.`);
  }
  mkdirSync(view, { recursive: true });
  // The tracked files as they are now (committed or not), like a checkout.
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT }).toString('utf8').split('\0').filter((f) => f && existsSync(join(ROOT, f)));
  execFileSync('bash', ['-c', 'tar -c --null -T - -f - | tar -x -f - -C "$0"', view], { cwd: ROOT, input: files.join('\0'), stdio: ['pipe', 'inherit', 'inherit'] });

  const modules = join(view, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (!LEFT_OUT.has(entry)) symlinkSync(realpathSync(join(ROOT, 'node_modules', entry)), join(modules, entry));
  }
  for (const bin of readdirSync(join(ROOT, 'node_modules', '.bin'))) {
    if (bin !== 'cdktf') symlinkSync(realpathSync(join(ROOT, 'node_modules', '.bin', bin)), join(modules, '.bin', bin));
  }
  for (const name of FROM_CDKTN) symlinkSync(realpathSync(join(cdktnModules, name)), join(modules, name));
  symlinkSync(realpathSync(join(cdktnModules, '.bin', 'cdktn')), join(modules, '.bin', 'cdktn'));
  process.stdout.write(`${view}: ${files.length} files; node_modules links this repo's packages but cdktf, with cdktn and constructs from ${cdktnModules}\n`);
}

main();
