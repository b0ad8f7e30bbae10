import { existsSync, mkdirSync, readFileSync } from 'fs';
import { dirname } from 'path';
import { parseCommandArgs, ParsedArgs, stringArg } from '../args';
import { runNow } from '../api-context';
import { lineWriter } from '../line-writer';
import { readWorkspaces } from '../workspace-readings';
import { SegmentAccessValidationError } from '../../model/validation';
import { terminalLines } from '../../model/output-encoding';
import { AUDIT_TRAIL_DAYS } from '../../audit/audit-trail';
import { loadReviewerList } from '../../reviews/reviewers';
import { integrityProblems, loadReviewFile, renderNewReviewFile, reviewFilePath, withSections, writeFileAtomic } from '../../reviews/review-file';
import { startCampaign } from '../../reviews/start';
import { campaignProgress, renderProgress } from '../../reviews/status';
import { closeCampaign } from '../../reviews/close';
import { verifyCampaign } from '../../reviews/verify';

const HELP = `Usage: segment-access review <start|status|close|verify> ...

Access reviews as files in the repo (docs/audit-and-reviews.md):

  review start --id ID [--due YYYY-MM-DD] [--reviewers FILE] [--dir reviews] [--outdir cdktf.out] [--stack NAME]...
      Reads the live workspaces (read-only) and the synthesized code, and writes <dir>/<ID>.yaml: one
      item per grant per workspace and per unmanaged member, each with a reviewer and an empty decision.
  review status ID [--dir reviews] [--offline] [--outdir cdktf.out] [--stack NAME]...
      Progress, overdue and unassigned items, self-reviews without a reason, and (unless --offline)
      items whose live access changed since the snapshot. Exit 2 when an item is undecided after the
      due date (for CI reminders), 0 otherwise.
  review close ID [--dir reviews] [--access access.yaml]
      Refuses while anything is undecided, unassigned, a self-review has no selfReviewReason, or a
      change does not narrow; then removes or narrows the revoked and changed grants in access.yaml
      (comments kept), seals the decisions (sha256) and marks the campaign closed.
  review verify ID [--dir reviews] [--outdir cdktf.out] [--stack NAME]...
      After the deploy: confirms from live state that every revoked item is gone and every changed
      one narrowed, and records when in the review file. Exit 0 = complete, 2 = not yet.

Tokens: start, status and verify read Segment with each workspace's token variable (read-only).
Exit 1 = error (an invalid file is named with file:line:column, the field and the fix).`;

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function campaignId(value: string | undefined, how: string): string {
  if (!value) throw new Error(`review: name the campaign (${how}), e.g. 2026-Q4. Run \`segment-access review --help\`.`);
  if (!ID.test(value)) throw new Error(`review: the campaign id is "${value}"; use letters, digits, ".", "_" or "-" (e.g. 2026-Q4).`);
  return value;
}

const READ_OPTIONS = { dir: { type: 'string' }, outdir: { type: 'string' }, stack: { type: 'string', multiple: true } } as const;

function readOptions(values: ParsedArgs['values']) {
  return { outdir: stringArg(values, 'outdir'), stacks: (values.stack as string[] | undefined) ?? [] };
}

async function start(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('review start', argv, { ...READ_OPTIONS, id: { type: 'string' }, due: { type: 'string' }, reviewers: { type: 'string' }, force: { type: 'boolean' } });
  const id = campaignId(stringArg(values, 'id'), '--id');
  const due = stringArg(values, 'due');
  if (due !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(due) || Number.isNaN(Date.parse(`${due}T00:00:00Z`)))) {
    throw new Error(`review start: --due is "${due}"; write the last day of the campaign as YYYY-MM-DD, e.g. 2026-12-31.`);
  }
  const file = reviewFilePath(stringArg(values, 'dir') ?? 'reviews', id);
  if (existsSync(file) && !values.force) throw new Error(`review start: ${file} exists; a started campaign is never rewritten. Pick another --id (or --force to start it over, losing its decisions).`);
  const reviewersFile = stringArg(values, 'reviewers');
  const reviewers = reviewersFile ? loadReviewerList(reviewersFile) : undefined;
  const now = runNow();
  const log = lineWriter(process.stderr);
  const readings = await readWorkspaces({ ...readOptions(values), now, since: new Date(now.getTime() - AUDIT_TRAIL_DAYS * 86_400_000), log });
  const review = startCampaign(readings, { id, now, due, reviewers });
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, renderNewReviewFile(review));
  const out = lineWriter(process.stdout);
  out(`Started access review ${id}: ${review.items.length} item(s) in ${readings.length} workspace(s) written to ${file}.`);
  out(`Reviewers fill in decision (keep | revoke | change) and note in a pull request; progress: segment-access review status ${id}.`);
  return 0;
}

