import { AuditEventType, AuditResourceType, EmitAuditEvent } from './audit-trail';
import { normalizeEmail } from './emails';
import { conflictError, notFoundError, validationError } from './errors';
import { checkBatchSize } from './limits';
import { GroupRecord, InviteRecord, StoredPermission, UserRecord, WorkspaceRecord } from './model';
import { directoryOf, mergePermissions, PermissionInput, validatePermissions } from './permissions';
import { nextWorkspaceId } from './workspace-ids';

export function findGroup(workspace: WorkspaceRecord, groupId: string): GroupRecord {
  const group = workspace.groups.find((candidate) => candidate.id === groupId);
  if (!group) throw notFoundError(`No user group with id "${groupId}" in workspace "${workspace.id}".`, 'userGroupId');
  return group;
}

function groupResource(group: GroupRecord) {
  return { resourceId: group.id, resourceType: AuditResourceType.USER_GROUP, resourceName: group.name };
}

export function createGroup(workspace: WorkspaceRecord, name: string, emit: EmitAuditEvent): GroupRecord {
  const groupName = checkGroupName(workspace, name);
  const group: GroupRecord = {
    id: nextWorkspaceId(workspace, 'group', groupName),
    name: groupName,
    permissions: [],
    memberEmails: [],
  };
  workspace.groups.push(group);
  emit({ type: AuditEventType.USER_GROUP_CREATED, ...groupResource(group) });
  return group;
}

export function renameGroup(workspace: WorkspaceRecord, groupId: string, name: string, emit: EmitAuditEvent): GroupRecord {
  const group = findGroup(workspace, groupId);
  group.name = checkGroupName(workspace, name, groupId);
  emit({ type: AuditEventType.USER_GROUP_UPDATED, ...groupResource(group) });
  return group;
}

export function deleteGroup(workspace: WorkspaceRecord, groupId: string, emit: EmitAuditEvent): void {
  emit({ type: AuditEventType.USER_GROUP_DELETED, ...groupResource(findGroup(workspace, groupId)) });
  workspace.groups = workspace.groups.filter((group) => group.id !== groupId);
}

export function replaceGroupPermissions(
  workspace: WorkspaceRecord,
  groupId: string,
  inputs: PermissionInput[],
  emit: EmitAuditEvent,
): StoredPermission[] {
  const group = findGroup(workspace, groupId);
  const next = validatePermissions(inputs, directoryOf(workspace), 'permissions');
  if (group.permissions.length > 0) emit({ type: AuditEventType.POLICY_DELETED, ...groupResource(group) });
  if (next.length > 0) emit({ type: AuditEventType.POLICY_CREATED, ...groupResource(group) });
  group.permissions = next;
  return group.permissions;
}

export function addGroupPermissions(
  workspace: WorkspaceRecord,
  groupId: string,
  inputs: PermissionInput[],
  emit: EmitAuditEvent,
): StoredPermission[] {
  const group = findGroup(workspace, groupId);
  group.permissions = mergePermissions(group.permissions, validatePermissions(inputs, directoryOf(workspace), 'permissions'));
  emit({ type: AuditEventType.POLICY_CREATED, ...groupResource(group) });
  emit({ type: AuditEventType.USER_GROUP_POLICY_UPDATED, ...groupResource(group) });
  return group.permissions;
}

/** Adding someone already in the group is a no-op, as adding is idempotent in Segment. */
export function addGroupMembers(workspace: WorkspaceRecord, groupId: string, emails: string[], emit: EmitAuditEvent): GroupRecord {
  const group = findGroup(workspace, groupId);
  checkBatchSize(emails, 'emails');
  for (const email of checkPeople(workspace, emails)) {
    if (!group.memberEmails.includes(email)) group.memberEmails.push(email);
  }
  emit({ type: AuditEventType.SUBJECTS_ADDED_TO_GROUP, ...groupResource(group) });
  return group;
}

export function replaceGroupMembers(workspace: WorkspaceRecord, groupId: string, emails: string[], emit: EmitAuditEvent): GroupRecord {
  const group = findGroup(workspace, groupId);
  if (emails.length > 0) checkBatchSize(emails, 'emails');
  const next = [...new Set(checkPeople(workspace, emails))];
  if (group.memberEmails.some((email) => !next.includes(email))) emit({ type: AuditEventType.GROUP_MEMBERSHIPS_DELETED, ...groupResource(group) });
  if (next.some((email) => !group.memberEmails.includes(email))) emit({ type: AuditEventType.SUBJECTS_ADDED_TO_GROUP, ...groupResource(group) });
  group.memberEmails = next;
  return group;
}

export function removeGroupMembers(workspace: WorkspaceRecord, groupId: string, emails: string[], emit: EmitAuditEvent): void {
  const group = findGroup(workspace, groupId);
  checkBatchSize(emails, 'emails');
  const normalized = emails.map(normalizeEmail);
  const strangers = normalized.filter((email) => !group.memberEmails.includes(email));
  if (strangers.length > 0) {
    throw notFoundError(`Not members of user group "${group.name}": ${strangers.join(', ')}.`, 'emails');
  }
  group.memberEmails = group.memberEmails.filter((email) => !normalized.includes(email));
  emit({ type: AuditEventType.GROUP_MEMBERSHIPS_DELETED, ...groupResource(group) });
  emit({ type: AuditEventType.USER_REMOVED_FROM_GROUP, ...groupResource(group) });
}

/** Members split as the API lists them: users under /users, pending invites under /invites. */
export function groupMembers(workspace: WorkspaceRecord, group: GroupRecord): { users: UserRecord[]; invites: InviteRecord[] } {
  return {
    users: workspace.users.filter((user) => group.memberEmails.includes(user.email)),
    invites: workspace.invites.filter((invite) => group.memberEmails.includes(invite.email)),
  };
}

export function groupsOfMember(workspace: WorkspaceRecord, email: string): GroupRecord[] {
  return workspace.groups.filter((group) => group.memberEmails.includes(email));
}

/** Called when a user or invite disappears: nobody stays a member of a group after leaving the workspace. */
export function forgetGroupMember(workspace: WorkspaceRecord, email: string): void {
  for (const group of workspace.groups) {
    group.memberEmails = group.memberEmails.filter((member) => member !== email);
  }
}

function checkPeople(workspace: WorkspaceRecord, emails: string[]): string[] {
  return emails.map((raw, index) => {
    const email = normalizeEmail(raw);
    const known =
      workspace.users.some((user) => user.email === email) || workspace.invites.some((invite) => invite.email === email);
    if (!known) {
      throw validationError(
        `"${raw}" is neither a user nor a pending invite of workspace "${workspace.id}"; invite them first.`,
        `emails[${index}]`,
      );
    }
    return email;
  });
}

function checkGroupName(workspace: WorkspaceRecord, name: string, renamingId?: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw validationError('A user group name cannot be empty.', 'name');
  const clash = workspace.groups.find(
    (group) => group.id !== renamingId && group.name.toLowerCase() === trimmed.toLowerCase(),
  );
  if (clash) throw conflictError(`A user group named "${clash.name}" already exists (id "${clash.id}").`, 'name');
  return trimmed;
}
