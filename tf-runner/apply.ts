/**
 * `terraform apply -auto-approve` / `terraform destroy -auto-approve` for a
 * cdktf stack of null_resources: lock the state, plan, then run the planned
 * operations one at a time in dependency order. Like Terraform's graph walk,
 * a failed operation skips everything that waits for it while independent
 * operations still run; the apply then fails with every error.
 */
import { AppliedOperation, ApplyResult } from './apply-result';
import { OperationContext, runCreate, runDestroy } from './apply-operations';
import { loadStackConfig } from './config';
import { ApplyError } from './errors';
import { orderOperations, PlannedOperation } from './graph';
import { hasChanges, Plan, PlanMode, planStack } from './plan';
import { lockState } from './state-lock';
import { persistState, readState, TfState } from './state';

export interface ApplyOptions {
  /** Directory holding `cdk.tf.json` (cdktf.out/stacks/<stack>); provisioners run here. */
  stackDir: string;
  statePath: string;
  /** Environment the provisioners inherit (Terraform passes its own). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** 'apply' (default) or 'destroy' (what `cdktf destroy` runs). */
  mode?: PlanMode;
  /** Receives Terraform-style progress and provisioner output, one line per call. */
  log?: (line: string) => void;
}

export async function applyStack(options: ApplyOptions): Promise<ApplyResult> {
  const mode = options.mode ?? 'apply';
  const log = options.log ?? (() => undefined);
  const config = loadStackConfig(options.stackDir);
  const lock = lockState(options.statePath, mode);
  try {
    const state = readState(options.statePath);
    const plan = planStack(config, state, mode);
    const operations = orderOperations(plan, config);
    refreshNoOpDependencies(plan, state, options.statePath);
    const ctx: OperationContext = {
      config,
      state,
      statePath: options.statePath,
      stackDir: options.stackDir,
      env: options.env ?? process.env,
      log,
      provisionerRuns: [],
    };
    if (!hasChanges(plan)) log(mode === 'apply' ? 'No changes. Your infrastructure matches the configuration.' : 'No changes. No objects need to be destroyed.');
    const result = buildResult(mode, plan, await runOperations(operations, ctx), ctx);
    reportOutcome(result, log);
    if (result.errors.length > 0) throw new ApplyError(result.errors.join('\n'), result);
    return result;
  } finally {
    lock.release();
  }
}

/** Sequentially; an operation waiting for one that failed or was skipped is skipped too. */
async function runOperations(operations: PlannedOperation[], ctx: OperationContext): Promise<AppliedOperation[]> {
  const applied: AppliedOperation[] = [];
  const unfinished = new Set<string>();
  for (const op of operations) {
    if ([...op.after].some((key) => unfinished.has(key))) {
      unfinished.add(op.key);
      applied.push({ address: op.address, operation: op.kind, action: op.action.action, id: op.target?.id ?? null, status: 'skipped' });
      continue;
    }
    const outcome = op.kind === 'create' ? await runCreate(op, ctx) : await runDestroy(op, ctx);
    if (outcome.status !== 'succeeded') unfinished.add(op.key);
    applied.push(outcome);
  }
  return applied;
}

/**
 * A no-op plan still records the dependencies the configuration now declares
 * (Terraform writes them during plan), so later destroys are ordered by them.
 */
function refreshNoOpDependencies(plan: Plan, state: TfState, statePath: string): void {
  let changed = false;
  for (const action of plan.actions) {
    if (action.action !== 'no-op' || !action.prior) continue;
    const dependencies = action.prior.dependencies;
    const object = state.resources.find((candidate) => candidate.address === action.address && candidate.id === action.prior?.id);
    if (object && dependencies.join('\n') !== object.dependencies.join('\n')) {
      object.dependencies = [...dependencies];
      changed = true;
    }
  }
  if (changed) persistState(statePath, state);
}

function buildResult(mode: PlanMode, plan: Plan, operations: AppliedOperation[], ctx: OperationContext): ApplyResult {
  const succeeded = (kind: 'create' | 'destroy'): number => operations.filter((op) => op.operation === kind && op.status === 'succeeded').length;
  return {
    mode,
    plan,
    operations,
    provisionerRuns: ctx.provisionerRuns,
    errors: operations.flatMap((op) => (op.error ? [op.error] : [])),
    summary: { added: succeeded('create'), changed: 0, destroyed: succeeded('destroy') },
    state: JSON.parse(JSON.stringify(ctx.state)) as TfState,
  };
}

function reportOutcome(result: ApplyResult, log: (line: string) => void): void {
  for (const error of result.errors) log(`Error: ${error}`);
  if (result.errors.length > 0) return;
  const { added, changed, destroyed } = result.summary;
  log(result.mode === 'destroy' ? `Destroy complete! Resources: ${destroyed} destroyed.` : `Apply complete! Resources: ${added} added, ${changed} changed, ${destroyed} destroyed.`);
}
