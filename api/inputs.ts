import type { ResourceType } from '../model/enums';

// Request bodies, shaped exactly as Segment expects them (design.md section 3).

/** `ResourceType` enum members or their string values. */
export type ResourceTypeName = ResourceType | `${ResourceType}`;

export interface LabelInputV1 {
  readonly key: string;
  readonly value: string;
}

export interface PermissionResourceInputV1 {
  readonly id: string;
  readonly type: ResourceTypeName;
  /** For users and groups, labels sit on the resource. */
  readonly labels?: readonly LabelInputV1[];
}

export interface PermissionInputV1 {
  readonly roleId: string;
  readonly resources: readonly PermissionResourceInputV1[];
}

export interface InvitePermissionV1 {
  readonly roleId: string;
  readonly resources?: readonly { readonly id: string; readonly type: ResourceTypeName }[];
  /** For invites, labels sit on the permission, not on the resource. */
  readonly labels?: readonly LabelInputV1[];
}

export interface InviteInputV1 {
  readonly email: string;
  readonly permissions?: readonly InvitePermissionV1[];
}
