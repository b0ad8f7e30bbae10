import type { DesiredPermission, PermissionResource } from '../model/desired-state';
import { PlanTier, ResourceType } from '../model/enums';
import { normalizePermissions } from '../model/canonical';
import { BUSINESS_TIER_ROLES } from '../model/grantable';
import type { InvitePermissionInput, LivePermission, LiveRole, PermissionInput } from './segment-port';

/** Role ids by name, from `GET /roles`: ids are never hard-coded. */
export class RoleCatalog {
  private readonly idByName = new Map<string, string>();
  private readonly nameById = new Map<string, string>();

  constructor(roles: readonly LiveRole[]) {
    for (const r of roles) {
      this.idByName.set(r.name, r.id);
      this.nameById.set(r.id, r.name);
    }
  }

  public idOf(roleName: string): string | undefined {
    return this.idByName.get(roleName);
  }

  public nameOf(roleId: string): string | undefined {
    return this.nameById.get(roleId);
  }

  public get names(): string[] {
    return [...this.idByName.keys()].sort();
  }

  /**
   * The plan the catalog shows: Team (and Free) plans offer only Workspace Owner and Source Admin
   * (segment-docs iam/membership.md), so any Business-tier role (iam/roles.md) means Business.
   */
  public get planTier(): PlanTier {
    return this.names.some((name) => BUSINESS_TIER_ROLES.includes(name)) ? PlanTier.BUSINESS : PlanTier.TEAM;
  }
}

/**
 * Live permissions in the desired-state form, so the two compare by value. Labels count wherever
 * Segment puts them, on a resource or on the permission (SDK model/permissionV1.ts): a label-scoped
 * grant must never read as workspace-wide.
 */
export function fromLive(permissions: readonly LivePermission[], roles: RoleCatalog): DesiredPermission[] {
  return normalizePermissions(
    permissions.map((p) => ({
      roleName: roles.nameOf(p.roleId) ?? p.roleName ?? `unknown role ${p.roleId}`,
      resources: p.resources.map(
        (r): PermissionResource => ({
          type: r.type as ResourceType,
          id: r.id,
          labels: [...(r.labels ?? []), ...(p.labels ?? [])].map((l) => ({ key: l.key, value: l.value })),
        }),
      ),
    })),
  );
}

/** For `PUT /users/{id}/permissions` and `PUT /groups/{id}/permissions`: labels sit on the resource. */
export function toPermissionInputs(permissions: readonly DesiredPermission[], roles: RoleCatalog): PermissionInput[] {
  return permissions.map((p) => ({
    roleId: requireRoleId(roles, p.roleName),
    resources: p.resources.map((r) => ({ id: r.id, type: r.type, ...(r.labels.length ? { labels: r.labels.map((l) => ({ ...l })) } : {}) })),
  }));
}

/** For `POST /invites`: labels sit on the permission, so resources with different labels become separate permissions. */
export function toInvitePermissions(permissions: readonly DesiredPermission[], roles: RoleCatalog): InvitePermissionInput[] {
  const out: InvitePermissionInput[] = [];
  for (const p of permissions) {
    const roleId = requireRoleId(roles, p.roleName);
    const byLabels = new Map<string, PermissionResource[]>();
    for (const r of p.resources) {
      const key = JSON.stringify(r.labels);
      byLabels.set(key, [...(byLabels.get(key) ?? []), r]);
    }
    for (const [key, resources] of byLabels) {
      const labels = JSON.parse(key) as { key: string; value: string }[];
      out.push({
        roleId,
        resources: resources.map((r) => ({ id: r.id, type: r.type })),
        ...(labels.length ? { labels } : {}),
      });
    }
  }
  return out;
}

function requireRoleId(roles: RoleCatalog, roleName: string): string {
  const id = roles.idOf(roleName);
  if (!id) throw new Error(`Role "${roleName}" is not in this workspace's role catalog (GET /roles lists: ${roles.names.join(', ')}).`);
  return id;
}

export function holdsOwnerRole(permissions: readonly DesiredPermission[]): boolean {
  return permissions.some((p) => p.roleName === 'Workspace Owner');
}
