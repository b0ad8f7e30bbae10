import { z } from 'zod';

// Response schemas for the Segment Public API (v1 IAM and workspace endpoints).
// z.object strips unknown keys, so fields Segment adds later are tolerated;
// optional lists come back as [] so callers never branch on "absent".

/** A list that Segment may omit or send as null. */
function listOrEmpty<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);
}

/** AllowedLabelBeta / LabelV1 (SDK model/allowedLabelBeta.ts, model/labelV1.ts). */
export const LabelSchema = z.object({ key: z.string(), value: z.string(), description: z.string().nullish() });

export const PermissionResourceSchema = z.object({
  id: z.string(),
  /** WORKSPACE, SOURCE, WAREHOUSE, FUNCTION or SPACE; kept a string so a new type does not break reads. */
  type: z.string(),
  labels: listOrEmpty(LabelSchema),
});

/**
 * PermissionV1 (SDK model/permissionV1.ts): labels may narrow a permission on each resource and on
 * the permission itself. Both are kept: dropping them would read a label-scoped grant as workspace-wide.
 */
export const PermissionSchema = z.object({
  roleId: z.string(),
  roleName: z.string(),
  resources: listOrEmpty(PermissionResourceSchema),
  labels: listOrEmpty(LabelSchema),
});

export const UserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  permissions: listOrEmpty(PermissionSchema),
});

export const MinimalUserSchema = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const WorkspaceSchema = z.object({ id: z.string(), slug: z.string(), name: z.string() });

export const RoleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z
    .string()
    .nullish()
    .transform((text) => text ?? ''),
});

export const UserGroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  memberCount: z.number(),
  permissions: listOrEmpty(PermissionSchema),
});

export const PaginationSchema = z.object({
  current: z.string().nullish(),
  next: z.string().nullish(),
  previous: z.string().nullish(),
  totalEntries: z.number().nullish(),
});

/** AuditEventV1 (SDK model/auditEventV1.ts). */
export const AuditEventSchema = z.object({
  id: z.string(),
  timestamp: z.string(),
  type: z.string(),
  actor: z.string(),
  actorEmail: z.string().nullish(),
  resourceId: z.string(),
  resourceType: z.string(),
  resourceName: z.string(),
});

/** Delete-style endpoints answer `{ status: "SUCCESS" }`; anything else means the call did not do its job. */
export const StatusSchema = z.object({ status: z.literal('SUCCESS') });

export const WorkspaceDataSchema = z.object({ workspace: WorkspaceSchema });
export const UserDataSchema = z.object({ user: UserSchema });
export const UsersPageSchema = z.object({ users: z.array(UserSchema), pagination: PaginationSchema });
export const InvitesPageSchema = z.object({ invites: z.array(z.string()), pagination: PaginationSchema });
export const CreatedInvitesSchema = z.object({ emails: z.array(z.string()) });
export const RolesPageSchema = z.object({ roles: z.array(RoleSchema), pagination: PaginationSchema });
export const UserGroupsPageSchema = z.object({ userGroups: z.array(UserGroupSchema), pagination: PaginationSchema });
export const UserGroupDataSchema = z.object({ userGroup: UserGroupSchema });
export const PermissionsDataSchema = z.object({ permissions: z.array(PermissionSchema) });
export const GroupUsersPageSchema = z.object({ users: z.array(MinimalUserSchema), pagination: PaginationSchema });
export const GroupInvitesPageSchema = z.object({ emails: z.array(z.string()), pagination: PaginationSchema });
/** ListLabelsV1Output: not paginated (SDK api/labelsApi.ts listLabels takes no pagination). */
export const LabelsDataSchema = z.object({ labels: z.array(LabelSchema) });
/** ListAuditEventsV1Output: `pagination` is optional in v73. */
export const AuditEventsPageSchema = z.object({
  events: z.array(AuditEventSchema),
  pagination: PaginationSchema.nullish().transform((p): z.infer<typeof PaginationSchema> => p ?? {}),
});

/** Every success body is `{ data: ... }`. */
export const SuccessEnvelopeSchema = z.object({ data: z.unknown() });

export const ErrorDetailSchema = z.object({
  type: z.string(),
  message: z.string().optional(),
  field: z.string().optional(),
  data: z.unknown().optional(),
  status: z.number().optional(),
});

/** Every error body is `{ errors: [...] }`; a 429 may add `data.msBeforeNext` beside it. */
export const ErrorEnvelopeSchema = z.object({
  errors: z.array(ErrorDetailSchema).min(1),
  data: z.unknown().optional(),
});

export type LabelV1 = z.infer<typeof LabelSchema>;
export type PermissionResourceV1 = z.infer<typeof PermissionResourceSchema>;
export type PermissionV1 = z.infer<typeof PermissionSchema>;
export type UserV1 = z.infer<typeof UserSchema>;
export type MinimalUserV1 = z.infer<typeof MinimalUserSchema>;
export type WorkspaceV1 = z.infer<typeof WorkspaceSchema>;
export type RoleV1 = z.infer<typeof RoleSchema>;
export type UserGroupV1 = z.infer<typeof UserGroupSchema>;
export type PaginationV1 = z.infer<typeof PaginationSchema>;
export type SegmentApiErrorDetail = z.infer<typeof ErrorDetailSchema>;
export type AuditEventV1 = z.infer<typeof AuditEventSchema>;
