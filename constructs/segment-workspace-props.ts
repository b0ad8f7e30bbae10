import { z } from 'zod';
import { AccessLevel, Environment, PlanTier, Region, ResourceFlavor, WorkspaceRole } from '../model/enums';
import { APP_ID_PATTERN, DEFAULT_APP_ID, DEFAULT_RECORD_KEY_ENV_VAR, MAX_RECORD_NAME_LENGTH, RECORD_NAME_OVERHEAD, RECORD_PREFIX_PATTERN } from '../model/desired-state';
import { Executor } from './executor';
import type { RolePreset } from '../model/role-presets';
import { ControlAcknowledgement, ControlRuleId } from '../model/control-acknowledgements';
import { DEFAULT_PRIVILEGED_ROLES, SeparationOfDuties, SodRuleId } from '../model/separation-of-duties';
import { emailSchema, envVarName, labelsSchema, nonEmpty, recordKeyVariableName } from './schemas';

export interface SourceDefinition {
  /** Segment source id. */
  readonly id: string;
  /** A name grants may use instead of the id, e.g. "web". */
  readonly name: string;
  /** Labels set on the source in Segment, e.g. { environment: 'prod' }. @default {} */
  readonly labels?: Record<string, string>;
}

export interface WarehouseDefinition {
  readonly id: string;
  readonly name: string;
}

export interface SsoSettings {
  /** Whether the workspace requires SSO login. */
  readonly enforced: boolean;
  /** Email domains the identity provider authenticates. @default [] */
  readonly domains?: string[];
}

export interface ScimSettings {
  /** Whether the identity provider provisions users with SCIM (then use group grants, not invites). */
  readonly enabled: boolean;
}

export interface SegmentWorkspaceProps {
  /** The workspace id, as `GET /` returns it. Checked before every write. */
  readonly workspaceId: string;
  /** The workspace slug (the part of the app URL after /). */
  readonly slug: string;
  /** The workspace's display name. */
  readonly displayName: string;
  /** The environment this workspace serves; must match the stack's. */
  readonly environment: Environment;
  /** Data region. @default Region.US */
  readonly region?: Region;
  /** NAME of the environment variable that holds this workspace's Public API token. @default 'PUBLIC_API_TOKEN' */
  readonly tokenEnvVar?: string;
  /** SSO settings. @default - SSO not enforced */
  readonly sso?: SsoSettings;
  /** SCIM settings. @default - SCIM not enabled */
  readonly scim?: ScimSettings;
  /**
   * The workspace's Segment plan. TEAM offers only Workspace Owner and Source Admin and no user groups:
   * its presets are TEAM_ROLE_PRESETS, and it must be `authoritative` (no record groups). @default PlanTier.BUSINESS
   */
  readonly planTier?: PlanTier;
  /** Seats the plan allows (users plus pending invites). @default - no limit checked */
  readonly seatLimit?: number;
  /** Sources grants may refer to by name; when given, every source reference must be in it. @default - any id accepted */
  readonly sources?: SourceDefinition[];
  /** Warehouses grants may refer to by name. @default - any id accepted */
  readonly warehouses?: WarehouseDefinition[];
  /** Replaces entries of the role preset table for this workspace. @default - DEFAULT_ROLE_PRESETS */
  readonly rolePresets?: Partial<Record<Exclude<WorkspaceRole, WorkspaceRole.CUSTOM>, RolePreset>>;
  /** Remove every member not declared here and not retained. @default false (only members this code manages are touched) */
  readonly authoritative?: boolean;
  /** Emails never removed, even when authoritative (break-glass owners, SCIM admins). @default [] */
  readonly retainEmails?: string[];
  /**
   * Prefix of the permission-less user groups that record in Segment whom this code manages: letters,
   * digits, "_", "." or "-" (no ":", the separator). @default 'segment-access'
   */
  readonly recordPrefix?: string;
  /**
   * A stable name for the app (usually the repository) that manages this workspace: it namespaces the
   * record of managed users, so apps sharing a workspace never remove or re-permission each other's
   * users. Changing it later releases everything recorded under the old name (as changing recordPrefix does).
   * @default 'default'
   */
  readonly appId?: string;
  /**
   * NAME of the environment variable holding the record key, which signs the record of managed users so
   * nobody without it can make the app act (generate one with `segment-access keygen`; a control setting,
   * shown in the plan). It follows the token variables' rule: upper case, starting with "SEGMENT_".
   * @default 'SEGMENT_ACCESS_RECORD_KEY'
   */
  readonly recordKeyEnvVar?: string;
  /**
   * Read records written before app ids (`<recordPrefix>:<fingerprint>...`, `<recordPrefix>:group-grant:...`)
   * and migrate them into this app's signed record: only those the audit trail shows this app's token
   * created, and never while another app keeps records on the workspace. @default false
   */
  readonly migrateLegacyRecords?: boolean;
  /**
   * Check the record of managed users against Segment's audit trail (its second, independent source)
   * before removing anyone, and finish runs that were interrupted. Needs a token that can read the
   * Audit Trail (Business tier). false trusts the record alone: damage to it then goes unnoticed.
   * @default true
   */
  readonly useAuditTrail?: boolean;
  /** Who to contact about access to this workspace (hand-off notes). @default - none */
  readonly accessContact?: string;
  /** Email domains allowed for this workspace's collaborators (guardrail). @default - any domain */
  readonly allowedEmailDomains?: string[];
  /** How Terraform's local-exec starts the executor. @default Executor.bundled() */
  readonly executor?: Executor;
  /** The Terraform resource type to synthesize. @default ResourceFlavor.TERRAFORM_DATA (no provider download) */
  readonly resourceFlavor?: ResourceFlavor;
  /**
   * Reviewed decisions to use a control setting that widens what a deploy may do: `authoritative: true`
   * (SA-CTRL-001), `useAuditTrail: false` (SA-CTRL-002), an executor other than the bundled one
   * (SA-CTRL-003). Each is a guardrail error without one; each is shown in `cdktf plan` and the inventory.
   * @default [] (none of those settings used)
   */
  readonly acknowledgements?: ControlAcknowledgement[];
  /**
   * How the separation-of-duties rules apply here (SA-SOD-001 requester is not the grantee, SA-SOD-002
   * independent approver of privileged grants, SA-SOD-003 a raised override's own approval): which
   * roles count as privileged, and rules waived with a reason. Shown in `cdktf plan` and the inventory.
   * @default - every rule enforced; OWNER and ADMIN privileged
   */
  readonly separationOfDuties?: SeparationOfDuties;
}

