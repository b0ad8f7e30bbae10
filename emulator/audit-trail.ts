import { AuditEventNames, AuditResourceTypes } from './behaviours';
import { segmentStyleId } from './ids';
import { AuditEventRecord, WorkspaceRecord } from './model';

/**
 * Event types, as Segment names them in the SDK's endpoint docs ("When called, this endpoint may
 * generate ... audit trail events": api/iAMUsersApi.ts, api/iAMGroupsApi.ts, api/labelsApi.ts), plus
 * "User Removed" and "User Invite Accepted" from segment-docs iam/audit-trail.md.
 */
export const AuditEventType = {
  NEW_SEGMENT_USER_INVITED: 'New Segment User Invited to Workspace',
  NON_SEGMENT_USER_INVITED: 'Non-Segment User Invited to Workspace',
  INVITE_DELETED: 'Invite Deleted',
  INVITE_ACCEPTED: 'User Invite Accepted',
  USER_REMOVED: 'User Removed',
  POLICY_CREATED: 'Policy Created',
  POLICY_DELETED: 'Policy Deleted',
  USER_POLICY_UPDATED: 'User Policy Updated',
  GROUP_MEMBERSHIPS_DELETED: 'Group Memberships Deleted',
  USER_GROUP_CREATED: 'User Group Created',
  USER_GROUP_UPDATED: 'User Group Updated',
  USER_GROUP_DELETED: 'User Group Deleted',
  USER_GROUP_POLICY_UPDATED: 'User Group Policy Updated',
  SUBJECTS_ADDED_TO_GROUP: 'Subjects Added to Group',
  USER_REMOVED_FROM_GROUP: 'User Removed From User Group',
  LABEL_CREATED: 'Label Created',
  LABEL_DELETED: 'Label Deleted',
  /** segment-docs iam/audit-trail.md (the SDK's endpoints cannot cause it). */
  USER_ADDED_VIA_SSO: 'User Added via SSO',
} as const;

const IN_APP = {
  INVITE_SENT: 'User Invite Sent',
  INVITE_DELETED: 'User Invite Deleted',
  GROUP_UPDATED: 'User Group Updated',
} as const;

/**
 * `auditEventNames: in-app`: the names of the in-app Audit Trail's "Access Management" list (segment-docs
 * iam/audit-trail.md: User Invite Sent, User Invite Deleted, User Invite Accepted, User Added via SSO,
 * User Removed, User Group Created, User Group Updated). Changes to a group's members or permissions
 * are "User Group Updated" there; events that list has no name for keep the SDK's.
 */
function inAppName(event: AuditEventInput): string {
  switch (event.type) {
    case AuditEventType.NEW_SEGMENT_USER_INVITED:
    case AuditEventType.NON_SEGMENT_USER_INVITED:
      return IN_APP.INVITE_SENT;
    case AuditEventType.INVITE_DELETED:
      return IN_APP.INVITE_DELETED;
    case AuditEventType.SUBJECTS_ADDED_TO_GROUP:
    case AuditEventType.USER_REMOVED_FROM_GROUP:
    case AuditEventType.USER_GROUP_POLICY_UPDATED:
      return IN_APP.GROUP_UPDATED;
    case AuditEventType.GROUP_MEMBERSHIPS_DELETED:
    case AuditEventType.POLICY_CREATED:
    case AuditEventType.POLICY_DELETED:
      return event.resourceType === AuditResourceType.USER_GROUP ? IN_APP.GROUP_UPDATED : event.type;
    default:
      return event.type;
  }
}

/**
 * `resourceType` values. Segment documents the filter only by example ("Sources, Warehouses, and
 * Tracking Plans"): these names are the emulator's assumption, in the API's ResourceType style.
 */
export const AuditResourceType = {
  USER: 'USER',
  INVITE: 'INVITE',
  USER_GROUP: 'USER_GROUP',
  LABEL: 'LABEL',
} as const;

/** Who made the call: the token's actor, or the person accepting an invite. */
export interface AuditActor {
  actor: string;
  actorEmail?: string;
}

export interface AuditEventInput {
  type: string;
  resourceId: string;
  resourceType: string;
  resourceName: string;
}

/** Records events of one write; events are part of the draft, so a rejected call records nothing. */
export type EmitAuditEvent = (event: AuditEventInput) => void;

export const NO_AUDIT: EmitAuditEvent = () => undefined;

/** How events are named and their resource types spelled (settings `auditEventNames`, `auditResourceTypes`). */
export interface AuditStyle {
  readonly names: AuditEventNames;
  readonly resourceTypes: AuditResourceTypes;
}

const SDK_STYLE: AuditStyle = { names: AuditEventNames.SDK, resourceTypes: AuditResourceTypes.UPPER_SNAKE };

/** `USER_GROUP` -> `User Group`. */
function titleCase(resourceType: string): string {
  return resourceType.toLowerCase().split('_').map((word) => word[0].toUpperCase() + word.slice(1)).join(' ');
}

export function auditEmitter(workspace: WorkspaceRecord, actor: AuditActor | undefined, nowIso: string, style: AuditStyle = SDK_STYLE): EmitAuditEvent {
  if (!actor) return NO_AUDIT;
  return (event) =>
    appendAuditEvent(workspace, {
      ...event,
      type: style.names === AuditEventNames.IN_APP ? inAppName(event) : event.type,
      resourceType: style.resourceTypes === AuditResourceTypes.TITLE ? titleCase(event.resourceType) : event.resourceType,
      ...actor,
      timestamp: nowIso,
    });
}

export function appendAuditEvent(workspace: WorkspaceRecord, event: Omit<AuditEventRecord, 'id'>): AuditEventRecord {
  const record: AuditEventRecord = {
    id: segmentStyleId(`audit:${workspace.id}:${workspace.auditEvents.length}:${event.timestamp}:${event.type}:${event.resourceId}`),
    timestamp: event.timestamp,
    type: event.type,
    actor: event.actor,
    ...(event.actorEmail !== undefined ? { actorEmail: event.actorEmail } : {}),
    resourceId: event.resourceId,
    resourceType: event.resourceType,
    resourceName: event.resourceName,
  };
  workspace.auditEvents.push(record);
  return record;
}

export interface AuditQuery {
  startTime?: string;
  endTime?: string;
  resourceId?: string;
  resourceType?: string;
}

/**
 * Newest first, as an audit trail reads; `startTime` inclusive, `endTime` exclusive of later events.
 * Events older than `retentionMs` are gone.
 */
export function queryAuditEvents(events: readonly AuditEventRecord[], query: AuditQuery, nowMs: number, retentionMs: number | null = null): AuditEventRecord[] {
  const start = Math.max(query.startTime === undefined ? -Infinity : Date.parse(query.startTime), retentionMs === null ? -Infinity : nowMs - retentionMs);
  const end = query.endTime === undefined ? nowMs : Date.parse(query.endTime);
  return events
    .filter((event) => {
      const at = Date.parse(event.timestamp);
      return (
        at >= start &&
        at <= end &&
        (query.resourceId === undefined || event.resourceId === query.resourceId) &&
        (query.resourceType === undefined || event.resourceType === query.resourceType)
      );
    })
    .map((event, index) => ({ event, index }))
    .sort((a, b) => Date.parse(b.event.timestamp) - Date.parse(a.event.timestamp) || b.index - a.index)
    .map(({ event }) => event);
}