async function status(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('review status', argv, { ...READ_OPTIONS, offline: { type: 'boolean' } }, true);
  const id = campaignId(positionals[0], 'review status ID');
  const loaded = loadReviewFile(reviewFilePath(stringArg(values, 'dir') ?? 'reviews', id));
  const broken = integrityProblems(loaded);
  if (broken) throw broken;
  const now = runNow();
  const readings = values.offline ? undefined : await readWorkspaces({ ...readOptions(values), now, since: new Date(loaded.review.campaign.startedAt), log: lineWriter(process.stderr) });
  const progress = campaignProgress(loaded.review, now, readings);
  const out = lineWriter(process.stdout);
  for (const line of renderProgress(progress)) out(line);
  return progress.overdue.length ? 2 : 0;
}

async function close(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('review close', argv, { dir: { type: 'string' }, access: { type: 'string' } }, true);
  const id = campaignId(positionals[0], 'review close ID');
  const file = reviewFilePath(stringArg(values, 'dir') ?? 'reviews', id);
  const accessFile = stringArg(values, 'access') ?? 'access.yaml';
  const loaded = loadReviewFile(file);
  const closed = closeCampaign(loaded, { text: readFileSync(accessFile, 'utf8'), file: accessFile }, runNow());
  // access.yaml first: a crash before the review file is written leaves an open campaign whose re-run finds the edits applied.
  writeFileAtomic(accessFile, closed.accessText);
  writeFileAtomic(file, closed.reviewText);
  const out = lineWriter(process.stdout);
  for (const line of closed.summary) out(line);
  return 0;
}

async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('review verify', argv, READ_OPTIONS, true);
  const id = campaignId(positionals[0], 'review verify ID');
  const file = reviewFilePath(stringArg(values, 'dir') ?? 'reviews', id);
  const loaded = loadReviewFile(file);
  const broken = integrityProblems(loaded);
  if (broken) throw broken;
  if (!loaded.review.closing) throw new Error(`review verify: ${id} is not closed yet: run \`segment-access review close ${id}\`, open the pull request, and deploy it first.`);
  const now = runNow();
  const readings = await readWorkspaces({ ...readOptions(values), now, since: new Date(loaded.review.closing.closedAt), log: lineWriter(process.stderr) });
  const verification = verifyCampaign(loaded.review, readings, now);
  writeFileAtomic(file, withSections(loaded.text, { verification }));
  const out = lineWriter(process.stdout);
  out(`Access review ${id}: ${verification.complete ? 'every revocation and change is carried out' : 'NOT complete'} (verified ${verification.verifiedAt}).`);
  for (const i of verification.items) out(`  ${i.key}: ${i.outcome}${i.at ? ` (audit trail: ${i.at})` : ''}`);
  return verification.complete ? 0 : 2;
}

const SUBCOMMANDS: Readonly<Record<string, (argv: string[]) => Promise<number>>> = { start, status, close, verify };

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || !Object.prototype.hasOwnProperty.call(SUBCOMMANDS, sub)) {
    process.stdout.write(`${HELP}\n`);
    return sub === '--help' || sub === '-h' ? 0 : 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  try {
    return await SUBCOMMANDS[sub](rest);
  } catch (error) {
    if (!(error instanceof SegmentAccessValidationError)) throw error;
    // Printed once, located, without a stack trace (as validate prints access.yaml's problems).
    process.stderr.write(`${terminalLines(error.message)}\n`);
    return 1;
  }
}
