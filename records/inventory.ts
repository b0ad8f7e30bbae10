import type { AccessModel, GrantModel, GroupGrantModel } from '../constructs/access-model';
import { describeGrantPermissions } from '../model/canonical';
import type { Finding } from '../policy/rule';
import { markdownCode, markdownText } from '../model/output-encoding';
import { csvLine, isoDay, markdownHeader, markdownRow } from './tables';
import { StringSink, TextSink } from './text-sink';

/** One IAM-tracker line: a grant to a collaborator or a group in one workspace. */
export interface InventoryRow {
  readonly stack: string;
  readonly environment: string;
  readonly workspaceName: string;
  readonly workspaceId: string;
  readonly subject: string;
  readonly subjectKind: string;
  readonly displayName: string;
  readonly organization: string;
  readonly status: 'active' | 'expired (revoked on next deploy)';
  readonly role: string;
  readonly segmentPermissions: string;
  readonly sources: string;
  readonly destinations: string;
  readonly warehouses: string;
  readonly ticket: string;
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly justification: string;
  readonly expiresOn: string;
  readonly environmentOverride: string;
  readonly warnings: string;
  readonly suppressions: string;
}

const COLUMNS: readonly (keyof InventoryRow)[] = [
  'stack', 'environment', 'workspaceName', 'workspaceId', 'subject', 'subjectKind', 'displayName', 'organization', 'status',
  'role', 'segmentPermissions', 'sources', 'destinations', 'warehouses', 'ticket', 'requestedBy', 'approvedBy',
  'justification', 'expiresOn', 'environmentOverride', 'warnings', 'suppressions',
];

function findingsText(byPath: ReadonlyMap<string, readonly Finding[]>, path: string, suppressed: boolean): string {
  return (byPath.get(path) ?? [])
    .filter((f) => (suppressed ? f.suppressed !== null : f.suppressed === null && f.level === 'warning'))
    .map((f) => (suppressed ? `${f.ruleId}: ${f.suppressed!.reason}` : `${f.ruleId}: ${f.message}`))
    .join('; ');
}


export function inventoryRows(model: AccessModel, allFindings: readonly Finding[]): InventoryRow[] {
  return [...inventoryRowsOf(model, allFindings)];
}

/** The rows one workspace at a time, so a streaming writer never holds every workspace's rows. */
export function* inventoryRowsOf(model: AccessModel, allFindings: readonly Finding[]): Generator<InventoryRow> {
  const findings = new Map<string, Finding[]>();
  for (const f of allFindings) {
    const list = findings.get(f.path);
    if (list) list.push(f);
    else findings.set(f.path, [f]);
  }
  for (const ws of model.workspaces) {
    const w = ws.desired.workspace;
    const resourceNames = ws.resourceNames;
    const common = { stack: ws.stack, environment: w.environment, workspaceName: w.name, workspaceId: w.id };
    const scope = (g: { allSources: { level: string } | null; sources: readonly { name: string; level: string }[]; sourceLabels: readonly { key: string; value: string; level: string }[] }) =>
      [
        ...(g.allSources ? [`all sources (${g.allSources.level})`] : []),
        ...g.sources.map((s) => `${s.name} (${s.level})`),
        ...g.sourceLabels.map((l) => `label ${l.key}=${l.value} (${l.level})`),
      ].join('; ');
    // Built in COLUMNS order, so each row serialises as it stands (no reordering copy).
    const rowOf = (g: GrantModel | GroupGrantModel, who: { subject: string; subjectKind: string; displayName: string; organization: string; status: InventoryRow['status']; expiresOn: string; environmentOverride: string }): InventoryRow => ({
      stack: common.stack,
      environment: common.environment,
      workspaceName: common.workspaceName,
      workspaceId: common.workspaceId,
      subject: who.subject,
      subjectKind: who.subjectKind,
      displayName: who.displayName,
      organization: who.organization,
      status: who.status,
      role: g.role,
      segmentPermissions: describeGrantPermissions(g, resourceNames),
      sources: scope(g),
      destinations: g.destinations.map((d) => `${d.name} via ${d.sourceName}`).join('; '),
      warehouses: g.warehouses.map((x) => `${x.name} (${x.level})`).join('; '),
      ticket: g.audit.ticket ?? '',
      requestedBy: g.audit.requestedBy ?? '',
      approvedBy: g.audit.approvedBy ?? '',
      justification: g.audit.justification ?? '',
      expiresOn: who.expiresOn,
      environmentOverride: who.environmentOverride,
      warnings: findingsText(findings, g.path, false),
      suppressions: findingsText(findings, g.path, true),
    });
    for (const g of ws.grants) {
      yield rowOf(g, {
        subject: g.email,
        subjectKind: g.kind,
        displayName: g.displayName,
        organization: g.organization ?? '',
        status: g.expired ? 'expired (revoked on next deploy)' : 'active',
        expiresOn: g.expiresOn ?? '',
        environmentOverride: g.environmentOverride ?? '',
      });
    }
    for (const g of ws.groupGrants) {
      yield rowOf(g, { subject: g.groupName, subjectKind: 'USER_GROUP', displayName: g.groupName, organization: '', status: 'active', expiresOn: '', environmentOverride: '' });
    }
  }
}

