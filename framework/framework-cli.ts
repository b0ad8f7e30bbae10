// Finds the CDK framework CLI a project installed (`cdktn` from cdktn-cli, or `cdktf` from cdktf-cli),
// so the demo and the tests run the project's own framework and can say which.
import { existsSync, readFileSync, realpathSync } from 'fs';
import { dirname, join } from 'path';
import { CdkFramework, chooseFramework, FRAMEWORK_ENV, FRAMEWORK_NAMES, FRAMEWORK_PREFERENCE, INSTALL_HINT, nodeModulesUpwards } from './framework-choice';

export interface FrameworkCli {
  readonly framework: CdkFramework;
  /** The CLI's script (the real file behind node_modules/.bin/<name>), run with this process's node. */
  readonly script: string;
  readonly version: string;
  /** E.g. "cdktn 0.24.0 (CDK Terrain CLI)". */
  readonly description: string;
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly engines?: { readonly node?: string };
}

/** The package.json of the package that holds `file`. */
function owningPackage(file: string, name: string): PackageJson {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (!existsSync(path)) continue;
    const json = JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
    if (json.name === name) return json;
  }
  return {};
}

/** The minimum Node a `>=X.Y.Z` engines range asks for, when `version` is older; other forms are not checked. */
export function missingNode(version: string, range: string | undefined): string | undefined {
  const minimum = range === undefined ? undefined : /^\s*>=\s*(\d+\.\d+\.\d+)\s*$/.exec(range)?.[1];
  if (minimum === undefined) return undefined;
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i] ? undefined : minimum;
  return undefined;
}

/**
 * The framework CLI installed for the project at `projectDir` (node_modules/.bin, searched upwards as
 * npm does). With both installed, the same rule as the library: SEGMENT_ACCESS_CDK_FRAMEWORK, else cdktn.
 * Throws, naming the fix, when none is installed or this Node is older than the CLI needs.
 */
export function findFrameworkCli(projectDir: string, env: NodeJS.ProcessEnv = process.env, nodeVersion = process.versions.node): FrameworkCli {
  const bins = new Map<CdkFramework, string>();
  for (const framework of FRAMEWORK_PREFERENCE) {
    const [bin] = nodeModulesUpwards(projectDir, join('.bin', framework));
    if (bin !== undefined) bins.set(framework, bin);
  }
  if (bins.size === 0) throw new Error(`No CDK framework CLI in ${projectDir} (node_modules/.bin/cdktn or cdktf). Fix: ${INSTALL_HINT}.`);
  const framework = chooseFramework(new Set(bins.keys()), env[FRAMEWORK_ENV]);
  const script = realpathSync(bins.get(framework)!);
  const pkg = owningPackage(script, `${framework}-cli`);
  const version = pkg.version ?? 'unknown version';
  const minimum = missingNode(nodeVersion, pkg.engines?.node);
  if (minimum !== undefined) {
    throw new Error(
      `${framework}-cli ${version} needs Node >= ${minimum}; this is Node ${nodeVersion}. ` +
        `Fix: run segment-access with Node ${minimum.split('.')[0]} or later, as the ${framework}-cli package requires (docs/cdk-terrain.md).`,
    );
  }
  return { framework, script, version, description: `${framework} ${version} (${FRAMEWORK_NAMES[framework]} CLI)` };
}
