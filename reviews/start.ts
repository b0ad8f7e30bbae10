import type { WorkspaceReading } from '../cli/workspace-readings';
import { assignReviewer, ReviewerList } from './reviewers';
import { CampaignStatus, REVIEW_FILE_VERSION, ReviewFile, snapshotDigestOf } from './review-file';
import { snapshotEntries } from './snapshot';

export interface StartCampaignOptions {
  readonly id: string;
  readonly now: Date;
  /** The last day of the campaign (YYYY-MM-DD, UTC). @default - no due date */
  readonly due?: string;
  readonly reviewers?: ReviewerList;
}

/** A new campaign: every workspace's snapshot, a reviewer per item, every decision empty. */
export function startCampaign(readings: readonly WorkspaceReading[], options: StartCampaignOptions): ReviewFile {
  const entries = readings.flatMap((r) => snapshotEntries(r, options.now));
  const items = entries.map((e) => ({
    key: e.key,
    snapshot: e.snapshot,
    reviewer: assignReviewer({ ...e.snapshot, kind: e.kind }, options.reviewers),
    decision: null,
    change: null,
    note: null,
    selfReviewReason: null,
  }));
  return {
    version: REVIEW_FILE_VERSION,
    campaign: {
      id: options.id,
      startedAt: options.now.toISOString(),
      due: options.due ?? null,
      status: CampaignStatus.OPEN,
      snapshotDigest: snapshotDigestOf(items),
    },
    items,
    closing: null,
    verification: null,
  };
}
