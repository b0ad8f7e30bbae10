import { spawn } from 'child_process';
import { terraformBinary, terraformEnvironment } from '../../cli/terraform-runtime';

/** One terraform command's outcome. */
export interface TerraformRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved as they arrived. */
  readonly output: string;
}

export interface PlannedChange {
  readonly address: string;
  /** Terraform's plan actions, e.g. ['create'], ['delete', 'create'] for a replacement, ['no-op']. */
  readonly actions: readonly string[];
}

export interface ProvisionerRun {
  readonly address: string;
  readonly when: 'create' | 'destroy';
}

/** What a `terraform plan -out` + `terraform apply <plan>` did. */
export interface DeployResult extends TerraformRun {
  readonly changes: readonly PlannedChange[];
  readonly provisionerRuns: readonly ProvisionerRun[];
  readonly summary: { readonly added: number; readonly changed: number; readonly destroyed: number } | null;
}

export class DeployError extends Error {
  constructor(
    message: string,
    readonly result: DeployResult,
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Called with the child's pid once it runs, e.g. to kill its process group mid-apply. */
  readonly onSpawn?: (pid: number) => void;
}

/** Runs terraform without blocking the event loop (the emulator answers from this process). */
export function terraform(args: string[], options: RunOptions): Promise<TerraformRun> {
  const env = terraformEnvironment({ ...options.env, TF_IN_AUTOMATION: '1' });
  return new Promise((done, fail) => {
    // Its own process group, so a test can kill terraform together with the executor it runs.
    const child = spawn(terraformBinary(env), [...args], { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', fail);
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    child.on('close', (code, signal) => done({ code, signal, output }));
  });
}

/** Addresses whose provisioner ran, in order, and whether it ran at create or destroy. */
export function provisionerRuns(output: string): ProvisionerRun[] {
  const destroying = new Set<string>();
  const runs: ProvisionerRun[] = [];
  for (const line of output.split('\n')) {
    const destroy = /^(\S+): Destroying\.\.\./.exec(line);
    if (destroy) destroying.add(destroy[1]);
    const create = /^(\S+): Creating\.\.\./.exec(line);
    if (create) destroying.delete(create[1]);
    const provisioning = /^(\S+): Provisioning with 'local-exec'/.exec(line);
    if (provisioning) runs.push({ address: provisioning[1], when: destroying.has(provisioning[1]) ? 'destroy' : 'create' });
  }
  return runs;
}

function summaryOf(output: string): DeployResult['summary'] {
  const m = /Resources: (\d+) added, (\d+) changed, (\d+) destroyed/.exec(output) ?? /Destroy complete! Resources: (\d+) destroyed/.exec(output);
  if (!m) return null;
  return m.length === 4 ? { added: Number(m[1]), changed: Number(m[2]), destroyed: Number(m[3]) } : { added: 0, changed: 0, destroyed: Number(m[1]) };
}

/**
 * `cdktf deploy` (or `destroy`) of one synthesized stack with the real binary: init, plan to a file,
 * read the plan as JSON, apply exactly that plan. Throws DeployError when any step fails.
 */
export async function deployStack(stackDir: string, env: NodeJS.ProcessEnv, mode: 'apply' | 'destroy' = 'apply', onSpawn?: (pid: number) => void): Promise<DeployResult> {
  const run = (args: string[]) => terraform(args, { cwd: stackDir, env, onSpawn });
  const fail = (step: string, r: TerraformRun, changes: PlannedChange[] = []): never => {
    throw new DeployError(`terraform ${step} failed (exit ${r.code ?? r.signal}):\n${r.output}`, { ...r, changes, provisionerRuns: provisionerRuns(r.output), summary: summaryOf(r.output) });
  };
  const init = await run(['init', '-input=false', '-no-color']);
  if (init.code !== 0) fail('init', init);
  const plan = await run(['plan', '-input=false', '-no-color', '-out=tfplan', ...(mode === 'destroy' ? ['-destroy'] : [])]);
  if (plan.code !== 0) fail('plan', plan);
  const shown = await run(['show', '-json', 'tfplan']);
  if (shown.code !== 0) fail('show', shown);
  const json = JSON.parse(shown.output.slice(shown.output.indexOf('{'))) as { resource_changes?: { address: string; change: { actions: string[] } }[] };
  const changes = (json.resource_changes ?? []).map((c) => ({ address: c.address, actions: c.change.actions }));
  const apply = await run(['apply', '-input=false', '-no-color', '-auto-approve', 'tfplan']);
  const result: DeployResult = { ...apply, output: `${plan.output}\n${apply.output}`, changes, provisionerRuns: provisionerRuns(apply.output), summary: summaryOf(apply.output) };
  if (apply.code !== 0) throw new DeployError(`terraform apply failed (exit ${apply.code ?? apply.signal}):\n${apply.output}`, result);
  return result;
}

/** Resources in the stack's state, with Terraform's taint flag. */
export async function stateResources(stackDir: string, env: NodeJS.ProcessEnv): Promise<{ address: string; tainted: boolean; values: Record<string, unknown> }[]> {
  const shown = await terraform(['show', '-json'], { cwd: stackDir, env });
  if (shown.code !== 0) throw new Error(`terraform show failed:\n${shown.output}`);
  const json = JSON.parse(shown.output.slice(shown.output.indexOf('{'))) as { values?: { root_module?: { resources?: { address: string; tainted?: boolean; values: Record<string, unknown> }[] } } };
  return (json.values?.root_module?.resources ?? []).map((r) => ({ address: r.address, tainted: r.tainted === true, values: r.values }));
}

/** deployStack, with its output (a failed run's too) appended to `logs`. */
export async function deployStackLogged(logs: string[], ...args: Parameters<typeof deployStack>): Promise<DeployResult> {
  try {
    const result = await deployStack(...args);
    logs.push(result.output);
    return result;
  } catch (error) {
    const result = (error as { result?: DeployResult }).result;
    logs.push(result ? result.output : String(error));
    throw error;
  }
}
