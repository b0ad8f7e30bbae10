import { canonicalJson, describeGrantPermissions, describePermissions, normalizeEmail, normalizePermissions, samePermissions, sha256 } from '../model/canonical';
import type { DesiredCollaborator, DesiredGroupGrant, DesiredPermission } from '../model/desired-state';
import { CollaboratorKind, Environment } from '../model/enums';
import { fromLive } from '../reconciler/permissions';
import { isExpiredAt } from '../reconciler/plan';
import { resourceNamesOf } from '../reconciler/render';
import { analyseOwnership } from '../reconciler/ownership';
import { AccessEventKind, accessEventsByEmail, actorOf, PersonAccessEvent } from '../audit/access-events';
import type { WorkspaceReading } from '../cli/workspace-readings';
import { ItemSnapshot, ItemStatus, ItemSubject, LivePresence } from './review-file';

/** A snapshot item before a reviewer is assigned: its key and, for assignment rules, the collaborator's kind. */
export interface SnapshotEntry {
  readonly key: string;
  readonly snapshot: ItemSnapshot;
  readonly kind: CollaboratorKind | null;
}

const DAY = (iso: string) => iso.slice(0, 10);

/** The path of a grant is `<stack>/Workspace/<id>`: its last segment is the access.yaml entry id. */
function entryOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What a person's presence and permissions were when read: compared by `review status` later. */
export function liveFingerprint(presence: LivePresence, permissions: readonly DesiredPermission[]): string {
  return sha256(canonicalJson({ presence, permissions: normalizePermissions(permissions) }));
}

function describeEvent(p: PersonAccessEvent): string {
  return `${p.event.timestamp} ${p.event.type} by ${actorOf(p.event)}`;
}

/** Since when the person has had access, and how that is known. */
function sinceOf(events: readonly PersonAccessEvent[] | undefined, recordedDay: string | null, presence: LivePresence, trailFrom: string | null): string {
  if (presence === LivePresence.ABSENT) return 'not yet in Segment (the next deploy invites)';
  // The latest invite with no removal after it: when this stretch of access began.
  let start: PersonAccessEvent | undefined;
  for (const e of events ?? []) {
    if (e.kind === AccessEventKind.INVITED || (e.kind === AccessEventKind.JOINED && !start)) start = e;
    if (e.kind === AccessEventKind.USER_REMOVED || e.kind === AccessEventKind.INVITE_DELETED) start = undefined;
  }
  if (start) return `${DAY(start.event.timestamp)} (${start.event.type}, audit trail)`;
  if (recordedDay) return `${recordedDay} (invited, this app's record)`;
  return trailFrom ? `before ${DAY(trailFrom)} (earlier than the audit trail read)` : 'unknown (no audit trail: Team plan or not readable)';
}

/** Who, in words: name, address, kind and organisation. */
function whoOf(name: string, email: string, kind: string | null, organization: string | null): string {
  const details = [kind, organization].filter(Boolean).join(', ');
  return `${name} <${email}>${details ? ` (${details})` : ''}`;
}

/**
 * One item per declared grant and per unmanaged member or invite of one workspace, as read now: what
 * the reviewers certify. Pure: the reading is done by the caller.
 */
