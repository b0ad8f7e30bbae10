import { AuditEventType, AuditResourceType, EmitAuditEvent } from './audit-trail';
import { isValidEmail, nameFromEmail, normalizeEmail } from './emails';
import { conflictError, notFoundError, validationError } from './errors';
import { checkBatchSize } from './limits';
import { InviteRecord, Label, UserRecord, WorkspaceRecord } from './model';
import { directoryOf, PermissionInput, validatePermissions } from './permissions';
import { forgetGroupMember, groupsOfMember } from './workspace-groups';
import { nextWorkspaceId } from './workspace-ids';

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

/** Validates the whole call before changing anything: one bad invite rejects all of them. */
export function createInvites(
  workspace: WorkspaceRecord,
  invites: InviteInput[],
  nowMs: number,
  policy: InvitePolicy,
  emit: EmitAuditEvent,
): string[] {
  checkBatchSize(invites, 'invites');
  const directory = directoryOf(workspace);
  const seen = new Set<string>();
  const records: InviteRecord[] = invites.map((invite, index) => {
    const field = `invites[${index}]`;
    const email = normalizeEmail(invite.email);
    if (!isValidEmail(email)) throw validationError(`"${invite.email}" is not a valid email address.`, `${field}.email`);
    if (seen.has(email)) throw validationError(`${email} appears more than once in this call.`, `${field}.email`);
    seen.add(email);
    checkNotAlreadyPresent(workspace, email, nowMs, policy.ttlMs, `${field}.email`);
    const permissions = validatePermissions(
      (invite.permissions ?? []).map((permission) => toPermissionInput(permission, workspace.id)),
      directory,
      `${field}.permissions`,
    );
    return { email, permissions, invitedAt: new Date(nowMs).toISOString() };
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

export function deleteInvites(workspace: WorkspaceRecord, emails: string[], emit: EmitAuditEvent): void {
  checkBatchSize(emails, 'emails');
  const normalized = emails.map(normalizeEmail);
  const unknown = normalized.filter((email) => !workspace.invites.some((invite) => invite.email === email));
  if (unknown.length > 0) {
    throw notFoundError(`No pending invite for ${unknown.join(', ')} in workspace "${workspace.id}".`, 'emails');
  }
  workspace.invites = workspace.invites.filter((invite) => !normalized.includes(invite.email));
  for (const email of normalized) {
    emit({ type: AuditEventType.INVITE_DELETED, resourceId: email, resourceType: AuditResourceType.INVITE, resourceName: email });
    if (groupsOfMember(workspace, email).length > 0) {
      emit({ type: AuditEventType.GROUP_MEMBERSHIPS_DELETED, resourceId: email, resourceType: AuditResourceType.INVITE, resourceName: email });
    }
    forgetGroupMember(workspace, email);
  }
}

/**
 * What happens when the invited person clicks the link: a new user with the invite's
 * permissions. Group memberships are kept because they are held by email.
 */
export function acceptInvite(workspace: WorkspaceRecord, rawEmail: string, nowMs: number, ttlMs: number, emit: EmitAuditEvent): UserRecord {
  const email = normalizeEmail(rawEmail);
  const invite = workspace.invites.find((candidate) => candidate.email === email);
  if (!invite) throw notFoundError(`No pending invite for ${email} in workspace "${workspace.id}".`, 'emails');
  if (isInviteExpired(invite, nowMs, ttlMs)) {
    throw validationError(
      `The invite for ${email} expired at ${new Date(inviteExpiresAtMs(invite, ttlMs)).toISOString()}; it must be sent again.`,
      'emails',
    );
  }
  const user: UserRecord = {
    id: nextWorkspaceId(workspace, 'user', email),
    name: nameFromEmail(email),
    email,
    permissions: invite.permissions,
  };
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

function checkNotAlreadyPresent(workspace: WorkspaceRecord, email: string, nowMs: number, ttlMs: number, field: string): void {
  if (workspace.users.some((user) => user.email === email)) {
    throw conflictError(`${email} is already a member of workspace "${workspace.id}".`, field);
  }
  const pending = workspace.invites.find((invite) => invite.email === email);
  if (pending) {
    const expiry = isInviteExpired(pending, nowMs, ttlMs)
      ? `expired at ${new Date(inviteExpiresAtMs(pending, ttlMs)).toISOString()}; delete it before inviting again`
      : `sent at ${pending.invitedAt}`;
    throw conflictError(`${email} already has an invite to workspace "${workspace.id}" (${expiry}).`, field);
  }
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
