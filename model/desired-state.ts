import { z } from 'zod';
import { AccessLevel, CollaboratorKind, PlanTier, Region, ResourceType, WorkspaceRole } from './enums';
import { isTokenVariableName, TOKEN_VARIABLE_CONVENTION } from './token-variable-names';

/**
 * The file the executor consumes: one per workspace, written beside the stack at synth.
 * Bump DESIRED_STATE_VERSION on any incompatible change; the executor refuses versions it does not know.
 */
export const DESIRED_STATE_VERSION = 1;

export const LabelSchema = z.object({ key: z.string().min(1), value: z.string().min(1) });

export const PermissionResourceSchema = z.object({
  type: z.enum(ResourceType),
  id: z.string().min(1),
  labels: z.array(LabelSchema),
});

/** A permission by role NAME: ids are resolved with `GET /roles` at apply time. */
export const DesiredPermissionSchema = z.object({
  roleName: z.string().min(1),
  resources: z.array(PermissionResourceSchema).min(1),
});

export const AuditFieldsSchema = z.object({
  ticket: z.string().nullable(),
  requestedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  justification: z.string().nullable(),
});

export const SourceGrantSchema = z.object({ id: z.string(), name: z.string(), level: z.enum(AccessLevel) });
export const DestinationGrantSchema = z.object({ name: z.string(), sourceId: z.string(), sourceName: z.string() });
export const WarehouseGrantSchema = z.object({ id: z.string(), name: z.string(), level: z.enum(AccessLevel) });
export const LabelGrantSchema = z.object({ key: z.string(), value: z.string(), level: z.enum(AccessLevel) });

/** What a grant gives, shared by individual and group grants. */
const GrantBodySchema = z.object({
  role: z.enum(WorkspaceRole),
  permissions: z.array(DesiredPermissionSchema),
  /** sha256 of the canonical permissions: names the record group that remembers what was granted. */
  fingerprint: z.string().regex(/^[0-9a-f]{12}$/),
  allSources: z.object({ level: z.enum(AccessLevel) }).nullable(),
  sources: z.array(SourceGrantSchema),
  sourceLabels: z.array(LabelGrantSchema),
  destinations: z.array(DestinationGrantSchema),
  warehouses: z.array(WarehouseGrantSchema),
  audit: AuditFieldsSchema,
  /** Construct path of the grant, for messages. */
  path: z.string(),
});

export const DesiredCollaboratorSchema = GrantBodySchema.extend({
  email: z.email(),
  displayName: z.string(),
  organization: z.string().nullable(),
  kind: z.enum(CollaboratorKind),
  /** ISO date (UTC) on which access is removed; null = no expiry. */
  expiresOn: z.iso.date().nullable(),
});

export const DesiredGroupGrantSchema = GrantBodySchema.extend({
  groupName: z.string().min(1),
});

export const DesiredWorkspaceSchema = z.object({
  id: z.string().min(1),
  slug: z.string().min(1),
  name: z.string().min(1),
  environment: z.string().min(1),
  region: z.enum(Region),
  appUrl: z.url(),
  /** NAME of the environment variable holding the token. The value is never written anywhere. */
  tokenEnvVar: z.string().refine(isTokenVariableName, { error: `a token variable name: ${TOKEN_VARIABLE_CONVENTION}` }),
  seatLimit: z.number().int().positive().nullable(),
  sso: z.object({ enforced: z.boolean(), domains: z.array(z.string()) }),
  scim: z.object({ enabled: z.boolean() }),
  accessContact: z.string().nullable(),
  /**
   * The declared plan. Written only for TEAM, so a Business workspace's file (and its digest) is the
   * same as before plan tiers existed; absent means BUSINESS (read it with `planTierOf`).
   */
  planTier: z.enum(PlanTier).optional(),
});

