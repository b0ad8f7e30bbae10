import type { InvitePermissionV1, PermissionInputV1 } from '../api/inputs';

/**
 * The part of the Segment Public API the reconciler uses. `SegmentApiClient` implements it; keeping
 * the reconciler on this narrow port keeps it testable and independent of HTTP details.
 */
export interface LivePermissionResource {
  readonly id: string;
  readonly type: string;
  readonly labels?: readonly { readonly key: string; readonly value: string }[];
}

export interface LivePermission {
  readonly roleId: string;
  readonly roleName?: string;
  readonly resources: readonly LivePermissionResource[];
  readonly labels?: readonly { readonly key: string; readonly value: string }[];
}

export interface LiveUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly permissions: readonly LivePermission[];
}

export interface LiveRole {
  readonly id: string;
  readonly name: string;
}

export interface LiveGroup {
  readonly id: string;
  readonly name: string;
  readonly memberCount: number;
  readonly permissions: readonly LivePermission[];
}

/** An entry of Segment's audit trail (`AuditEventV1`, public-api-sdk-typescript model/auditEventV1.ts). */
export interface LiveAuditEvent {
  readonly id: string;
  /** ISO 8601, Segment's clock. */
  readonly timestamp: string;
  /** e.g. "New Segment User Invited to Workspace", "User Group Created". */
  readonly type: string;
  /** Who did it: a logged-in user or an access token (Segment's docs: iam/audit-trail.md). */
  readonly actor: string;
  readonly actorEmail?: string | null;
  readonly resourceId: string;
  readonly resourceType: string;
  readonly resourceName: string;
}

export type PermissionInput = PermissionInputV1;
export type InvitePermissionInput = InvitePermissionV1;

export interface SegmentPort {
  getWorkspace(): Promise<{ id: string; slug: string; name: string }>;
  listUsers(): Promise<LiveUser[]>;
  listInvites(): Promise<string[]>;
  listRoles(): Promise<LiveRole[]>;
  listGroups(): Promise<LiveGroup[]>;
  listLabels(): Promise<{ key: string; value: string }[]>;
  listGroupUsers(groupId: string): Promise<{ id: string; name: string; email: string }[]>;
  listGroupInvites(groupId: string): Promise<string[]>;
  deleteUsers(userIds: string[]): Promise<unknown>;
  replaceUserPermissions(userId: string, permissions: PermissionInput[]): Promise<unknown>;
  /** Returns the emails Segment invited, as it holds them (any other answer: all of them, as sent). */
  createInvites(invites: { email: string; permissions?: InvitePermissionInput[] }[]): Promise<unknown>;
  deleteInvites(emails: string[]): Promise<unknown>;
  createGroup(name: string): Promise<LiveGroup>;
  /** `PATCH /groups/{id}` with a new name (how a record group is signed and sealed to its id). */
  renameGroup(groupId: string, name: string): Promise<unknown>;
  deleteGroup(groupId: string): Promise<unknown>;
  replaceGroupPermissions(groupId: string, permissions: PermissionInput[]): Promise<unknown>;
  addGroupMembers(groupId: string, emails: string[]): Promise<unknown>;
  removeGroupMembers(groupId: string, emails: string[]): Promise<unknown>;
  /**
   * Every event of the workspace's audit trail (`GET /audit-events`, all pages; Segment keeps 90 days),
   * optionally from `startTime` on. Absent when the client cannot read it.
   */
  listAuditEvents?(range?: { readonly startTime?: string }): Promise<LiveAuditEvent[]>;
}
