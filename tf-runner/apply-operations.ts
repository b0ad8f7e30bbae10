/**
 * The two single-object operations of an apply. State is persisted after each
 * step that changes it, so an interrupted run leaves an accurate state:
 *  - create: the new object is recorded TAINTED before its create-time
 *    provisioners run and untainted after they all succeed. A failing
 *    provisioner (on_failure = fail) leaves it tainted, as Terraform does, and
 *    the next plan replaces it.
 *  - destroy: destroy-time provisioners run first; if one fails (on_failure =
 *    fail) the object stays in state untainted and the next apply retries.
 */
import { NullResourceConfig, transitiveDependencies, StackConfig, findResource } from './config';
import { LocalExecProvisioner } from './config-provisioners';
import { PlannedOperation } from './graph';
import { newDeposedKey, newNullResourceId } from './ids';
import { AppliedOperation } from './apply-result';
import { ProvisionerRun, runProvisioner } from './provisioner';
import { persistState, StateObject, TfState } from './state';

export interface OperationContext {
  config: StackConfig;
  state: TfState;
  statePath: string;
  stackDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  provisionerRuns: ProvisionerRun[];
}

export async function runCreate(op: PlannedOperation, ctx: OperationContext): Promise<AppliedOperation> {
  const resource = findResource(ctx.config, op.address) as NullResourceConfig;
  const started = Date.now();
  ctx.log(`${op.address}: Creating...`);
  if (op.deposes) {
    // create_before_destroy: the old object becomes deposed and is destroyed after its replacement exists.
    const old = ctx.state.resources.find((object) => object.address === op.address && object.id === op.deposes?.id);
    if (old) old.deposed = newDeposedKey();
  }
  const createProvisioners = resource.provisioners.filter((p) => p.when === 'create');
  const object: StateObject = {
    address: op.address,
    id: newNullResourceId(),
    triggers: resource.triggers ? { ...resource.triggers } : null,
    tainted: createProvisioners.length > 0,
    dependencies: transitiveDependencies(ctx.config, op.address),
    ...(op.createBeforeDestroy ? { createBeforeDestroy: true } : {}),
  };
  ctx.state.resources.push(object);
  persistState(ctx.statePath, ctx.state);
  const done = { address: op.address, operation: 'create' as const, action: op.action.action, id: object.id };
  const failure = await runProvisioners(createProvisioners, object, op.address, ctx);
  if (failure) return { ...done, status: 'failed', error: failure };
  if (object.tainted) {
    object.tainted = false;
    persistState(ctx.statePath, ctx.state);
  }
  ctx.log(`${op.address}: Creation complete after ${elapsed(started)} [id=${object.id}]`);
  return { ...done, status: 'succeeded' };
}

export async function runDestroy(op: PlannedOperation, ctx: OperationContext): Promise<AppliedOperation> {
  const target = op.target as StateObject;
  const object = ctx.state.resources.find((candidate) => candidate.address === op.address && candidate.id === target.id);
  if (!object) throw new Error(`internal error: ${op.address} object ${target.id} vanished from state during apply`);
  const label = object.deposed ? `${op.address} (deposed object ${object.deposed})` : op.address;
  const done = {
    address: op.address,
    operation: 'destroy' as const,
    action: op.action.action,
    id: object.id,
    ...(object.deposed ? { deposedKey: object.deposed } : {}),
  };
  const started = Date.now();
  ctx.log(`${label}: Destroying... [id=${object.id}]`);
  if (op.runsDestroyProvisioners) {
    const resource = findResource(ctx.config, op.address) as NullResourceConfig;
    const failure = await runProvisioners(resource.provisioners.filter((p) => p.when === 'destroy'), object, op.address, ctx);
    if (failure) return { ...done, status: 'failed', error: failure };
  }
  ctx.state.resources = ctx.state.resources.filter((candidate) => candidate !== object);
  persistState(ctx.statePath, ctx.state);
  ctx.log(`${label}: Destruction complete after ${elapsed(started)}`);
  return { ...done, status: 'succeeded' };
}

/** Runs provisioners in declaration order; returns the error that stops the operation, if any. */
async function runProvisioners(provisioners: LocalExecProvisioner[], self: StateObject, address: string, ctx: OperationContext): Promise<string | undefined> {
  for (const provisioner of provisioners) {
    const run = await runProvisioner(provisioner, self, { address, stackDir: ctx.stackDir, env: ctx.env, log: ctx.log });
    ctx.provisionerRuns.push(run);
    if (run.succeeded) continue;
    const error = `${address}: ${run.error}`;
    if (provisioner.onFailure === 'continue') {
      // on_failure = continue: "Ignore the error and continue with creation or destruction."
      ctx.log(`${address}: provisioner error ignored (on_failure = continue): ${run.error}`);
      continue;
    }
    return error;
  }
  return undefined;
}

function elapsed(started: number): string {
  return `${Math.round((Date.now() - started) / 1000)}s`;
}
