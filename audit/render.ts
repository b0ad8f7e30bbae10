import { describeConflict, describeDamage } from '../reconciler/render';
import { toMarkdownTable } from '../records/tables';
import type { WorkspaceAudit } from './audit';
import type { AuditTrailEvent } from './audit-trail';
import { INVITE_EXPIRY_DAYS } from './audit';

function section(title: string, lines: string[]): string[] {
  return [`### ${title}`, '', ...(lines.length ? lines : ['None.']), ''];
}

/**
 * Text from Segment's audit trail (actor names, resource names) printed as a literal: control
 * characters (terminal escapes) become "?", and "<" cannot open HTML in the rendered Markdown.
 */
function literal(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').replace(/</g, '&lt;');
}

function who(event: Pick<AuditTrailEvent, 'actor' | 'actorEmail'>): string {
  return literal(event.actorEmail && event.actorEmail !== event.actor ? `${event.actor} (${event.actorEmail})` : event.actor);
}

function eventRows(events: readonly AuditTrailEvent[]): string[][] {
  return events.map((e) => [e.timestamp, who(e), literal(e.type), literal(`${e.resourceType} ${e.resourceName}`)]);
}

function auditTrailSections(a: WorkspaceAudit): string[] {
  const trail = a.auditTrail;
  if (!trail.available) return [`Audit trail: not available (${literal(trail.reason)}).`, ''];
  const since = trail.lastDeployAt ? `since this code's last deploy (${trail.lastDeployAt})` : `in the audit trail since ${trail.since}`;
  const header = ['time (UTC)', 'actor', 'event', 'resource'];
  return [
    ...section(
      `Access changed outside this code ${since}`,
      trail.outsideChanges.length ? [toMarkdownTable(header, eventRows(trail.outsideChanges)).trimEnd()] : [],
    ),
    ...section(
      `Audit trail evidence: ${trail.events.length} access event(s) since ${trail.since} (this code acts as ${trail.ourActors.map(literal).join(', ') || 'no actor seen yet'})`,
      trail.events.length ? [toMarkdownTable(header, eventRows(trail.events)).trimEnd()] : [],
    ),
  ];
}

function pendingLine(p: WorkspaceAudit['pendingInvites'][number]): string {
  const sent = p.invitedOn ? `sent ${p.invitedOn} (${p.ageDays} days ago${p.invitedBy ? ` by ${literal(p.invitedBy)}` : ''})` : 'age unknown';
  return `- ${p.email}: ${sent} -> ${p.action}`;
}

/** The audit as Markdown: what a reviewer files with the quarterly access review. */
export function renderAuditMarkdown(audits: readonly WorkspaceAudit[], asOf: Date): string {
  const total = audits.reduce((n, a) => n + a.findingCount, 0);
  const out = [`# Segment access audit (${asOf.toISOString().slice(0, 10)})`, '', total ? `**${total} finding(s).**` : '**No findings: every workspace matches the code.**', ''];
  for (const a of audits) {
    out.push(`## ${a.workspace.name} (${a.workspace.id}, ${a.workspace.environment}): ${a.findingCount} finding(s)`, '');
    out.push(...section('Record groups holding permissions (deploys refuse to run)', a.recordGroupPermissions.map((p) => `- ${literal(p.problem)}. ${p.fix}`)));
    out.push(
      ...section(
        `Record of managed users: damage${a.auditTrailChecked ? ' (checked against the audit trail)' : ' (NOT checked against the audit trail)'}`,
        a.recordDamage.map((d) => `- ${literal(describeDamage(d))}`),
      ),
    );
    out.push(...section('Conflicts with other apps on this workspace', a.conflicts.map((c) => `- ${literal(describeConflict(c))}`)));
    out.push(
      ...section(
        'Drift: permissions differ from the code',
        a.drift.map((d) => `- ${d.email}: expected ${d.expected}; live ${d.actual}${d.changedBy ? ` (last changed ${d.changedBy.at} by ${literal(d.changedBy.actor)}: ${literal(d.changedBy.type)})` : ''}`),
      ),
    );
    out.push(...section('Declared but absent', a.missing.map((m) => `- ${m.email} (${m.role}): neither a member nor invited; run a deploy`)));
    out.push(...section('Managed, no longer declared, still present', a.leftover.map((l) => `- ${l.email} (${l.status}): removed on the next deploy`)));
    out.push(...section('Past expiry, still active', a.expiredStillActive.map((e) => `- ${e.email} (${e.status}): access ended ${e.expiresOn}; deploy has not run since`)));
    out.push(...section('Unmanaged members', a.unmanaged.map((u) => `- ${u.owner ? '**OWNER** ' : ''}${u.email} (${literal(u.name)}): ${u.permissions || 'no permissions'}`)));
    out.push(...section(`Pending invites (treated as expired after ${INVITE_EXPIRY_DAYS} days)`, a.pendingInvites.map(pendingLine)));
    out.push(...section('Members outside the SSO domains', a.outsideSso.map((o) => `- ${o.email}`)));
    if (a.managedByOtherApps.length) out.push(...section('Managed by other apps (not findings)', a.managedByOtherApps.map((m) => `- ${m.email}: ${m.apps.join(', ')}`)));
    out.push(...auditTrailSections(a));
    out.push(`Seats: ${a.seats.used} used of ${a.seats.limit ?? 'no declared limit'}${a.seats.overLimit ? ' (**over the limit**)' : ''}`, '');
  }
  return out.join('\n');
}
