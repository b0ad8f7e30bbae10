import { AuditEventType, AuditResourceType, EmitAuditEvent } from './audit-trail';
import { AcceptedInviteAccess, ExistingInvitee } from './behaviours';
import { isValidEmail, nameFromEmail, samePerson } from './emails';
import { conflictError, notFoundError, validationError } from './errors';
import { checkBatchSize } from './limits';
import { InviteRecord, Label, StoredPermission, UserRecord, WorkspaceRecord } from './model';
import { directoryOf, mergePermissions, PermissionInput, validatePermissions } from './permissions';
import { findRoleByName } from './roles';
import { forgetGroupMember, groupsOfMember } from './workspace-groups';
import { nextWorkspaceId } from './workspace-ids';
import { knownForBatchDelete, WorkspaceRules } from './workspace-rules';

/**
 * InvitePermissionV1 (SDK model/invitePermissionV1.ts): unlike PermissionInputV1, labels sit on the
 * permission, and `resources` is optional.
 */
export interface InvitePermissionInput {
  roleId: string;
  resources?: Array<{ id: string; type: string }>;
  labels?: Label[];
}

export interface InviteInput {
  email: string;
  permissions?: InvitePermissionInput[];
}

/** What invites depend on that Segment does not document (see EmulatorSettings). */
export interface InvitePolicy {
  ttlMs: number;
  enforceSeatLimits: boolean;
  rules: WorkspaceRules;
  /** Whether an email is a user of any workspace of this emulator (a "Segment user"). */
  isSegmentUser(email: string): boolean;
}

export function seatsUsed(workspace: WorkspaceRecord): number {
  return workspace.users.length + workspace.invites.length;
}

export function inviteExpiresAtMs(invite: InviteRecord, ttlMs: number): number {
  return Date.parse(invite.invitedAt) + ttlMs;
}

export function isInviteExpired(invite: InviteRecord, nowMs: number, ttlMs: number): boolean {
  return nowMs >= inviteExpiresAtMs(invite, ttlMs);
}

/**
 * Validates the whole call before changing anything: one bad invite rejects all of them. Someone
 * already a member or invited is refused (409 or 422) or skipped, as `existingInvitee` says.
 */
export function createInvites(
  workspace: WorkspaceRecord,
  invites: InviteInput[],
  nowMs: number,
  policy: InvitePolicy,
  emit: EmitAuditEvent,
): string[] {
  checkBatchSize(invites, 'invites');
  const directory = directoryOf(workspace);
  const seen: string[] = [];
  const records: InviteRecord[] = invites.flatMap((invite, index) => {
    const field = `invites[${index}]`;
    const email = policy.rules.emails.stored(invite.email);
    if (!isValidEmail(email)) throw validationError(`"${invite.email}" is not a valid email address.`, `${field}.email`);
    if (seen.some((other) => samePerson(other, email))) throw validationError(`${email} appears more than once in this call.`, `${field}.email`);
    seen.push(email);
    const present = alreadyPresent(workspace, email, nowMs, policy.ttlMs);
    if (present !== undefined) {
      if (policy.rules.existingInvitee === ExistingInvitee.SKIPPED_201) return [];
      const refuse = policy.rules.existingInvitee === ExistingInvitee.VALIDATION_422 ? validationError : conflictError;
      throw refuse(present, `${field}.email`);
    }
    const permissions = validatePermissions(
      (invite.permissions ?? []).map((permission) => toPermissionInput(permission, workspace.id)),
      directory,
      `${field}.permissions`,
    );
    return [{ email, permissions, invitedAt: new Date(nowMs).toISOString() }];
  });
  if (policy.enforceSeatLimits) checkSeats(workspace, records.length);
  workspace.invites.push(...records);
  for (const record of records) {
    const type = policy.isSegmentUser(record.email) ? AuditEventType.NEW_SEGMENT_USER_INVITED : AuditEventType.NON_SEGMENT_USER_INVITED;
    emit({ type, resourceId: record.email, resourceType: AuditResourceType.INVITE, resourceName: record.email });
    if (record.permissions.length > 0) {
      emit({ type: AuditEventType.POLICY_CREATED, resourceId: record.email, resourceType: AuditResourceType.INVITE, resourceName: record.email });
    }
  }
  return records.map((record) => record.email);
}

