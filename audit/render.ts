import { markdownTable, markdownText as md } from '../model/output-encoding';
import { describeConflict, describeDamage, describeHandover, describeTrust } from '../reconciler/render';
import type { WorkspaceAudit } from './audit';
import type { AuditTrailEvent } from './audit-trail';
import { INVITE_EXPIRY_DAYS } from './audit';

function section(title: string, lines: string[]): string[] {
  return [`### ${title}`, '', ...(lines.length ? lines : ['None.']), ''];
}

// Every string from the code or from Segment (names, emails, actors, event types) goes through the one
// Markdown encoding: a literal, never markup, HTML or a terminal escape.

function who(event: Pick<AuditTrailEvent, 'actor' | 'actorEmail'>): string {
  return event.actorEmail && event.actorEmail !== event.actor ? `${event.actor} (${event.actorEmail})` : event.actor;
}

/** Raw cells: markdownTable encodes each one. */
function eventRows(events: readonly AuditTrailEvent[]): string[][] {
  return events.map((e) => [e.timestamp, who(e), e.type, `${e.resourceType} ${e.resourceName}`]);
}

function auditTrailSections(a: WorkspaceAudit): string[] {
  const trail = a.auditTrail;
  if (!trail.available) return [`Audit trail: not available (${md(trail.reason)}).`, ''];
  const since = trail.lastDeployAt ? `since this code's last deploy (${trail.lastDeployAt})` : `in the audit trail since ${trail.since}`;
  const header = ['time (UTC)', 'actor', 'event', 'resource'];
  return [
    ...section(
      `Access changed outside this code ${since}`,
      trail.outsideChanges.length ? [markdownTable(header, eventRows(trail.outsideChanges)).trimEnd()] : [],
    ),
    ...section(
      `Audit trail evidence: ${trail.events.length} access event(s) since ${trail.since} (this code acts as ${trail.ourActors.map(md).join(', ') || 'no actor seen yet'})`,
      trail.events.length ? [markdownTable(header, eventRows(trail.events)).trimEnd()] : [],
    ),
  ];
}

function pendingLine(p: WorkspaceAudit['pendingInvites'][number]): string {
  const sent = p.invitedOn ? `sent ${p.invitedOn} (${p.ageDays} days ago${p.invitedBy ? ` by ${md(p.invitedBy)}` : ''})` : 'age unknown';
  return `- ${md(p.email)}: ${sent} -> ${p.action}`;
}

/** The audit as Markdown: what a reviewer files with the quarterly access review. */
export function renderAuditMarkdown(audits: readonly WorkspaceAudit[], asOf: Date): string {
  const total = audits.reduce((n, a) => n + a.findingCount, 0);
  const out = [`# Segment access audit (${asOf.toISOString().slice(0, 10)})`, '', total ? `**${total} finding(s).**` : '**No findings: every workspace matches the code.**', ''];
  for (const a of audits) {
    out.push(`## ${md(a.workspace.name)} (${md(a.workspace.id)}, ${md(a.workspace.environment)}): ${a.findingCount} finding(s)`, '');
    out.push(...describeTrust(a.trust, a.recordDamage.filter((d) => d.kind === 'unauthentic').length).map((t) => `${md(t)}`), '');
    out.push(...section('Record groups holding permissions (deploys refuse to run)', a.recordGroupPermissions.map((p) => `- ${md(p.problem)}. ${md(p.fix)}`)));
    out.push(
      ...section(
        `Record of managed users: damage${a.auditTrailChecked ? ' (checked against the audit trail)' : ' (NOT checked against the audit trail)'}`,
        a.recordDamage.map((d) => `- ${md(describeDamage(d, a.trust.keyVariable))}`),
      ),
    );
    out.push(...section('Conflicts with other apps on this workspace', a.conflicts.map((c) => `- ${md(describeConflict(c))}`)));
    if (a.handovers.length) out.push(...section('Handed over to other apps by the next deploy (not findings)', a.handovers.map((h) => `- ${md(describeHandover(h))}`)));
    if (a.pendingAdoption.length) out.push(...section('Unsigned records of an earlier version, adopted by the next deploy (not findings)', a.pendingAdoption.map((g) => `- ${md(g)}`)));
    out.push(
      ...section(
        'Drift: permissions differ from the code',
        a.drift.map((d) => `- ${md(d.email)}: expected ${md(d.expected)}; live ${md(d.actual)}${d.changedBy ? ` (last changed ${md(d.changedBy.at)} by ${md(d.changedBy.actor)}: ${md(d.changedBy.type)})` : ''}`),
      ),
    );
    out.push(...section('Declared but absent', a.missing.map((m) => `- ${md(m.email)} (${m.role}): neither a member nor invited; run a deploy`)));
    out.push(...section('Managed, no longer declared, still present', a.leftover.map((l) => `- ${md(l.email)} (${l.status}): removed on the next deploy`)));
    out.push(...section('Past expiry, still active', a.expiredStillActive.map((e) => `- ${md(e.email)} (${e.status}): access ended ${md(e.expiresOn)}; deploy has not run since`)));
    out.push(...section('Unmanaged members', a.unmanaged.map((u) => `- ${u.owner ? '**OWNER** ' : ''}${md(u.email)} (${md(u.name)}): ${md(u.permissions) || 'no permissions'}`)));
    out.push(...section(`Pending invites (treated as expired after ${INVITE_EXPIRY_DAYS} days)`, a.pendingInvites.map(pendingLine)));
    out.push(...section('Members outside the SSO domains', a.outsideSso.map((o) => `- ${md(o.email)}`)));
    if (a.managedByOtherApps.length) out.push(...section('Managed by other apps (not findings)', a.managedByOtherApps.map((m) => `- ${md(m.email)}: ${m.apps.map(md).join(', ')}`)));
    out.push(...auditTrailSections(a));
    out.push(`Seats: ${a.seats.used} used of ${a.seats.limit ?? 'no declared limit'}${a.seats.overLimit ? ' (**over the limit**)' : ''}`, '');
  }
  return out.join('\n');
}
