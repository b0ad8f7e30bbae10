import type { AuditEventV1 } from '../api/schemas';
import { normalizeEmail } from '../model/canonical';
import type { LiveState } from '../reconciler/live-state';

/** Segment keeps 90 days of audit trail (segment-docs src/monitor/audit-trail.md). */
export const AUDIT_TRAIL_DAYS = 90;

/**
 * Access-management event types, as the SDK's IAM endpoint docs name them (api/iAMUsersApi.ts,
 * api/iAMGroupsApi.ts, api/labelsApi.ts) plus those of segment-docs iam/audit-trail.md.
 */
const ACCESS_EVENT_TYPES = new Set([
  'New Segment User Invited to Workspace',
  'Non-Segment User Invited to Workspace',
  'User Invite Sent',
  'Invite Deleted',
  'User Invite Deleted',
  'User Added via SSO',
  'User Removed',
  'Policy Created',
  'Policy Deleted',
  'User Policy Updated',
  'Group Memberships Deleted',
  'User Group Created',
  'User Group Updated',
  'User Group Deleted',
  'User Group Policy Updated',
  'Subjects Added to Group',
  'User Added To User Group',
  'User Removed From User Group',
  'Label Created',
  'Label Deleted',
]);

const INVITE_EVENT_TYPES = new Set(['New Segment User Invited to Workspace', 'Non-Segment User Invited to Workspace', 'User Invite Sent']);

export interface AuditTrailEvent {
  readonly timestamp: string;
  readonly type: string;
  readonly actor: string;
  readonly actorEmail: string | null;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName: string;
}

/** The audit trail as evidence for one workspace, or why it could not be read. */
export type AuditTrailEvidence =
  | {
      readonly available: true;
      /** Start of the window read (ISO). */
      readonly since: string;
      /** Actors this code acts as: those that wrote its record groups. */
      readonly ourActors: readonly string[];
      /** The latest event by this code: its last deploy that wrote anything. */
      readonly lastDeployAt: string | null;
      /** Access changes by anyone else since `lastDeployAt` (or in the whole window): drift with an actor. */
      readonly outsideChanges: readonly AuditTrailEvent[];
      /** Every access-management event in the window, newest first. */
      readonly events: readonly AuditTrailEvent[];
    }
  | { readonly available: false; readonly reason: string };

/** Events read through the API, with what the audit needs from them. */
export interface AuditTrail {
  readonly since: string;
  readonly events: readonly AuditEventV1[];
  /** This app's actors, proven by its signed intents (reconciler/evidence.ts); none when they could not be. */
  readonly ourActors?: readonly string[];
}

function plain(event: AuditEventV1): AuditTrailEvent {
  return {
    timestamp: event.timestamp,
    type: event.type,
    actor: event.actor,
    actorEmail: event.actorEmail ?? null,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    resourceName: event.resourceName,
  };
}

/**
 * Who this code is in the trail: the actors its signed intents prove (reconciler/evidence.ts). Never
 * guessed from record names: anyone can create a group with one.
 */
function ourActors(trail: AuditTrail): Set<string> {
  return new Set(trail.ourActors ?? []);
}

export function auditTrailEvidence(trail: AuditTrail): AuditTrailEvidence {
  const ours = ourActors(trail);
  const access = trail.events.filter((e) => ACCESS_EVENT_TYPES.has(e.type)).sort(newestFirst);
  const lastDeployAt = access.find((e) => ours.has(e.actor))?.timestamp ?? null;
  const after = lastDeployAt === null ? -Infinity : Date.parse(lastDeployAt);
  const outsideChanges = access.filter((e) => !ours.has(e.actor) && Date.parse(e.timestamp) > after).map(plain);
  return { available: true, since: trail.since, ourActors: [...ours].sort(), lastDeployAt, outsideChanges, events: access.map(plain) };
}

/** When, and by whom, an email was last invited according to the trail. */
export function lastInvite(trail: AuditTrail | undefined, email: string): { readonly at: string; readonly actor: string } | undefined {
  const event = trail?.events
    .filter((e) => INVITE_EVENT_TYPES.has(e.type) && normalizeEmail(e.resourceName) === email)
    .sort(newestFirst)[0];
  return event && { at: event.timestamp, actor: event.actorEmail ?? event.actor };
}

/** The latest change to a user's access by someone other than this code. */
export function lastOutsideChange(trail: AuditTrail | undefined, live: LiveState, email: string): { readonly at: string; readonly actor: string; readonly type: string } | undefined {
  if (!trail) return undefined;
  const ours = ourActors(trail);
  const userId = live.users.get(email)?.id;
  const event = trail.events
    .filter((e) => ACCESS_EVENT_TYPES.has(e.type) && !ours.has(e.actor) && (e.resourceId === userId || normalizeEmail(e.resourceName) === email))
    .sort(newestFirst)[0];
  return event && { at: event.timestamp, actor: event.actorEmail ?? event.actor, type: event.type };
}

function newestFirst(a: AuditEventV1, b: AuditEventV1): number {
  return Date.parse(b.timestamp) - Date.parse(a.timestamp);
}
