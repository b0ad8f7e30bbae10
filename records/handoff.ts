import type { AccessModel } from '../constructs/access-model';
import { describeGrantPermissions } from '../model/canonical';
import type { DesiredPermission } from '../model/desired-state';
import type { TextSink } from './text-sink';
import { markdownText as md } from '../model/output-encoding';

/** What a grant without SourceAccess can do on sources, read from its workspace-wide roles. */
function sourcesFromRole(permissions: readonly DesiredPermission[]): string {
  const wide = permissions.filter((p) => p.resources.some((r) => r.type === 'WORKSPACE' && r.labels.length === 0)).map((p) => p.roleName);
  if (wide.includes('Workspace Owner') || wide.includes('Source Admin')) return 'every source (ADMIN, from the role)';
  if (wide.includes('Source Read-only')) return 'every source (READ_ONLY, from the role)';
  return 'none';
}

type WorkspaceModel = AccessModel['workspaces'][number];
type GrantOf = WorkspaceModel['grants'][number];

/** One workspace's section of a collaborator's note. */
function section(ws: WorkspaceModel, g: GrantOf): string {
  const w = ws.desired.workspace;
  const login = w.sso.enforced
    ? `SSO is enforced: sign in through your identity provider with your ${w.sso.domains.map(md).join(' / ')} account; MFA is required by the identity provider.`
    : 'Sign in with email and password and turn on two-factor authentication (MFA) in your Segment account settings.';
  const sources = g.allSources
    ? `all sources (${g.allSources.level})`
    : [...g.sources.map((s) => `${md(s.name)} (${s.level})`), ...g.sourceLabels.map((l) => `sources labelled ${md(l.key)}=${md(l.value)} (${l.level})`)].join(', ');
  const contact = w.accessContact ?? (g.audit.requestedBy ? `your requester, ${g.audit.requestedBy}` : 'your requester');
  return [
    `## ${md(w.name)} (${w.environment})`,
    '',
    `- Workspace: [${md(w.name)}](${w.appUrl}) (id ${md(w.id)}, ${w.region} region)`,
    `- Role: **${g.role}**: ${md(ws.description(g.role))}`,
    `- Segment permissions: ${md(describeGrantPermissions(g, ws.resourceNames))}`,
    `- Sources: ${sources || sourcesFromRole(g.permissions)}`,
    `- Destinations you will configure: ${g.destinations.map((d) => `${md(d.name)} (on source ${md(d.sourceName)})`).join(', ') || 'none'}`,
    ...(g.warehouses.length ? [`- Warehouses: ${g.warehouses.map((x) => `${md(x.name)} (${x.level})`).join(', ')}`] : []),
    `- Access ends: ${g.expiresOn ? `${md(g.expiresOn)} (removed automatically on that day's deploy)` : 'no end date; reviewed quarterly'}`,
    `- How to log in: ${login}`,
    `- Invitations expire after 7 days: accept yours promptly (check spam for mail from segment.com / segment.io).`,
    `- Access questions: ${md(contact)}${g.audit.ticket ? `, quoting ticket ${md(g.audit.ticket)}` : ''}`,
    '',
  ].join('\n');
}

/**
 * The checklist's "Communication to Collaborator": one note per collaborator across workspaces, in
 * email order, each rendered only when it is reached (a writer streams them).
 */
export function* handoffNotes(model: AccessModel): Generator<[email: string, note: string]> {
  const byEmail = new Map<string, [WorkspaceModel, GrantOf][]>();
  for (const ws of [...model.workspaces].sort((a, b) => a.stack.localeCompare(b.stack))) {
    for (const g of ws.grants) {
      if (g.expired) continue;
      const list = byEmail.get(g.email);
      if (list) list.push([ws, g]);
      else byEmail.set(g.email, [[ws, g]]);
    }
  }
  for (const email of [...byEmail.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const grants = byEmail.get(email)!;
    const first = grants[0][1];
    const head = [`# Your Segment access: ${md(first.displayName)}`, '', `Email: ${md(first.email)}${first.organization ? ` (${md(first.organization)})` : ''}`, ''].join('\n');
    yield [email, `${head}\n${grants.map(([ws, g]) => section(ws, g)).join('\n')}`];
  }
}

/** Every note, by email. */
export function renderHandoffNotes(model: AccessModel): Map<string, string> {
  return new Map(handoffNotes(model));
}

/** The marker that starts each collaborator's note in the hand-off document. */
export function handoffNoteMarker(email: string): string {
  return `<!-- hand-off note: ${email} -->`;
}

/**
 * Every collaborator's note in ONE document (one file instead of one per collaborator keeps synth
 * cheap at thousands of grants): each note starts at its marker and is sent as it stands.
 */
export function writeHandoffDocument(model: AccessModel, out: TextSink): void {
  out.write(['# Hand-off notes', '', 'One note per collaborator, in email order: send each person the section that starts at their marker.', ''].join('\n'));
  for (const [email, note] of handoffNotes(model)) out.write(`\n${handoffNoteMarker(email)}\n${note}`);
}
