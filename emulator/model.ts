/** Stored shapes of the emulator's workspace data (what `dump()` returns and the state file holds). */

export const RESOURCE_TYPES = ['WORKSPACE', 'SOURCE', 'WAREHOUSE', 'FUNCTION', 'SPACE'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface Label {
  key: string;
  value: string;
}

/** One resource a role is granted on; labels narrow a grant to labelled sources. */
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
  /** ISO timestamp on the emulator clock; Segment invites expire 7 days after this. */
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

export interface SourceRecord extends NamedResource {
  labels: Record<string, string>;
}

export interface WorkspaceRecord {
  id: string;
  slug: string;
  name: string;
  seatLimit?: number;
  sources: SourceRecord[];
  warehouses: NamedResource[];
  functions: NamedResource[];
  spaces: NamedResource[];
  users: UserRecord[];
  invites: InviteRecord[];
  groups: GroupRecord[];
  /** Counter that keeps generated ids unique and reproducible across runs of the same calls. */
  idSequence: number;
}
