import { parseDocument } from 'yaml';
import { fc, test as fcTest } from '@fast-check/jest';
import { SegmentAccessValidationError } from '../../model/validation';
import { parseAccessRequests } from '../../requests/load';
import { closeCampaign } from '../../reviews/close';
import { CampaignStatus, integrityProblems, ItemSnapshot, ItemStatus, ItemSubject, LivePresence, parseReviewFile, renderNewReviewFile, ReviewFile, ReviewItem, snapshotDigestOf } from '../../reviews/review-file';
import { campaignProgress } from '../../reviews/status';
import { assignReviewer, ReviewerListSchema } from '../../reviews/reviewers';
import { Environment } from '../../model/enums';
import { numRuns } from '../properties/fast-check-config';

// Review campaigns as files: what close refuses, what it does to access.yaml (comments kept), the seal,
// and status. The whole flow against Segment is the e2e "whole quarter" test.

const ACCESS = `# Who may do what (data).
version: 1
collaborators:
  - id: Ana # the agency's lead
    email: ana@agency.example
    displayName: Ana
    requestedBy: lead@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-1
    grant:
      role: MEMBER
      sourceAccess:
        Web: { level: ADMIN, sources: [web], destinations: [{ name: Amplitude, source: web }] }
  - id: Bo
    email: bo@agency.example
    displayName: Bo
    requestedBy: lead@acme.example
    ticket: ACCESS-2
    grant: { role: MEMBER, expiresOn: 2027-03-31 }
  - id: Cy
    email: cy@agency.example
    displayName: Cy
    requestedBy: lead@acme.example
    approvedBy: cto@acme.example
    ticket: ACCESS-3
    grant:
      role: CUSTOM
      customPermissions: [{ role: Source Read-only, sources: [web] }]
`;

function snapshot(entry: string | null, environment: Environment, extra: Partial<ItemSnapshot> = {}): ItemSnapshot {
  const email = entry ? `${entry.toLowerCase()}@agency.example` : 'someone@acme.example';
  return {
    subject: entry ? ItemSubject.COLLABORATOR : ItemSubject.UNMANAGED,
    entry,
    environment,
    workspace: `Acme ${environment} (ws_${environment})`,
    workspaceId: `ws_${environment}`,
    email,
    groupName: null,
    who: `${entry ?? 'Someone'} <${email}>`,
    role: 'MEMBER',
    access: 'Minimal Workspace Access on workspace',
    expiresOn: null,
    since: '2026-10-02 (Non-Segment User Invited to Workspace, audit trail)',
    requestedBy: 'lead@acme.example',
    approvedBy: 'cto@acme.example',
    ticket: 'ACCESS-1',
    lastChange: null,
    status: entry ? ItemStatus.MANAGED : ItemStatus.UNMANAGED,
    live: LivePresence.MEMBER,
    liveFingerprint: 'a'.repeat(64),
    ...extra,
  };
}

function item(key: string, snap: ItemSnapshot, decision: Partial<ReviewItem> = {}): ReviewItem {
  return { key, snapshot: snap, reviewer: 'cto@acme.example', decision: null, change: null, note: null, selfReviewReason: null, ...decision };
}

function reviewText(items: ReviewItem[], due: string | null = '2026-12-15'): string {
  const review: ReviewFile = {
    version: 1,
    campaign: { id: '2026-Q4', startedAt: '2026-12-01T09:00:00.000Z', due, status: CampaignStatus.OPEN, snapshotDigest: snapshotDigestOf(items) },
    items,
    closing: null,
    verification: null,
  };
  return renderNewReviewFile(review);
}

const NOW = new Date('2026-12-10T09:00:00Z');
const close = (text: string, access = ACCESS) => closeCampaign(parseReviewFile(text, 'reviews/2026-Q4.yaml'), { text: access, file: 'access.yaml' }, NOW);

function closeError(text: string, access = ACCESS): string {
  try {
    close(text, access);
  } catch (error) {
    expect(error).toBeInstanceOf(SegmentAccessValidationError);
    return (error as Error).message;
  }
  throw new Error('close did not refuse');
}

