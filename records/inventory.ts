import type { AccessModel, GrantModel, GroupGrantModel } from '../constructs/access-model';
import { describePermissions } from '../model/canonical';
import type { Finding } from '../policy/rule';
import { csvDocument, markdownCode, markdownTable, markdownText } from '../model/output-encoding';
import { isoDay } from './tables';

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
  const findings = new Map<string, Finding[]>();
  for (const f of allFindings) findings.set(f.path, [...(findings.get(f.path) ?? []), f]);
  return model.workspaces.flatMap((ws) => {
    const w = ws.desired.workspace;
    const resourceNames = ws.resourceNames;
    const common = { stack: ws.stack, environment: w.environment, workspaceName: w.name, workspaceId: w.id };
    const scope = (g: { allSources: { level: string } | null; sources: readonly { name: string; level: string }[]; sourceLabels: readonly { key: string; value: string; level: string }[] }) =>
      [
        ...(g.allSources ? [`all sources (${g.allSources.level})`] : []),
        ...g.sources.map((s) => `${s.name} (${s.level})`),
        ...g.sourceLabels.map((l) => `label ${l.key}=${l.value} (${l.level})`),
      ].join('; ');
    const grantColumns = (g: GrantModel | GroupGrantModel) => ({
      ...common,
      role: g.role,
      segmentPermissions: describePermissions(g.permissions, resourceNames),
      sources: scope(g),
      destinations: g.destinations.map((d) => `${d.name} via ${d.sourceName}`).join('; '),
      warehouses: g.warehouses.map((x) => `${x.name} (${x.level})`).join('; '),
      ticket: g.audit.ticket ?? '',
      requestedBy: g.audit.requestedBy ?? '',
      approvedBy: g.audit.approvedBy ?? '',
      justification: g.audit.justification ?? '',
      warnings: findingsText(findings, g.path, false),
      suppressions: findingsText(findings, g.path, true),
    });
    const people = ws.grants.map(
      (g): InventoryRow => ({
        ...grantColumns(g),
        subject: g.email,
        subjectKind: g.kind,
        displayName: g.displayName,
        organization: g.organization ?? '',
        status: g.expired ? 'expired (revoked on next deploy)' : 'active',
        expiresOn: g.expiresOn ?? '',
        environmentOverride: g.environmentOverride ?? '',
      }),
    );
    const groups = ws.groupGrants.map(
      (g): InventoryRow => ({
        ...grantColumns(g),
        subject: g.groupName,
        subjectKind: 'USER_GROUP',
        displayName: g.groupName,
        organization: '',
        status: 'active',
        expiresOn: '',
        environmentOverride: '',
      }),
    );
    return [...people, ...groups];
  });
}

export interface InventoryDocuments {
  readonly json: string;
  readonly csv: string;
  readonly markdown: string;
}

/** The IAM-tracker inventory in three formats. Findings not tied to one grant are listed too. */
/** Renders rows already computed (the app's rows, or one stack's subset of them). */
export function renderInventoryRows(rows: readonly InventoryRow[], findings: readonly Finding[], asOf: Date, title: string): InventoryDocuments {
  const relevant = findings.filter((f) => f.level === 'warning' || f.suppressed);
  const json = `${JSON.stringify(
    {
      asOf: isoDay(asOf),
      grants: rows.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, r[c]]))),
      findings: relevant.map((f) => ({ ruleId: f.ruleId, level: f.level, path: f.path, subject: f.subject ?? null, message: f.message, suppressed: f.suppressed })),
    },
    null,
    2,
  )}\n`;
  const csv = csvDocument(COLUMNS, rows.map((r) => COLUMNS.map((c) => r[c])));
  const mdColumns: (keyof InventoryRow)[] = ['environment', 'workspaceName', 'subject', 'subjectKind', 'status', 'role', 'sources', 'destinations', 'ticket', 'requestedBy', 'approvedBy', 'expiresOn', 'warnings', 'suppressions'];
  const findingLines = relevant.map(
    (f) => `- **${markdownText(f.ruleId)}** (${f.suppressed ? `suppressed at ${markdownCode(f.suppressed.path)}: ${markdownText(f.suppressed.reason)}` : f.level}): ${markdownText(f.message)}`,
  );
  const markdown = [
    `# ${markdownText(title)}`,
    '',
    `As of ${isoDay(asOf)}. Generated by segment-access from the access definition; do not edit by hand.`,
    '',
    markdownTable(mdColumns, rows.map((r) => mdColumns.map((c) => r[c]))),
    '## Warnings and suppressions',
    '',
    ...(findingLines.length ? findingLines : ['None.']),
    '',
  ].join('\n');
  return { json, csv, markdown };
}