/** What an app id may be: it names record groups, so it is short, lowercase and has no ":" (the separator). */
export const APP_ID_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;
/** The app id of code that declares none. */
export const DEFAULT_APP_ID = 'default';
/** What a record prefix may be: it starts every record name, so it has no ":" (the separator) either. */
export const RECORD_PREFIX_PATTERN = /^[A-Za-z0-9_.-]{3,40}$/;
/**
 * Record names are the prefix and the app id plus at most this many characters (the longest is an
 * intent: `:intent:<stamp>:<digest>:<nonce>:<signature>`; see reconciler/records.ts).
 */
export const RECORD_NAME_OVERHEAD = 68;
/**
 * The longest user group name we let the record use. Segment documents no limit on group names (nor
 * does its Terraform provider); 122 keeps clear of the common 128 and reads in its UI. Synth refuses a
 * prefix and app id that would exceed it.
 */
export const MAX_RECORD_NAME_LENGTH = 122;
/** The variable the record key is read from when the workspace names none. */
export const DEFAULT_RECORD_KEY_ENV_VAR = 'SEGMENT_ACCESS_RECORD_KEY';

/**
 * The release anchor's shape, told to its destroy provisioner: "2" keeps only the identity in its
 * triggers (token variable and region are input, updated in place); "1" is an anchor of an older
 * version (the token variable and API URL in its triggers), which this version replaces on its first
 * deploy. Releasing then would remove everyone only to invite them again: release does nothing.
 */
export const ANCHOR_FORMAT = '2';
export const LEGACY_ANCHOR_FORMAT = '1';

export const ManagementSchema = z.object({
  /** Prefix of the permission-less user groups that record, in Segment itself, whom this code manages. */
  recordPrefix: z.string().regex(RECORD_PREFIX_PATTERN),
  /** The app that owns the record: a stable identity declared in code, so apps sharing a workspace keep apart. */
  appId: z.string().regex(APP_ID_PATTERN).default(DEFAULT_APP_ID),
  /**
   * NAME of the environment variable holding the record key (the key itself is never written anywhere).
   * Absent in files of earlier versions: DEFAULT_RECORD_KEY_ENV_VAR.
   */
  recordKeyEnvVar: z.string().regex(/^SEGMENT_[A-Z0-9_]*$/).optional(),
  /** Read records written before app ids (`<prefix>:<fingerprint>...`) and migrate them; never when other apps keep records here. @default false */
  migrateLegacyRecords: z.boolean().optional(),
  /** Check the record against Segment's audit trail (its second, independent source) before removing anyone. */
  useAuditTrail: z.boolean().default(true),
  /** When true, every member not declared and not retained is removed. */
  authoritative: z.boolean(),
  /** Emails never removed, even when authoritative. */
  retain: z.array(z.string()),
});

/** A grant left out because it has ended: kept so audits can report access that outlived it. */
export const ExpiredGrantSchema = z.object({ email: z.email(), expiresOn: z.iso.date(), path: z.string() });

export const DesiredStateSchema = z.object({
  schemaVersion: z.literal(DESIRED_STATE_VERSION),
  stack: z.string(),
  workspace: DesiredWorkspaceSchema,
  management: ManagementSchema,
  collaborators: z.array(DesiredCollaboratorSchema),
  groupGrants: z.array(DesiredGroupGrantSchema),
  expired: z.array(ExpiredGrantSchema),
});

export type Label = z.infer<typeof LabelSchema>;
export type PermissionResource = z.infer<typeof PermissionResourceSchema>;
export type DesiredPermission = z.infer<typeof DesiredPermissionSchema>;
export type AuditFields = z.infer<typeof AuditFieldsSchema>;
export type DesiredCollaborator = z.infer<typeof DesiredCollaboratorSchema>;
export type DesiredGroupGrant = z.infer<typeof DesiredGroupGrantSchema>;
export type DesiredWorkspace = z.infer<typeof DesiredWorkspaceSchema>;
export type DesiredState = z.infer<typeof DesiredStateSchema>;
export type ExpiredGrant = z.infer<typeof ExpiredGrantSchema>;

export function planTierOf(workspace: Pick<DesiredWorkspace, 'planTier'>): PlanTier {
  return workspace.planTier ?? PlanTier.BUSINESS;
}
export type GrantBody = z.infer<typeof GrantBodySchema>;