describe('review close refuses', () => {
  test('while an item is undecided: every one named at its line, with who decides', () => {
    const text = reviewText([item('prod/Ana', snapshot('Ana', Environment.PROD), { decision: 'keep' as never }), item('prod/Bo', snapshot('Bo', Environment.PROD))]);
    const message = closeError(text);
    const line = text.split('\n').findIndex((l, i, all) => l.includes('decision: null') && all.slice(0, i).some((x) => x.includes('key: prod/Bo'))) + 1;
    expect(message).toContain(`reviews/2026-Q4.yaml:${line}:`);
    expect(message).toContain('items.1.decision: received null; allowed: keep, revoke or change. Fix: cto@acme.example decides prod/Bo');
    expect(message).not.toContain('items.0');
  });

  test('a self-review without a reason, and accepts it with one', () => {
    const self = (reason: string | null) => reviewText([item('prod/Ana', snapshot('Ana', Environment.PROD), { reviewer: 'ANA@agency.example', decision: 'keep' as never, selfReviewReason: reason })]);
    expect(closeError(self(null))).toContain('items.0.reviewer: received "ANA@agency.example"; allowed: a reviewer other than the person whose access it is, or a selfReviewReason');
    expect(close(self('The only admin on call; countersigned by the CFO.')).seal).toMatch(/^[0-9a-f]{64}$/);
    expect(() => parseReviewFile(self('too short'), 'r.yaml')).toThrow('selfReviewReason: received "too short"; allowed: a string of at least 10 characters');
  });

  test.each([
    ['a role that is not lower', 'Ana', { role: 'MEMBER' }, 'MEMBER is not lower than the current MEMBER'],
    ['READ_ONLY for a MEMBER grant without sourceAccess (READ_ONLY would read every source)', 'Bo', { role: 'READ_ONLY' }, 'READ_ONLY without sourceAccess reads every source'],
    ['a role change of a CUSTOM grant', 'Cy', { role: 'READ_ONLY' }, 'the grant is CUSTOM (explicit permissions)'],
    ['a later end date', 'Bo', { expiresOn: '2027-06-30' }, 'expiresOn 2027-06-30 is not earlier than the current 2027-03-31'],
  ])('a change that does not narrow: %s', (_name, entry, change, says) => {
    const message = closeError(reviewText([item(`prod/${entry}`, snapshot(entry, Environment.PROD), { decision: 'change' as never, change: change as never })]));
    expect(message).toContain('allowed: a change that narrows the grant');
    expect(message).toContain(says);
  });

  test('change on an unmanaged member (only keep or revoke), and an edited snapshot', () => {
    expect(closeError(reviewText([item('prod/unmanaged:someone@acme.example', snapshot(null, Environment.PROD), { decision: 'change' as never, change: { role: 'READ_ONLY' } as never })]))).toContain(
      'allowed: keep or revoke for an unmanaged member',
    );
    const text = reviewText([item('prod/Ana', snapshot('Ana', Environment.PROD), { decision: 'keep' as never })]).replace('role: MEMBER', 'role: READ_ONLY');
    expect(closeError(text)).toContain('campaign.snapshotDigest: received');
  });
});

describe('review close applies the decisions to access.yaml', () => {
  test('a revoke in every environment removes the entry; in one, makes it absent there; comments and layout survive', () => {
    const text = reviewText([
      item('prod/Ana', snapshot('Ana', Environment.PROD), { decision: 'revoke' as never, note: 'Engagement over.' }),
      item('dev/Ana', snapshot('Ana', Environment.DEV), { decision: 'revoke' as never }),
      item('prod/Bo', snapshot('Bo', Environment.PROD), { decision: 'revoke' as never, note: 'Not needed in prod.' }),
      item('dev/Bo', snapshot('Bo', Environment.DEV), { decision: 'keep' as never }),
    ]);
    const closed = close(text);
    expect(closed.accessText).toContain('# Who may do what (data).');
    expect(closed.accessText).not.toContain('id: Ana');
    const bo = parseAccessRequests(closed.accessText, 'access.yaml').collaborators.find((c) => c.id === 'Bo')!;
    expect(bo.environments).toEqual({ prod: { reason: 'Revoked in access review 2026-Q4 by cto@acme.example: Not needed in prod.', absent: true } });
    expect(closed.summary).toContain('  - collaborators.Ana: removed from access.yaml (revoked in dev, prod)');
    // Only what changed changed: Cy's entry is byte for byte as it was.
    expect(closed.accessText).toContain(ACCESS.slice(ACCESS.indexOf('  - id: Cy')));
  });

  test('a change to READ_ONLY narrows the source access too (no ADMIN level, no destinations)', () => {
    const closed = close(reviewText([item('prod/Ana', snapshot('Ana', Environment.PROD), { decision: 'change' as never, change: { role: 'READ_ONLY' } as never, note: 'Reads only.' })]));
    const ana = parseAccessRequests(closed.accessText, 'access.yaml').collaborators.find((c) => c.id === 'Ana')!;
    expect(ana.environments?.prod).toEqual({ reason: 'Narrowed in access review 2026-Q4 by cto@acme.example: Reads only.', role: 'READ_ONLY', sourceAccess: { Web: { level: 'READ_ONLY', sources: ['web'] } } });
    expect(ana.grant.role).toBe('MEMBER');
  });

  test('re-run after a crash between the two writes: the edits are found applied, and sealed once', () => {
    const text = reviewText([
      item('prod/Ana', snapshot('Ana', Environment.PROD), { decision: 'change' as never, change: { expiresOn: '2027-01-31' } as never }),
      item('prod/Cy', snapshot('Cy', Environment.PROD), { decision: 'revoke' as never }),
    ]);
    const first = close(text);
    const again = close(text, first.accessText);
    expect(again.accessText).toBe(first.accessText);
    expect(again.summary.join('\n')).toContain('prod/Ana: already narrowed');
    expect(again.summary.join('\n')).toContain('prod/Cy: already removed from access.yaml');
  });

  test('the seal: a decision edited after close is caught, and a closed campaign is not closed again', () => {
    const closed = close(reviewText([item('prod/Ana', snapshot('Ana', Environment.PROD), { decision: 'keep' as never })]));
    const loaded = parseReviewFile(closed.reviewText, 'r.yaml');
    expect(loaded.review.campaign.status).toBe('closed');
    expect(integrityProblems(loaded)).toBeUndefined();
    const doc = parseDocument(closed.reviewText);
    doc.setIn(['items', 0, 'decision'], 'revoke');
    const tampered = parseReviewFile(doc.toString(), 'r.yaml');
    expect(integrityProblems(tampered)?.message).toContain('closing.seal: received');
    expect(() => closeCampaign(loaded, { text: ACCESS, file: 'access.yaml' }, NOW)).toThrow('2026-Q4 is already closed');
  });
});

