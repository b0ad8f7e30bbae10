import { samePermissions } from '../model/canonical';
import { fromLive } from '../reconciler/permissions';
import { AccessEventKind, accessEventsByEmail } from '../audit/access-events';
import type { WorkspaceReading } from '../cli/workspace-readings';
import { ItemSubject, ReviewDecision, ReviewFile, ReviewItem, ReviewVerification } from './review-file';

type Outcome = ReviewVerification['items'][number];

/** The latest event of these kinds for the email after `after` (the trail's proof of when). */
function lastEvent(reading: WorkspaceReading, email: string | null, kinds: readonly AccessEventKind[], after: string): string | null {
  if (!email) return null;
  const events = accessEventsByEmail(reading.events ?? []).get(email) ?? [];
  const hit = events.filter((e) => kinds.includes(e.kind) && Date.parse(e.event.timestamp) >= Date.parse(after)).pop();
  return hit?.event.timestamp ?? null;
}

function revoked(item: ReviewItem, reading: WorkspaceReading, closedAt: string): Outcome {
  const { live } = reading;
  const s = item.snapshot;
  const present = s.subject === ItemSubject.GROUP ? (live.groups.get(s.groupName ?? '')?.permissions.length ?? 0) > 0 : live.users.has(s.email ?? '') || live.invites.has(s.email ?? '');
  const at = present ? null : lastEvent(reading, s.email, [AccessEventKind.USER_REMOVED, AccessEventKind.INVITE_DELETED], closedAt);
  return { key: item.key, outcome: present ? 'still present' : 'gone', at };
}

function narrowed(item: ReviewItem, reading: WorkspaceReading, closedAt: string): Outcome {
  const { desired, live } = reading;
  const s = item.snapshot;
  const change = item.change!;
  const declared = s.subject === ItemSubject.GROUP ? desired.groupGrants.find((g) => g.groupName === s.groupName) : desired.collaborators.find((c) => c.email === s.email);
  const asDecided =
    declared !== undefined &&
    (change.role === undefined || declared.role === change.role) &&
    (change.expiresOn === undefined || ('expiresOn' in declared && declared.expiresOn === change.expiresOn));
  const holder = s.subject === ItemSubject.GROUP ? live.groups.get(s.groupName ?? '') : live.users.get(s.email ?? '');
  // A pending invite's permissions cannot be read: the code being as decided is what can be checked.
  const liveMatches = holder ? samePermissions(fromLive(holder.permissions, live.roles), declared?.permissions ?? []) : live.invites.has(s.email ?? '');
  const done = asDecided && liveMatches;
  return { key: item.key, outcome: done ? 'narrowed' : 'not narrowed yet', at: done ? lastEvent(reading, s.email, [AccessEventKind.PERMISSIONS_CHANGED, AccessEventKind.INVITED], closedAt) : null };
}

/**
 * Confirms from live state that every revoked item is gone and every changed one narrowed, with the
 * audit-trail time of each where the trail shows it (Lumos: revocation tracked to completion).
 */
export function verifyCampaign(review: ReviewFile, readings: readonly WorkspaceReading[], now: Date): ReviewVerification {
  const closedAt = review.closing?.closedAt ?? review.campaign.startedAt;
  const byWorkspace = new Map(readings.map((r) => [r.desired.workspace.id, r]));
  const items = review.items.flatMap((item): Outcome[] => {
    const reading = byWorkspace.get(item.snapshot.workspaceId);
    if (!reading) return [];
    if (item.decision === ReviewDecision.REVOKE) return [revoked(item, reading, closedAt)];
    if (item.decision === ReviewDecision.CHANGE) return [narrowed(item, reading, closedAt)];
    return [];
  });
  return { verifiedAt: now.toISOString(), complete: items.every((i) => i.outcome === 'gone' || i.outcome === 'narrowed'), items };
}
