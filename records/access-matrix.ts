import type { AccessModel } from '../constructs/access-model';
import { csvDocument, markdownTable, markdownText } from '../model/output-encoding';

/** Who has access to which workspace, in one look: collaborators by environment with their role. */
export function renderAccessMatrix(model: AccessModel): { readonly markdown: string; readonly csv: string } {
  const workspaces = [...model.workspaces].sort((a, b) => a.stack.localeCompare(b.stack));
  const header = ['collaborator', 'kind', ...workspaces.map((w) => `${w.desired.workspace.environment}: ${w.desired.workspace.name}`)];
  const subjects = new Map<string, string>();
  for (const ws of workspaces) {
    for (const g of ws.grants) subjects.set(g.email, g.kind);
    for (const g of ws.groupGrants) subjects.set(`group:${g.groupName}`, 'USER_GROUP');
  }
  // One lookup table per workspace, so the matrix is linear in the number of grants.
  const grantsBy = workspaces.map((ws) => new Map(ws.grants.map((g) => [g.email, g])));
  const groupsBy = workspaces.map((ws) => new Map(ws.groupGrants.map((g) => [`group:${g.groupName}`, g])));
  const rows = [...subjects.keys()].sort().map((subject) => [
    subject,
    subjects.get(subject)!,
    ...workspaces.map((_ws, k) => {
      if (subject.startsWith('group:')) return groupsBy[k].get(subject)?.role ?? '-';
      const g = grantsBy[k].get(subject);
      if (!g) return '-';
      const notes = [g.expired ? `expired ${g.expiresOn}` : g.expiresOn ? `until ${g.expiresOn}` : '', g.environmentOverride ? 'override' : ''].filter(Boolean);
      return notes.length ? `${g.role} (${notes.join(', ')})` : g.role;
    }),
  ]);
  const overrides = workspaces.flatMap((ws) =>
    ws.grants.filter((g) => g.environmentOverride).map((g) => `- ${markdownText(g.email)} in ${ws.desired.workspace.environment}: ${markdownText(g.environmentOverride!)}`),
  );
  const markdown = [
    '# Access matrix',
    '',
    '`-` = no access. Roles are segment-access presets; see the inventory for the Segment permissions behind them.',
    '',
    markdownTable(header, rows),
    ...(overrides.length ? ['## Explicit environment overrides', '', ...overrides, ''] : []),
  ].join('\n');
  return { markdown, csv: csvDocument(header, rows) };
}
