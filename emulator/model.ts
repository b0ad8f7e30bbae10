/** Stored shapes of the emulator's workspace data (what `dump()` returns and the state file holds). */

export const RESOURCE_TYPES = ['WORKSPACE', 'SOURCE', 'WAREHOUSE', 'FUNCTION', 'SPACE'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Segment's plans that have the Public API (segment-docs iam/membership.md; Free has no Public API). */
export const PLAN_TIERS = ['business', 'team'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

export interface Label {
  key: string;
  value: string;
}

/** A workspace-level label object (SDK model/allowedLabelBeta.ts, model/labelV1.ts). */
export interface LabelRecord extends Label {
  description?: string;
}

/** One resource a role is granted on; labels narrow a workspace-wide grant to labelled sources or spaces. */
export interface ResourceGrant {
  id: string;
  type: ResourceType;
  labels: Label[];
}

/** Permissions are stored by role id, as the API speaks; role names are looked up when rendering. */
export interface StoredPermission {
  roleId: string;
  resources: ResourceGrant[];
}

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  permissions: StoredPermission[];
}

export interface InviteRecord {
  email: string;
  permissions: StoredPermission[];
  /** ISO timestamp on the emulator clock; the invite expires `inviteExpiryDays` after this. */
  invitedAt: string;
}

export interface GroupRecord {
  id: string;
  name: string;
  permissions: StoredPermission[];
  /** Emails of users or of pending invites: membership follows the person through acceptance. */
  memberEmails: string[];
}

export interface NamedResource {
  id: string;
  name: string;
}

/** Sources and spaces are the resources labels apply to (segment-docs iam/labels.md). */
export interface LabelledResource extends NamedResource {
  labels: Record<string, string>;
}

/** AuditEventV1 (SDK model/auditEventV1.ts), as stored. */
export interface AuditEventRecord {
  id: string;
  timestamp: string;
  type: string;
  actor: string;
  actorEmail?: string;
  resourceId: string;
  resourceType: string;
  resourceName: string;
}

export interface WorkspaceRecord {
  id: string;
  slug: string;
  name: string;
  planTier: PlanTier;
  /** Seats the plan allows (users + pending invites). Segment documents no such API rule: an emulator assumption. */
  seatLimit?: number;
  labels: LabelRecord[];
  sources: LabelledResource[];
  warehouses: NamedResource[];
  functions: NamedResource[];
  spaces: LabelledResource[];
  users: UserRecord[];
  invites: InviteRecord[];
  groups: GroupRecord[];
  /** Newest last. */
  auditEvents: AuditEventRecord[];
  /** Counter that keeps generated ids unique and reproducible across runs of the same calls. */
  idSequence: number;
}
