import { PlanTier, ResourceType, WorkspaceRole } from './enums';
import type { GrantBody } from './desired-state';
import { SegmentRoleName } from './role-presets';
import type { WorkspaceCatalog } from './resolve-grant';
import { invalid } from './validation';
import { deepFreeze } from './deep-freeze';

const R = SegmentRoleName;

interface RoleScope {
  /** Resource types Segment grants the role on. */
  readonly on: readonly ResourceType[];
  /** Whether labels may narrow it (always on the WORKSPACE resource). */
  readonly labels: boolean;
}

const ALL: RoleScope = { on: [ResourceType.WORKSPACE], labels: false };

/**
 * What Segment lets each role be granted on. segment-docs src/segment-app/iam/roles.md: roles that
 * "grant access to *all*" of their kind are workspace-wide only; Source and Unify/Engage roles also
 * take specific resources or labels (iam/labels.md); Function roles take specific functions.
 * Roles not listed here (a workspace's own preset override) are checked by Segment at apply time.
 */
export const SEGMENT_ROLE_SCOPES: Readonly<Record<string, RoleScope>> = deepFreeze({
  [R.WORKSPACE_OWNER]: ALL,
  [R.WORKSPACE_MEMBER]: ALL,
  [R.MINIMAL_WORKSPACE_ACCESS]: ALL,
  [R.SOURCE_ADMIN]: { on: [ResourceType.WORKSPACE, ResourceType.SOURCE], labels: true },
  [R.SOURCE_READ_ONLY]: { on: [ResourceType.WORKSPACE, ResourceType.SOURCE], labels: true },
  [R.FUNCTION_ADMIN]: { on: [ResourceType.WORKSPACE, ResourceType.FUNCTION], labels: false },
  [R.FUNCTION_READ_ONLY]: { on: [ResourceType.WORKSPACE, ResourceType.FUNCTION], labels: false },
  [R.TRACKING_PLAN_ADMIN]: ALL,
  [R.TRACKING_PLAN_READ_ONLY]: ALL,
  [R.WAREHOUSE_DESTINATION_ADMIN]: ALL,
  [R.WAREHOUSE_DESTINATION_READ_ONLY]: ALL,
  [R.UNIFY_AND_ENGAGE_ADMIN]: { on: [ResourceType.WORKSPACE, ResourceType.SPACE], labels: true },
  [R.UNIFY_AND_ENGAGE_READ_ONLY]: { on: [ResourceType.WORKSPACE, ResourceType.SPACE], labels: true },
  [R.UNIFY_READ_ONLY_ENGAGE_USER]: { on: [ResourceType.WORKSPACE, ResourceType.SPACE], labels: true },
  [R.IDENTITY_ADMIN]: ALL,
  [R.END_USER_PRIVACY_ADMIN]: ALL,
  [R.ENTITIES_ADMIN]: { on: [ResourceType.WORKSPACE, ResourceType.SPACE], labels: false },
  [R.ENTITIES_READ_ONLY]: { on: [ResourceType.WORKSPACE, ResourceType.SPACE], labels: false },
});

/** "Workspaces that are on Free or Team plans can only grant the workspace owner and source admin roles" (iam/membership.md). */
export const TEAM_PLAN_ROLES: readonly string[] = deepFreeze([R.WORKSPACE_OWNER, R.SOURCE_ADMIN]);

/**
 * Roles segment-docs iam/roles.md lists under "Business Tier Roles". The live plan is read from
 * these: docs disagree on whether Team catalogs also list Workspace Member or the Function roles,
 * but none of these appears on a Team plan.
 */
export const BUSINESS_TIER_ROLES: readonly string[] = deepFreeze([
  R.SOURCE_READ_ONLY,
  R.TRACKING_PLAN_ADMIN,
  R.TRACKING_PLAN_READ_ONLY,
  R.WAREHOUSE_DESTINATION_ADMIN,
  R.WAREHOUSE_DESTINATION_READ_ONLY,
  R.UNIFY_AND_ENGAGE_ADMIN,
  R.UNIFY_AND_ENGAGE_READ_ONLY,
  R.UNIFY_READ_ONLY_ENGAGE_USER,
  R.IDENTITY_ADMIN,
  R.END_USER_PRIVACY_ADMIN,
]);

const UPGRADE = 'or, if the workspace is on the Business plan, set planTier: PlanTier.BUSINESS';

/** User groups (Advanced Access Management) are a Business-plan feature (segment-docs iam/membership.md). */
export function assertPlanHasUserGroups(tier: PlanTier, groupName: string, where: string): void {
  if (tier !== PlanTier.TEAM) return;
  invalid(where, {
    field: 'groupName',
    received: groupName,
    allowed: 'no group grants on a Team plan: user groups are a Business-plan feature (segment-docs iam/membership.md)',
    fix: `grant the group's members individually with addGrant(), ${UPGRADE}.`,
  });
}

/**
 * Refuses, at synth, a grant Segment would refuse: a role on a resource type it cannot take, labels
 * where Segment takes none, a warehouse role narrowed to some warehouses, and on a Team plan any
 * role or label the plan does not have. `where` names the grant's construct path.
 */
