import { execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseDocument } from 'yaml';
import { parseAccessRequests } from '../../requests/load';
import { sha256 } from '../../model/canonical';
import { E2E_WS, E2EWorld, e2eSeed, OTHER_ACTOR, OWNER, UNMANAGED } from '../support/e2e';
import { e2eDefinition } from '../support/e2e-definitions';
import { runCommand } from '../support/run-command';
import { renderInChromium } from '../support/chromium';

// The "whole quarter", against the emulator with the real terraform binary: deploy; start a
// review; decide (one revoke, one change, one self-review refused and then fixed); close; deploy;
// verify the revocations are gone; write the evidence pack; then check every figure in the pack
// against the emulator's own audit trail.

const ACCESS_YAML = `# Acme's Segment access (data): edit by pull request.
version: 1
collaborators:
  - id: Ana # keeps her access
    email: ana@agency.example
    displayName: Ana
    requestedBy: lead@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-1
    grant:
      role: MEMBER
      justification: Implements web tracking.
      sourceAccess:
        Web: { level: ADMIN, sources: [web] }
  - id: Bo # ends mid-quarter
    email: bo@agency.example
    displayName: Bo
    kind: CONTRACTOR
    requestedBy: lead@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-2
    grant: { role: READ_ONLY, expiresOn: 2026-11-15 }
  - id: Cy # the review revokes
    email: cy@agency.example
    displayName: Cy
    requestedBy: lead@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-3
    grant: { role: ADMIN, justification: Migrated the warehouses in October. }
  - id: Dee # the review narrows
    email: dee@agency.example
    displayName: Dee
    requestedBy: lead@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-4
    grant:
      role: MEMBER
      sourceAccess:
        Web: { level: ADMIN, sources: [web] }
  - id: Cto # reviewed by himself
    email: cto@acme.example
    displayName: CTO
    kind: PERSON
    requestedBy: lead@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-5
    grant: { role: READ_ONLY, expiresOn: 2027-06-30 }
`;

const REVIEWERS_YAML = `version: 1
default: security@acme.example
rules:
  - { reviewer: cto@acme.example, unmanaged: false }
`;

const APPROVERS_YAML = 'version: 1\napprovers:\n  cto-gh: cto@acme.example\n  lead-gh: lead@acme.example\n';

/** `gh pr view 1 --json reviews`, as recorded: the CTO approved after a comment. */
const PR_REVIEWS = {
  reviews: [
    { id: 'PRR_1', author: { login: 'lead-gh' }, authorAssociation: 'MEMBER', body: 'looks fine', submittedAt: '2026-10-01T15:00:00Z', includesCreatedEdit: false, reactionGroups: [], state: 'COMMENTED', commit: { oid: 'abc' } },
    { id: 'PRR_2', author: { login: 'cto-gh' }, authorAssociation: 'MEMBER', body: '', submittedAt: '2026-10-01T16:00:00Z', includesCreatedEdit: false, reactionGroups: [], state: 'APPROVED', commit: { oid: 'abc' } },
  ],
};

const HOUR = 3_600_000;

