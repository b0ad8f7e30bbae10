import { describePermissions, normalizeEmail } from '../model/canonical';
import { fromLive } from '../reconciler/permissions';
import { AccessEventKind, accessEventsByEmail, actorOf, PersonAccessEvent } from '../audit/access-events';
import type { WorkspaceReading } from '../cli/workspace-readings';
import type { ReviewFile } from '../reviews/review-file';
import { ItemSubject, ReviewDecision, sealOf, snapshotDigestOf } from '../reviews/review-file';
import type { Period } from './period';
import type { AccessRequests } from '../requests/load';
import { Environment } from '../model/enums';
import { grantFor } from '../stacks/access-definition';

/**
 * The evidence pack of a period, as data: who had access at its start and end, every access change
 * with its audit-trail event and its ticket, requester and approver, removals with how long each took
 * after its end date or revoke decision (SOC 2 CC6.3), the review campaign, and the Team Members list
 * as Segment showed it. Pure: computed from the readings, the review file and approval records, so the
 * same state and clock give the same pack.
 */

export type Presence = 'member' | 'invited';

export interface InventoryRow {
  readonly environment: string;
  readonly workspace: string;
  readonly email: string;
  readonly presence: Presence;
  readonly managed: 'declared' | 'not declared';
  readonly role: string;
  readonly ticket: string;
  readonly requestedBy: string;
  readonly approvedBy: string;
}

export enum ChangeKind {
  GRANTED = 'granted',
  CHANGED = 'permissions changed',
  ACCEPTED = 'invite accepted',
  REISSUED = 'invite re-issued',
  REMOVED = 'removed',
}

export interface ChangeRow {
  readonly at: string;
  readonly environment: string;
  readonly workspace: string;
  readonly email: string;
  readonly change: ChangeKind;
  readonly by: string;
  readonly byThisCode: boolean;
  readonly eventType: string;
  readonly eventId: string;
  readonly ticket: string;
  readonly requestedBy: string;
  readonly approvedBy: string;
  /** The pull-request approval `approvals verify` recorded for this grant, if any. */
  readonly pullRequestApproval: string;
}

export interface RemovalRow {
  readonly at: string;
  readonly environment: string;
  readonly workspace: string;
  readonly email: string;
  readonly by: string;
  /** Why it was removed, and from when its removal is counted. */
  readonly trigger: string;
  readonly dueSince: string | null;
  /** Hours from `dueSince` to the removal (one decimal), or null when no due time is known. */
  readonly hoursToRemove: number | null;
}

export interface ReviewRow {
  readonly key: string;
  readonly who: string;
  readonly workspace: string;
  readonly role: string;
  readonly status: string;
  readonly reviewer: string;
  readonly decision: string;
  readonly change: string;
  readonly note: string;
  readonly selfReviewReason: string;
  readonly verified: string;
}

export interface TeamMemberRow {
  readonly environment: string;
  readonly workspace: string;
  readonly name: string;
  readonly email: string;
  readonly status: 'active' | 'pending invite';
  readonly permissions: string;
}

export interface AuditEventRow {
  readonly at: string;
  readonly environment: string;
  readonly workspaceId: string;
  readonly type: string;
  readonly actor: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName: string;
  readonly id: string;
}

export interface WorkspaceFigures {
  readonly environment: string;
  readonly workspace: string;
  readonly withAccessAtStart: number;
  readonly withAccessAtEnd: number;
  readonly granted: number;
  readonly changed: number;
  readonly removed: number;
  readonly removedByThisCode: number;
  readonly slowestRemovalHours: number | null;
  readonly auditEvents: number;
}

export interface ReviewSummary {
  readonly id: string;
  readonly startedAt: string;
  readonly due: string | null;
  readonly closedAt: string | null;
  readonly seal: string | null;
  readonly sealValid: boolean | null;
  readonly snapshotIntact: boolean;
  readonly items: number;
  readonly kept: number;
  readonly revoked: number;
  readonly changed: number;
  readonly verifiedAt: string | null;
  readonly verifiedComplete: boolean | null;
}

/** One `approvals verify --record` result. */
export interface ApprovalRecord {
  readonly verifiedAt: string;
  readonly grants: readonly { readonly entry: string; readonly environment: string; readonly subject: string; readonly approvedBy: string | null; readonly approvedByLogins: readonly string[]; readonly approvedAt: string | null; readonly ok: boolean }[];
}

