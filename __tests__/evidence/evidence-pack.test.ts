import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fc, test as fcTest } from '@fast-check/jest';
import { buildEvidencePack, ChangeKind } from '../../evidence/pack';
import { parsePeriod } from '../../evidence/period';
import { evidenceFiles, writeEvidencePack } from '../../evidence/write-pack';
import { sha256 } from '../../model/canonical';
import type { WorkspaceReading } from '../../cli/workspace-readings';
import type { LiveAuditEvent } from '../../reconciler/segment-port';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { catalog, live } from '../support/live';
import { parseCsv } from '../support/output-decoding';
import { renderInChromium } from '../support/chromium';
import { numRuns } from '../properties/fast-check-config';
import { E2E_RECORD_KEY } from '../support/e2e';

// The evidence pack from a fixed reading: figures, hostile strings encoded for each format (CSV
// formulas guarded, HTML escaped, rendered by Chromium as text), byte-for-byte determinism, the manifest.

const HOSTILE_NAME = `<img src=x onerror="document.title='pwned'">Mallory`;
const FORMULA_EMAIL = '=cmd@evil.example';
const OURS = 'api-token:acme:1';

let seq = 0;
function event(type: string, email: string, at: string, actor = OURS, resourceType = 'USER'): LiveAuditEvent {
  return { id: `ev${String(seq++).padStart(3, '0')}`, timestamp: at, type, actor, resourceId: `u_${email}`, resourceType, resourceName: email };
}

function reading(): WorkspaceReading {
  seq = 0;
  const perms = [{ roleId: catalog.idOf('Minimal Workspace Access')!, roleName: 'Minimal Workspace Access', resources: [{ id: 'ws_test_1', type: 'WORKSPACE' }] }];
  const state = live({ users: [{ id: 'u1', name: 'Ana', email: 'ana@agency.example', permissions: perms }, { id: 'u2', name: HOSTILE_NAME, email: FORMULA_EMAIL, permissions: perms }] });
  return {
    desired: desiredState([
      desiredCollaborator('ana@agency.example', onWorkspace('Minimal Workspace Access'), { audit: { ticket: '=HYPERLINK("http://evil.example")', requestedBy: 'lead@acme.example', approvedBy: 'cto@acme.example', justification: null } }),
    ], { expired: [{ email: 'bo@agency.example', expiresOn: '2026-11-15', path: 'test/Workspace/Bo' }] }),
    live: state,
    events: [
      event('Non-Segment User Invited to Workspace', 'bo@agency.example', '2026-09-20T09:00:00.000Z', OURS, 'INVITE'),
      event('Non-Segment User Invited to Workspace', 'ana@agency.example', '2026-10-02T09:00:00.000Z', OURS, 'INVITE'),
      event('User Invite Accepted', 'ana@agency.example', '2026-10-03T09:00:00.000Z', 'ana@agency.example'),
      // A re-issue (deleted and sent again at once) is not a removal.
      event('Invite Deleted', 'bo@agency.example', '2026-10-05T09:00:00.000Z', OURS, 'INVITE'),
      event('Non-Segment User Invited to Workspace', 'bo@agency.example', '2026-10-05T09:00:00.500Z', OURS, 'INVITE'),
      event('Invite Deleted', 'bo@agency.example', '2026-11-17T12:00:00.000Z', OURS, 'INVITE'),
      event('User Invite Accepted', FORMULA_EMAIL, '2026-10-10T09:00:00.000Z', `<script>alert(1)</script>`),
    ],
    trailUnavailable: null,
    ourActors: [OURS],
    readAt: '2027-01-02T09:00:00.000Z',
  };
}

const input = () => ({ period: parsePeriod('2026-Q4'), now: new Date('2027-01-02T09:00:00Z'), readings: [reading()] });