export function snapshotEntries(reading: WorkspaceReading, now: Date): SnapshotEntry[] {
  const { desired, live } = reading;
  const ws = desired.workspace;
  const environment = ws.environment as Environment;
  const workspace = `${ws.name} (${ws.id})`;
  const names = resourceNamesOf(desired);
  const byEmail = accessEventsByEmail(reading.events ?? []);
  const trailFrom = reading.events ? (reading.events[0]?.timestamp ?? reading.readAt) : null;
  const active = desired.collaborators.filter((c) => !isExpiredAt(c, now));
  const declared = new Map(active.map((c) => [c.email, c]));
  const ownership = analyseOwnership(live, { app: desired.management.appId, declared, now, auditDelayMs: 0 });
  const lastChange = (email: string) => {
    const events = byEmail.get(email);
    return events?.length ? describeEvent(events[events.length - 1]) : null;
  };
  const presenceOf = (email: string): LivePresence => (live.users.has(email) ? LivePresence.MEMBER : live.invites.has(email) ? LivePresence.INVITED : LivePresence.ABSENT);
  const livePermissions = (email: string): DesiredPermission[] => {
    const user = live.users.get(email);
    return user ? fromLive(user.permissions, live.roles) : [];
  };
  const base = { environment, workspace, workspaceId: ws.id };

  const collaborator = (c: DesiredCollaborator): SnapshotEntry => {
    const presence = presenceOf(c.email);
    const actual = livePermissions(c.email);
    const drifted = presence === LivePresence.MEMBER && !samePermissions(actual, c.permissions);
    return {
      key: `${environment}/${entryOf(c.path)}`,
      kind: c.kind,
      snapshot: {
        subject: ItemSubject.COLLABORATOR,
        entry: entryOf(c.path),
        ...base,
        email: c.email,
        groupName: null,
        who: whoOf(c.displayName, c.email, c.kind, c.organization),
        role: c.role,
        access: drifted
          ? `declared: ${describeGrantPermissions(c, names)}; live: ${describePermissions(actual) || 'none'}`
          : describeGrantPermissions(c, names),
        expiresOn: c.expiresOn,
        since: sinceOf(byEmail.get(c.email), ownership.managed.get(c.email)?.invitedOn ?? null, presence, trailFrom),
        requestedBy: c.audit.requestedBy,
        approvedBy: c.audit.approvedBy,
        ticket: c.audit.ticket,
        lastChange: lastChange(c.email),
        status: drifted ? ItemStatus.DRIFTED : ItemStatus.MANAGED,
        live: presence,
        liveFingerprint: liveFingerprint(presence, actual),
      },
    };
  };

  const group = (g: DesiredGroupGrant): SnapshotEntry => {
    const liveGroup = live.groups.get(g.groupName);
    const actual = liveGroup ? fromLive(liveGroup.permissions, live.roles) : [];
    const presence = liveGroup ? LivePresence.MEMBER : LivePresence.ABSENT;
    const drifted = Boolean(liveGroup) && !samePermissions(actual, g.permissions);
    return {
      key: `${environment}/${entryOf(g.path)}`,
      kind: null,
      snapshot: {
        subject: ItemSubject.GROUP,
        entry: entryOf(g.path),
        ...base,
        email: null,
        groupName: g.groupName,
        who: `user group "${g.groupName}" (its members come from the identity provider)`,
        role: g.role,
        access: drifted ? `declared: ${describeGrantPermissions(g, names)}; live: ${describePermissions(actual) || 'none'}` : describeGrantPermissions(g, names),
        expiresOn: null,
        since: liveGroup ? 'the group exists in Segment' : 'the group does not exist in Segment yet',
        requestedBy: g.audit.requestedBy,
        approvedBy: g.audit.approvedBy,
        ticket: g.audit.ticket,
        lastChange: null,
        status: drifted ? ItemStatus.DRIFTED : ItemStatus.MANAGED,
        live: presence,
        liveFingerprint: liveFingerprint(presence, actual),
      },
    };
  };

  // Unmanaged: members and invites the code neither declares nor records, and no other app claims.
  const retained = new Set(desired.management.retain.map(normalizeEmail));
  const unmanagedEmails = [...new Set([...live.users.keys(), ...live.invites])]
    .filter((e) => !declared.has(e) && !ownership.managed.has(e) && !ownership.claimedByOthers.has(e))
    .sort();
  const unmanaged = (email: string): SnapshotEntry => {
    const presence = presenceOf(email);
    const actual = livePermissions(email);
    const user = live.users.get(email);
    return {
      key: `${environment}/unmanaged:${email}`,
      kind: null,
      snapshot: {
        subject: ItemSubject.UNMANAGED,
        entry: null,
        ...base,
        email,
        groupName: null,
        who: whoOf(user?.name ?? email, email, null, null),
        role: presence === LivePresence.INVITED ? 'pending invite (permissions not readable)' : 'not declared',
        access: presence === LivePresence.INVITED ? 'pending invite' : describePermissions(actual) || 'no permissions of its own',
        expiresOn: null,
        since: sinceOf(byEmail.get(email), null, presence, trailFrom),
        requestedBy: null,
        approvedBy: null,
        ticket: retained.has(email) ? 'retained by the workspace configuration (retainEmails)' : null,
        lastChange: lastChange(email),
        status: ItemStatus.UNMANAGED,
        live: presence,
        liveFingerprint: liveFingerprint(presence, actual),
      },
    };
  };

  return [...active.map(collaborator), ...desired.groupGrants.map(group), ...unmanagedEmails.map(unmanaged)];
}