/** Invites are addressed as the workspace holds their email (`emailCase`); unknown ones as `batchDeleteUnknown` says. */
export function deleteInvites(workspace: WorkspaceRecord, emails: string[], rules: WorkspaceRules, emit: EmitAuditEvent): void {
  checkBatchSize(emails, 'emails');
  const addressed = (given: string) => workspace.invites.filter((invite) => rules.emails.addresses(invite.email, given)).map((invite) => invite.email);
  const known = knownForBatchDelete(
    emails,
    (given) => addressed(given).length > 0,
    rules,
    (unknown) => `No pending invite for ${unknown.join(', ')} in workspace "${workspace.id}".`,
    'emails',
  );
  const deleted = [...new Set(known.flatMap(addressed))];
  workspace.invites = workspace.invites.filter((invite) => !deleted.includes(invite.email));
  for (const email of deleted) {
    emit({ type: AuditEventType.INVITE_DELETED, resourceId: email, resourceType: AuditResourceType.INVITE, resourceName: email });
    if (groupsOfMember(workspace, email).length > 0) {
      emit({ type: AuditEventType.GROUP_MEMBERSHIPS_DELETED, resourceId: email, resourceType: AuditResourceType.INVITE, resourceName: email });
    }
    forgetGroupMember(workspace, email);
  }
}

/**
 * What happens when the invited person clicks the link: a new user with the invite's permissions
 * (and Minimal Workspace Access, as `acceptedInviteAccess` may say). Group memberships are kept
 * because they are held by email.
 */
export function acceptInvite(workspace: WorkspaceRecord, rawEmail: string, nowMs: number, ttlMs: number, rules: WorkspaceRules, emit: EmitAuditEvent): UserRecord {
  const invite = workspace.invites.find((candidate) => samePerson(candidate.email, rawEmail));
  if (!invite) throw notFoundError(`No pending invite for ${rawEmail.trim()} in workspace "${workspace.id}".`, 'emails');
  const email = invite.email;
  if (isInviteExpired(invite, nowMs, ttlMs)) {
    throw validationError(
      `The invite for ${email} expired at ${new Date(inviteExpiresAtMs(invite, ttlMs)).toISOString()}; it must be sent again.`,
      'emails',
    );
  }
  const permissions = rules.acceptedInviteAccess === AcceptedInviteAccess.PLUS_MINIMAL_WORKSPACE_ACCESS && workspace.planTier === 'business'
    ? mergePermissions(invite.permissions, minimalWorkspaceAccess(workspace))
    : invite.permissions;
  const user: UserRecord = { id: nextWorkspaceId(workspace, 'user', email), name: nameFromEmail(email), email, permissions };
  workspace.invites = workspace.invites.filter((candidate) => candidate !== invite);
  workspace.users.push(user);
  emit({ type: AuditEventType.INVITE_ACCEPTED, resourceId: user.id, resourceType: AuditResourceType.USER, resourceName: email });
  return user;
}

/**
 * Labels on an invite permission apply to its resources; an invite permission without resources
 * is taken as workspace-wide (Segment documents `resources` as optional, not what its absence means).
 */
function toPermissionInput(permission: InvitePermissionInput, workspaceId: string): PermissionInput {
  const resources = permission.resources && permission.resources.length > 0 ? permission.resources : [{ id: workspaceId, type: 'WORKSPACE' }];
  return {
    roleId: permission.roleId,
    resources: resources.map((resource) => ({ id: resource.id, type: resource.type, labels: permission.labels })),
  };
}

/** Minimal Workspace Access on the workspace, as Segment gives new members (segment-docs iam/scim.md). */
export function minimalWorkspaceAccess(workspace: WorkspaceRecord): StoredPermission[] {
  const role = findRoleByName('Minimal Workspace Access');
  return role ? [{ roleId: role.id, resources: [{ id: workspace.id, type: 'WORKSPACE', labels: [] }] }] : [];
}

/** Why this email cannot be invited (already a member, or invited), or undefined. */
function alreadyPresent(workspace: WorkspaceRecord, email: string, nowMs: number, ttlMs: number): string | undefined {
  if (workspace.users.some((user) => samePerson(user.email, email))) return `${email} is already a member of workspace "${workspace.id}".`;
  const pending = workspace.invites.find((invite) => samePerson(invite.email, email));
  if (!pending) return undefined;
  const expiry = isInviteExpired(pending, nowMs, ttlMs)
    ? `expired at ${new Date(inviteExpiresAtMs(pending, ttlMs)).toISOString()}; delete it before inviting again`
    : `sent at ${pending.invitedAt}`;
  return `${email} already has an invite to workspace "${workspace.id}" (${expiry}).`;
}

function checkSeats(workspace: WorkspaceRecord, newSeats: number): void {
  if (workspace.seatLimit === undefined) return;
  const used = seatsUsed(workspace);
  if (used + newSeats > workspace.seatLimit) {
    throw validationError(
      `Seat limit exceeded: ${used} of ${workspace.seatLimit} seats used (users + pending invites), ` +
        `this call needs ${newSeats} more, only ${Math.max(0, workspace.seatLimit - used)} left. No invite was sent.`,
      'invites',
    );
  }
}
