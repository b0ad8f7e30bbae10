import { isValidEmail, nameFromEmail, normalizeEmail } from './emails';
import { conflictError, notFoundError, validationError } from './errors';
import { checkBatchSize, INVITE_TTL_MS } from './limits';
import { InviteRecord, Label, UserRecord, WorkspaceRecord } from './model';
import { directoryOf, PermissionInput, validatePermissions } from './permissions';
import { forgetGroupMember } from './workspace-groups';
import { nextWorkspaceId } from './workspace-ids';

/** InvitePermissionV1: unlike PermissionInputV1, labels sit on the permission, not on each resource. */
export interface InvitePermissionInput {
  roleId: string;
  resources?: Array<{ id: string; type: string }>;
  labels?: Label[];
}

export interface InviteInput {
  email: string;
  permissions?: InvitePermissionInput[];
}

export function seatsUsed(workspace: WorkspaceRecord): number {
  return workspace.users.length + workspace.invites.length;
}

export function inviteExpiresAtMs(invite: InviteRecord): number {
  return Date.parse(invite.invitedAt) + INVITE_TTL_MS;
}

export function isInviteExpired(invite: InviteRecord, nowMs: number): boolean {
  return nowMs >= inviteExpiresAtMs(invite);
}

/** Validates the whole call before changing anything: one bad invite rejects all of them. */
export function createInvites(workspace: WorkspaceRecord, invites: InviteInput[], nowMs: number): string[] {
  checkBatchSize(invites, 'invites');
  const directory = directoryOf(workspace);
  const seen = new Set<string>();
  const records: InviteRecord[] = invites.map((invite, index) => {
    const field = `invites[${index}]`;
    const email = normalizeEmail(invite.email);
    if (!isValidEmail(email)) throw validationError(`"${invite.email}" is not a valid email address.`, `${field}.email`);
    if (seen.has(email)) throw validationError(`${email} appears more than once in this call.`, `${field}.email`);
    seen.add(email);
    checkNotAlreadyPresent(workspace, email, nowMs, `${field}.email`);
    const permissions = validatePermissions(
      (invite.permissions ?? []).map(toPermissionInput),
      directory,
      `${field}.permissions`,
    );
    return { email, permissions, invitedAt: new Date(nowMs).toISOString() };
  });
  checkSeats(workspace, records.length);
  workspace.invites.push(...records);
  return records.map((record) => record.email);
}

export function deleteInvites(workspace: WorkspaceRecord, emails: string[]): void {
  checkBatchSize(emails, 'emails');
  const normalized = emails.map(normalizeEmail);
  const unknown = normalized.filter((email) => !workspace.invites.some((invite) => invite.email === email));
  if (unknown.length > 0) {
    throw notFoundError(`No pending invite for ${unknown.join(', ')} in workspace "${workspace.id}".`, 'emails');
  }
  workspace.invites = workspace.invites.filter((invite) => !normalized.includes(invite.email));
  for (const email of normalized) forgetGroupMember(workspace, email);
}

/**
 * What happens when the invited person clicks the link: a new user with the invite's
 * permissions. Group memberships are kept because they are held by email.
 */
export function acceptInvite(workspace: WorkspaceRecord, rawEmail: string, nowMs: number): UserRecord {
  const email = normalizeEmail(rawEmail);
  const invite = workspace.invites.find((candidate) => candidate.email === email);
  if (!invite) throw notFoundError(`No pending invite for ${email} in workspace "${workspace.id}".`, 'emails');
  if (isInviteExpired(invite, nowMs)) {
    throw validationError(
      `The invite for ${email} expired at ${new Date(inviteExpiresAtMs(invite)).toISOString()}; it must be sent again.`,
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
  return user;
}

function toPermissionInput(permission: InvitePermissionInput): PermissionInput {
  return {
    roleId: permission.roleId,
    resources: (permission.resources ?? []).map((resource) => ({ ...resource, labels: permission.labels })),
  };
}

function checkNotAlreadyPresent(workspace: WorkspaceRecord, email: string, nowMs: number, field: string): void {
  if (workspace.users.some((user) => user.email === email)) {
    throw conflictError(`${email} is already a member of workspace "${workspace.id}".`, field);
  }
  const pending = workspace.invites.find((invite) => invite.email === email);
  if (pending) {
    const expiry = isInviteExpired(pending, nowMs)
      ? `expired at ${new Date(inviteExpiresAtMs(pending)).toISOString()}; delete it before inviting again`
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
