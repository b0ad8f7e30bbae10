import { execFileSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { parseCommandArgs, stringArg } from '../args';
import { runNow } from '../api-context';
import { lineWriter } from '../line-writer';
import { SegmentAccessValidationError } from '../../model/validation';
import { terminalLines } from '../../model/output-encoding';
import { AccessRequests, loadAccessRequests, parseAccessRequests } from '../../requests/load';
import { approvingLogins, loadApproverMapping, PullRequestReviewsSchema, verifyApprovals } from '../../approvals/verify-approvals';

const HELP = `Usage: segment-access approvals verify --base REF --reviews FILE [--access access.yaml] [--approvers approvers.yaml] [--commit SHA] [--record FILE]

Compares the access between the base ref (\`git show REF:access.yaml\`) and the working tree. Every grant
added or widened (a new grant or environment, a higher role, wider source access, a later end date,
another address, a new approver) must name as approvedBy someone who approved the pull request,
according to FILE: the pull request's reviews as \`gh pr view <number> --json reviews\` prints them.
GitHub gives logins and the requests name emails: --approvers maps one to the other (a file the
platform team owns in CODEOWNERS, never the requests file). A reviewer's latest approving or
blocking review counts; with --commit, only approvals of that commit count. --record writes the
result as JSON (evidence packs read it). No network and no token.

Exit code: 0 = every added or widened grant's approver approved, 2 = some did not (each named), 1 = error.`;

/** access.yaml at a git ref, or undefined when the ref has none (a new file: everything is added). */
function requestsAt(ref: string, file: string): AccessRequests | undefined {
  let text: string;
  try {
    text = execFileSync('git', ['show', `${ref}:./${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    if (/does not exist|exists on disk, but not in/.test(stderr)) return undefined;
    throw new Error(`approvals verify: cannot read ${file} at ${ref} (${stderr.trim() || (error as Error).message}). Fetch the base branch (e.g. fetch-depth: 0) and pass --base <sha or ref>.`);
  }
  return parseAccessRequests(text, `${ref}:${file}`);
}

function readReviews(file: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`approvals verify: --reviews ${file} is not the JSON of \`gh pr view <number> --json reviews\` (${(error as Error).message}).`);
  }
  const parsed = PullRequestReviewsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`approvals verify: --reviews ${file} is not the JSON of \`gh pr view <number> --json reviews\`: at ${issue.path.join('.') || '(root)'}, ${issue.message}.`);
  }
  return parsed.data;
}

async function verify(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('approvals verify', argv, {
    base: { type: 'string' },
    reviews: { type: 'string' },
    access: { type: 'string' },
    approvers: { type: 'string' },
    commit: { type: 'string' },
    record: { type: 'string' },
  });
  const base = stringArg(values, 'base');
  const reviewsFile = stringArg(values, 'reviews');
  if (!base || !reviewsFile) throw new Error('approvals verify: pass --base <ref> and --reviews <file> (`gh pr view <number> --json reviews > reviews.json`). Run `segment-access approvals --help`.');
  const accessFile = stringArg(values, 'access') ?? 'access.yaml';
  const approvers = loadApproverMapping(stringArg(values, 'approvers') ?? 'approvers.yaml');
  const approved = approvingLogins(readReviews(reviewsFile), stringArg(values, 'commit'));
  const results = verifyApprovals(requestsAt(base, accessFile), loadAccessRequests(accessFile), approved, approvers);
  const out = lineWriter(process.stdout);
  const failed = results.filter((r) => !r.ok);
  out(`Approvals of ${accessFile} against ${base}: ${results.length} grant(s) added or widened; approved by: ${[...approved.keys()].sort().join(', ') || 'nobody'}.`);
  for (const r of results) {
    out(
      r.ok
        ? `  ok      ${r.entry} in ${r.environment} (${r.subject}, ${r.role}, ${r.change}): approvedBy ${r.approvedBy} approved as ${r.approvedByLogins.join(', ')}`
        : `  FAILED  ${r.entry} in ${r.environment} (${r.subject}, ${r.role}, ${r.change}): approvedBy ${r.approvedBy ?? '(none)'} ${r.approvedBy ? 'did not approve this pull request (or has no login in the approver mapping)' : 'is missing'}`,
    );
  }
  if (failed.length) out(`${failed.length} grant(s) need an approval from the person they name: ask them to approve the pull request, or name the approver who did.`);
  const record = stringArg(values, 'record');
  if (record) writeFileSync(record, `${JSON.stringify({ verifiedAt: runNow().toISOString(), base, commit: stringArg(values, 'commit') ?? null, approvedBy: Object.fromEntries([...approved].sort()), grants: results }, null, 2)}\n`);
  return failed.length ? 2 : 0;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return sub === '--help' || sub === '-h' || (sub === 'verify' && (rest.includes('--help') || rest.includes('-h'))) ? 0 : 1;
  }
  try {
    return await verify(rest);
  } catch (error) {
    if (!(error instanceof SegmentAccessValidationError)) throw error;
    process.stderr.write(`${terminalLines(error.message)}\n`);
    return 1;
  }
}
