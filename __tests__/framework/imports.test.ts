import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

// The same functions `node scripts/route-framework-imports.js [--check]` runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const routing = require('../../scripts/route-framework-imports.js') as {
  findFrameworkImports(root?: string): { file: string; line: number; text: string; rewritable: boolean }[];
  rewriteFrameworkImports(root?: string): string[];
};

const REPO = resolve(__dirname, '..', '..');
const quoted = (name: string) => `'${name}'`;
const [CDKTF, CDKTN] = ['cdktf', 'cdktn'].map(quoted);

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sa-imports-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe('framework/ is the only module that names cdktf or cdktn', () => {
  test('no source file of this repo outside framework/ imports, requires or resolves either package (fix: node scripts/route-framework-imports.js)', () => {
    expect(routing.findFrameworkImports(REPO)).toEqual([]);
  });

  test('the check finds every form of direct use, and nothing that only looks alike', () => {
    const root = tree({
      'stacks/a.ts': [
        `import { App } from ${CDKTF};`,
        `import type { IAspect } from ${CDKTN};`,
        `export { TerraformStack } from ${CDKTF};`,
        `const lib = require(${CDKTN});`,
        `const late = await import(${CDKTF});`,
        `import ${quoted('cdktf/lib/testing/adapters/jest')};`,
        `import { NullProvider } from ${quoted('@cdktf/provider-null/lib/provider')};`,
        `import { AwsProvider } from ${quoted('@cdktn/provider-aws')};`,
        `const where = require.resolve(${CDKTF});`,
        `import ${CDKTN};`,
        // Not framework packages:
        `import { x } from ${quoted('./cdktf-internals')};`,
        `import { y } from ${quoted('cdktf-cli-helpers')};`,
        `const text = 'run cdktf synth';`,
      ].join('\n'),
      'framework/cdk.ts': `import * as cdk from ${CDKTF};`,
      'stacks/framework/c.ts': `import { App } from ${CDKTF};`,
      'node_modules/x/index.js': `require(${CDKTF});`,
      'dist/a.js': `require(${CDKTF});`,
    });
    try {
      const found = routing.findFrameworkImports(root).map((u) => `${u.file}:${u.line}:${u.rewritable ? 'rewrite' : 'by hand'}`);
      expect(found).toEqual([
        'stacks/a.ts:1:rewrite',
        'stacks/a.ts:2:rewrite',
        'stacks/a.ts:3:rewrite',
        'stacks/a.ts:4:rewrite',
        'stacks/a.ts:5:rewrite',
        'stacks/a.ts:6:by hand',
        'stacks/a.ts:7:by hand',
        'stacks/a.ts:8:by hand',
        'stacks/a.ts:9:by hand',
        'stacks/a.ts:10:by hand',
        'stacks/framework/c.ts:1:rewrite',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the rewrite points each whole-package import at framework/, relative to the file, and leaves the rest for a person', () => {
    const root = tree({
      'main.ts': `import { App } from ${CDKTF};\n`,
      'stacks/deep/b.ts': `import { App, TerraformStack } from ${JSON.stringify('cdktn')};\nconst lib = require(${CDKTF});\nimport ${quoted('cdktf/lib/x')};\n`,
      'framework/cdk.ts': `import * as cdk from ${CDKTF};\n`,
    });
    try {
      expect(routing.rewriteFrameworkImports(root).sort()).toEqual(['main.ts', join('stacks', 'deep', 'b.ts')]);
      expect(readFileSync(join(root, 'main.ts'), 'utf8')).toBe(`import { App } from './framework';\n`);
      expect(readFileSync(join(root, 'stacks', 'deep', 'b.ts'), 'utf8')).toBe(
        `import { App, TerraformStack } from "../../framework";\nconst lib = require('../../framework');\nimport ${quoted('cdktf/lib/x')};\n`,
      );
      expect(readFileSync(join(root, 'framework', 'cdk.ts'), 'utf8')).toBe(`import * as cdk from ${CDKTF};\n`);
      expect(routing.findFrameworkImports(root).map((u) => `${u.file}:${u.line}:${u.rewritable}`)).toEqual([`${join('stacks', 'deep', 'b.ts')}:3:false`]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the published package depends on neither framework: both are optional peers, with constructs', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['js-yaml', 'yaml', 'zod']);
    expect(pkg.peerDependencies).toEqual({ cdktf: '^0.21.0', cdktn: '^0.24.0', constructs: '^10.4.2' });
    expect(pkg.peerDependenciesMeta).toEqual({ cdktf: { optional: true }, cdktn: { optional: true } });
  });
});
