import { z } from 'zod';
import {
  AcceptedInviteAccess,
  AuditCursor,
  AuditEventNames,
  AuditResourceTypes,
  BatchDeleteUnknown,
  DuplicateGroupNames,
  EmailCase,
  ErrorTypes,
  ExistingInvitee,
  PageSizeLimit,
  SsoProvisioning,
} from './behaviours';

/**
 * Behaviours Segment does not document, kept as settings so a test or demo can choose them
 * (docs/emulator-and-assumptions.md: each setting, its source or "not documented", and the profiles).
 * Every default is the emulator's original choice.
 */
export const emulatorSettingsSchema = z
  .object({
    /** Segment's docs say invites "expire within a few days"; the onboarding checklist says 7. */
    inviteExpiryDays: z.number().positive().default(7),
    /** Refuse any change that leaves a workspace without a Workspace Owner. */
    protectLastOwner: z.boolean().default(true),
    /** Refuse invites beyond a workspace's `seatLimit` (users + pending invites). */
    enforceSeatLimits: z.boolean().default(true),
    /**
     * Accept exactly Segment's documented inputs: unknown body fields, repeated or `[]` query keys,
     * a lower-case `bearer` scheme and bodies without `Content-Type: application/json` are 422s or 401s.
     */
    strict: z.boolean().default(true),
    emailCase: z.enum(EmailCase).default(EmailCase.LOWER_CASED),
    duplicateGroupNames: z.enum(DuplicateGroupNames).default(DuplicateGroupNames.REFUSED_409),
    existingInvitee: z.enum(ExistingInvitee).default(ExistingInvitee.CONFLICT_409),
    acceptedInviteAccess: z.enum(AcceptedInviteAccess).default(AcceptedInviteAccess.INVITE_PERMISSIONS),
    ssoProvisioning: z.enum(SsoProvisioning).default(SsoProvisioning.OFF),
    batchDeleteUnknown: z.enum(BatchDeleteUnknown).default(BatchDeleteUnknown.REFUSE_WHOLE_CALL),
    auditCursor: z.enum(AuditCursor).default(AuditCursor.OFFSET),
    auditEventNames: z.enum(AuditEventNames).default(AuditEventNames.SDK),
    auditResourceTypes: z.enum(AuditResourceTypes).default(AuditResourceTypes.UPPER_SNAKE),
    /** Events older than this are gone (segment-docs iam/audit-trail.md: "90 day Audit Trail"); null keeps all. */
    auditRetentionDays: z.number().int().positive().nullable().default(null),
    maxPageCount: z.enum(PageSizeLimit).default(PageSizeLimit.SDK_1000),
    /** Longest user-group name accepted (not documented). */
    maxGroupNameLength: z.number().int().positive().default(200),
    /** Custom labels a workspace may hold (the plan's limit, e.g. five; not documented for the API); null: no limit. */
    customLabelLimit: z.number().int().nonnegative().nullable().default(null),
    /** Every object in a response carries fields no v73 model has, as a later API version may add. */
    extraResponseFields: z.boolean().default(false),
    errorTypes: z.enum(ErrorTypes).default(ErrorTypes.EMULATOR),
  })
  .strict();

export type EmulatorSettings = z.infer<typeof emulatorSettingsSchema>;
export type EmulatorSettingsInput = z.input<typeof emulatorSettingsSchema>;

export const DAY_MS = 24 * 60 * 60 * 1000;

export function inviteTtlMs(settings: EmulatorSettings): number {
  return settings.inviteExpiryDays * DAY_MS;
}