describe('review status and reviewer assignment', () => {
  test('overdue only after the whole due day; unassigned and unexplained self-reviews listed', () => {
    const items = [item('prod/Ana', snapshot('Ana', Environment.PROD)), item('prod/Bo', snapshot('Bo', Environment.PROD), { reviewer: null }), item('prod/Cy', snapshot('Cy', Environment.PROD), { reviewer: 'cy@agency.example', decision: 'keep' as never })];
    const review = parseReviewFile(reviewText(items), 'r.yaml').review;
    expect(campaignProgress(review, new Date('2026-12-15T23:59:59Z')).overdue).toEqual([]);
    const late = campaignProgress(review, new Date('2026-12-16T00:00:00Z'));
    expect(late).toMatchObject({ pastDue: true, overdue: ['prod/Ana', 'prod/Bo'], unassigned: ['prod/Bo'], selfReviewsWithoutReason: ['prod/Cy'], decided: 1, total: 3, changedSinceSnapshot: null });
  });

  test('the first matching rule assigns; the approver without a list', () => {
    const list = ReviewerListSchema.parse({ version: 1, default: 'sec@acme.example', rules: [{ reviewer: 'eu@acme.example', environments: ['prod'], domains: ['agency.example'] }, { reviewer: 'all@acme.example', unmanaged: false }] });
    const snap = snapshot('Ana', Environment.PROD);
    expect(assignReviewer({ ...snap, kind: null }, list)).toBe('eu@acme.example');
    expect(assignReviewer({ ...snapshot('Ana', Environment.DEV), kind: null }, list)).toBe('all@acme.example');
    expect(assignReviewer({ ...snapshot(null, Environment.DEV), kind: null }, list)).toBe('sec@acme.example');
    expect(assignReviewer({ ...snap, kind: null }, undefined)).toBe('cto@acme.example');
  });
});

describe('review files are hostile input', () => {
  fcTest.prop([fc.string({ maxLength: 40 }), fc.constantFrom('decision', 'note', 'reviewer', 'selfReviewReason', 'change')], { numRuns: numRuns(100) })(
    'any value a reviewer types is accepted as data or refused as a located problem, never run',
    (value, field) => {
      const doc = parseDocument(reviewText([item('prod/Ana', snapshot('Ana', Environment.PROD))]));
      doc.setIn(['items', 0, field], value);
      try {
        const loaded = parseReviewFile(doc.toString(), 'r.yaml');
        expect(loaded.review.items[0].snapshot.entry).toBe('Ana');
      } catch (error) {
        expect(error).toBeInstanceOf(SegmentAccessValidationError);
        expect((error as Error).message).toMatch(/r\.yaml:\d+:\d+ items\.0\./);
      }
    },
  );

  test("an unmanaged member's address with any character an email allows survives the file", () => {
    const email = "o'brien+x#1{a}@acme.example";
    const text = reviewText([item(`prod/unmanaged:${email}`, snapshot(null, Environment.PROD, { email, who: `"Bobby" <${email}>` }))]);
    expect(parseReviewFile(text, 'r.yaml').review.items[0]).toMatchObject({ key: `prod/unmanaged:${email}`, snapshot: { email } });
  });

  test('a YAML tag or a prototype key is refused like in access.yaml', () => {
    const text = reviewText([item('prod/Ana', snapshot('Ana', Environment.PROD))]);
    expect(() => parseReviewFile(text.replace('decision: null', 'decision: !!js/function "x"'), 'r.yaml')).toThrow('the tag !!js/function');
    expect(() => parseReviewFile(text.replace('decision: null', '__proto__: { polluted: true }'), 'r.yaml')).toThrow('__proto__');
  });
});
