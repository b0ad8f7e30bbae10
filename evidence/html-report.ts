import { htmlText as h } from '../model/output-encoding';
import type { EvidencePack, InventoryRow } from './pack';

/**
 * The evidence pack for people: one self-contained HTML file (no script, no external asset; a
 * Content-Security-Policy forbids loading anything), readable on screen and in print (A4 landscape,
 * table headers repeated on every page). Every string from the code or from Segment is HTML-encoded.
 */

const STYLE = `
  :root { color-scheme: light; }
  body { font: 13px/1.45 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; margin: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 2px solid #2b5797; padding-bottom: 3px; }
  .meta { color: #555; margin: 0 0 12px; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
  th, td { border: 1px solid #c8ccd2; padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
  th { background: #eef2f8; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .ok { color: #1d6b2e; font-weight: 600; }
  .bad { color: #a4262c; font-weight: 600; }
  .note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 6px 10px; margin: 8px 0; }
  .empty { color: #666; font-style: italic; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print {
    body { margin: 0; font-size: 10px; }
    h2 { break-after: avoid; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; }
  }
`;

function table(id: string, header: readonly string[], rows: readonly (readonly (string | number | null)[])[], numeric: readonly number[] = []): string {
  if (!rows.length) return `<p class="empty" id="${id}">None.</p>`;
  const cell = (v: string | number | null, i: number) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${h(v === null ? '-' : String(v))}</td>`;
  return [
    `<table id="${id}">`,
    `<thead><tr>${header.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');
}

/** Who had access to which workspace at the end of the period: one row per person, one column per workspace. */
function accessMatrix(rows: readonly InventoryRow[]): { header: string[]; rows: string[][] } {
  const workspaces = [...new Set(rows.map((r) => `${r.environment}: ${r.workspace}`))].sort();
  const people = [...new Set(rows.map((r) => r.email))].sort();
  const cellOf = new Map(rows.map((r) => [`${r.email}\u0000${r.environment}: ${r.workspace}`, `${r.role}${r.presence === 'invited' ? ' (invited)' : ''}${r.managed === 'declared' || r.role === 'not declared' ? '' : ' (not declared now)'}`]));
  return { header: ['person', ...workspaces], rows: people.map((p) => [p, ...workspaces.map((w) => cellOf.get(`${p}\u0000${w}`) ?? '-')]) };
}

export function renderEvidenceHtml(pack: EvidencePack): string {
  const day = (iso: string) => iso.slice(0, 10);
  const lastDay = new Date(Date.parse(pack.period.end) - 86_400_000).toISOString();
  const matrix = accessMatrix(pack.inventoryEnd);
  const review = pack.review;
  const verdict = (ok: boolean | null, yes: string, no: string) => (ok === null ? '-' : ok ? `<span class="ok">${h(yes)}</span>` : `<span class="bad">${h(no)}</span>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may load or run: the report is one file an auditor opens offline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>Segment access evidence ${h(pack.period.id)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>Segment access evidence: ${h(pack.period.id)}</h1>`,
    `<p class="meta">Period ${h(day(pack.period.start))} to ${h(day(lastDay))} (UTC). Generated ${h(pack.generatedAt)} by segment-access from Segment's audit trail, the live workspaces and the access requests in the repository. Every file of this pack is listed with its sha256 in manifest.json.</p>`,
    ...pack.coverage.map((c) => `<p class="note">${h(c)}</p>`),
    '<h2>Summary</h2>',
    table(
      'summary',
      ['environment', 'workspace', 'with access at start', 'with access at end', 'granted', 'permissions changed', 'removed', 'removed by this code', 'slowest removal (hours)', 'audit events'],
      pack.figures.map((f) => [f.environment, f.workspace, f.withAccessAtStart, f.withAccessAtEnd, f.granted, f.changed, f.removed, f.removedByThisCode, f.slowestRemovalHours, f.auditEvents]),
      [2, 3, 4, 5, 6, 7, 8, 9],
    ),
    `<h2>Access matrix at ${h(pack.endAt)}</h2>`,
    table('access-matrix', matrix.header, matrix.rows),
    '<h2>Access changes in the period</h2>',
    table(
      'changes',
      ['time (UTC)', 'workspace', 'person', 'change', 'by', 'audit event', 'ticket', 'requested by', 'approved by', 'pull-request approval'],
      pack.changes.map((c) => [c.at, `${c.environment}: ${c.workspace}`, c.email, c.change, `${c.by}${c.byThisCode ? ' (this code)' : ''}`, `${c.eventType} (${c.eventId})`, c.ticket, c.requestedBy, c.approvedBy, c.pullRequestApproval]),
    ),
    '<h2>Removals and how long each took (SOC 2 CC6.3)</h2>',
    table(
      'removals',
      ['removed at (UTC)', 'workspace', 'person', 'by', 'trigger', 'due since', 'hours to remove'],
      pack.removals.map((r) => [r.at, `${r.environment}: ${r.workspace}`, r.email, r.by, r.trigger, r.dueSince, r.hoursToRemove]),
      [6],
    ),
    `<h2>Access review${review ? ` ${h(review.id)}` : ''}</h2>`,
    review
      ? table(
          'review-campaign',
          ['started', 'due', 'closed', 'items', 'kept', 'revoked', 'changed', 'snapshot', 'seal', 'verified'],
          [[review.startedAt, review.due, review.closedAt, review.items, review.kept, review.revoked, review.changed, review.snapshotIntact ? 'intact' : 'EDITED', review.seal ? `${review.seal} (${review.sealValid ? 'valid' : 'BROKEN'})` : 'not sealed', review.verifiedAt ? `${review.verifiedAt} (${review.verifiedComplete ? 'complete' : 'incomplete'})` : 'not verified']],
          [3, 4, 5, 6],
        ).replace('</table>', `</table><p>Seal: ${verdict(review.sealValid, 'decisions match the seal', 'decisions do not match the seal')}; snapshot: ${verdict(review.snapshotIntact, 'as started', 'edited after the start')}.</p>`)
      : '<p class="empty">No review campaign.</p>',
    table('review-items', ['item', 'who', 'role', 'status', 'reviewer', 'decision', 'change', 'note', 'self-review reason', 'verified'], pack.reviewItems.map((i) => [i.key, i.who, i.role, i.status, i.reviewer, i.decision, i.change, i.note, i.selfReviewReason, i.verified])),
    `<h2>Team Members as Segment showed them (read ${h(pack.teamMembersReadAt)})</h2>`,
    table('team-members', ['workspace', 'name', 'email', 'status', 'permissions'], pack.teamMembers.map((m) => [`${m.environment}: ${m.workspace}`, m.name, m.email, m.status, m.permissions])),
    `<p class="meta">${pack.auditEvents.length} audit-trail event(s) of the period are in audit-events.csv and evidence.json.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
