import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parseAccessRequests } from '../../requests/load';
import { approvingLogins, PullRequestReviews, verifyApprovals, whatWidens } from '../../approvals/verify-approvals';
import { WorkspaceRole } from '../../model/enums';
import { runCommand } from '../support/run-command';

// approvals verify: recorded `gh pr view --json reviews` answers, no network.

const review = (login: string, state: string, submittedAt: string, oid = 'head') => ({ author: { login }, state, submittedAt, commit: { oid } });

describe("who approved, by GitHub's rules", () => {
  test.each([
    ['an approval', [review('cto', 'APPROVED', '2026-12-01T10:00:00Z')], ['cto']],
    ['an approval followed by a comment still counts', [review('cto', 'APPROVED', '2026-12-01T10:00:00Z'), review('cto', 'COMMENTED', '2026-12-01T11:00:00Z')], ['cto']],
    ['an approval followed by changes requested does not', [review('cto', 'APPROVED', '2026-12-01T10:00:00Z'), review('cto', 'CHANGES_REQUESTED', '2026-12-01T11:00:00Z')], []],
    ['a dismissed approval does not', [review('cto', 'DISMISSED', '2026-12-01T11:00:00Z'), review('cto', 'APPROVED', '2026-12-01T10:00:00Z')], []],
    ['logins are case-insensitive', [review('CTO', 'APPROVED', '2026-12-01T10:00:00Z')], ['cto']],
  ])('%s', (_name, reviews, approved) => {
    expect([...approvingLogins({ reviews } as PullRequestReviews).keys()]).toEqual(approved);
  });

  test('with a required commit, an approval of an earlier commit does not count', () => {
    const reviews = { reviews: [review('cto', 'APPROVED', '2026-12-01T10:00:00Z', 'old'), review('lead', 'APPROVED', '2026-12-01T10:00:00Z', 'head')] } as PullRequestReviews;
    expect([...approvingLogins(reviews, 'head').keys()]).toEqual(['lead']);
  });
});

describe('what needs a fresh approval', () => {
  const grant = (extra: Record<string, unknown> = {}) => ({ role: WorkspaceRole.MEMBER, approvedBy: 'cto@acme.example', who: 'ana@agency.example', sourceAccess: { Web: { level: 'ADMIN', sources: ['web'] } }, ...extra }) as never;
  test.each([
    ['a new grant', undefined, grant(), 'added'],
    ['a higher role', grant(), grant({ role: WorkspaceRole.ADMIN }), 'role raised (MEMBER -> ADMIN)'],
    ['another address', grant(), grant({ who: 'eve@agency.example' }), 'granted to another address'],
    ['a new source', grant(), grant({ sourceAccess: { Web: { level: 'ADMIN', sources: ['web'] }, Ios: { level: 'READ_ONLY', sources: ['ios'] } } }), 'source access widened'],
    ['a READ_ONLY source made ADMIN', grant({ sourceAccess: { Web: { level: 'READ_ONLY', sources: ['web'] } } }), grant(), 'source access widened'],
    ['a later end date', grant({ expiresOn: '2027-01-31' }), grant({ expiresOn: '2027-06-30' }), 'end date extended (2027-01-31 -> 2027-06-30)'],
    ['an end date removed', grant({ expiresOn: '2027-01-31' }), grant(), 'end date extended (2027-01-31 -> never)'],
    ['another approver', grant(), grant({ approvedBy: 'lead@acme.example' }), 'approver changed'],
  ])('%s needs one', (_name, before, after, why) => {
    expect(whatWidens(before, after)).toContain(why);
  });

  test.each([
    ['a lower role', grant({ role: WorkspaceRole.ADMIN }), grant()],
    ['an earlier end date', grant({ expiresOn: '2027-06-30' }), grant({ expiresOn: '2027-01-31' })],
    ['ADMIN made READ_ONLY on a source', grant(), grant({ sourceAccess: { Web: { level: 'READ_ONLY', sources: ['web'] } } })],
    ['nothing but the ticket', grant(), grant({ ticket: 'ACCESS-9' })],
  ])('%s needs none', (_name, before, after) => {
    expect(whatWidens(before, after)).toBeUndefined();
  });
});

