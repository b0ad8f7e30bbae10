import { fc, test as fcTest } from '@fast-check/jest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CdkFramework, chooseFramework, FRAMEWORK, findFrameworkCli, installedFrameworks, missingNode } from '../../framework';
import { numRuns } from '../properties/fast-check-config';

const BOTH = new Set([CdkFramework.CDKTF, CdkFramework.CDKTN]);

describe('which framework the library loads', () => {
  test('the only one installed; cdktn when both are; the one SEGMENT_ACCESS_CDK_FRAMEWORK names', () => {
    expect(chooseFramework(new Set([CdkFramework.CDKTF]), undefined)).toBe(CdkFramework.CDKTF);
    expect(chooseFramework(new Set([CdkFramework.CDKTN]), undefined)).toBe(CdkFramework.CDKTN);
    expect(chooseFramework(BOTH, undefined)).toBe(CdkFramework.CDKTN);
    expect(chooseFramework(BOTH, '')).toBe(CdkFramework.CDKTN);
    expect(chooseFramework(BOTH, 'cdktf')).toBe(CdkFramework.CDKTF);
    expect(chooseFramework(BOTH, ' cdktn ')).toBe(CdkFramework.CDKTN);
  });

  test('fails, naming the fix: none installed, or the named one missing', () => {
    expect(() => chooseFramework(new Set(), undefined)).toThrow(/neither cdktn or cdktf is installed\. Fix: install one of them: `npm install cdktn@0\.24 constructs@10\.7/);
    expect(() => chooseFramework(new Set([CdkFramework.CDKTF]), 'cdktn')).toThrow('SEGMENT_ACCESS_CDK_FRAMEWORK=cdktn, but the package "cdktn" is not installed.');
  });

  fcTest.prop([fc.string({ maxLength: 20 }).filter((s) => s.trim() !== '' && !['cdktf', 'cdktn'].includes(s.trim()))], { numRuns: numRuns(200) })(
    'any other value of SEGMENT_ACCESS_CDK_FRAMEWORK is refused, quoted, with what is allowed',
    (value) => {
      expect(() => chooseFramework(BOTH, value)).toThrow(`SEGMENT_ACCESS_CDK_FRAMEWORK: received ${JSON.stringify(value)}; allowed: cdktn or cdktf.`);
    },
  );

  test('this repo runs on the framework it has installed, and says which', () => {
    expect(installedFrameworks(__dirname).has(FRAMEWORK.name)).toBe(true);
    expect(FRAMEWORK.description).toBe(`${FRAMEWORK.name === 'cdktn' ? 'CDK Terrain' : 'CDK for Terraform'} (${FRAMEWORK.name} ${FRAMEWORK.version})`);
    expect(FRAMEWORK.version).toMatch(FRAMEWORK.name === 'cdktn' ? /^0\.24\./ : /^0\.21\./);
  });
});

describe('which framework CLI the demo and the tests run', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sa-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** node_modules/<framework>-cli with its bin linked into node_modules/.bin, as npm lays them out. */
  function installCli(root: string, framework: CdkFramework, version: string, engines?: string): string {
    const pkg = join(root, 'node_modules', `${framework}-cli`);
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `${framework}-cli`, version, ...(engines ? { engines: { node: engines } } : {}) }));
    const script = join(pkg, 'bin', framework);
    writeFileSync(script, '#!/usr/bin/env node\n');
    chmodSync(script, 0o755);
    mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(join('..', `${framework}-cli`, 'bin', framework), join(root, 'node_modules', '.bin', framework));
    return script;
  }

  test('the project\'s own CLI, found upwards from a subdirectory, with its version', () => {
    const script = installCli(dir, CdkFramework.CDKTF, '0.21.0');
    mkdirSync(join(dir, 'infra', 'app'), { recursive: true });
    expect(findFrameworkCli(join(dir, 'infra', 'app'), {}, '20.20.2')).toEqual({ framework: 'cdktf', script, version: '0.21.0', description: 'cdktf 0.21.0 (CDK for Terraform CLI)' });
  });

  test('both installed: cdktn, unless SEGMENT_ACCESS_CDK_FRAMEWORK names cdktf', () => {
    installCli(dir, CdkFramework.CDKTF, '0.21.0');
    installCli(dir, CdkFramework.CDKTN, '0.24.0', '>=22.19.0');
    expect(findFrameworkCli(dir, {}, '22.19.0').description).toBe('cdktn 0.24.0 (CDK Terrain CLI)');
    expect(findFrameworkCli(dir, { SEGMENT_ACCESS_CDK_FRAMEWORK: 'cdktf' }, '20.20.2').framework).toBe('cdktf');
  });

  test('fails before running anything: CDK Terrain\'s CLI on a Node older than its engines range, or no CLI at all', () => {
    installCli(dir, CdkFramework.CDKTN, '0.24.0', '>=22.19.0');
    expect(() => findFrameworkCli(dir, {}, '20.20.2')).toThrow('cdktn-cli 0.24.0 needs Node >= 22.19.0; this is Node 20.20.2. Fix: run segment-access with Node 22 or later');
    expect(() => findFrameworkCli(dir, {}, '22.18.9')).toThrow('needs Node >= 22.19.0');
    expect(findFrameworkCli(dir, {}, '22.23.5').framework).toBe('cdktn');
    const empty = mkdtempSync(join(tmpdir(), 'sa-no-cli-'));
    try {
      expect(() => findFrameworkCli(empty, {}, '22.23.5')).toThrow(`No CDK framework CLI in ${empty} (node_modules/.bin/cdktn or cdktf). Fix: install one of them`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('engines: only the `>=X.Y.Z` form is judged; each of major, minor and patch counts', () => {
    expect(missingNode('22.19.0', '>=22.19.0')).toBeUndefined();
    expect(missingNode('23.0.0', '>=22.19.0')).toBeUndefined();
    expect(missingNode('22.20.0', '>= 22.19.1')).toBeUndefined();
    expect(missingNode('22.19.0', '>=22.19.1')).toBe('22.19.1');
    expect(missingNode('22.18.5', '>=22.19.0')).toBe('22.19.0');
    expect(missingNode('21.99.99', '>=22.0.0')).toBe('22.0.0');
    expect(missingNode('10.0.0', '^22')).toBeUndefined();
    expect(missingNode('10.0.0', undefined)).toBeUndefined();
  });
});
