import { AuditEventType, AuditResourceType, EmitAuditEvent } from './audit-trail';
import { isValidEmail, nameFromEmail, samePerson } from './emails';
import { conflictError, notFoundError, validationError } from './errors';
import { UserRecord, WorkspaceRecord } from './model';
import { nextWorkspaceId } from './workspace-ids';
import { minimalWorkspaceAccess } from './workspace-invites';
import { removeUsers } from './workspace-users';
import { WorkspaceRules } from './workspace-rules';

// Single sign-on and SCIM, with `ssoProvisioning: just-in-time-and-scim` (segment-docs iam/sso.md, iam/scim.md).

/**
 * Someone signs in through the identity provider without an invite: "automatically created in Segment
 * as minimal-access (read-only) members" (iam/sso.md). A pending invite of theirs is used up and its
 * permissions are not given (how the two meet is not documented: this is the harder case for a client).
 */
export function joinViaSso(workspace: WorkspaceRecord, rawEmail: string, rules: WorkspaceRules, emit: EmitAuditEvent): UserRecord {
  const email = rules.emails.stored(rawEmail);
  if (!isValidEmail(email)) throw validationError(`"${rawEmail}" is not a valid email address.`, 'email');
  if (workspace.users.some((user) => samePerson(user.email, email))) throw conflictError(`${email} is already a member of workspace "${workspace.id}".`, 'email');
  const invite = workspace.invites.find((candidate) => samePerson(candidate.email, email));
  // Group memberships are held by email and follow the person, as when an invite is accepted.
  const stored = invite?.email ?? email;
  workspace.invites = workspace.invites.filter((candidate) => candidate !== invite);
  const user: UserRecord = { id: nextWorkspaceId(workspace, 'user', stored), name: nameFromEmail(stored), email: stored, permissions: minimalWorkspaceAccess(workspace) };
  workspace.users.push(user);
  emit({ type: AuditEventType.USER_ADDED_VIA_SSO, resourceId: user.id, resourceType: AuditResourceType.USER, resourceName: stored });
  return user;
}

/** The identity provider deactivates someone: "Segment removes the user from your Segment workspace" and its group memberships (iam/scim.md). */
export function removeViaScim(workspace: WorkspaceRecord, rawEmail: string, emit: EmitAuditEvent): void {
  const user = workspace.users.find((candidate) => samePerson(candidate.email, rawEmail));
  if (!user) throw notFoundError(`No user ${rawEmail.trim()} in workspace "${workspace.id}".`, 'email');
  removeUsers(workspace, [user], emit);
}