export interface EvidencePack {
  readonly period: { readonly id: string; readonly start: string; readonly end: string };
  readonly generatedAt: string;
  /** When the end inventory is taken: the period's end, or now when the period has not ended. */
  readonly endAt: string;
  readonly coverage: readonly string[];
  readonly figures: readonly WorkspaceFigures[];
  readonly inventoryStart: readonly InventoryRow[];
  readonly inventoryEnd: readonly InventoryRow[];
  readonly changes: readonly ChangeRow[];
  readonly removals: readonly RemovalRow[];
  readonly review: ReviewSummary | null;
  readonly reviewItems: readonly ReviewRow[];
  readonly teamMembers: readonly TeamMemberRow[];
  readonly teamMembersReadAt: string;
  readonly auditEvents: readonly AuditEventRow[];
}

const HOUR = 3_600_000;
const RETENTION_DAYS = 90;

/** Presence at `at`, from today's presence and the events after it (the earliest one tells what was before). */
function presenceAt(now: Presence | null, after: readonly PersonAccessEvent[]): Presence | null {
  const first = after[0];
  if (!first) return now;
  switch (first.kind) {
    case AccessEventKind.INVITED:
      return null;
    case AccessEventKind.JOINED:
    case AccessEventKind.INVITE_DELETED:
      return 'invited';
    default:
      return 'member';
  }
}

/** A removal that is half of a re-issue (an invite deleted and sent again by the same actor at once) is not a removal. */
function isReissue(events: readonly PersonAccessEvent[], i: number): boolean {
  const e = events[i];
  const next = events[i + 1];
  return (
    e.kind === AccessEventKind.INVITE_DELETED &&
    next !== undefined &&
    next.kind === AccessEventKind.INVITED &&
    next.event.actor === e.event.actor &&
    Date.parse(next.event.timestamp) - Date.parse(e.event.timestamp) <= 60_000
  );
}

const byText = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

interface AuditFacts {
  readonly role: string;
  readonly ticket: string;
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly declared: boolean;
  readonly expiresOn: string | null;
}

export interface BuildPackInput {
  readonly period: Period;
  /** The access requests file now: audit fields of grants that have ended but are still declared. */
  readonly requests?: AccessRequests;
  readonly now: Date;
  readonly readings: readonly WorkspaceReading[];
  readonly review?: ReviewFile;
  readonly approvals?: readonly ApprovalRecord[];
}