describe('a whole quarter: deploy, review, close, deploy, verify, evidence', () => {
  let world: E2EWorld;
  afterAll(async () => world?.stop());

  /** Moves the emulator's clock to `iso` and returns the environment of a run at that instant. */
  function at(iso: string): NodeJS.ProcessEnv {
    world.emulator.state.clock.setOffset(Date.parse(iso) - Date.now());
    return { ...world.env, SEGMENT_ACCESS_NOW: iso };
  }

  const cli = (args: string[], env: NodeJS.ProcessEnv) => runCommand('segment-access', args, env, world.dir);

  function synthFrom(now: string): void {
    const requests = parseAccessRequests(readFileSync(join(world.dir, 'access.yaml'), 'utf8'), 'access.yaml');
    world.synth(e2eDefinition(requests.collaborators), now);
  }

  test('every step, and every figure of the pack checked against the audit trail', async () => {
    world = await E2EWorld.start(e2eSeed());
    const dir = world.dir;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e.x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e.x' } });

    // --- October: the pull request that asks for the access, its approval, the deploy.
    git('init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'access.yaml'), 'version: 1\ncollaborators: []\n');
    writeFileSync(join(dir, 'approvers.yaml'), APPROVERS_YAML);
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(join(dir, 'access.yaml'), ACCESS_YAML);
    writeFileSync(join(dir, 'reviews.json'), JSON.stringify(PR_REVIEWS));
    mkdirSync(join(dir, 'approvals'));
    let env = at('2026-10-01T17:00:00Z');
    const approvals = await cli(['approvals', 'verify', '--base', 'HEAD', '--reviews', 'reviews.json', '--record', 'approvals/pr-1.json'], env);
    expect({ code: approvals.code, stderr: approvals.stderr }).toEqual({ code: 0, stderr: '' });
    expect(approvals.stdout).toContain('5 grant(s) added or widened; approved by: cto-gh.');
    expect(approvals.stdout).toContain('ok      Cy in prod (cy@agency.example, ADMIN, added): approvedBy cto@acme.example approved as cto-gh');

    env = at('2026-10-02T09:00:00Z');
    synthFrom('2026-10-02T09:00:00Z');
    await world.deploy('apply', env);
    at('2026-10-03T09:00:00Z');
    world.emulator.acceptInvites(E2E_WS, ['ana@agency.example', 'bo@agency.example', 'cy@agency.example', 'dee@agency.example', 'cto@acme.example']);

    // --- December 1st: the review starts, due on the 8th.
    writeFileSync(join(dir, 'reviewers.yaml'), REVIEWERS_YAML);
    env = at('2026-12-01T09:00:00Z');
    synthFrom('2026-12-01T09:00:00Z');
    const started = await cli(['review', 'start', '--id', '2026-Q4', '--due', '2026-12-08', '--reviewers', 'reviewers.yaml', '--outdir', world.outdir], env);
    expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
    const reviewFile = join(dir, 'reviews', '2026-Q4.yaml');
    const review = parseDocument(readFileSync(reviewFile, 'utf8')).toJS();
    const items = new Map<string, any>(review.items.map((i: any) => [i.key, i]));
    // Bo's grant ended on Nov 15: no item (the next deploy removes him). Everyone else, and the two unmanaged members.
    expect([...items.keys()].sort()).toEqual(['prod/Ana', 'prod/Cto', 'prod/Cy', 'prod/Dee', `prod/unmanaged:${OWNER}`, `prod/unmanaged:${UNMANAGED}`]);
    expect(items.get('prod/Cy').snapshot).toMatchObject({
      subject: 'collaborator', entry: 'Cy', email: 'cy@agency.example', role: 'ADMIN', status: 'managed', live: 'member',
      requestedBy: 'lead@acme.example', approvedBy: 'cto@acme.example', ticket: 'ACCESS-3', since: '2026-10-02 (Non-Segment User Invited to Workspace, audit trail)',
    });
    expect(items.get('prod/Cy').snapshot.lastChange).toMatch(/^2026-10-03T09:00:0\d\.\d{3}Z User Invite Accepted by /);
    expect(items.get(`prod/unmanaged:${UNMANAGED}`)).toMatchObject({ reviewer: 'security@acme.example', snapshot: { status: 'unmanaged', entry: null } });
    expect(items.get('prod/Cto').reviewer).toBe('cto@acme.example');

    // A week later nothing is decided: status exits 2 so CI can remind the reviewers.
    env = at('2026-12-09T09:00:00Z');
    const overdue = await cli(['review', 'status', '2026-Q4', '--outdir', world.outdir], env);
    expect(overdue.code).toBe(2);
    expect(overdue.stdout).toContain('Access review 2026-Q4: open; 0 of 6 item(s) decided; due 2026-12-08 (PAST DUE).');
    expect(overdue.stdout).toContain('Overdue: undecided after the due date (6):');
    expect(overdue.stdout).toContain('No item changed in Segment since the snapshot.');

    // --- The reviewers decide in a pull request (the CTO keeps his own access, without a reason at first).
    const decide = (key: string, fields: Record<string, unknown>) => {
      const doc = parseDocument(readFileSync(reviewFile, 'utf8'));
      const index = doc.toJS().items.findIndex((i: any) => i.key === key);
      for (const [field, value] of Object.entries(fields)) doc.setIn(['items', index, field], value);
      writeFileSync(reviewFile, doc.toString({ lineWidth: 0 }));
    };
    decide('prod/Ana', { decision: 'keep', note: 'Still implementing web tracking.' });
    decide('prod/Cy', { decision: 'revoke', note: 'Warehouse migration finished.' });
    decide('prod/Dee', { decision: 'change', change: { role: 'READ_ONLY' }, note: 'Only reviews the web source now.' });
    decide('prod/Cto', { decision: 'keep', note: 'Reads the dashboards.' });
    decide(`prod/unmanaged:${OWNER}`, { decision: 'keep', note: 'Break-glass owner.' });
    decide(`prod/unmanaged:${UNMANAGED}`, { decision: 'revoke', note: 'Left the marketing team.' });

    env = at('2026-12-10T09:00:00Z');
    const refused = await cli(['review', 'close', '2026-Q4'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/reviews\/2026-Q4\.yaml:\d+:\d+ items\.\d\.reviewer: received "cto@acme\.example"; allowed: a reviewer other than the person whose access it is, or a selfReviewReason\. Fix: assign prod\/Cto to another reviewer, or write selfReviewReason/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'access.yaml'), 'utf8')).toBe(ACCESS_YAML);

    decide('prod/Cto', { selfReviewReason: 'No other approver for the CTO; the CFO countersigned on ticket SEC-9.' });
    const closed = await cli(['review', 'close', '2026-Q4'], env);
    expect({ code: closed.code, stderr: closed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(closed.stdout).toContain('3 kept, 2 revoked, 1 changed.');
    expect(closed.stdout).toContain('collaborators.Cy: removed from access.yaml (revoked in prod)');
    expect(closed.stdout).toContain(`prod/unmanaged:${UNMANAGED}: revoke by hand`);
    const accessAfter = readFileSync(join(dir, 'access.yaml'), 'utf8');
    expect(accessAfter).toContain("# Acme's Segment access (data): edit by pull request.");
    expect(accessAfter).toContain('  - id: Ana # keeps her access');
    expect(accessAfter).not.toContain('id: Cy');
    const dee = parseAccessRequests(accessAfter, 'access.yaml').collaborators.find((c) => c.id === 'Dee')!;
    expect(dee.environments?.prod).toEqual({
      reason: 'Narrowed in access review 2026-Q4 by cto@acme.example: Only reviews the web source now.',
      role: 'READ_ONLY',
      sourceAccess: { Web: { level: 'READ_ONLY', sources: ['web'] } },
    });
    const sealed = parseDocument(readFileSync(reviewFile, 'utf8')).toJS();
    expect(sealed.campaign.status).toBe('closed');
    expect(sealed.closing).toMatchObject({ closedAt: '2026-12-10T09:00:00.000Z', accessDigest: sha256(accessAfter) });
    expect((await cli(['review', 'close', '2026-Q4'], env)).stderr).toContain('2026-Q4 is already closed');

    // --- The next deploy carries out the revocation and the change (and Bo's expiry); marketing is removed by hand.
    env = at('2026-12-11T09:00:00Z');
    synthFrom('2026-12-11T09:00:00Z');
    await world.deploy('apply', env);
    at('2026-12-11T10:00:00Z');
    const marketing = world.users().find((u) => u.email === UNMANAGED)!;
    world.emulator.state.deleteUsers(E2E_WS, [marketing.id], OTHER_ACTOR);
    expect(world.users().map((u) => u.email).sort()).toEqual(['ana@agency.example', 'cto@acme.example', 'dee@agency.example', OWNER]);
    expect(world.user('dee@agency.example')!.roles).toEqual(['Minimal Workspace Access@ws', 'Source Read-only@srcWeb', 'Tracking Plan Read-only@ws']);

    env = at('2026-12-12T09:00:00Z');
    const verified = await cli(['review', 'verify', '2026-Q4', '--outdir', world.outdir], env);
    expect({ code: verified.code, stderr: verified.stderr }).toEqual({ code: 0, stderr: '' });
    expect(verified.stdout).toContain('every revocation and change is carried out');
    const verification = parseDocument(readFileSync(reviewFile, 'utf8')).toJS().verification;
    expect(verification.items.map((i: any) => [i.key, i.outcome])).toEqual([
      ['prod/Cy', 'gone'],
      ['prod/Dee', 'narrowed'],
      [`prod/unmanaged:${UNMANAGED}`, 'gone'],
    ]);
    expect(verification.items[0].at).toMatch(/^2026-12-11T09:/);
    expect(verification.items[2].at).toMatch(/^2026-12-11T10:00/);

    // --- January 2nd: the evidence pack of the quarter, twice with the same clock: the same bytes.
    env = at('2027-01-02T09:00:00Z');
    const pack = await cli(['evidence', '--period', '2026-Q4', '--out', 'evidence/2026-Q4', '--approvals', 'approvals', '--outdir', world.outdir], env);
    expect({ code: pack.code, stderr: pack.stderr }).toEqual({ code: 0, stderr: '' });
    const again = await cli(['evidence', '--period', '2026-Q4', '--out', 'evidence/again', '--approvals', 'approvals', '--outdir', world.outdir], env);
    expect(again.code).toBe(0);
    const out = join(dir, 'evidence', '2026-Q4');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    for (const f of manifest.files) {
      const text = readFileSync(join(out, f.file), 'utf8');
      expect(sha256(text)).toBe(f.sha256);
      expect(readFileSync(join(dir, 'evidence', 'again', f.file), 'utf8')).toBe(text);
    }
    expect(manifest.files.map((f: any) => f.file)).toEqual(['audit-events.csv', 'changes.csv', 'evidence.json', 'inventory-end.csv', 'inventory-start.csv', 'removals.csv', 'report.html', 'review.csv', 'team-members.csv']);

    // Every figure against the emulator's audit trail, counted here independently.
    const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8'));
    const trail = world.emulator.state.listAuditEvents(E2E_WS).filter((e) => e.timestamp >= '2026-10-01' && e.timestamp < '2027-01-01');
    const ofType = (...types: string[]) => trail.filter((e) => types.includes(e.type) && e.resourceName.includes('@'));
    const invites = ofType('New Segment User Invited to Workspace', 'Non-Segment User Invited to Workspace');
    const removedEvents = ofType('User Removed', 'Invite Deleted');
    const permissionChanges = trail.filter((e) => e.type === 'Policy Created' && e.resourceType === 'USER');
    const [figures] = evidence.figures;
    expect(figures).toMatchObject({
      auditEvents: trail.length,
      granted: invites.length,
      changed: permissionChanges.length,
      removed: removedEvents.length,
      // Who had access when the quarter began: the two seeded members (nobody was invited before it).
      withAccessAtStart: 2,
      withAccessAtEnd: world.users().length + world.invites().length,
    });
    expect(invites.map((e) => e.resourceName).sort()).toEqual(['ana@agency.example', 'bo@agency.example', 'cto@acme.example', 'cy@agency.example', 'dee@agency.example']);
    expect(evidence.auditEvents.map((e: any) => e.id)).toEqual([...trail].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id < b.id ? -1 : 1)).map((e) => e.id));
    expect(evidence.inventoryStart.map((r: any) => r.email)).toEqual([OWNER, UNMANAGED]);
    expect(evidence.inventoryEnd.map((r: any) => r.email).sort()).toEqual(['ana@agency.example', 'cto@acme.example', 'dee@agency.example', OWNER]);

    // Each change row is one audit event, with the request's ticket, requester, approver and the PR approval.
    for (const row of evidence.changes) expect(trail.map((e) => e.id)).toContain(row.eventId);
    const cyGranted = evidence.changes.find((c: any) => c.email === 'cy@agency.example' && c.change === 'granted');
    expect(cyGranted).toMatchObject({ ticket: 'ACCESS-3', requestedBy: 'lead@acme.example', approvedBy: 'cto@acme.example', byThisCode: true });
    expect(cyGranted.pullRequestApproval).toMatch(/^cto@acme\.example approved as cto-gh at 2026-10-01T16:00:00Z \(verified 2026-10-01T17:00:00\.000Z\)$/);
    expect(cyGranted.eventId).toBe(invites.find((e) => e.resourceName === 'cy@agency.example')!.id);

    // Removals: each timed from its end date or revoke decision, in hours, from the trail's timestamps.
    const removalAt = (email: string) => Date.parse(removedEvents.find((e) => e.resourceName === email)!.timestamp);
    const hours = (from: string, to: number) => Math.round(((to - Date.parse(from)) / HOUR) * 10) / 10;
    expect(evidence.removals.map((r: any) => [r.email, r.trigger, r.hoursToRemove])).toEqual([
      ['bo@agency.example', 'end date 2026-11-15', hours('2026-11-15T00:00:00Z', removalAt('bo@agency.example'))],
      ['cy@agency.example', 'revoke decision in access review 2026-Q4 (prod/Cy)', hours('2026-12-10T09:00:00Z', removalAt('cy@agency.example'))],
      [UNMANAGED, `revoke decision in access review 2026-Q4 (prod/unmanaged:${UNMANAGED})`, hours('2026-12-10T09:00:00Z', removalAt(UNMANAGED))],
    ].sort((a, b) => (removalAt(a[0] as string) < removalAt(b[0] as string) ? -1 : 1)));
    expect(figures.slowestRemovalHours).toBe(hours('2026-11-15T00:00:00Z', removalAt('bo@agency.example')));
    expect(evidence.review).toMatchObject({ id: '2026-Q4', items: 6, kept: 3, revoked: 2, changed: 1, sealValid: true, snapshotIntact: true, verifiedComplete: true, closedAt: '2026-12-10T09:00:00.000Z' });
    expect(evidence.teamMembers.map((m: any) => m.email)).toEqual(['ana@agency.example', 'cto@acme.example', 'dee@agency.example', OWNER]);

    // The report an auditor opens, rendered by headless Chromium: the figures as the browser shows them.
    const rendered = await renderInChromium(join(out, 'report.html'), join(dir, 'report'));
    expect(rendered.text).toContain('Segment access evidence: 2026-Q4');
    const summaryRow = rendered.tables.summary[1];
    expect(summaryRow).toEqual(['prod', 'Acme E2E (wsE2eProd01)', '2', '4', String(invites.length), String(permissionChanges.length), String(removedEvents.length), '2', String(figures.slowestRemovalHours), String(trail.length)]);
    expect(rendered.tables['access-matrix'].slice(1).map((r) => r[0])).toEqual(['ana@agency.example', 'cto@acme.example', 'dee@agency.example', OWNER]);
    expect(rendered.tables.removals).toHaveLength(4);
    expect(rendered.tables['review-items'].slice(1).map((r) => r[5]).sort()).toEqual(['change', 'keep', 'keep', 'keep', 'revoke', 'revoke']);
    expect(rendered.requests).toEqual([]);
    expect(existsSync(rendered.screenshot)).toBe(true);
    expect(readFileSync(rendered.screenshot).subarray(1, 4).toString()).toBe('PNG');
    // The README's screenshot is this one: `SEGMENT_ACCESS_WRITE_DOC_IMAGES=1 npx jest <this file>` refreshes it.
    if (process.env.SEGMENT_ACCESS_WRITE_DOC_IMAGES) copyFileSync(rendered.screenshot, join(__dirname, '..', '..', 'docs', 'images', 'evidence-report.png'));
    expect(rendered.pdfBytes).toBeGreaterThan(1000);
  }, 240_000);
});
