import type { AuditEventV1 } from '../api/schemas';
import {
  AuditCursor,
  AuditEventNames,
  AuditResourceTypes,
  DuplicateGroupNames,
  EmailCase,
  EmulatorProfile,
  PageSizeLimit,
  PROFILE_SETTINGS,
  SsoProvisioning,
  type EmulatorSettings,
  type EmulatorSettingsInput,
} from '../emulator';
import { emulatorSettingsSchema } from '../emulator/settings';
import { customLabelKeys } from '../emulator/workspace-labels';

/** A behaviour Segment does not document, as this workspace shows it, and the emulator setting that matches. */
export interface Observation {
  readonly behaviour: string;
  /** The emulator setting for this behaviour; absent where the emulator has one answer (and the client relies on it). */
  readonly setting?: keyof EmulatorSettings;
  /** The setting's value that matches what was seen; undefined when reading cannot tell. */
  readonly matches: EmulatorSettings[keyof EmulatorSettings] | undefined;
  /** What was seen (counts and names, never an email or a token). */
  readonly evidence: string;
  /** Something the team should look at before a real deploy. */
  readonly warning?: string;
}

/** Behaviours only a write would show: the test matrix runs every alternative of each. */
export const NOT_OBSERVABLE_READ_ONLY: readonly { readonly behaviour: string; readonly setting: keyof EmulatorSettings }[] = [
  { behaviour: 'inviting someone already there', setting: 'existingInvitee' },
  { behaviour: 'what an accepted invite becomes', setting: 'acceptedInviteAccess' },
  { behaviour: 'a batch delete naming something unknown', setting: 'batchDeleteUnknown' },
  { behaviour: 'the longest user-group name', setting: 'maxGroupNameLength' },
  { behaviour: 'error types of a later API version', setting: 'errorTypes' },
];

/** Event names only the in-app Audit Trail uses (segment-docs iam/audit-trail.md), and only the SDK's endpoint docs use. */
const IN_APP_ONLY = new Set(['User Invite Sent', 'User Invite Deleted', 'User Group Updated']);
const SDK_ONLY = new Set(['New Segment User Invited to Workspace', 'Non-Segment User Invited to Workspace', 'Invite Deleted', 'Subjects Added to Group', 'User Removed From User Group', 'Group Memberships Deleted']);
const INVITE_EVENTS = new Set(['User Invite Sent', 'New Segment User Invited to Workspace', 'Non-Segment User Invited to Workspace']);
/** segment-docs iam/labels.md: "All Segment workspaces can create up to five custom labels". */
export const DOCUMENTED_CUSTOM_LABELS = 5;
/** segment-docs iam/audit-trail.md: "an in-app 90 day Audit Trail". */
export const DOCUMENTED_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface ReadOnlyEvidence {
  /** Emails of members and pending invites, as Segment returned them. */
  readonly emails: readonly string[];
  readonly groupNames: readonly string[];
  readonly labels: readonly { readonly key: string }[];
  /** Undefined when the trail could not be read (or the plan has none). */
  readonly events: readonly AuditEventV1[] | undefined;
  /** The `next` cursor of a one-event page of the trail. */
  readonly cursorSample: string | undefined;
  /** Whether GET /roles took `pagination.count=1000`. */
  readonly pagesOf1000: boolean;
  readonly now: Date;
}

export function observe(evidence: ReadOnlyEvidence): Observation[] {
  return [
    emailCase(evidence.emails),
    ...(evidence.events ? [eventNames(evidence.events), resourceTypes(evidence.events), inviteEventFields(evidence.events), retention(evidence.events, evidence.now), ssoJoins(evidence.events)] : []),
    ...(evidence.events ? [cursor(evidence.cursorSample)] : []),
    pageSize(evidence.pagesOf1000),
    duplicateGroups(evidence.groupNames),
    customLabels(evidence.labels),
  ];
}