export function buildEvidencePack(input: BuildPackInput): EvidencePack {
  const { period, now, readings, review } = input;
  const endAt = new Date(Math.min(period.end.getTime(), now.getTime()));
  const inPeriod = (ts: string) => Date.parse(ts) >= period.start.getTime() && Date.parse(ts) < endAt.getTime();
  const coverage: string[] = [];
  const figures: WorkspaceFigures[] = [];
  const inventoryStart: InventoryRow[] = [];
  const inventoryEnd: InventoryRow[] = [];
  const changes: ChangeRow[] = [];
  const removals: RemovalRow[] = [];
  const teamMembers: TeamMemberRow[] = [];
  const auditEvents: AuditEventRow[] = [];
  const approvals = input.approvals ?? [];
  const reviewItems = review?.items ?? [];

  for (const reading of readings) {
    const { desired, live } = reading;
    const ws = desired.workspace;
    const workspace = `${ws.name} (${ws.id})`;
    const environment = ws.environment;
    const ours = new Set(reading.ourActors);
    if (!reading.events) coverage.push(`${workspace}: audit trail not available (${reading.trailUnavailable}); presence at the start, changes and removals cannot be shown.`);
    else if (now.getTime() - period.start.getTime() > RETENTION_DAYS * 86_400_000) {
      coverage.push(`${workspace}: the period starts more than ${RETENTION_DAYS} days before this pack was written; Segment keeps ${RETENTION_DAYS} days of audit trail, so events before ${new Date(now.getTime() - RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10)} may be missing. Write the pack within ${RETENTION_DAYS} days of the period's start, or keep monthly packs.`);
    }
    // Audit fields: the code now, else the requests file (grants that ended), else the review snapshot (people removed since).
    const facts = new Map<string, AuditFacts>();
    for (const i of reviewItems) {
      if (i.snapshot.workspaceId !== ws.id || !i.snapshot.email) continue;
      facts.set(i.snapshot.email, { role: i.snapshot.role, ticket: i.snapshot.ticket ?? '', requestedBy: i.snapshot.requestedBy ?? '', approvedBy: i.snapshot.approvedBy ?? '', declared: i.snapshot.subject !== ItemSubject.UNMANAGED, expiresOn: i.snapshot.expiresOn });
    }
    for (const c of input.requests?.collaborators ?? []) {
      const g = grantFor(c.grant, c.environments, environment as Environment);
      if (g) facts.set(normalizeEmail(c.email), { role: g.role, ticket: g.ticket ?? c.ticket ?? '', requestedBy: g.requestedBy ?? c.requestedBy ?? '', approvedBy: g.approvedBy ?? c.approvedBy ?? '', declared: true, expiresOn: g.expiresOn ?? null });
    }
    for (const c of desired.collaborators) {
      facts.set(c.email, { role: c.role, ticket: c.audit.ticket ?? '', requestedBy: c.audit.requestedBy ?? '', approvedBy: c.audit.approvedBy ?? '', declared: true, expiresOn: c.expiresOn });
    }
    const factsOf = (email: string): AuditFacts => facts.get(email) ?? { role: 'not declared', ticket: '', requestedBy: '', approvedBy: '', declared: false, expiresOn: null };
    const expiredOn = new Map<string, string>([...desired.expired.map((e) => [e.email, e.expiresOn] as const), ...desired.collaborators.filter((c) => c.expiresOn).map((c) => [c.email, c.expiresOn!] as const)]);

    const byEmail = accessEventsByEmail(reading.events ?? []);
    const presentNow = (email: string): Presence | null => (live.users.has(email) ? 'member' : live.invites.has(email) ? 'invited' : null);
    const emails = [...new Set([...live.users.keys(), ...live.invites, ...byEmail.keys()])].sort();
    const inventoryAt = (at: Date, rows: InventoryRow[]): number => {
      let count = 0;
      for (const email of emails) {
        const after = (byEmail.get(email) ?? []).filter((e) => Date.parse(e.event.timestamp) >= at.getTime());
        const presence = presenceAt(presentNow(email), after);
        if (!presence) continue;
        count++;
        const f = factsOf(email);
        rows.push({ environment, workspace, email, presence, managed: f.declared ? 'declared' : 'not declared', role: f.role, ticket: f.ticket, requestedBy: f.requestedBy, approvedBy: f.approvedBy });
      }
      return count;
    };
    const atStart = inventoryAt(period.start, inventoryStart);
    const atEnd = inventoryAt(endAt, inventoryEnd);

    const prApproval = (email: string): string => {
      const hits = approvals.flatMap((a) => a.grants.filter((g) => g.ok && g.environment === environment && normalizeEmail(g.subject) === email).map((g) => `${g.approvedBy} approved as ${g.approvedByLogins.join(', ')}${g.approvedAt ? ` at ${g.approvedAt}` : ''} (verified ${a.verifiedAt})`));
      return [...new Set(hits)].sort().join('; ');
    };
    let granted = 0;
    let changed = 0;
    let removed = 0;
    let removedByUs = 0;
    let slowest: number | null = null;
    for (const [email, events] of byEmail) {
      events.forEach((p, i) => {
        if (!inPeriod(p.event.timestamp)) return;
        const previous = events[i - 1];
        const reissued = p.kind === AccessEventKind.INVITED && previous !== undefined && isReissue(events, i - 1);
        if (isReissue(events, i)) return;
        const change =
          p.kind === AccessEventKind.INVITED ? (reissued ? ChangeKind.REISSUED : ChangeKind.GRANTED) :
          p.kind === AccessEventKind.JOINED ? ChangeKind.ACCEPTED :
          p.kind === AccessEventKind.PERMISSIONS_CHANGED ? ChangeKind.CHANGED : ChangeKind.REMOVED;
        const f = factsOf(email);
        const byThisCode = ours.has(p.event.actor);
        changes.push({
          at: p.event.timestamp, environment, workspace, email, change, by: actorOf(p.event), byThisCode, eventType: p.event.type, eventId: p.event.id,
          ticket: f.ticket, requestedBy: f.requestedBy, approvedBy: f.approvedBy, pullRequestApproval: change === ChangeKind.REMOVED ? '' : prApproval(email),
        });
        if (change === ChangeKind.GRANTED) granted++;
        if (change === ChangeKind.CHANGED) changed++;
        if (change !== ChangeKind.REMOVED) return;
        removed++;
        if (byThisCode) removedByUs++;
        const at = Date.parse(p.event.timestamp);
        const decision = review?.closing
          ? reviewItems.find((r) => r.decision === ReviewDecision.REVOKE && r.snapshot.workspaceId === ws.id && r.snapshot.email === email && Date.parse(review.closing!.closedAt) <= at)
          : undefined;
        const expiry = expiredOn.get(email);
        let trigger: string;
        let dueSince: string | null = null;
        if (decision && review?.closing) {
          trigger = `revoke decision in access review ${review.campaign.id} (${decision.key})`;
          dueSince = review.closing.closedAt;
        } else if (expiry && Date.parse(`${expiry}T00:00:00Z`) <= at) {
          trigger = `end date ${expiry}`;
          dueSince = `${expiry}T00:00:00.000Z`;
        } else trigger = byThisCode ? 'removed from the access requests (no end date or review decision)' : `removed outside this code by ${actorOf(p.event)}`;
        const hours = dueSince === null ? null : Math.round(((at - Date.parse(dueSince)) / HOUR) * 10) / 10;
        if (hours !== null) slowest = Math.max(slowest ?? 0, hours);
        removals.push({ at: p.event.timestamp, environment, workspace, email, by: actorOf(p.event), trigger, dueSince, hoursToRemove: hours });
      });
    }
    for (const e of reading.events ?? []) {
      if (!inPeriod(e.timestamp)) continue;
      auditEvents.push({ at: e.timestamp, environment, workspaceId: ws.id, type: e.type, actor: actorOf(e), resourceType: e.resourceType, resourceId: e.resourceId, resourceName: e.resourceName, id: e.id });
    }
    for (const user of live.users.values()) {
      teamMembers.push({ environment, workspace, name: user.name, email: normalizeEmail(user.email), status: 'active', permissions: describePermissions(fromLive(user.permissions, live.roles)) || 'no permissions of its own' });
    }
    for (const email of live.invites) {
      if (!live.users.has(email)) teamMembers.push({ environment, workspace, name: '', email, status: 'pending invite', permissions: 'not readable (Segment shows invites by email only)' });
    }
    figures.push({
      environment, workspace, withAccessAtStart: atStart, withAccessAtEnd: atEnd, granted, changed, removed, removedByThisCode: removedByUs, slowestRemovalHours: slowest,
      auditEvents: (reading.events ?? []).filter((e) => inPeriod(e.timestamp)).length,
    });
  }

  const verified = new Map((review?.verification?.items ?? []).map((v) => [v.key, `${v.outcome}${v.at ? ` at ${v.at}` : ''}`]));
  const summary: ReviewSummary | null = review
    ? {
        id: review.campaign.id,
        startedAt: review.campaign.startedAt,
        due: review.campaign.due,
        closedAt: review.closing?.closedAt ?? null,
        seal: review.closing?.seal ?? null,
        sealValid: review.closing ? sealOf(review, review.closing.closedAt) === review.closing.seal : null,
        snapshotIntact: snapshotDigestOf(review.items) === review.campaign.snapshotDigest,
        items: review.items.length,
        kept: review.items.filter((i) => i.decision === ReviewDecision.KEEP).length,
        revoked: review.items.filter((i) => i.decision === ReviewDecision.REVOKE).length,
        changed: review.items.filter((i) => i.decision === ReviewDecision.CHANGE).length,
        verifiedAt: review.verification?.verifiedAt ?? null,
        verifiedComplete: review.verification?.complete ?? null,
      }
    : null;
  if (!review) coverage.push('No access review campaign was given for this period (--review).');
  const order = (r: { at?: string; environment: string; email?: string; key?: string }) => `${r.at ?? ''}\u0000${r.environment}\u0000${r.email ?? r.key ?? ''}`;
  return {
    period: { id: period.id, start: period.start.toISOString(), end: period.end.toISOString() },
    generatedAt: now.toISOString(),
    endAt: endAt.toISOString(),
    coverage,
    figures: [...figures].sort(byText((f) => `${f.environment}\u0000${f.workspace}`)),
    inventoryStart: [...inventoryStart].sort(byText(order)),
    inventoryEnd: [...inventoryEnd].sort(byText(order)),
    changes: [...changes].sort(byText((c) => `${order(c)}\u0000${c.eventId}`)),
    removals: [...removals].sort(byText(order)),
    review: summary,
    reviewItems: reviewItems.map((i) => ({
      key: i.key,
      who: i.snapshot.who,
      workspace: i.snapshot.workspace,
      role: i.snapshot.role,
      status: i.snapshot.status,
      reviewer: i.reviewer ?? '',
      decision: i.decision ?? 'undecided',
      change: i.change ? [i.change.role, i.change.expiresOn && `until ${i.change.expiresOn}`].filter(Boolean).join(', ') : '',
      note: i.note ?? '',
      selfReviewReason: i.selfReviewReason ?? '',
      verified: verified.get(i.key) ?? '',
    })),
    teamMembers: [...teamMembers].sort(byText(order)),
    teamMembersReadAt: readings[0]?.readAt ?? now.toISOString(),
    auditEvents: [...auditEvents].sort(byText((e) => `${e.at}\u0000${e.environment}\u0000${e.id}`)),
  };
}
