import { validationError } from './errors';
import { Label, LabelRecord, PlanTier, RESOURCE_TYPES, ResourceGrant, ResourceType, StoredPermission } from './model';
import { RoleDefinition, rolesForTier } from './roles';

/** A permission as clients send it (PermissionInputV1): role by id, resources with optional labels. */
export interface PermissionInput {
  roleId: string;
  resources: Array<{ id: string; type: string; labels?: Label[] }>;
}

/** What a workspace contains that a permission may point at. */
export interface ResourceDirectory {
  workspaceId: string;
  planTier: PlanTier;
  has(type: Exclude<ResourceType, 'WORKSPACE'>, id: string): boolean;
  /** Whether the label exists in the workspace's label list (`GET /labels`). */
  hasLabel(label: Label): boolean;
  roles: readonly RoleDefinition[];
}

interface DirectoryInput {
  id: string;
  planTier?: PlanTier;
  labels?: readonly Label[];
  sources?: ReadonlyArray<{ id: string; labels?: Record<string, string> }>;
  warehouses?: ReadonlyArray<{ id: string }>;
  functions?: ReadonlyArray<{ id: string }>;
  spaces?: ReadonlyArray<{ id: string; labels?: Record<string, string> }>;
}

/**
 * The label list of a seed that declares none: every label its sources and spaces carry, so
 * older seeds keep working. A seed with `labels` must list every label it assigns.
 */
export function labelCatalogOf(workspace: DirectoryInput): LabelRecord[] {
  if (workspace.labels) return workspace.labels.map((label) => ({ ...label }));
  const seen = new Map<string, LabelRecord>();
  for (const resource of [...(workspace.sources ?? []), ...(workspace.spaces ?? [])]) {
    for (const [key, value] of Object.entries(resource.labels ?? {})) seen.set(labelKey({ key, value }), { key, value });
  }
  return [...seen.values()];
}

/** Works for both a seed workspace and a stored one, so seeds are checked by the same rules as API calls. */
export function directoryOf(workspace: DirectoryInput): ResourceDirectory {
  const idsByType: Record<Exclude<ResourceType, 'WORKSPACE'>, Set<string>> = {
    SOURCE: new Set((workspace.sources ?? []).map((item) => item.id)),
    WAREHOUSE: new Set((workspace.warehouses ?? []).map((item) => item.id)),
    FUNCTION: new Set((workspace.functions ?? []).map((item) => item.id)),
    SPACE: new Set((workspace.spaces ?? []).map((item) => item.id)),
  };
  const labels = new Set(labelCatalogOf(workspace).map(labelKey));
  const planTier = workspace.planTier ?? 'business';
  return {
    workspaceId: workspace.id,
    planTier,
    has: (type, id) => idsByType[type].has(id),
    hasLabel: (label) => labels.has(labelKey(label)),
    roles: rolesForTier(planTier),
  };
}

/**
 * Checks permissions the way Segment does and returns them normalised (one entry per role,
 * resources and labels de-duplicated):
 * - the role is offered on the workspace's plan (segment-docs iam/membership.md);
 * - it is granted on a resource type it takes (segment-docs iam/roles.md: "all" roles are workspace-wide);
 * - labels only narrow a workspace-wide grant of a label-scoped role, exist in `GET /labels`, and are
 *   a Business-plan feature (segment-docs iam/labels.md and roles.md "Sources with a specific Label (BT only)").
 * `field` is the body path of the list, used in error messages (e.g. "permissions").
 */
export function validatePermissions(inputs: PermissionInput[], directory: ResourceDirectory, field: string): StoredPermission[] {
  const validated = inputs.map((input, index) => validatePermission(input, directory, `${field}[${index}]`));
  return mergePermissions([], validated);
}

function validatePermission(input: PermissionInput, directory: ResourceDirectory, field: string): StoredPermission {
  const role = directory.roles.find((candidate) => candidate.id === input.roleId);
  if (!role) {
    throw validationError(
      `Unknown role id "${input.roleId}" for this ${directory.planTier}-plan workspace: list the available roles with GET /roles.`,
      `${field}.roleId`,
    );
  }
  if (input.resources.length === 0) {
    throw validationError(`Role "${role.name}" must be granted on at least one resource.`, `${field}.resources`);
  }
  const resources = input.resources.map((resource, index) => validateResource(resource, role, directory, `${field}.resources[${index}]`));
  return { roleId: role.id, resources };
}