export function assertGrantable(body: GrantBody, tier: PlanTier, catalog: WorkspaceCatalog, where: string): void {
  if (tier === PlanTier.TEAM && body.permissions.length === 0) {
    invalid(where, {
      field: 'sourceAccess',
      received: `${body.role} with no SourceAccess`,
      allowed: 'on a Team plan, a MEMBER grant with at least one SourceAccess of level ADMIN (the plan has no base or read-only role)',
      fix: `add a SourceAccess { level: AccessLevel.ADMIN, sources: [...] }, ${UPGRADE}.`,
    });
  }
  checkWarehouses(body, catalog, where);
  for (const permission of body.permissions) {
    if (tier === PlanTier.TEAM && !TEAM_PLAN_ROLES.includes(permission.roleName)) {
      invalid(where, {
        field: 'role',
        received: `${body.role} (Segment role "${permission.roleName}")`,
        allowed: `roles a Team plan offers: ${TEAM_PLAN_ROLES.join(', ')} (segment-docs iam/membership.md)`,
        fix: `use OWNER, ADMIN or MEMBER with the Team presets, or a rolePresets override naming only those roles, ${UPGRADE}.`,
      });
    }
    // An own property only: a role a preset override names "constructor" must not find Object's.
    const scope = Object.prototype.hasOwnProperty.call(SEGMENT_ROLE_SCOPES, permission.roleName) ? SEGMENT_ROLE_SCOPES[permission.roleName] : undefined;
    for (const resource of permission.resources) {
      if (resource.labels.length > 0 && tier === PlanTier.TEAM) {
        invalid(where, {
          field: 'sourceAccess.labels',
          received: resource.labels.map((l) => `${l.key}=${l.value}`).join(', '),
          allowed: 'no labels on a Team plan: access by label is a Business-plan feature (segment-docs iam/roles.md "(BT only)")',
          fix: `name the sources instead of selecting them by label, ${UPGRADE}.`,
        });
      }
      if (!scope) continue;
      if (!scope.on.includes(resource.type)) {
        invalid(where, {
          field: 'rolePresets',
          received: `"${permission.roleName}" on ${resource.type} ${resource.id}`,
          allowed: `"${permission.roleName}" on ${scope.on.join(' or ')} only (segment-docs iam/roles.md)`,
          fix: 'grant the role on the whole workspace (workspaceRoles) in the preset override, or remove it.',
        });
      }
      if (resource.labels.length > 0 && !scope.labels) {
        invalid(where, {
          field: 'sourceAccess.labels',
          received: `"${permission.roleName}" narrowed by ${resource.labels.map((l) => `${l.key}=${l.value}`).join(', ')}`,
          allowed: 'labels narrow only Source Admin, Source Read-only and the Unify/Engage roles (segment-docs iam/labels.md)',
          fix: 'select sources by id instead, or map the level to a Source role in the preset.',
        });
      }
    }
  }
}

/**
 * Warehouse roles exist only for all warehouses: a narrowing preset (MEMBER, READ_ONLY) that names
 * warehouses must name every warehouse of the catalog, or it would grant more than it declares.
 * For ADMIN and OWNER, whose roles cover every warehouse anyway, the warehouses are a record only.
 */
function checkWarehouses(body: GrantBody, catalog: WorkspaceCatalog, where: string): void {
  if (body.warehouses.length === 0) return;
  const warehouseRoles: string[] = [R.WAREHOUSE_DESTINATION_ADMIN, R.WAREHOUSE_DESTINATION_READ_ONLY, R.WORKSPACE_OWNER];
  const coversAll = body.permissions.some((p) => warehouseRoles.includes(p.roleName) && p.resources.some((r) => r.type === ResourceType.WORKSPACE));
  const narrowing = body.role === WorkspaceRole.MEMBER || body.role === WorkspaceRole.READ_ONLY;
  const named = new Set(body.warehouses.map((w) => w.id));
  const all = catalog.warehouses.map((w) => w.name).join(', ');
  if (!coversAll) {
    invalid(where, {
      field: 'sourceAccess.warehouses',
      received: body.warehouses.map((w) => w.name).join(', '),
      allowed: `no warehouses for a ${body.role} grant: its preset grants no warehouse role`,
      fix: 'remove warehouses from the SourceAccess, or use a role whose preset grants warehouse access.',
    });
  }
  if (!narrowing) return;
  if (catalog.warehouses.length === 0 || catalog.warehouses.some((w) => !named.has(w.id))) {
    invalid(where, {
      field: 'sourceAccess.warehouses',
      received: body.warehouses.map((w) => w.name).join(', '),
      allowed: catalog.warehouses.length
        ? `every warehouse of the catalog (${all}): Segment grants warehouse roles on all warehouses only (segment-docs iam/roles.md), so naming fewer would grant more than declared`
        : 'warehouses only when the workspace declares its warehouses catalog: Segment grants warehouse roles on all warehouses only (segment-docs iam/roles.md)',
      fix: catalog.warehouses.length ? `name every warehouse (${all}), or remove warehouses from the SourceAccess.` : 'declare the workspace\'s warehouses, or remove warehouses from the SourceAccess.',
    });
  }
}