const domainSchema = z
  .string()
  .regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, { error: 'a domain such as "agency.example" (no "@", no scheme)' });

const RolePresetSchema = z
  .object({
    workspaceRoles: z.array(nonEmpty('a Segment role name')).min(1),
    unscopedRoles: z.array(nonEmpty('a Segment role name')).optional(),
    sourceRoles: z.partialRecord(z.enum(AccessLevel), nonEmpty('a Segment role name')).optional(),
    warehouseRoles: z.partialRecord(z.enum(AccessLevel), nonEmpty('a Segment role name')).optional(),
    description: nonEmpty('a plain-words description'),
  })
  .strict();

export const WorkspacePropsSchema = z
  .object({
    workspaceId: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, { error: 'a Segment workspace id (letters, digits, "_" or "-")' }),
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'a workspace slug: lowercase letters, digits and dashes' }),
    displayName: nonEmpty('the workspace display name'),
    environment: z.enum(Environment),
    region: z.enum(Region).default(Region.US),
    tokenEnvVar: envVarName.default('PUBLIC_API_TOKEN'),
    sso: z
      .object({ enforced: z.boolean(), domains: z.array(domainSchema).default([]) })
      .strict()
      .default({ enforced: false, domains: [] }),
    scim: z.object({ enabled: z.boolean() }).strict().default({ enabled: false }),
    planTier: z.enum(PlanTier).default(PlanTier.BUSINESS),
    seatLimit: z.number().int().positive({ error: 'a whole number of seats above 0' }).optional(),
    sources: z
      .array(z.object({ id: nonEmpty('a source id'), name: nonEmpty('a source name'), labels: labelsSchema.default({}) }).strict())
      .default([]),
    warehouses: z.array(z.object({ id: nonEmpty('a warehouse id'), name: nonEmpty('a warehouse name') }).strict()).default([]),
    // CUSTOM has no preset to override: its grants list their permissions.
    rolePresets: z.partialRecord(z.enum(WorkspaceRole).exclude([WorkspaceRole.CUSTOM]), RolePresetSchema).default({}),
    authoritative: z.boolean().default(false),
    retainEmails: z.array(emailSchema).default([]),
    recordPrefix: z
      .string()
      .regex(RECORD_PREFIX_PATTERN, { error: 'a short prefix of 3 to 40 letters, digits, "_", "." or "-" (no ":": it separates the parts of a record name)' })
      .default('segment-access'),
    appId: z
      .string()
      .regex(APP_ID_PATTERN, { error: 'a stable app name: 2 to 40 lowercase letters, digits or "-", starting with a letter (e.g. "acme-data-access")' })
      .refine((id) => id !== 'group-grant', { error: 'any app name except "group-grant" (it is a record keyword)' })
      .default(DEFAULT_APP_ID),
    recordKeyEnvVar: recordKeyVariableName.default(DEFAULT_RECORD_KEY_ENV_VAR),
    migrateLegacyRecords: z.boolean().default(false),
    useAuditTrail: z.boolean().default(true),
    accessContact: nonEmpty('a contact').optional(),
    allowedEmailDomains: z.array(domainSchema).optional(),
    executor: z.custom<Executor>((value) => value instanceof Executor, { error: 'Executor.bundled() or Executor.command([...])' }).default(() => Executor.bundled()),
    resourceFlavor: z.enum(ResourceFlavor).default(ResourceFlavor.TERRAFORM_DATA),
    acknowledgements: z
      .array(
        z
          .object({
            ruleId: z.enum(ControlRuleId),
            reason: z.string({ error: 'a written reason' }).trim().min(10, { error: 'a written reason of at least 10 characters' }),
          })
          .strict(),
      )
      .default([]),
    separationOfDuties: z
      .object({
        privilegedRoles: z
          .array(z.enum(WorkspaceRole).exclude([WorkspaceRole.CUSTOM]))
          .min(1, { error: 'at least one role (OWNER at least: waive SA-SOD-002 instead to drop the rule)' })
          .refine((roles) => roles.includes(WorkspaceRole.OWNER), { error: 'a list that includes OWNER (an Owner grant is always privileged)' })
          .default([...DEFAULT_PRIVILEGED_ROLES]),
        waivers: z
          .array(
            z
              .object({
                ruleId: z.enum(SodRuleId),
                reason: z.string({ error: 'a written reason' }).trim().min(10, { error: 'a written reason of at least 10 characters' }),
              })
              .strict(),
          )
          .default([])
          .refine((w) => new Set(w.map((x) => x.ruleId)).size === w.length, { error: 'one waiver per rule' }),
      })
      .strict()
      .default({ privilegedRoles: [...DEFAULT_PRIVILEGED_ROLES], waivers: [] }),
  })
  .strict()
  .superRefine((p, ctx) => {
    // Record names must stay short (Segment documents no limit): records.ts MAX_RECORD_NAME_LENGTH.
    const room = MAX_RECORD_NAME_LENGTH - RECORD_NAME_OVERHEAD;
    if (p.recordPrefix.length + p.appId.length > room) {
      ctx.addIssue({
        code: 'custom',
        path: ['appId'],
        input: `${p.recordPrefix}:${p.appId}`,
        message: `a recordPrefix and appId of at most ${room} characters together (record names stay within ${MAX_RECORD_NAME_LENGTH}; these have ${p.recordPrefix.length + p.appId.length})`,
      });
    }
  });

