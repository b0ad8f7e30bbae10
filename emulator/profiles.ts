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
import type { EmulatorSettingsInput } from './settings';

/**
 * Named combinations of the undocumented behaviours. Between them they take every alternative of every
 * setting at least once (a test checks it), so running the lifecycle under each profile covers them all;
 * `segment-access doctor` says which profile a real workspace looks like.
 */
export enum EmulatorProfile {
  /** The emulator's original choices. */
  DEFAULTS = 'defaults',
  /** Emails kept as given and matched exactly, partial batch deletes, duplicate group names, 422 for existing invitees, time cursors. */
  CASE_PRESERVING = 'case-preserving',
  /** The in-app event names and resource types with 90 days of retention, pages of at most 200, skipped existing invitees, fields and error types from a later API. */
  IN_APP_TRAIL = 'in-app-trail',
  /** Single sign-on with just-in-time members and SCIM, Minimal Workspace Access on accepted invites, five labels, short group names. */
  SSO_WORKSPACE = 'sso-workspace',
}

export const PROFILE_SETTINGS: Readonly<Record<EmulatorProfile, EmulatorSettingsInput>> = {
  [EmulatorProfile.DEFAULTS]: {},
  [EmulatorProfile.CASE_PRESERVING]: {
    emailCase: EmailCase.PRESERVED,
    batchDeleteUnknown: BatchDeleteUnknown.DELETE_THE_REST,
    duplicateGroupNames: DuplicateGroupNames.ALLOWED,
    existingInvitee: ExistingInvitee.VALIDATION_422,
    auditCursor: AuditCursor.TIME,
  },
  [EmulatorProfile.IN_APP_TRAIL]: {
    auditEventNames: AuditEventNames.IN_APP,
    auditResourceTypes: AuditResourceTypes.TITLE,
    auditRetentionDays: 90,
    maxPageCount: PageSizeLimit.DOCS_200,
    existingInvitee: ExistingInvitee.SKIPPED_201,
    duplicateGroupNames: DuplicateGroupNames.REFUSED_422,
    extraResponseFields: true,
    errorTypes: ErrorTypes.UNFAMILIAR,
  },
  [EmulatorProfile.SSO_WORKSPACE]: {
    ssoProvisioning: SsoProvisioning.JUST_IN_TIME_AND_SCIM,
    acceptedInviteAccess: AcceptedInviteAccess.PLUS_MINIMAL_WORKSPACE_ACCESS,
    emailCase: EmailCase.PRESERVED,
    auditCursor: AuditCursor.TIME,
    customLabelLimit: 5,
    maxGroupNameLength: 100,
  },
};

export function profileSettings(profile: EmulatorProfile): EmulatorSettingsInput {
  return { ...PROFILE_SETTINGS[profile] };
}
