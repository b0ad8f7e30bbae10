import { describeConflict, describeDamage } from '../reconciler/render';
import type { WorkspaceAudit } from './audit';

function section(title: string, lines: string[]): string[] {
  return [`### ${title}`, '', ...(lines.length ? lines : ['None.']), ''];
}

/** The audit as Markdown: what a reviewer files with the quarterly access review. */
export function renderAuditMarkdown(audits: readonly WorkspaceAudit[], asOf: Date): string {
  const total = audits.reduce((n, a) => n + a.findingCount, 0);
  const out = [`# Segment access audit (${asOf.toISOString().slice(0, 10)})`, '', total ? `**${total} finding(s).**` : '**No findings: every workspace matches the code.**', ''];
  for (const a of audits) {
    out.push(`## ${a.workspace.name} (${a.workspace.id}, ${a.workspace.environment}): ${a.findingCount} finding(s)`, '');
    out.push(...section('Record groups holding permissions (deploys refuse to run)', a.recordGroupPermissions.map((p) => `- ${p.problem}. ${p.fix}`)));
    out.push(
      ...section(
        `Record of managed users: damage${a.auditTrailChecked ? ' (checked against the audit trail)' : ' (NOT checked: useAuditTrail is off)'}`,
        a.recordDamage.map((d) => `- ${describeDamage(d)}`),
      ),
    );
    out.push(...section('Conflicts with other apps on this workspace', a.conflicts.map((c) => `- ${describeConflict(c)}`)));
    out.push(...section('Drift: permissions differ from the code', a.drift.map((d) => `- ${d.email}: expected ${d.expected}; live ${d.actual}`)));
    out.push(...section('Declared but absent', a.missing.map((m) => `- ${m.email} (${m.role}): neither a member nor invited; run a deploy`)));
    out.push(...section('Managed, no longer declared, still present', a.leftover.map((l) => `- ${l.email} (${l.status}): removed on the next deploy`)));
    out.push(...section('Past expiry, still active', a.expiredStillActive.map((e) => `- ${e.email} (${e.status}): access ended ${e.expiresOn}; deploy has not run since`)));
    out.push(...section('Unmanaged members', a.unmanaged.map((u) => `- ${u.owner ? '**OWNER** ' : ''}${u.email} (${u.name}): ${u.permissions || 'no permissions'}`)));
    out.push(
      ...section(
        'Pending invites (Segment invites expire after 7 days)',
        a.pendingInvites.map((p) => `- ${p.email}: ${p.invitedOn ? `sent ${p.invitedOn} (${p.ageDays} days ago)` : 'age unknown'} -> ${p.action}`),
      ),
    );
    out.push(...section('Members outside the SSO domains', a.outsideSso.map((o) => `- ${o.email}`)));
    if (a.managedByOtherApps.length) out.push(...section('Managed by other apps (not findings)', a.managedByOtherApps.map((m) => `- ${m.email}: ${m.apps.join(', ')}`)));
    out.push(`Seats: ${a.seats.used} used of ${a.seats.limit ?? 'no declared limit'}${a.seats.overLimit ? ' (**over the limit**)' : ''}`, '');
  }
  return out.join('\n');
}