/** The emulator settings a team can run the test matrix under: every matching value observed. */
export function observedSettings(observations: readonly Observation[]): EmulatorSettingsInput {
  const settings: Record<string, unknown> = {};
  for (const o of observations) if (o.setting && o.matches !== undefined) settings[o.setting] = o.matches;
  return settings as EmulatorSettingsInput;
}

/** The profile that agrees with the most observed values (the defaults on a tie). */
export function closestProfile(observed: EmulatorSettingsInput): EmulatorProfile {
  const keys = Object.keys(observed) as (keyof EmulatorSettings)[];
  let best = EmulatorProfile.DEFAULTS;
  let bestScore = -1;
  for (const profile of Object.values(EmulatorProfile)) {
    const settings = emulatorSettingsSchema.parse(PROFILE_SETTINGS[profile]);
    const score = keys.filter((key) => settings[key] === observed[key]).length;
    if (score > bestScore) [best, bestScore] = [profile, score];
  }
  return best;
}

function emailCase(emails: readonly string[]): Observation {
  const withCapitals = emails.filter((email) => email !== email.toLowerCase()).length;
  return withCapitals > 0
    ? { behaviour: 'email case', setting: 'emailCase', matches: EmailCase.PRESERVED, evidence: `${withCapitals} of ${emails.length} member and invite emails have capitals: Segment keeps the case it was given` }
    : { behaviour: 'email case', setting: 'emailCase', matches: undefined, evidence: `all ${emails.length} member and invite emails are lower case: consistent with either setting` };
}

function eventNames(events: readonly AuditEventV1[]): Observation {
  const inApp = [...new Set(events.map((e) => e.type).filter((t) => IN_APP_ONLY.has(t)))].sort();
  const sdk = [...new Set(events.map((e) => e.type).filter((t) => SDK_ONLY.has(t)))].sort();
  const matches = inApp.length && !sdk.length ? AuditEventNames.IN_APP : sdk.length && !inApp.length ? AuditEventNames.SDK : undefined;
  const seen = [...inApp, ...sdk].map((t) => `"${t}"`).join(', ') || 'no access-management event that tells them apart';
  return { behaviour: 'audit event names', setting: 'auditEventNames', matches, evidence: `${seen} (the client reads both namings)` };
}

/** The record check needs the invitee's email in each invite event (resourceName or resourceId). */
function inviteEventFields(events: readonly AuditEventV1[]): Observation {
  const invites = events.filter((e) => INVITE_EVENTS.has(e.type));
  const withEmail = invites.filter((e) => [e.resourceName, e.resourceId].some((field) => field.includes('@'))).length;
  const observation: Observation = {
    behaviour: 'invite events',
    matches: undefined,
    evidence: `${withEmail} of ${invites.length} invite events name the invitee's email (the record check relies on it)`,
  };
  return withEmail < invites.length
    ? {
        ...observation,
        warning:
          'some invite events do not name the invitee: the record of managed users cannot be confirmed by the trail for them, ' +
          'so after someone else edits a record group their removal is refused (set useAuditTrail: false only if you accept that weaker check)',
      }
    : observation;
}

function resourceTypes(events: readonly AuditEventV1[]): Observation {
  const types = [...new Set(events.map((e) => e.resourceType))].sort();
  const spelled = types.length === 0 ? undefined : types.every((t) => /^[A-Z_]+$/.test(t)) ? AuditResourceTypes.UPPER_SNAKE : types.every((t) => /^[A-Z][a-z]*( [A-Z][a-z]*)*$/.test(t)) ? AuditResourceTypes.TITLE : undefined;
  return { behaviour: 'audit resource types', setting: 'auditResourceTypes', matches: spelled, evidence: `${types.join(', ') || 'none'} (the client relies on no value)` };
}