describe('the evidence pack', () => {
  test('figures: presence at the start and end from the trail, a re-issue is no removal, an expiry removal timed from its end date', () => {
    const pack = buildEvidencePack(input());
    // Accepted in the period, so invited before it (its invite is older than the trail read).
    expect(pack.inventoryStart.map((r) => [r.email, r.presence])).toEqual([[FORMULA_EMAIL, 'invited'], ['bo@agency.example', 'invited']]);
    expect(pack.inventoryEnd.map((r) => [r.email, r.presence])).toEqual([[FORMULA_EMAIL, 'member'], ['ana@agency.example', 'member']]);
    expect(pack.changes.map((c) => [c.email, c.change])).toEqual([
      ['ana@agency.example', ChangeKind.GRANTED],
      ['ana@agency.example', ChangeKind.ACCEPTED],
      ['bo@agency.example', ChangeKind.REISSUED],
      [FORMULA_EMAIL, ChangeKind.ACCEPTED],
      ['bo@agency.example', ChangeKind.REMOVED],
    ]);
    expect(pack.removals).toEqual([
      expect.objectContaining({ email: 'bo@agency.example', trigger: 'end date 2026-11-15', dueSince: '2026-11-15T00:00:00.000Z', hoursToRemove: 60 }),
    ]);
    expect(pack.figures).toEqual([expect.objectContaining({ withAccessAtStart: 2, withAccessAtEnd: 2, granted: 1, changed: 0, removed: 1, removedByThisCode: 1, slowestRemovalHours: 60, auditEvents: 6 })]);
    expect(pack.coverage.join(' ')).toContain('Segment keeps 90 days of audit trail');
  });

  test('hostile strings stay literal: CSV cells guarded against formulas, HTML escaped', () => {
    const files = evidenceFiles(buildEvidencePack(input()));
    const [header, ...members] = parseCsv(files.get('team-members.csv')!, { undoFormulaGuard: true });
    expect(members.find((r) => r[header.indexOf('name')] === HOSTILE_NAME)?.[header.indexOf('email')]).toBe(FORMULA_EMAIL);
    expect(files.get('team-members.csv')).toContain(`'${FORMULA_EMAIL}`);
    expect(files.get('changes.csv')).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const html = files.get('report.html')!;
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;Mallory');
  });

  test('a record key never reaches a file of the pack, even when Segment shows one in a name', () => {
    const r = reading();
    const user = [...r.live.users.values()][0];
    (r.live.users as Map<string, typeof user>).set(user.email, { ...user, name: `leaked ${E2E_RECORD_KEY}` });
    const files = evidenceFiles(buildEvidencePack({ ...input(), readings: [r] }));
    for (const [name, text] of files) expect({ name, leaked: text.includes(E2E_RECORD_KEY) }).toEqual({ name, leaked: false });
  });

  test('the same state and clock give the same bytes; the manifest holds every file with its sha256', () => {
    const a = mkdtempSync(join(tmpdir(), 'sa-evidence-'));
    const b = mkdtempSync(join(tmpdir(), 'sa-evidence-'));
    writeEvidencePack(a, buildEvidencePack(input()));
    writeEvidencePack(b, buildEvidencePack(input()));
    const names = readdirSync(a).sort();
    expect(names).toEqual(readdirSync(b).sort());
    for (const f of names) expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { file: string }) => f.file)).toEqual(names.filter((n) => n !== 'manifest.json'));
    for (const f of manifest.files) expect(f.sha256).toBe(sha256(readFileSync(join(a, f.file), 'utf8')));
    // Written again into its own directory it is the same pack; a directory holding anything else is refused.
    expect(() => writeEvidencePack(a, buildEvidencePack(input()))).not.toThrow();
    writeFileSync(join(b, 'notes.txt'), 'mine');
    expect(() => writeEvidencePack(b, buildEvidencePack(input()))).toThrow('holds other files (notes.txt)');
  });

  test('headless Chromium renders the hostile name as text, runs nothing and loads nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-evidence-html-'));
    writeEvidencePack(dir, buildEvidencePack(input()));
    const rendered = await renderInChromium(join(dir, 'report.html'), join(dir, 'report'));
    expect(rendered.requests).toEqual([]);
    expect(rendered.tables['team-members'].map((r) => r[1])).toContain(HOSTILE_NAME);
    expect(rendered.text).toContain('Segment access evidence: 2026-Q4');
    expect(rendered.tables.removals[1]).toEqual(['2026-11-17T12:00:00.000Z', 'prod: Acme Test (ws_test_1)', 'bo@agency.example', OURS, 'end date 2026-11-15', '2026-11-15T00:00:00.000Z', '60']);
    expect(rendered.pdfBytes).toBeGreaterThan(1000);
  }, 60_000);
});

describe('periods', () => {
  test.each([
    ['2026-Q4', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026-02', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['2026-10-01..2026-12-31', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ])('%s', (text, start, end) => {
    expect(parsePeriod(text)).toEqual({ id: text, start: new Date(start), end: new Date(end) });
  });

  fcTest.prop([fc.string({ maxLength: 30 })], { numRuns: numRuns(200) })('any text is a period that starts before it ends, or a clear refusal', (text) => {
    try {
      const p = parsePeriod(text);
      expect(p.start.getTime()).toBeLessThan(p.end.getTime());
    } catch (error) {
      expect((error as Error).message).toContain('write a quarter (2026-Q4), a month (2026-11) or two days (2026-10-01..2026-12-31)');
    }
  });

  test('an impossible day or a reversed range is refused', () => {
    expect(() => parsePeriod('2026-02-30..2026-03-01')).toThrow('write a quarter');
    expect(() => parsePeriod('2026-12-31..2026-10-01')).toThrow('write a quarter');
  });
});
