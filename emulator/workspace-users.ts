import { AuditEventType, AuditResourceType, EmitAuditEvent } from './audit-trail';
import { notFoundError } from './errors';
import { checkBatchSize } from './limits';
import { StoredPermission, UserRecord, WorkspaceRecord } from './model';
import { directoryOf, mergePermissions, PermissionInput, validatePermissions } from './permissions';
import { forgetGroupMember, groupsOfMember } from './workspace-groups';

export function findUser(workspace: WorkspaceRecord, userId: string): UserRecord {
  const user = workspace.users.find((candidate) => candidate.id === userId);
  if (!user) throw notFoundError(`No user with id "${userId}" in workspace "${workspace.id}".`, 'userId');
  return user;
}

/** All or nothing: one unknown id fails the whole call. */
export function deleteUsers(workspace: WorkspaceRecord, userIds: string[], emit: EmitAuditEvent): void {
  checkBatchSize(userIds, 'userIds');
  const unknown = userIds.filter((id) => !workspace.users.some((user) => user.id === id));
  if (unknown.length > 0) {
    throw notFoundError(`No user with id ${unknown.map((id) => `"${id}"`).join(', ')} in workspace "${workspace.id}".`, 'userIds');
  }
  const removed = workspace.users.filter((user) => userIds.includes(user.id));
  workspace.users = workspace.users.filter((user) => !userIds.includes(user.id));
  for (const user of removed) {
    const resource = { resourceId: user.id, resourceType: AuditResourceType.USER, resourceName: user.email };
    emit({ type: AuditEventType.USER_REMOVED, ...resource });
    if (groupsOfMember(workspace, user.email).length > 0) emit({ type: AuditEventType.GROUP_MEMBERSHIPS_DELETED, ...resource });
    forgetGroupMember(workspace, user.email);
  }
}

export function replaceUserPermissions(
  workspace: WorkspaceRecord,
  userId: string,
  inputs: PermissionInput[],
  emit: EmitAuditEvent,
): StoredPermission[] {
  const user = findUser(workspace, userId);
  const resource = { resourceId: user.id, resourceType: AuditResourceType.USER, resourceName: user.email };
  const next = validatePermissions(inputs, directoryOf(workspace), 'permissions');
  if (user.permissions.length > 0) emit({ type: AuditEventType.POLICY_DELETED, ...resource });
  if (next.length > 0) emit({ type: AuditEventType.POLICY_CREATED, ...resource });
  user.permissions = next;
  return user.permissions;
}

export function addUserPermissions(workspace: WorkspaceRecord, userId: string, inputs: PermissionInput[], emit: EmitAuditEvent): StoredPermission[] {
  const user = findUser(workspace, userId);
  user.permissions = mergePermissions(user.permissions, validatePermissions(inputs, directoryOf(workspace), 'permissions'));
  const resource = { resourceId: user.id, resourceType: AuditResourceType.USER, resourceName: user.email };
  emit({ type: AuditEventType.POLICY_CREATED, ...resource });
  emit({ type: AuditEventType.USER_POLICY_UPDATED, ...resource });
  return user.permissions;
}
