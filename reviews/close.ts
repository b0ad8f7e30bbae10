import { sha256 } from '../model/canonical';
import { Environment } from '../model/enums';
import { SegmentAccessValidationError, ValidationProblem } from '../model/validation';
import { applyDecisions, DecidedItem } from './access-edit';
import { CampaignStatus, integrityProblems, isSelfReview, ItemSubject, LoadedReview, ReviewDecision, reviewWhere, sealOf, withSections } from './review-file';

export interface ClosedCampaign {
  readonly reviewText: string;
  readonly accessText: string;
  readonly seal: string;
  /** What close changed in access.yaml, and what people must do by hand (unmanaged members). */
  readonly summary: readonly string[];
}

/** Problems that stop a close: every one at once, located in the review file. */
function decisionProblems(loaded: LoadedReview): ValidationProblem[] {
  const { review, yaml } = loaded;
  return review.items.flatMap((item, i): ValidationProblem[] => {
    const at = (field: string) => yaml.locate(['items', i, field]);
    const field = (name: string) => `items.${i}.${name}`;
    const out: ValidationProblem[] = [];
    if (item.reviewer === null) out.push({ at: at('reviewer'), field: field('reviewer'), received: null, allowed: 'the email of the person who reviews this item', fix: `assign a reviewer to ${item.key}.` });
    if (item.decision === null) {
      out.push({ at: at('decision'), field: field('decision'), received: null, allowed: 'keep, revoke or change', fix: `${item.reviewer ?? 'the reviewer'} decides ${item.key} (${item.snapshot.who}: ${item.snapshot.role}).` });
      return out;
    }
    if (isSelfReview(item) && item.selfReviewReason === null) {
      out.push({
        at: at('reviewer'),
        field: field('reviewer'),
        received: item.reviewer,
        allowed: 'a reviewer other than the person whose access it is, or a selfReviewReason',
        fix: `assign ${item.key} to another reviewer, or write selfReviewReason: why ${item.reviewer} reviews their own access (at least 10 characters).`,
      });
    }
    if (item.decision === ReviewDecision.CHANGE && item.snapshot.subject === ItemSubject.UNMANAGED) {
      out.push({ at: at('decision'), field: field('decision'), received: 'change', allowed: 'keep or revoke for an unmanaged member', fix: 'decide keep (then declare it in access.yaml) or revoke (then remove it).' });
    }
    if (item.decision === ReviewDecision.CHANGE && item.change === null) {
      out.push({ at: at('decision'), field: field('change'), received: null, allowed: 'change: { role: ..., expiresOn: ... } with a change decision', fix: 'write how the grant narrows, e.g. change: { role: READ_ONLY }.' });
    }
    if (item.decision !== ReviewDecision.CHANGE && item.change !== null) {
      out.push({ at: at('change'), field: field('change'), received: item.change, allowed: 'change only with decision: change', fix: 'remove change, or set decision: change.' });
    }
    return out;
  });
}

/**
 * Closes a campaign: refuses while anything is undecided, unassigned, a self-review has no reason, or
 * a change does not narrow; otherwise applies revocations and narrowings to access.yaml and seals the
 * decisions. Pure: the caller writes access.yaml first, then the review file (a re-run after a crash
 * between the two finds the edits applied and only seals).
 */
export function closeCampaign(loaded: LoadedReview, access: { text: string; file: string }, now: Date): ClosedCampaign {
  const { review, yaml, file } = loaded;
  const where = reviewWhere(file);
  if (review.campaign.status === CampaignStatus.CLOSED) {
    throw new SegmentAccessValidationError(where, [
      { at: yaml.locate(['campaign', 'status']), field: 'campaign.status', received: 'closed', allowed: 'an open campaign', fix: `${review.campaign.id} is already closed (sealed ${review.closing?.seal.slice(0, 12) ?? ''}…): run \`segment-access review verify ${review.campaign.id}\` after the next deploy.` },
    ]);
  }
  const broken = integrityProblems(loaded);
  if (broken) throw broken;
  const problems = decisionProblems(loaded);
  if (problems.length) throw new SegmentAccessValidationError(where, problems);
  const decided: DecidedItem[] = review.items.map((item, i) => ({ item, at: yaml.locate(['items', i, 'decision']), field: `items.${i}.decision` }));
  const environments = [...new Set(review.items.map((i) => i.snapshot.environment))].sort() as Environment[];
  const edit = applyDecisions(access.text, access.file, decided, { id: review.campaign.id, environments });
  if (edit.problems.length) throw new SegmentAccessValidationError(where, edit.problems);
  const closedAt = now.toISOString();
  const seal = sealOf(review, closedAt);
  const reviewText = withSections(loaded.text, { status: CampaignStatus.CLOSED, closing: { closedAt, seal, accessDigest: sha256(edit.text) } });
  const unmanaged = review.items.filter((i) => i.snapshot.subject === ItemSubject.UNMANAGED);
  const byHand = unmanaged.map((i) =>
    i.decision === ReviewDecision.REVOKE
      ? `${i.key}: revoke by hand: remove ${i.snapshot.email} in Segment (Settings > Team Members), or declare it in ${access.file} and then remove it; review verify checks it is gone`
      : `${i.key}: keep: declare ${i.snapshot.email} in ${access.file} (segment-access import writes the entry) so the code manages it`,
  );
  return {
    reviewText,
    accessText: edit.text,
    seal,
    summary: [
      `Access review ${review.campaign.id} closed at ${closedAt}; seal ${seal}.`,
      `${review.items.filter((i) => i.decision === ReviewDecision.KEEP).length} kept, ${review.items.filter((i) => i.decision === ReviewDecision.REVOKE).length} revoked, ${review.items.filter((i) => i.decision === ReviewDecision.CHANGE).length} changed.`,
      ...(edit.applied.length ? [`${access.file} (open a pull request; the next deploy carries it out):`, ...edit.applied.map((a) => `  - ${a}`)] : [`${access.file}: no change.`]),
      ...(byHand.length ? ['Unmanaged members (nothing is done to them without these steps):', ...byHand.map((b) => `  - ${b}`)] : []),
      `After the deploy: segment-access review verify ${review.campaign.id}`,
    ],
  };
}
