import { AuditEventRecord, GroupRecord, LabelRecord, StoredPermission, UserRecord } from './model';
import { findRoleById, RoleDefinition } from './roles';

/** Converts stored records to the API's models (UserV1, PermissionV1, UserGroupV1, RoleV1, LabelV1, AuditEventV1). */

/**
 * PermissionV1 (SDK model/permissionV1.ts): labels are rendered on the resource they narrow, as the
 * official Terraform provider reads them back (internal/provider/models/user.go). Segment also
 * defines a permission-level `labels`; where it fills which is undocumented (README divergences).
 */
export function renderPermissions(permissions: StoredPermission[]) {
  return permissions.map((permission) => ({
    roleId: permission.roleId,
    roleName: findRoleById(permission.roleId)?.name ?? 'Unknown role',
    resources: permission.resources.map((resource) => ({
      id: resource.id,
      type: resource.type,
      labels: resource.labels.map(({ key, value }) => ({ key, value })),
    })),
  }));
}

export function renderUser(user: UserRecord) {
  return { id: user.id, name: user.name, email: user.email, permissions: renderPermissions(user.permissions) };
}

export function renderMinimalUser(user: UserRecord) {
  return { id: user.id, name: user.name, email: user.email };
}

/** memberCount counts users and pending invites alike: both are members as far as the group is concerned. */
export function renderGroup(group: GroupRecord) {
  return {
    id: group.id,
    name: group.name,
    memberCount: group.memberEmails.length,
    permissions: renderPermissions(group.permissions),
  };
}

export function renderMinimalGroup(group: GroupRecord) {
  return { id: group.id, name: group.name };
}

export function renderRole(role: RoleDefinition) {
  return { id: role.id, name: role.name, description: role.description };
}

export function renderLabel(label: LabelRecord) {
  return { key: label.key, value: label.value, ...(label.description !== undefined ? { description: label.description } : {}) };
}

export function renderAuditEvent(event: AuditEventRecord) {
  return { ...event };
}
