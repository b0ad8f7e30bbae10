import { normalizeEmail } from '../model/canonical';
import type { LiveAuditEvent } from '../reconciler/segment-port';

/**
 * What an audit-trail event did to one person's access, for the review snapshot and the evidence pack.
 * Event names are Segment's (the SDK's IAM endpoint docs and segment-docs iam/audit-trail.md); the
 * person is the event's resource name, an email for user and invite events (the emulator's documented
 * assumption). Group and label events are not about one person and are left out.
 */
export enum AccessEventKind {
  INVITED = 'invited',
  JOINED = 'joined',
  PERMISSIONS_CHANGED = 'permissions changed',
  USER_REMOVED = 'user removed',
  INVITE_DELETED = 'invite deleted',
}

const KINDS: Readonly<Record<string, AccessEventKind>> = Object.freeze({
  'New Segment User Invited to Workspace': AccessEventKind.INVITED,
  'Non-Segment User Invited to Workspace': AccessEventKind.INVITED,
  'User Invite Sent': AccessEventKind.INVITED,
  'User Invite Accepted': AccessEventKind.JOINED,
  'User Added via SSO': AccessEventKind.JOINED,
  'User Removed': AccessEventKind.USER_REMOVED,
  'Invite Deleted': AccessEventKind.INVITE_DELETED,
  'User Invite Deleted': AccessEventKind.INVITE_DELETED,
});

const PERMISSION_EVENTS = new Set(['Policy Created', 'User Policy Updated']);

/** One person's access event, classified. */
export interface PersonAccessEvent {
  readonly kind: AccessEventKind;
  readonly email: string;
  readonly event: LiveAuditEvent;
}

/** The event as a person's access event, or null when it is about something else (a group, a label). */
export function personAccessEvent(event: LiveAuditEvent): PersonAccessEvent | null {
  const kind = KINDS[event.type] ?? (PERMISSION_EVENTS.has(event.type) && event.resourceType === 'USER' ? AccessEventKind.PERMISSIONS_CHANGED : undefined);
  if (!kind || !event.resourceName.includes('@')) return null;
  return { kind, email: normalizeEmail(event.resourceName), event };
}

/** Every person's access events, oldest first, by email. */
export function accessEventsByEmail(events: readonly LiveAuditEvent[]): Map<string, PersonAccessEvent[]> {
  const out = new Map<string, PersonAccessEvent[]>();
  const sorted = [...events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  for (const e of sorted) {
    const p = personAccessEvent(e);
    if (!p) continue;
    const list = out.get(p.email);
    if (list) list.push(p);
    else out.set(p.email, [p]);
  }
  return out;
}

/** Who did it, as the trail names them. */
export function actorOf(event: Pick<LiveAuditEvent, 'actor' | 'actorEmail'>): string {
  return event.actorEmail && event.actorEmail !== event.actor ? `${event.actor} (${event.actorEmail})` : event.actor;
}
