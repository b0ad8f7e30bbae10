import { validationError } from './errors';
import { Label, RESOURCE_TYPES, ResourceGrant, ResourceType, StoredPermission } from './model';
import { findRoleById, RoleDefinition } from './roles';

/** A permission as clients send it (PermissionInputV1): role by id, resources with optional labels. */
export interface PermissionInput {
  roleId: string;
  resources: Array<{ id: string; type: string; labels?: Label[] }>;
}

/** What a workspace contains that a permission may point at. */
export interface ResourceDirectory {
  workspaceId: string;
  has(type: Exclude<ResourceType, 'WORKSPACE'>, id: string): boolean;
  hasSourceLabel(label: Label): boolean;
}

interface DirectorySource {
  id: string;
  labels?: Record<string, string>;
}

interface DirectoryInput {
  id: string;
  sources?: DirectorySource[];
  warehouses?: Array<{ id: string }>;
  functions?: Array<{ id: string }>;
  spaces?: Array<{ id: string }>;
}

/** Works for both a seed workspace and a stored one, so seeds are checked by the same rules as API calls. */
export function directoryOf(workspace: DirectoryInput): ResourceDirectory {
  const idsByType: Record<Exclude<ResourceType, 'WORKSPACE'>, Set<string>> = {
    SOURCE: new Set((workspace.sources ?? []).map((item) => item.id)),
    WAREHOUSE: new Set((workspace.warehouses ?? []).map((item) => item.id)),
    FUNCTION: new Set((workspace.functions ?? []).map((item) => item.id)),
    SPACE: new Set((workspace.spaces ?? []).map((item) => item.id)),
  };
  const sourceLabels = new Set(
    (workspace.sources ?? []).flatMap((source) => Object.entries(source.labels ?? {}).map(([k, v]) => labelKey({ key: k, value: v }))),
  );
  return {
    workspaceId: workspace.id,
    has: (type, id) => idsByType[type].has(id),
    hasSourceLabel: (label) => sourceLabels.has(labelKey(label)),
  };
}

/**
 * Checks permissions the way Segment does (role exists, role may be granted on the
 * resource type, resource and labels exist in the workspace) and returns them
 * normalised: one entry per role, resources and labels de-duplicated.
 * `field` is the body path of the list, used in error messages (e.g. "permissions").
 */
export function validatePermissions(
  inputs: PermissionInput[],
  directory: ResourceDirectory,
  field: string,
): StoredPermission[] {
  const validated = inputs.map((input, index) => validatePermission(input, directory, `${field}[${index}]`));
  return mergePermissions([], validated);
}

function validatePermission(input: PermissionInput, directory: ResourceDirectory, field: string): StoredPermission {
  const role = findRoleById(input.roleId);
  if (!role) {
    throw validationError(`Unknown role id "${input.roleId}": list the available roles with GET /roles.`, `${field}.roleId`);
  }
  if (input.resources.length === 0) {
    throw validationError(`Role "${role.name}" must be granted on at least one resource.`, `${field}.resources`);
  }
  const resources = input.resources.map((resource, index) =>
    validateResource(resource, role, directory, `${field}.resources[${index}]`),
  );
  return { roleId: role.id, resources };
}

function validateResource(
  resource: PermissionInput['resources'][number],
  role: RoleDefinition,
  directory: ResourceDirectory,
  field: string,
): ResourceGrant {
  if (!isResourceType(resource.type)) {
    throw validationError(
      `Unknown resource type "${resource.type}": expected one of ${RESOURCE_TYPES.join(', ')}.`,
      `${field}.type`,
    );
  }
  const type = resource.type;
  if (!role.grantableOn.includes(type)) {
    throw validationError(
      `Role "${role.name}" cannot be granted on a ${type} resource; it can be granted on ${role.grantableOn.join(' or ')}.`,
      `${field}.type`,
    );
  }
  if (type === 'WORKSPACE') {
    if (resource.id !== directory.workspaceId) {
      throw validationError(
        `WORKSPACE resource id "${resource.id}" is not this workspace ("${directory.workspaceId}").`,
        `${field}.id`,
      );
    }
  } else if (!directory.has(type, resource.id)) {
    throw validationError(`No ${type} with id "${resource.id}" exists in workspace "${directory.workspaceId}".`, `${field}.id`);
  }
  const labels = resource.labels ?? [];
  labels.forEach((label, index) => {
    if (!directory.hasSourceLabel(label)) {
      throw validationError(
        `Label "${label.key}=${label.value}" does not exist on any source of workspace "${directory.workspaceId}".`,
        `${field}.labels[${index}]`,
      );
    }
  });
  return { id: resource.id, type, labels: uniqueLabels(labels) };
}

/** Adds `added` to `base`: same role merges resources, same resource merges labels. Inputs are not modified. */
export function mergePermissions(base: StoredPermission[], added: StoredPermission[]): StoredPermission[] {
  const merged: StoredPermission[] = structuredClone(base);
  for (const permission of added) {
    const existing = merged.find((candidate) => candidate.roleId === permission.roleId);
    if (!existing) {
      merged.push({ roleId: permission.roleId, resources: [] });
    }
    const target = existing ?? merged[merged.length - 1];
    for (const resource of permission.resources) {
      const sameResource = target.resources.find((r) => r.type === resource.type && r.id === resource.id);
      if (sameResource) {
        sameResource.labels = uniqueLabels([...sameResource.labels, ...resource.labels]);
      } else {
        target.resources.push({ id: resource.id, type: resource.type, labels: uniqueLabels(resource.labels) });
      }
    }
  }
  return merged;
}

export function holdsRole(permissions: StoredPermission[], roleId: string): boolean {
  return permissions.some((permission) => permission.roleId === roleId);
}

function isResourceType(type: string): type is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(type);
}

function labelKey(label: Label): string {
  return `${label.key}\u0000${label.value}`;
}

function uniqueLabels(labels: Label[]): Label[] {
  const seen = new Map<string, Label>();
  for (const label of labels) seen.set(labelKey(label), { key: label.key, value: label.value });
  return [...seen.values()];
}
