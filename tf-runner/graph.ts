/**
 * Turns a plan into the sequence of single-object operations Terraform's apply
 * graph allows, run one at a time. The edges are Terraform's
 * (DestroyEdgeTransformer + CBDEdgeTransformer):
 *  - a create waits for the creates of the resources it depends on;
 *  - a destroy waits for the destroys of the resources that depend on it
 *    (dependents go first: "B_d -> A_d -> A -> B");
 *  - a resource's create waits for the destroy of its old object and of the
 *    objects it depended on, and creates of its dependencies wait for its destroy,
 *    except that for create_before_destroy destroyers every such
 *    creator→destroyer edge is reversed: the old object goes last;
 *  - destroy-side edges use the dependencies recorded with each object (the
 *    plan refreshes them for unchanged objects), as Terraform does.
 * Ties are broken by plan order, so the sequence is deterministic.
 */
import { StackConfig, transitiveDependencies } from './config';
import { TfPlanError } from './errors';
import { Plan, PlannedAction } from './plan';
import { StateObject } from './state';

export interface PlannedOperation {
  key: string;
  kind: 'create' | 'destroy';
  address: string;
  action: PlannedAction;
  /** destroy: the object it removes (current or deposed). */
  target: StateObject | null;
  /** create of a create_before_destroy replacement: the object deposed first. */
  deposes: StateObject | null;
  runsDestroyProvisioners: boolean;
  createBeforeDestroy: boolean;
  /** Keys of operations that must have succeeded first. */
  after: Set<string>;
}

export function orderOperations(plan: Plan, config: StackConfig): PlannedOperation[] {
  const operations = plan.actions.flatMap(operationsFor);
  const creators = new Map(operations.filter((op) => op.kind === 'create').map((op) => [op.address, op]));
  const destroyers = groupBy(operations.filter((op) => op.kind === 'destroy'), (op) => op.address);

  for (const create of creators.values()) {
    for (const dependency of transitiveDependencies(config, create.address)) {
      const dependencyCreate = creators.get(dependency);
      if (dependencyCreate) create.after.add(dependencyCreate.key);
    }
    for (const destroy of destroyers.get(create.address) ?? []) orderCreatorAndDestroyer(create, destroy);
    const prior = create.action.prior;
    for (const dependency of prior?.dependencies ?? []) {
      for (const destroy of destroyers.get(dependency) ?? []) orderCreatorAndDestroyer(create, destroy);
    }
  }
  for (const destroy of operations.filter((op) => op.kind === 'destroy')) {
    for (const dependency of (destroy.target as StateObject).dependencies) {
      for (const other of destroyers.get(dependency) ?? []) if (other !== destroy) other.after.add(destroy.key);
      const dependencyCreate = creators.get(dependency);
      if (dependencyCreate) orderCreatorAndDestroyer(dependencyCreate, destroy);
    }
  }
  return topologicalOrder(operations);
}

function operationsFor(action: PlannedAction): PlannedOperation[] {
  const make = (kind: 'create' | 'destroy'): PlannedOperation => ({
    key: kind === 'create' ? `create ${action.address}` : `destroy ${action.address} ${action.prior?.id}`,
    kind,
    address: action.address,
    action,
    target: kind === 'destroy' ? action.prior : null,
    deposes: kind === 'create' && action.action === 'replace' && action.createBeforeDestroy ? action.prior : null,
    runsDestroyProvisioners: kind === 'destroy' && action.runsDestroyProvisioners,
    createBeforeDestroy: action.createBeforeDestroy,
    after: new Set(),
  });
  switch (action.action) {
    case 'create':
      return [make('create')];
    case 'replace':
      return action.createBeforeDestroy ? [make('create'), make('destroy')] : [make('destroy'), make('create')];
    case 'delete':
    case 'destroy':
      return [make('destroy')];
    case 'no-op':
      return [];
  }
}

/** Creator after destroyer, reversed when the destroyer is create_before_destroy. */
function orderCreatorAndDestroyer(create: PlannedOperation, destroy: PlannedOperation): void {
  if (destroy.createBeforeDestroy) destroy.after.add(create.key);
  else create.after.add(destroy.key);
}

function topologicalOrder(operations: PlannedOperation[]): PlannedOperation[] {
  const done = new Set<string>();
  const ordered: PlannedOperation[] = [];
  const pending = [...operations];
  while (pending.length > 0) {
    const next = pending.findIndex((op) => [...op.after].every((key) => done.has(key)));
    if (next === -1) throw new TfPlanError(`Cycle: ${pending.map((op) => op.key).join(', ')}`);
    const [op] = pending.splice(next, 1);
    done.add(op.key);
    ordered.push(op);
  }
  return ordered;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
