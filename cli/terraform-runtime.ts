import { spawnSync } from 'child_process';
import { existsSync } from 'fs';

/** Oldest Terraform with the built-in `terraform_data` resource. */
export const MINIMUM_TERRAFORM = '1.4.0';

/** The binary cdktf runs: `TERRAFORM_BINARY_NAME` (cdktf's own setting, e.g. `tofu`), else `terraform`. */
export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TERRAFORM_BINARY_NAME?.trim() || 'terraform';
}

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * The environment for terraform and cdktf child processes. `TF_CLI_CONFIG_FILE` naming a file that
 * does not exist makes terraform print a warning on every command (which cdktf reports as [ERROR]);
 * it configures nothing, so it is dropped and the caller is told, once. Everything else is kept.
 */
export function terraformEnvironment(env: NodeJS.ProcessEnv, notice: (line: string) => void = () => undefined): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, CHECKPOINT_DISABLE: '1' };
  const configFile = env.TF_CLI_CONFIG_FILE;
  if (configFile !== undefined && (configFile === '' || !existsSync(configFile))) {
    delete out.TF_CLI_CONFIG_FILE;
    notice(`TF_CLI_CONFIG_FILE is set to "${configFile}", which does not exist: running terraform without a CLI configuration file.`);
  }
  return out;
}

/** Checks that a usable Terraform (or OpenTofu) is installed; returns its version. */
export function requireTerraform(env: NodeJS.ProcessEnv = process.env): { readonly binary: string; readonly version: string } {
  const binary = terraformBinary(env);
  const result = spawnSync(binary, ['version', '-json'], { encoding: 'utf8', env: terraformEnvironment(env) });
  const howTo =
    `Install Terraform >= ${MINIMUM_TERRAFORM} (https://developer.hashicorp.com/terraform/install; tested with 1.11.4) and put it on PATH, ` +
    'or install OpenTofu >= 1.6 and set TERRAFORM_BINARY_NAME=tofu so cdktf runs it.';
  if (result.error || result.status !== 0) {
    const why = result.error ? (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'was not found on PATH' : `could not run (${result.error.message})` : `exited ${result.status}`;
    throw new Error(`"${binary}" ${why}. ${howTo}`);
  }
  let version: string;
  try {
    version = String((JSON.parse(result.stdout) as { terraform_version?: unknown }).terraform_version);
  } catch {
    throw new Error(`"${binary} version -json" printed no version. ${howTo}`);
  }
  if (!/^\d+\.\d+\.\d+/.test(version) || !atLeast(version, MINIMUM_TERRAFORM)) {
    throw new Error(`"${binary}" is version ${version}; segment-access needs >= ${MINIMUM_TERRAFORM} (for terraform_data). ${howTo}`);
  }
  return { binary, version };
}
