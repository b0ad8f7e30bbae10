import { markdownText as md } from '../model/output-encoding';
import type { WorkspaceAudit } from './audit';

function section(title: string, lines: string[]): string[] {
  return [`### ${title}`, '', ...(lines.length ? lines : ['None.']), ''];
}

/** The audit as Markdown: what a reviewer files with the quarterly access review. */
export function renderAuditMarkdown(audits: readonly WorkspaceAudit[], asOf: Date): string {
  const total = audits.reduce((n, a) => n + a.findingCount, 0);
  const out = [`# Segment access audit (${asOf.toISOString().slice(0, 10)})`, '', total ? `**${total} finding(s).**` : '**No findings: every workspace matches the code.**', ''];
  for (const a of audits) {
    out.push(`## ${md(a.workspace.name)} (${md(a.workspace.id)}, ${md(a.workspace.environment)}): ${a.findingCount} finding(s)`, '');
    out.push(...section('Drift: permissions differ from the code', a.drift.map((d) => `- ${md(d.email)}: expected ${md(d.expected)}; live ${md(d.actual)}`)));
    out.push(...section('Declared but absent', a.missing.map((m) => `- ${md(m.email)} (${m.role}): neither a member nor invited; run a deploy`)));
    out.push(...section('Managed, no longer declared, still present', a.leftover.map((l) => `- ${md(l.email)} (${l.status}): removed on the next deploy`)));
    out.push(...section('Past expiry, still active', a.expiredStillActive.map((e) => `- ${md(e.email)} (${e.status}): access ended ${md(e.expiresOn)}; deploy has not run since`)));
    out.push(...section('Unmanaged members', a.unmanaged.map((u) => `- ${u.owner ? '**OWNER** ' : ''}${md(u.email)} (${md(u.name)}): ${md(u.permissions) || 'no permissions'}`)));
    out.push(
      ...section(
        'Pending invites (Segment invites expire after 7 days)',
        a.pendingInvites.map((p) => `- ${md(p.email)}: ${p.invitedOn ? `sent ${p.invitedOn} (${p.ageDays} days ago)` : 'age unknown'} -> ${p.action}`),
      ),
    );
    out.push(...section('Members outside the SSO domains', a.outsideSso.map((o) => `- ${md(o.email)}`)));
    out.push(`Seats: ${a.seats.used} used of ${a.seats.limit ?? 'no declared limit'}${a.seats.overLimit ? ' (**over the limit**)' : ''}`, '');
  }
  return out.join('\n');
}
