import { CdkFramework } from '../framework/framework-choice';

/**
 * What a repo made by `segment-access init` installs: exact versions that work together and with this
 * release (the ones its own tests and CI run; a test compares them with this repo's installed packages).
 * TypeScript 5: ts-node 10 cannot load TypeScript 7. constructs 10.7.2: the newest CDK Terrain 0.24
 * accepts (>=10.6.0 <10.8.0, docs/cdk-terrain.md), and cdktf 0.21 too.
 */
export const FRAMEWORK_PACKAGES: Readonly<Record<CdkFramework, { readonly dependencies: Readonly<Record<string, string>>; readonly devDependencies: Readonly<Record<string, string>> }>> = {
  [CdkFramework.CDKTF]: { dependencies: { cdktf: '0.21.0', constructs: '10.7.2' }, devDependencies: { 'cdktf-cli': '0.21.0' } },
  [CdkFramework.CDKTN]: { dependencies: { cdktn: '0.24.0', constructs: '10.7.2' }, devDependencies: { 'cdktn-cli': '0.24.0' } },
};

/** TypeScript, the app runner and the test runner, the same for either framework. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  '@types/jest': '30.0.0',
  '@types/node': '20.19.43',
  jest: '30.5.2',
  'ts-jest': '29.4.15',
  'ts-node': '10.9.2',
  typescript: '5.9.3',
};

/** The Node.js each framework's CLI needs (cdktn-cli 0.24.0 declares >=22.19.0). */
export const NODE_ENGINES: Readonly<Record<CdkFramework, string>> = {
  [CdkFramework.CDKTF]: '>=20',
  [CdkFramework.CDKTN]: '>=22.19',
};
