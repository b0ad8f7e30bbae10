import { AuditEventType, AuditResourceType, EmitAuditEvent } from './audit-trail';
import { notFoundError } from './errors';
import { checkBatchSize } from './limits';
import { StoredPermission, UserRecord, WorkspaceRecord } from './model';
import { directoryOf, mergePermissions, PermissionInput, validatePermissions } from './permissions';
import { forgetGroupMember, groupsOfMember } from './workspace-groups';
import { knownForBatchDelete, WorkspaceRules } from './workspace-rules';

export function findUser(workspace: WorkspaceRecord, userId: string): UserRecord {
  const user = workspace.users.find((candidate) => candidate.id === userId);
  if (!user) throw notFoundError(`No user with id "${userId}" in workspace "${workspace.id}".`, 'userId');
  return user;
}

/** Unknown ids refuse the whole call or are ignored, as `batchDeleteUnknown` says. */
export function deleteUsers(workspace: WorkspaceRecord, userIds: string[], rules: WorkspaceRules, emit: EmitAuditEvent): void {
  checkBatchSize(userIds, 'userIds');
  const known = knownForBatchDelete(
    userIds,
    (id) => workspace.users.some((user) => user.id === id),
    rules,
    (unknown) => `No user with id ${unknown.map((id) => `"${id}"`).join(', ')} in workspace "${workspace.id}".`,
    'userIds',
  );
  removeUsers(workspace, workspace.users.filter((user) => known.includes(user.id)), emit);
}

/** Users leave the workspace, and every group they were in. */
export function removeUsers(workspace: WorkspaceRecord, leaving: readonly UserRecord[], emit: EmitAuditEvent): void {
  const ids = new Set(leaving.map((user) => user.id));
  workspace.users = workspace.users.filter((user) => !ids.has(user.id));
  for (const user of leaving) {
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
