// Which CDK framework a project uses. Pure and free of framework imports, so the CLI can decide which
// binary to run without loading either library.
import { existsSync } from 'fs';
import { dirname, join } from 'path';

export enum CdkFramework {
  /** CDK Terrain, the community continuation (npm `cdktn` / `cdktn-cli` 0.24). */
  CDKTN = 'cdktn',
  /** CDK for Terraform (npm `cdktf` / `cdktf-cli` 0.21), archived by HashiCorp on 2025-12-10. */
  CDKTF = 'cdktf',
}

/** Names the framework explicitly when a project has both installed. */
export const FRAMEWORK_ENV = 'SEGMENT_ACCESS_CDK_FRAMEWORK';

export const FRAMEWORK_NAMES: Readonly<Record<CdkFramework, string>> = {
  [CdkFramework.CDKTN]: 'CDK Terrain',
  [CdkFramework.CDKTF]: 'CDK for Terraform',
};

/** Preference when both are installed: a cdktn project often still has cdktf, pulled in by a `@cdktf/provider-*` peer. */
export const FRAMEWORK_PREFERENCE: readonly CdkFramework[] = [CdkFramework.CDKTN, CdkFramework.CDKTF];

export const INSTALL_HINT =
  'install one of them: `npm install cdktn@0.24 constructs@10.7 && npm install --save-dev cdktn-cli@0.24` (CDK Terrain; its CLI needs Node >= 22.19) ' +
  'or `npm install cdktf@0.21 constructs@10.7 && npm install --save-dev cdktf-cli@0.21` (CDK for Terraform)';

/**
 * The framework to use: the one named by SEGMENT_ACCESS_CDK_FRAMEWORK, else the only one installed,
 * else cdktn when both are. Throws a clear error when the named one is missing or none is installed.
 */
export function chooseFramework(installed: ReadonlySet<CdkFramework>, override: string | undefined): CdkFramework {
  const names = FRAMEWORK_PREFERENCE.join(' or ');
  if (override !== undefined && override.trim() !== '') {
    const wanted = override.trim() as CdkFramework;
    if (!FRAMEWORK_PREFERENCE.includes(wanted)) {
      throw new Error(`${FRAMEWORK_ENV}: received ${JSON.stringify(override)}; allowed: ${names}. Fix: set it to the package your app imports App from, or unset it.`);
    }
    if (!installed.has(wanted)) {
      throw new Error(`${FRAMEWORK_ENV}=${wanted}, but the package "${wanted}" is not installed. Fix: ${INSTALL_HINT}; or unset ${FRAMEWORK_ENV}.`);
    }
    return wanted;
  }
  const found = FRAMEWORK_PREFERENCE.find((f) => installed.has(f));
  if (found === undefined) throw new Error(`segment-access needs a CDK framework, and neither ${names} is installed. Fix: ${INSTALL_HINT}.`);
  return found;
}

/** The framework packages resolvable from `dir` (as Node's require would find them). */
export function installedFrameworks(dir: string): ReadonlySet<CdkFramework> {
  const found = new Set<CdkFramework>();
  for (const name of FRAMEWORK_PREFERENCE) {
    try {
      require.resolve(`${name}/package.json`, { paths: [dir] });
      found.add(name);
    } catch {
      // not installed
    }
  }
  return found;
}

/** `node_modules/<name>` directories from `dir` up to the root, nearest first (how npm lays out packages and bins). */
export function nodeModulesUpwards(dir: string, name: string): string[] {
  const out: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, 'node_modules', name);
    if (existsSync(candidate)) out.push(candidate);
    if (dirname(at) === at) return out;
  }
}