export const WORKSPACE_FIX_HINTS = {
  tokenEnvVar: 'give the NAME of the variable that holds the token (e.g. "SEGMENT_PROD_TOKEN", or "PUBLIC_API_TOKEN"); the token itself never goes in code, and no other system\'s secret may be named.',
  environment: 'use Environment.PROD, STAGING or DEV.',
  region: 'use Region.US or Region.EU.',
  executor: 'pass Executor.bundled() (the default) or Executor.command(["segment-access"]) for an installed binary.',
  resourceFlavor: 'use ResourceFlavor.TERRAFORM_DATA (built into Terraform >= 1.4) or ResourceFlavor.NULL_RESOURCE (needs hashicorp/null).',
  appId: 'name the app once and keep it, e.g. appId: "acme-data-access"; every app sharing a workspace needs its own.',
  recordPrefix: 'keep the default "segment-access", or use letters, digits, "_", "." and "-" only.',
  recordKeyEnvVar: 'give the NAME of the variable that holds the record key, e.g. "SEGMENT_ACCESS_RECORD_KEY"; the key itself never goes in code.',
  planTier: 'use PlanTier.BUSINESS or PlanTier.TEAM (the plan shown in Segment under Settings > Usage & billing).',
  'acknowledgements.*.ruleId': `acknowledge one of ${Object.values(ControlRuleId).join(', ')} (ControlRuleId).`,
  'acknowledgements.*.reason': 'say why the workspace needs this setting; reviewers read it in the plan and the inventory.',
  'separationOfDuties.privilegedRoles': 'list the roles whose approver must be independent, e.g. [WorkspaceRole.OWNER, WorkspaceRole.ADMIN].',
  'separationOfDuties.waivers.*.ruleId': `waive one of ${Object.values(SodRuleId).join(', ')} (SodRuleId).`,
  'separationOfDuties.waivers.*.reason': 'say why this workspace does not enforce the rule; reviewers read it in the plan and the inventory.',
};