function retention(events: readonly AuditEventV1[], now: Date): Observation {
  const oldest = events.reduce((min, e) => Math.min(min, Date.parse(e.timestamp)), Infinity);
  if (oldest === Infinity) return { behaviour: 'audit trail retention', setting: 'auditRetentionDays', matches: undefined, evidence: 'the trail is empty' };
  const days = Math.floor((now.getTime() - oldest) / DAY_MS);
  return days >= DOCUMENTED_RETENTION_DAYS - 1
    ? { behaviour: 'audit trail retention', setting: 'auditRetentionDays', matches: DOCUMENTED_RETENTION_DAYS, evidence: `the oldest event is ${days} days old (Segment's docs: 90 days)` }
    : { behaviour: 'audit trail retention', setting: 'auditRetentionDays', matches: undefined, evidence: `the oldest event is ${days} days old: younger than the 90 days Segment keeps, so the cut-off is not seen` };
}

function ssoJoins(events: readonly AuditEventV1[]): Observation {
  const joins = events.filter((e) => e.type === 'User Added via SSO').length;
  return joins > 0
    ? { behaviour: 'single sign-on joins', setting: 'ssoProvisioning', matches: SsoProvisioning.JUST_IN_TIME_AND_SCIM, evidence: `${joins} "User Added via SSO" events: people join without an invite (left alone unless declared)` }
    : { behaviour: 'single sign-on joins', setting: 'ssoProvisioning', matches: undefined, evidence: 'no "User Added via SSO" event in the trail' };
}

/** Cursors are opaque to the client; the doctor only says which kind the first one looks like. */
function cursor(sample: string | undefined): Observation {
  if (sample === undefined) return { behaviour: 'audit trail cursors', setting: 'auditCursor', matches: undefined, evidence: 'the trail has one page or none: no cursor to look at' };
  const decoded = Buffer.from(sample, 'base64').toString('utf8');
  const offset = /^\d+$/.test(decoded) && Buffer.from(decoded, 'utf8').toString('base64') === sample;
  return offset
    ? { behaviour: 'audit trail cursors', setting: 'auditCursor', matches: AuditCursor.OFFSET, evidence: 'the cursor is a base64 offset, as the other lists page' }
    : { behaviour: 'audit trail cursors', setting: 'auditCursor', matches: AuditCursor.TIME, evidence: 'the cursor is not an offset (taken as time-based; the client sends endTime with the first page only, so either works)' };
}

function pageSize(pagesOf1000: boolean): Observation {
  return pagesOf1000
    ? { behaviour: 'largest page', setting: 'maxPageCount', matches: PageSizeLimit.SDK_1000, evidence: 'GET /roles took pagination.count=1000 (the client reads pages of 200 either way)' }
    : { behaviour: 'largest page', setting: 'maxPageCount', matches: PageSizeLimit.DOCS_200, evidence: 'GET /roles refused pagination.count=1000 (the client reads pages of 200)' };
}

function duplicateGroups(names: readonly string[]): Observation {
  const lower = names.map((n) => n.toLowerCase());
  const repeated = [...new Set(lower.filter((n, i) => lower.indexOf(n) !== i))].length;
  return repeated > 0
    ? { behaviour: 'two user groups with one name', setting: 'duplicateGroupNames', matches: DuplicateGroupNames.ALLOWED, evidence: `${repeated} group name(s) are used by more than one group (the client re-reads before repeating a create, so a lost response makes no second record group)` }
    : { behaviour: 'two user groups with one name', setting: 'duplicateGroupNames', matches: undefined, evidence: `all ${names.length} group names differ: whether Segment allows two is not seen` };
}

function customLabels(labels: readonly { key: string }[]): Observation {
  const keys = customLabelKeys(labels).length;
  const observation: Observation = { behaviour: 'custom labels', setting: 'customLabelLimit', matches: undefined, evidence: `${keys} custom label key(s) in use (environment labels excluded; Segment's docs: up to ${DOCUMENTED_CUSTOM_LABELS})` };
  return keys >= DOCUMENTED_CUSTOM_LABELS
    ? { ...observation, matches: DOCUMENTED_CUSTOM_LABELS, warning: `the workspace is at the ${DOCUMENTED_CUSTOM_LABELS} custom labels Segment's docs allow: label-scoped grants can only use these keys` }
    : observation;
}
