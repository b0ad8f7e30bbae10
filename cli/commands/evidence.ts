import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { z } from 'zod';
import { parseCommandArgs, stringArg } from '../args';
import { runNow } from '../api-context';
import { lineWriter } from '../line-writer';
import { readWorkspaces } from '../workspace-readings';
import { SegmentAccessValidationError } from '../../model/validation';
import { terminalLines } from '../../model/output-encoding';
import { loadReviewFile, reviewFilePath } from '../../reviews/review-file';
import { loadAccessRequests } from '../../requests/load';
import { parsePeriod } from '../../evidence/period';
import { ApprovalRecord, buildEvidencePack } from '../../evidence/pack';
import { writeEvidencePack } from '../../evidence/write-pack';

const HELP = `Usage: segment-access evidence --period PERIOD --out DIR [--review ID] [--reviews-dir reviews] [--approvals DIR] [--access access.yaml] [--outdir cdktf.out] [--stack NAME]...

Writes the evidence pack of a period (a quarter 2026-Q4, a month 2026-11, or 2026-10-01..2026-12-31) for
the auditor: the access inventory at the start and end of the period, every access change with its
audit-trail event, ticket, requester, approver and (with --approvals, the records \`approvals verify
--record\` wrote) the pull-request approval; removals and how long each took after its end date or
revoke decision; the review campaign (--review, default: the campaign named like the period) with its
decisions, reviewers, timestamps and seal; and the Team Members list as Segment shows it. CSV and
evidence.json for tools, report.html for people (self-contained, prints well), manifest.json with the
sha256 of every file. Read-only; needs each workspace's token. SEGMENT_ACCESS_NOW pins the clock: the
same state and clock give the same bytes. Exit 0 = written, 1 = error.`;

const ApprovalRecordSchema = z
  .object({
    verifiedAt: z.string(),
    grants: z.array(
      z.object({ entry: z.string(), environment: z.string(), subject: z.string(), approvedBy: z.string().nullable(), approvedByLogins: z.array(z.string()), approvedAt: z.string().nullable(), ok: z.boolean() }).loose(),
    ),
  })
  .loose();

function loadApprovalRecords(dir: string): ApprovalRecord[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const parsed = ApprovalRecordSchema.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      if (!parsed.success) throw new Error(`evidence: ${join(dir, f)} is not a record of \`approvals verify --record\` (${parsed.error.issues[0].message}).`);
      return parsed.data;
    });
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('evidence', argv, {
    period: { type: 'string' },
    out: { type: 'string' },
    review: { type: 'string' },
    'reviews-dir': { type: 'string' },
    approvals: { type: 'string' },
    access: { type: 'string' },
    outdir: { type: 'string' },
    stack: { type: 'string', multiple: true },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const periodText = stringArg(values, 'period');
  const out = stringArg(values, 'out');
  if (!periodText || !out) throw new Error('evidence: pass --period (e.g. 2026-Q4) and --out (e.g. evidence/2026-Q4/). Run `segment-access evidence --help`.');
  const period = parsePeriod(periodText);
  const reviewsDir = stringArg(values, 'reviews-dir') ?? 'reviews';
  const reviewId = stringArg(values, 'review');
  const reviewFile = reviewFilePath(reviewsDir, reviewId ?? period.id);
  try {
    const review = reviewId !== undefined || existsSync(reviewFile) ? loadReviewFile(reviewFile).review : undefined;
    const approvalsDir = stringArg(values, 'approvals');
    const approvals = approvalsDir ? loadApprovalRecords(approvalsDir) : undefined;
    const now = runNow();
    const readings = await readWorkspaces({ outdir: stringArg(values, 'outdir'), stacks: (values.stack as string[] | undefined) ?? [], now, since: period.start, log: lineWriter(process.stderr) });
    const accessFile = stringArg(values, 'access') ?? 'access.yaml';
    const requests = existsSync(accessFile) ? loadAccessRequests(accessFile) : undefined;
    const pack = buildEvidencePack({ period, now, readings, review, approvals, requests });
    const files = writeEvidencePack(out, pack);
    const write = lineWriter(process.stdout);
    write(`Evidence pack ${period.id} written to ${out}: ${files.join(', ')}.`);
    for (const f of pack.figures) {
      write(`  ${f.environment}: ${f.workspace}: ${f.withAccessAtStart} with access at the start, ${f.withAccessAtEnd} at the end; ${f.granted} granted, ${f.changed} changed, ${f.removed} removed (slowest ${f.slowestRemovalHours ?? '-'} h); ${f.auditEvents} audit events`);
    }
    for (const c of pack.coverage) write(`  note: ${c}`);
    return 0;
  } catch (error) {
    if (!(error instanceof SegmentAccessValidationError)) throw error;
    process.stderr.write(`${terminalLines(error.message)}\n`);
    return 1;
  }
}
