import { AccessLevel, WorkspaceRole } from './enums';
import { deepFreeze } from './deep-freeze';

/** Segment role names as the Public API's `GET /roles` lists them. Ids are looked up at apply time, never stored. */
export const SegmentRoleName = deepFreeze({
  WORKSPACE_OWNER: 'Workspace Owner',
  WORKSPACE_MEMBER: 'Workspace Member',
  MINIMAL_WORKSPACE_ACCESS: 'Minimal Workspace Access',
  SOURCE_ADMIN: 'Source Admin',
  SOURCE_READ_ONLY: 'Source Read-only',
  FUNCTION_ADMIN: 'Function Admin',
  FUNCTION_READ_ONLY: 'Function Read-only',
  TRACKING_PLAN_ADMIN: 'Tracking Plan Admin',
  TRACKING_PLAN_READ_ONLY: 'Tracking Plan Read-only',
  WAREHOUSE_DESTINATION_ADMIN: 'Warehouse Destination Admin',
  WAREHOUSE_DESTINATION_READ_ONLY: 'Warehouse Destination Read-only',
  UNIFY_AND_ENGAGE_ADMIN: 'Unify and Engage Admin',
  UNIFY_AND_ENGAGE_READ_ONLY: 'Unify and Engage Read-only',
  UNIFY_READ_ONLY_ENGAGE_USER: 'Unify Read-only, Engage User',
  IDENTITY_ADMIN: 'Identity Admin',
  END_USER_PRIVACY_ADMIN: 'End User Privacy Admin',
  ENTITIES_ADMIN: 'Entities Admin',
  ENTITIES_READ_ONLY: 'Entities Read-only',
} as const);

/**
 * How one preset becomes Segment permissions. Pure data so a workspace can override it.
 */
export interface RolePreset {
  /** Roles granted on the whole workspace. */
  readonly workspaceRoles: readonly string[];
  /** Extra workspace-wide roles granted only when no SourceAccess narrows the grant. @default [] */
  readonly unscopedRoles?: readonly string[];
  /** Role per level for the sources a SourceAccess names. A level absent here is not allowed for this preset. @default {} */
  readonly sourceRoles?: Readonly<Partial<Record<AccessLevel, string>>>;
  /**
   * Role per level when a SourceAccess names warehouses. Segment grants warehouse roles on *all*
   * warehouses only (segment-docs iam/roles.md), so the role is granted workspace-wide, and a
   * SourceAccess must name every warehouse of the workspace's catalog (synth rejects fewer). @default {}
   */
  readonly warehouseRoles?: Readonly<Partial<Record<AccessLevel, string>>>;
  /** Plain-words summary used in hand-off notes and reports. */
  readonly description: string;
}

const R = SegmentRoleName;

/** design.md section 4, as data. */
export const DEFAULT_ROLE_PRESETS: Readonly<Record<WorkspaceRole, RolePreset>> = deepFreeze({
  [WorkspaceRole.OWNER]: {
    workspaceRoles: [R.WORKSPACE_OWNER],
    description: 'Full control of the workspace, including billing, members, SSO and deleting it.',
  },
  [WorkspaceRole.ADMIN]: {
    workspaceRoles: [
      R.MINIMAL_WORKSPACE_ACCESS,
      R.SOURCE_ADMIN,
      R.TRACKING_PLAN_ADMIN,
      R.FUNCTION_ADMIN,
      R.WAREHOUSE_DESTINATION_ADMIN,
      R.UNIFY_AND_ENGAGE_ADMIN,
    ],
    description:
      'Create and change every source, destination, tracking plan, function, warehouse and Unify/Engage space; no billing.',
  },
  [WorkspaceRole.MEMBER]: {
    workspaceRoles: [R.MINIMAL_WORKSPACE_ACCESS, R.TRACKING_PLAN_READ_ONLY],
    sourceRoles: { [AccessLevel.ADMIN]: R.SOURCE_ADMIN, [AccessLevel.READ_ONLY]: R.SOURCE_READ_ONLY },
    warehouseRoles: {
      [AccessLevel.ADMIN]: R.WAREHOUSE_DESTINATION_ADMIN,
      [AccessLevel.READ_ONLY]: R.WAREHOUSE_DESTINATION_READ_ONLY,
    },
    description:
      'Work on the sources granted (and the destinations connected to them when granted ADMIN); read tracking plans.',
  },
  [WorkspaceRole.READ_ONLY]: {
    workspaceRoles: [R.MINIMAL_WORKSPACE_ACCESS, R.TRACKING_PLAN_READ_ONLY],
    unscopedRoles: [
      R.SOURCE_READ_ONLY,
      R.FUNCTION_READ_ONLY,
      R.WAREHOUSE_DESTINATION_READ_ONLY,
      R.UNIFY_AND_ENGAGE_READ_ONLY,
    ],
    sourceRoles: { [AccessLevel.READ_ONLY]: R.SOURCE_READ_ONLY },
    warehouseRoles: { [AccessLevel.READ_ONLY]: R.WAREHOUSE_DESTINATION_READ_ONLY },
    description: 'View configuration, sources, destinations and tracking plans; change nothing.',
  },
  // No roles of its own: a CUSTOM grant's permissions are exactly its customPermissions.
  [WorkspaceRole.CUSTOM]: {
    workspaceRoles: [],
    description: 'Explicit Segment permissions that no preset expresses (listed in the grant).',
  },
});

/**
 * The presets of a Team-plan workspace, which has only Workspace Owner and Source Admin
 * (segment-docs iam/membership.md): no base role, no read-only role. READ_ONLY has no Team
 * equivalent and is refused at synth.
 */
export const TEAM_ROLE_PRESETS: Readonly<Partial<Record<WorkspaceRole, RolePreset>>> = deepFreeze({
  [WorkspaceRole.OWNER]: DEFAULT_ROLE_PRESETS[WorkspaceRole.OWNER],
  [WorkspaceRole.ADMIN]: {
    workspaceRoles: [R.SOURCE_ADMIN],
    description: 'Create and change every source and its destinations (all a Team plan grants below Owner).',
  },
  [WorkspaceRole.MEMBER]: {
    workspaceRoles: [],
    sourceRoles: { [AccessLevel.ADMIN]: R.SOURCE_ADMIN },
    description: 'Work on the sources granted and the destinations connected to them.',
  },
});
