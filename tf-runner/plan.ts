/**
 * Planning, pure: configuration + prior state → the actions Terraform (v1.5+)
 * would plan for null_resource. null_resource has no in-place update: every
 * argument change is a replacement, and `triggers` is its only argument.
 */
import { findResource, NullResourceConfig, StackConfig, transitiveDependencies } from './config';
import { TfPlanError } from './errors';
import { currentObject, StateObject, TfState } from './state';

export type PlanMode = 'apply' | 'destroy';

export type PlannedActionKind = 'create' | 'replace' | 'delete' | 'destroy' | 'no-op';

/** Terraform's `action_reason` names where it has one; descriptive names otherwise. */
export type ActionReason =
  | 'new_resource'
  | 'unchanged'
  | 'replace_because_tainted'
  | 'replace_because_cannot_update'
  | 'delete_because_no_resource_config'
  | 'delete_deposed_object'
  | 'destroy_requested';

export interface TriggerChange {
  key: string;
  before: string | null;
  after: string | null;
}

export interface PlannedAction {
  address: string;
  action: PlannedActionKind;
  reason: ActionReason;
  /** Keys whose value differs between the prior object and the configuration. */
  triggerChanges: TriggerChange[];
  /** The object replaced, deleted or destroyed (null for create). */
  prior: StateObject | null;
  /** Triggers of the object to create (create and replace only). */
  plannedTriggers: Record<string, string> | null;
  /** Effective create_before_destroy (own setting, or forced by a dependent that has it). */
  createBeforeDestroy: boolean;
  /** Whether removing `prior` runs the block's destroy-time provisioners. */
  runsDestroyProvisioners: boolean;
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

export interface Plan {
  mode: PlanMode;
  /** Sorted by address; a resource's deposed objects follow its current one. */
  actions: PlannedAction[];
  summary: PlanSummary;
}

export function planStack(config: StackConfig, state: TfState, mode: PlanMode): Plan {
  const actions: PlannedAction[] = [];
  for (const resource of config.resources) {
    const prior = refreshDependencies(config, resource, copyObject(currentObject(state, resource.address)));
    if (mode === 'apply') actions.push(planApply(config, resource, prior));
    else if (prior) actions.push(planDestroy(config, resource, prior));
  }
  for (const object of state.resources) {
    if (object.deposed !== undefined) actions.push(deleteAction(copyObject(object), 'delete_deposed_object'));
    else if (!findResource(config, object.address)) actions.push(deleteAction(copyObject(object), 'delete_because_no_resource_config'));
  }
  for (const action of actions) checkPreventDestroy(config, action);
  actions.sort(compareActions);
  return { mode, actions, summary: summarize(actions) };
}

export function hasChanges(plan: Plan): boolean {
  return plan.actions.some((action) => action.action !== 'no-op');
}

export function triggersEqual(a: Record<string, string> | null, b: Record<string, string> | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && a[key] === b[key]);
}

export function diffTriggers(before: Record<string, string> | null, after: Record<string, string> | null): TriggerChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  return keys
    .map((key) => ({ key, before: before?.[key] ?? null, after: after?.[key] ?? null }))
    .filter((change) => change.before !== change.after);
}

/**
 * Terraform forces create_before_destroy onto every resource that a
 * create_before_destroy resource depends on (ForcedCBDTransformer), because a
 * CBD node depending on a non-CBD one would make the apply graph cyclic.
 */
export function effectiveCreateBeforeDestroy(config: StackConfig, address: string): boolean {
  return config.resources.some(
    (resource) =>
      resource.createBeforeDestroy && (resource.address === address || transitiveDependencies(config, resource.address).includes(address)),
  );
}

