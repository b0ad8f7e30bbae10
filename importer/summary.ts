import { WorkspaceRole } from '../model/enums';
import { IMPORT_PLACEHOLDER } from '../policy/placeholders';
import type { ImportedDefinition } from './build-definition';
import type { GuardrailReport } from './guardrail-report';
import { InviteAgeSource } from './live-snapshot';

/** What `segment-access import` prints at the end: what it wrote, what the API cannot say, the guardrail report. */
export function importSummary(imported: ImportedDefinition, context: { readonly file: string; readonly apiCalls: number; readonly report: GuardrailReport }): string[] {
  const { definition } = imported;
  const roles = new Map<string, number>();
  for (const c of definition.collaborators) roles.set(c.grant.role, (roles.get(c.grant.role) ?? 0) + 1);
  const roleText = [...Object.values(WorkspaceRole)].filter((r) => roles.has(r)).map((r) => `${roles.get(r)} ${r}`).join(', ');
  const lines = [
    `Read ${imported.snapshots.length} workspace(s) with ${context.apiCalls} API call(s), read-only:`,
    ...imported.snapshots.map((s) => `  ${s.environment}: ${s.workspace.name} (${s.workspace.id}): ${s.users.length} member(s), ${s.invites.length} pending invite(s), ${s.groups.length} user group(s), ${s.sources.length} source(s), ${s.warehouses.length} warehouse(s)`),
    `Wrote ${context.file}: ${definition.collaborators.length} collaborator(s) (${roleText || 'none'}), ${definition.groupGrants?.length ?? 0} group grant(s), ` +
      `${imported.differences} with explicit differences between environments.`,
    'Deploying it changes no one\'s access: the first deploy adopts everyone declared and only records them as managed.',
    '',
    'What the Public API cannot say (the file says it too):',
  ];
  if (imported.pending.length) {
    lines.push(`  - ${imported.pending.length} pending invite(s) have no readable permissions; they are not declared (commented out or noted, to confirm or delete):`);
    for (const p of imported.pending) {
      const age = p.invite.invitedOn ? `invited ${p.invite.invitedOn} (${p.invite.ageSource})` : 'age unknown';
      const managed = p.invite.ageSource === InviteAgeSource.RECORD ? '; RECORDED AS MANAGED: the next deploy cancels it unless it is declared' : '';
      lines.push(`      ${p.email} in ${p.environment}: ${age}${managed}`);
    }
  } else lines.push('  - no pending invites.');
  const auditNotes = new Map<string, string[]>();
  for (const s of imported.snapshots) if (s.auditTrailNote) auditNotes.set(s.auditTrailNote, [...(auditNotes.get(s.auditTrailNote) ?? []), s.environment]);
  for (const [note, environments] of auditNotes) lines.push(`      (${environments.join(', ')}: ${note})`);
  lines.push(
    imported.approvalReference === null
      ? `  - requester, approver, ticket (and why OWNER/ADMIN, why environments differ): "${IMPORT_PLACEHOLDER}" values; synth stops (SA-AUDIT-001) until they are written, or re-import with --approval-reference imported.`
      : `  - requester and approver: written as "not recorded" (the access predates segment-access); every ticket is "${imported.approvalReference}".`,
    '  - service account or named person: all imported as service accounts, except personal mailboxes (PERSON).',
    '  - SSO, SCIM and seat limits: only what was passed to the import is declared.',
  );
  if (imported.notImported.length) {
    lines.push(`  - ${imported.notImported.length} membership(s) not declared (left exactly as they are, never touched):`);
    for (const n of imported.notImported) lines.push(`      ${n.email} in ${n.environment}: ${n.reason}`);
  }
  for (const g of imported.groupsWithoutPermissions) lines.push(`  - user group "${g.name}" in ${g.environment} holds no permissions: nothing to declare.`);
  for (const n of imported.catalogNotes) lines.push(`  - ${n.environment}: ${n.note}`);
  lines.push('', 'Guardrail report for the live workspaces (the rule pack on what is live: your first access review):', ...context.report.lines, '');
  lines.push(`Next: review ${context.file}, build your stacks from its \`ACCESS\` export, and run \`cdktf plan\`.`);
  return lines;
}