function validateResource(
  resource: PermissionInput['resources'][number],
  role: RoleDefinition,
  directory: ResourceDirectory,
  field: string,
): ResourceGrant {
  if (!isResourceType(resource.type)) {
    throw validationError(`Unknown resource type "${resource.type}": expected one of ${RESOURCE_TYPES.join(', ')}.`, `${field}.type`);
  }
  const type = resource.type;
  if (!role.grantableOn.includes(type)) {
    const scope = role.grantableOn.length === 1 ? 'only on the whole workspace (type WORKSPACE)' : `on ${role.grantableOn.join(' or ')}`;
    throw validationError(`Role "${role.name}" cannot be granted on a ${type} resource; it can be granted ${scope}.`, `${field}.type`);
  }
  if (type === 'WORKSPACE') {
    if (resource.id !== directory.workspaceId) {
      throw validationError(`WORKSPACE resource id "${resource.id}" is not this workspace ("${directory.workspaceId}").`, `${field}.id`);
    }
  } else if (!directory.has(type, resource.id)) {
    throw validationError(`No ${type} with id "${resource.id}" exists in workspace "${directory.workspaceId}".`, `${field}.id`);
  }
  const labels = resource.labels ?? [];
  if (labels.length > 0) checkLabels(labels, role, type, directory, `${field}.labels`);
  return { id: resource.id, type, labels: uniqueLabels(labels) };
}

function checkLabels(labels: Label[], role: RoleDefinition, type: ResourceType, directory: ResourceDirectory, field: string): void {
  if (directory.planTier !== 'business') {
    throw validationError(`Label-based access is a Business-plan feature; this workspace is on the ${directory.planTier} plan.`, field);
  }
  if (!role.labelScoped) {
    throw validationError(
      `Role "${role.name}" cannot be narrowed by labels; only Source Admin, Source Read-only and the Unify/Engage roles can.`,
      field,
    );
  }
  if (type !== 'WORKSPACE') {
    throw validationError(`Labels narrow a workspace-wide grant: put them on the WORKSPACE resource, not on a ${type}.`, field);
  }
  labels.forEach((label, index) => {
    if (!directory.hasLabel(label)) {
      throw validationError(
        `Label "${label.key}:${label.value}" does not exist in workspace "${directory.workspaceId}": create it with POST /labels first.`,
        `${field}[${index}]`,
      );
    }
  });
}

/** Adds `added` to `base`: same role merges resources, same resource and labels merge. Inputs are not modified. */
export function mergePermissions(base: StoredPermission[], added: StoredPermission[]): StoredPermission[] {
  const merged: StoredPermission[] = structuredClone(base);
  for (const permission of added) {
    let target = merged.find((candidate) => candidate.roleId === permission.roleId);
    if (!target) {
      target = { roleId: permission.roleId, resources: [] };
      merged.push(target);
    }
    for (const resource of permission.resources) {
      const key = resourceKey(resource);
      if (!target.resources.some((existing) => resourceKey(existing) === key)) {
        target.resources.push({ id: resource.id, type: resource.type, labels: uniqueLabels(resource.labels) });
      }
    }
  }
  return merged;
}

export function holdsRole(permissions: StoredPermission[], roleId: string): boolean {
  return permissions.some((permission) => permission.roleId === roleId);
}

/** Whether any permission narrows by this label (a label in use cannot be deleted: segment-docs iam/labels.md). */
export function usesLabel(permissions: StoredPermission[], label: Label): boolean {
  return permissions.some((p) => p.resources.some((r) => r.labels.some((l) => l.key === label.key && l.value === label.value)));
}

function isResourceType(type: string): type is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(type);
}

export function labelKey(label: Label): string {
  return `${label.key}\u0000${label.value}`;
}

/** A resource with a different label set is a different grant (labels are AND-ed: segment-docs iam/labels.md). */
function resourceKey(resource: ResourceGrant): string {
  return `${resource.type}\u0000${resource.id}\u0000${uniqueLabels(resource.labels).map(labelKey).sort().join('\u0001')}`;
}

function uniqueLabels(labels: Label[]): Label[] {
  const seen = new Map<string, Label>();
  for (const label of labels) seen.set(labelKey(label), { key: label.key, value: label.value });
  return [...seen.values()];
}
