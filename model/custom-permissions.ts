import { ResourceType } from './enums';
import type { DesiredPermission, PermissionResource } from './desired-state';
import { normalizePermissions } from './canonical';

/** One explicit permission of a CUSTOM grant, its references already resolved to ids. */
export interface CustomPermissionSpec {
  /** Segment role name, as `GET /roles` lists it. */
  readonly roleName: string;
  /** Granted on the whole workspace. */
  readonly workspace: boolean;
  /** Granted on the workspace narrowed to resources carrying all these labels (none: no labelled grant). */
  readonly labels: Readonly<Record<string, string>>;
  readonly sourceIds: readonly string[];
  readonly warehouseIds: readonly string[];
  readonly functionIds: readonly string[];
  readonly spaceIds: readonly string[];
}

/** The Segment permissions explicit specs stand for, in the same normal form as a preset's. */
export function resolveCustomPermissions(specs: readonly CustomPermissionSpec[], workspaceId: string): DesiredPermission[] {
  return normalizePermissions(
    specs.map((spec): DesiredPermission => {
      const on = (type: ResourceType, ids: readonly string[]): PermissionResource[] => ids.map((id) => ({ type, id, labels: [] }));
      const labels = Object.entries(spec.labels).map(([key, value]) => ({ key, value }));
      return {
        roleName: spec.roleName,
        resources: [
          ...(spec.workspace ? [{ type: ResourceType.WORKSPACE, id: workspaceId, labels: [] }] : []),
          ...(labels.length ? [{ type: ResourceType.WORKSPACE, id: workspaceId, labels }] : []),
          ...on(ResourceType.SOURCE, spec.sourceIds),
          ...on(ResourceType.WAREHOUSE, spec.warehouseIds),
          ...on(ResourceType.FUNCTION, spec.functionIds),
          ...on(ResourceType.SPACE, spec.spaceIds),
        ],
      };
    }),
  );
}
