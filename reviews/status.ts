import type { WorkspaceReading } from '../cli/workspace-readings';
import { CampaignStatus, isSelfReview, ReviewFile, ReviewItem } from './review-file';
import { snapshotEntries } from './snapshot';

/** Where a campaign stands: what `review status` prints, and its exit code. */
export interface CampaignProgress {
  readonly id: string;
  readonly status: CampaignStatus;
  readonly due: string | null;
  /** The due date has passed (the whole due day counts). */
  readonly pastDue: boolean;
  readonly total: number;
  readonly decided: number;
  readonly byReviewer: readonly { readonly reviewer: string; readonly decided: number; readonly total: number }[];
  readonly undecided: readonly string[];
  /** Undecided after the due date: CI sends reminders on these (exit 2). */
  readonly overdue: readonly string[];
  readonly unassigned: readonly string[];
  /** Self-reviews without a written reason: close refuses them. */
  readonly selfReviewsWithoutReason: readonly string[];
  /** Items whose live access differs from the snapshot (null when Segment was not read). */
  readonly changedSinceSnapshot: readonly { readonly key: string; readonly now: string }[] | null;
  /** Live members or invites that appeared after the snapshot (null when Segment was not read). */
  readonly newSinceSnapshot: readonly string[] | null;
}

function pastDue(due: string | null, now: Date): boolean {
  return due !== null && now.getTime() >= Date.parse(`${due}T00:00:00Z`) + 86_400_000;
}

/** Progress of a campaign; with readings, also what changed in Segment since the snapshot. */
export function campaignProgress(review: ReviewFile, now: Date, readings?: readonly WorkspaceReading[]): CampaignProgress {
  const items = review.items;
  const undecided = items.filter((i) => i.decision === null).map((i) => i.key);
  const late = pastDue(review.campaign.due, now) && review.campaign.status === CampaignStatus.OPEN;
  const reviewers = new Map<string, ReviewItem[]>();
  for (const i of items) reviewers.set(i.reviewer ?? '(unassigned)', [...(reviewers.get(i.reviewer ?? '(unassigned)') ?? []), i]);
  let changed: { key: string; now: string }[] | null = null;
  let appeared: string[] | null = null;
  if (readings) {
    const current = new Map(readings.flatMap((r) => snapshotEntries(r, now)).map((e) => [e.key, e.snapshot]));
    const readWorkspaces = new Set(readings.map((r) => r.desired.workspace.id));
    changed = items
      .filter((i) => readWorkspaces.has(i.snapshot.workspaceId))
      .flatMap((i) => {
        const nowSnapshot = current.get(i.key);
        if (!nowSnapshot) return [{ key: i.key, now: 'no longer declared or present' }];
        if (nowSnapshot.liveFingerprint === i.snapshot.liveFingerprint) return [];
        return [{ key: i.key, now: `${nowSnapshot.live}: ${nowSnapshot.access}` }];
      });
    const known = new Set(items.map((i) => i.key));
    appeared = [...current.keys()].filter((k) => !known.has(k)).sort();
  }
  return {
    id: review.campaign.id,
    status: review.campaign.status,
    due: review.campaign.due,
    pastDue: late,
    total: items.length,
    decided: items.length - undecided.length,
    byReviewer: [...reviewers].sort(([a], [b]) => (a < b ? -1 : 1)).map(([reviewer, list]) => ({ reviewer, decided: list.filter((i) => i.decision !== null).length, total: list.length })),
    undecided,
    overdue: late ? undecided : [],
    unassigned: items.filter((i) => i.reviewer === null).map((i) => i.key),
    selfReviewsWithoutReason: items.filter((i) => isSelfReview(i) && i.selfReviewReason === null).map((i) => i.key),
    changedSinceSnapshot: changed,
    newSinceSnapshot: appeared,
  };
}

/** The progress as lines for the terminal (strings are encoded by the line writer). */
export function renderProgress(p: CampaignProgress): string[] {
  const list = (title: string, keys: readonly string[]) => (keys.length ? [`${title} (${keys.length}):`, ...keys.map((k) => `  - ${k}`)] : []);
  return [
    `Access review ${p.id}: ${p.status}; ${p.decided} of ${p.total} item(s) decided${p.due ? `; due ${p.due}${p.pastDue ? ' (PAST DUE)' : ''}` : ''}.`,
    ...p.byReviewer.map((r) => `  ${r.reviewer}: ${r.decided}/${r.total}`),
    ...list('Overdue: undecided after the due date', p.overdue),
    ...(p.pastDue ? [] : list('Undecided', p.undecided)),
    ...list('Unassigned: give each a reviewer', p.unassigned),
    ...list('Self-reviews without selfReviewReason (close refuses them)', p.selfReviewsWithoutReason),
    ...(p.changedSinceSnapshot === null
      ? ['Live state not compared (--offline).']
      : [
          ...(p.changedSinceSnapshot.length ? [`Changed in Segment since the snapshot (${p.changedSinceSnapshot.length}): the decision is about the snapshot;`, ...p.changedSinceSnapshot.map((c) => `  - ${c.key}: now ${c.now}`)] : ['No item changed in Segment since the snapshot.']),
          ...list('New in Segment since the snapshot (not in this campaign)', p.newSinceSnapshot ?? []),
        ]),
  ];
}