function planApply(config: StackConfig, resource: NullResourceConfig, prior: StateObject | undefined): PlannedAction {
  const triggerChanges = diffTriggers(prior?.triggers ?? null, resource.triggers);
  const base = { address: resource.address, triggerChanges, plannedTriggers: resource.triggers, runsDestroyProvisioners: false };
  const createBeforeDestroy = effectiveCreateBeforeDestroy(config, resource.address);
  if (!prior) return { ...base, action: 'create', reason: 'new_resource', prior: null, createBeforeDestroy };
  if (!prior.tainted && triggersEqual(prior.triggers, resource.triggers)) {
    return { ...base, action: 'no-op', reason: 'unchanged', prior, plannedTriggers: null, createBeforeDestroy };
  }
  return {
    ...base,
    action: 'replace',
    // Terraform reports taint first: a tainted object is replaced whatever its arguments.
    reason: prior.tainted ? 'replace_because_tainted' : 'replace_because_cannot_update',
    prior,
    createBeforeDestroy,
    runsDestroyProvisioners: destroyProvisionersRun(resource, prior, createBeforeDestroy),
  };
}

function planDestroy(config: StackConfig, resource: NullResourceConfig, prior: StateObject): PlannedAction {
  return {
    address: resource.address,
    action: 'destroy',
    reason: 'destroy_requested',
    triggerChanges: diffTriggers(prior.triggers, null),
    prior,
    plannedTriggers: null,
    createBeforeDestroy: effectiveCreateBeforeDestroy(config, resource.address),
    runsDestroyProvisioners: destroyProvisionersRun(resource, prior, false),
  };
}

/** Removed block or deposed object: no configuration is left to take provisioners from. */
function deleteAction(object: StateObject, reason: ActionReason): PlannedAction {
  return {
    address: object.address,
    action: 'delete',
    reason,
    triggerChanges: diffTriggers(object.triggers, null),
    prior: object,
    plannedTriggers: null,
    createBeforeDestroy: object.deposed !== undefined || object.createBeforeDestroy === true,
    runsDestroyProvisioners: false,
  };
}

/**
 * Terraform skips destroy-time provisioners for tainted objects
 * (NodeDestroyResourceInstance: "Run destroy provisioners if not tainted") and
 * for objects deposed by create_before_destroy (NodeDestroyDeposedResourceInstanceObject
 * runs none); both are documented limitations of provisioners.
 */
function destroyProvisionersRun(resource: NullResourceConfig, prior: StateObject, createBeforeDestroy: boolean): boolean {
  return !prior.tainted && !createBeforeDestroy && resource.provisioners.some((p) => p.when === 'destroy');
}

function checkPreventDestroy(config: StackConfig, action: PlannedAction): void {
  if (action.action !== 'replace' && action.action !== 'destroy') return;
  if (!findResource(config, action.address)?.preventDestroy) return;
  throw new TfPlanError(
    `Instance cannot be destroyed: resource ${action.address} has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed`,
  );
}

function summarize(actions: PlannedAction[]): PlanSummary {
  const summary = { add: 0, change: 0, destroy: 0 };
  for (const { action } of actions) {
    if (action === 'create' || action === 'replace') summary.add += 1;
    if (action === 'replace' || action === 'delete' || action === 'destroy') summary.destroy += 1;
  }
  return summary;
}

/**
 * Ordering uses the dependencies stored in state ("managed resources prefer the
 * stored dependencies", NodeAbstractResourceInstance.StateDependencies), except
 * that an object the plan leaves unchanged gets the configuration's current
 * dependencies, which Terraform writes during planning.
 */
function refreshDependencies(config: StackConfig, resource: NullResourceConfig, prior: StateObject | undefined): StateObject | undefined {
  if (prior && !prior.tainted && triggersEqual(prior.triggers, resource.triggers)) {
    prior.dependencies = transitiveDependencies(config, resource.address);
  }
  return prior;
}

/** The plan keeps its own copies: applying mutates the live state objects. */
function copyObject<T extends StateObject | undefined>(object: T): T {
  return object === undefined ? object : (JSON.parse(JSON.stringify(object)) as T);
}

function compareActions(a: PlannedAction, b: PlannedAction): number {
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  return (a.prior?.deposed ?? '').localeCompare(b.prior?.deposed ?? '');
}