describe('verifyApprovals per grant and environment', () => {
  const requests = (extra = '') =>
    parseAccessRequests(
      `version: 1
collaborators:
  - id: Ana
    email: ana@agency.example
    displayName: Ana
    requestedBy: lead@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-1
    grant: { role: READ_ONLY }
${extra}`,
      'access.yaml',
    );
  const mapping = new Map([['cto-gh', 'cto@acme.example']]);

  test("fails a grant whose approver did not approve, passes one whose approver did, and ignores what did not widen", () => {
    const base = requests();
    const head = requests(`    environments:
      prod: { reason: Needs to fix prod sources., role: MEMBER, justification: Fixes the prod web source., approvedBy: security@acme.example }
`);
    const results = verifyApprovals(base, head, new Map([['cto-gh', '2026-12-01T10:00:00Z']]), mapping);
    expect(results).toEqual([
      expect.objectContaining({ entry: 'Ana', environment: 'prod', change: 'role raised (READ_ONLY -> MEMBER)', approvedBy: 'security@acme.example', approvedByLogins: [], ok: false }),
    ]);
    const approvedBySecurity = verifyApprovals(base, head, new Map([['sec-gh', '2026-12-01T10:00:00Z']]), new Map([['sec-gh', 'security@acme.example']]));
    expect(approvedBySecurity).toEqual([expect.objectContaining({ entry: 'Ana', environment: 'prod', approvedByLogins: ['sec-gh'], approvedAt: '2026-12-01T10:00:00Z', ok: true })]);
  });
});

describe('segment-access approvals verify (the CLI, in a git repo)', () => {
  const CLI = resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');

  test('exit 2 naming each unapproved grant, 0 once its approver approves; 1 for a malformed reviews file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-approvals-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e.x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e.x' } });
    git('init', '-q');
    writeFileSync(join(dir, 'access.yaml'), 'version: 1\ncollaborators: []\n');
    writeFileSync(join(dir, 'approvers.yaml'), 'version: 1\napprovers:\n  cto-gh: cto@acme.example\n  lead-gh: lead@acme.example\n');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(
      join(dir, 'access.yaml'),
      'version: 1\ncollaborators:\n  - { id: Ana, email: ana@agency.example, displayName: Ana, requestedBy: lead@acme.example, approvedBy: cto@acme.example, ticket: A-1, grant: { role: READ_ONLY } }\n',
    );
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const run = (reviews: unknown) => {
      writeFileSync(join(dir, 'reviews.json'), typeof reviews === 'string' ? reviews : JSON.stringify(reviews));
      return runCommand('node', [CLI, 'approvals', 'verify', '--base', 'HEAD', '--reviews', 'reviews.json'], env, dir);
    };
    const byLead = await run({ reviews: [review('lead-gh', 'APPROVED', '2026-12-01T10:00:00Z')] });
    expect(byLead.code).toBe(2);
    expect(byLead.stdout).toContain('FAILED  Ana in prod (ana@agency.example, READ_ONLY, added): approvedBy cto@acme.example did not approve this pull request');
    expect(byLead.stdout).toContain('3 grant(s) need an approval from the person they name');
    const byCto = await run({ reviews: [review('lead-gh', 'APPROVED', '2026-12-01T10:00:00Z'), review('cto-gh', 'APPROVED', '2026-12-01T11:00:00Z')] });
    expect(byCto.code).toBe(0);
    expect(byCto.stdout).toContain('ok      Ana in prod (ana@agency.example, READ_ONLY, added): approvedBy cto@acme.example approved as cto-gh');
    const malformed = await run('{"reviews": [{"state": "LGTM"}]}');
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('is not the JSON of `gh pr view <number> --json reviews`');
    expect(malformed.stderr).not.toMatch(/\n\s+at /);
  });
});
