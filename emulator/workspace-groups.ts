import { AuditEventType, AuditResourceType, EmitAuditEvent } from './audit-trail';
import { DuplicateGroupNames } from './behaviours';
import { conflictError, notFoundError, validationError } from './errors';
import { checkBatchSize } from './limits';
import { GroupRecord, InviteRecord, StoredPermission, UserRecord, WorkspaceRecord } from './model';
import { directoryOf, mergePermissions, PermissionInput, validatePermissions } from './permissions';
import { nextWorkspaceId } from './workspace-ids';
import { knownForBatchDelete, WorkspaceRules } from './workspace-rules';

export function findGroup(workspace: WorkspaceRecord, groupId: string): GroupRecord {
  const group = workspace.groups.find((candidate) => candidate.id === groupId);
  if (!group) throw notFoundError(`No user group with id "${groupId}" in workspace "${workspace.id}".`, 'userGroupId');
  return group;
}

function groupResource(group: GroupRecord) {
  return { resourceId: group.id, resourceType: AuditResourceType.USER_GROUP, resourceName: group.name };
}

export function createGroup(workspace: WorkspaceRecord, name: string, rules: WorkspaceRules, emit: EmitAuditEvent): GroupRecord {
  const groupName = checkGroupName(workspace, name, rules);
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

export function renameGroup(workspace: WorkspaceRecord, groupId: string, name: string, rules: WorkspaceRules, emit: EmitAuditEvent): GroupRecord {
  const group = findGroup(workspace, groupId);
  group.name = checkGroupName(workspace, name, rules, groupId);
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
export function addGroupMembers(workspace: WorkspaceRecord, groupId: string, emails: string[], rules: WorkspaceRules, emit: EmitAuditEvent): GroupRecord {
  const group = findGroup(workspace, groupId);
  checkBatchSize(emails, 'emails');
  for (const email of checkPeople(workspace, emails, rules)) {
    if (!group.memberEmails.includes(email)) group.memberEmails.push(email);
  }
  emit({ type: AuditEventType.SUBJECTS_ADDED_TO_GROUP, ...groupResource(group) });
  return group;
}

export function replaceGroupMembers(workspace: WorkspaceRecord, groupId: string, emails: string[], rules: WorkspaceRules, emit: EmitAuditEvent): GroupRecord {
  const group = findGroup(workspace, groupId);
  if (emails.length > 0) checkBatchSize(emails, 'emails');
  const next = [...new Set(checkPeople(workspace, emails, rules))];
  if (group.memberEmails.some((email) => !next.includes(email))) emit({ type: AuditEventType.GROUP_MEMBERSHIPS_DELETED, ...groupResource(group) });
  if (next.some((email) => !group.memberEmails.includes(email))) emit({ type: AuditEventType.SUBJECTS_ADDED_TO_GROUP, ...groupResource(group) });
  group.memberEmails = next;
  return group;
}

/** Members are addressed as the workspace holds their email (`emailCase`); strangers as `batchDeleteUnknown` says. */
export function removeGroupMembers(workspace: WorkspaceRecord, groupId: string, emails: string[], rules: WorkspaceRules, emit: EmitAuditEvent): void {
  const group = findGroup(workspace, groupId);
  checkBatchSize(emails, 'emails');
  const addressed = (given: string) => group.memberEmails.filter((member) => rules.emails.addresses(member, given));
  const known = knownForBatchDelete(
    emails,
    (given) => addressed(given).length > 0,
    rules,
    (strangers) => `Not members of user group "${group.name}": ${strangers.join(', ')}.`,
    'emails',
  );
  const leaving = new Set(known.flatMap(addressed));
  group.memberEmails = group.memberEmails.filter((email) => !leaving.has(email));
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

/** The stored emails of the people named: each must be a user or a pending invite, addressed as the workspace holds it. */
function checkPeople(workspace: WorkspaceRecord, emails: string[], rules: WorkspaceRules): string[] {
  return emails.map((raw, index) => {
    const person = [...workspace.users, ...workspace.invites].find((candidate) => rules.emails.addresses(candidate.email, raw));
    if (!person) {
      throw validationError(
        `"${raw}" is neither a user nor a pending invite of workspace "${workspace.id}"; invite them first.`,
        `emails[${index}]`,
      );
    }
    return person.email;
  });
}

/** Length and uniqueness of a group name, as `maxGroupNameLength` and `duplicateGroupNames` say (neither is documented). */
function checkGroupName(workspace: WorkspaceRecord, name: string, rules: WorkspaceRules, renamingId?: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw validationError('A user group name cannot be empty.', 'name');
  if (trimmed.length > rules.maxGroupNameLength) {
    throw validationError(`A user group name has at most ${rules.maxGroupNameLength} characters; "${trimmed}" has ${trimmed.length}.`, 'name');
  }
  if (rules.duplicateGroupNames === DuplicateGroupNames.ALLOWED) return trimmed;
  const clash = workspace.groups.find(
    (group) => group.id !== renamingId && group.name.toLowerCase() === trimmed.toLowerCase(),
  );
  if (clash) {
    const message = `A user group named "${clash.name}" already exists (id "${clash.id}").`;
    throw rules.duplicateGroupNames === DuplicateGroupNames.REFUSED_422 ? validationError(message, 'name') : conflictError(message, 'name');
  }
  return trimmed;
}