export interface InventoryDocuments {
  readonly json: string;
  readonly csv: string;
  readonly markdown: string;
}

export interface InventorySinks {
  readonly json: TextSink;
  readonly csv: TextSink;
  readonly markdown: TextSink;
}

const MD_COLUMNS: readonly (keyof InventoryRow)[] = ['environment', 'workspaceName', 'subject', 'subjectKind', 'status', 'role', 'sources', 'destinations', 'ticket', 'requestedBy', 'approvedBy', 'expiresOn', 'warnings', 'suppressions'];

/** `text` with every line but the first indented, as JSON.stringify(..., 2) nests it. */
function nested(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

/**
 * The IAM-tracker inventory in three formats, written row by row in one pass. The JSON has one grant
 * per line (compact at thousands of grants; a change is a one-line diff). Findings not tied to one
 * grant are listed too.
 */
/** A workspace's separation-of-duties settings in words (the same line `cdktf plan` shows). */
export interface SeparationOfDutiesLine {
  readonly stack: string;
  readonly workspaceId: string;
  readonly rules: string;
}

export function writeInventory(
  rows: Iterable<InventoryRow>,
  findings: readonly Finding[],
  asOf: Date,
  title: string,
  out: InventorySinks,
  separationOfDuties: readonly SeparationOfDutiesLine[] = [],
): void {
  const relevant = findings.filter((f) => f.level === 'warning' || f.suppressed);
  out.json.write(`{\n  "asOf": ${JSON.stringify(isoDay(asOf))},\n  "grants": [`);
  out.csv.write(csvLine(COLUMNS));
  out.markdown.write([`# ${markdownText(title)}`, '', `As of ${isoDay(asOf)}. Generated by segment-access from the access definition; do not edit by hand.`, '', ''].join('\n'));
  out.markdown.write(markdownHeader(MD_COLUMNS));
  let count = 0;
  for (const r of rows) {
    out.json.write(`${count++ ? ',' : ''}\n    ${JSON.stringify(r, COLUMNS as string[])}`);
    out.csv.write(csvLine(COLUMNS.map((c) => r[c])));
    out.markdown.write(markdownRow(MD_COLUMNS.map((c) => r[c])));
  }
  const findingsJson = relevant.map((f) => ({ ruleId: f.ruleId, level: f.level, path: f.path, subject: f.subject ?? null, message: f.message, suppressed: f.suppressed }));
  const sod = separationOfDuties.length ? `,\n  "separationOfDuties": ${nested(JSON.stringify(separationOfDuties, null, 2), '  ')}` : '';
  out.json.write(`${count ? '\n  ' : ''}],\n  "findings": ${nested(JSON.stringify(findingsJson, null, 2), '  ')}${sod}\n}\n`);
  const findingLines = relevant.map(
    (f) =>
      `- **${markdownText(f.ruleId)}** (${f.suppressed ? `${f.suppressed.acknowledged ? 'acknowledged' : 'suppressed'} at ${markdownCode(f.suppressed.path)}: ${markdownText(f.suppressed.reason)}` : f.level}): ${markdownText(f.message)}`,
  );
  out.markdown.write(['## Warnings, suppressions and acknowledgements', '', ...(findingLines.length ? findingLines : ['None.']), ''].join('\n'));
  if (separationOfDuties.length) {
    const lines = separationOfDuties.map((s) => `- ${markdownText(s.stack)} (${markdownCode(s.workspaceId)}): ${markdownText(s.rules)}`);
    out.markdown.write(['', '## Separation of duties', '', ...lines, ''].join('\n'));
  }
}

/** The inventory documents as strings. */
export function renderInventoryRows(rows: readonly InventoryRow[], findings: readonly Finding[], asOf: Date, title: string): InventoryDocuments {
  const sinks = { json: new StringSink(), csv: new StringSink(), markdown: new StringSink() };
  writeInventory(rows, findings, asOf, title, sinks);
  return { json: sinks.json.toString(), csv: sinks.csv.toString(), markdown: sinks.markdown.toString() };
}
