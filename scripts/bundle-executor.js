#!/usr/bin/env node
// Bundles the executor (cli/executor.ts and what it imports, zod included) into ONE CommonJS file,
// so synth can copy it beside each stack: Terraform's local-exec then runs `node <file>` with no
// install, no package registry and no path of the synth machine.
const { buildSync } = require('esbuild');
const { chmodSync, readFileSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'dist', 'executor', 'segment-access-executor.cjs');
buildSync({
  entryPoints: [join(root, 'cli', 'executor.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  define: { __SEGMENT_ACCESS_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
