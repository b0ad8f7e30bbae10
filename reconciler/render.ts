import type { DesiredPermission, DesiredState } from '../model/desired-state';
import { describePermissions } from '../model/canonical';
import { terminalText } from '../model/output-encoding';
import type { ApplyCounts } from './apply';
import type { Conflict, RecordDamage } from './ownership';
import type { AccessChange, ReconcilePlan, Refusal } from './plan';

/** Source and warehouse names by id, from the desired state, for readable permission text. */
export function resourceNamesOf(desired: DesiredState): Map<string, string> {
  const names = new Map<string, string>();
  for (const g of [...desired.collaborators, ...desired.groupGrants]) {
    for (const s of g.sources) names.set(s.id, s.name);
    for (const w of g.warehouses) names.set(w.id, w.name);
  }
  return names;
}

const SYMBOL: Record<AccessChange['kind'], string> = {
  invite: '+',
  reinvite: '~',
  repermission: '~',
  'remove-user': '-',
  'cancel-invite': '-',
  'set-group-permissions': '~',
  'clear-group-permissions': '-',
};

const LABEL: Record<AccessChange['kind'], string> = {
  invite: 'invite',
  reinvite: 're-invite',
  repermission: 're-permission',
  'remove-user': 'remove user',
  'cancel-invite': 'cancel invite',
  'set-group-permissions': 'group permissions',
  'clear-group-permissions': 'clear group',
};

function row(change: AccessChange, names: ReadonlyMap<string, string>): [string, string, string, string] {
  const perms = (p: readonly DesiredPermission[]) => describePermissions(p, names) || '(none)';
  switch (change.kind) {
    case 'invite':
      return [`${SYMBOL.invite} ${LABEL.invite}`, change.email, change.role, perms(change.after)];
    case 'reinvite':
      return [`${SYMBOL.reinvite} ${LABEL.reinvite}`, change.email, change.role, `${perms(change.after)} (${change.reason})`];
    case 'repermission':
      return [`${SYMBOL.repermission} ${LABEL.repermission}`, change.email, change.role, `was: ${perms(change.before)} | now: ${perms(change.after)}`];
    case 'remove-user':
      return [`${SYMBOL['remove-user']} ${LABEL['remove-user']}`, change.email, '', change.reason];
    case 'cancel-invite':
      return [`${SYMBOL['cancel-invite']} ${LABEL['cancel-invite']}`, change.email, '', change.reason];
    case 'set-group-permissions':
      return [`${SYMBOL['set-group-permissions']} ${LABEL['set-group-permissions']}`, `group "${change.groupName}"`, change.role, `was: ${perms(change.before)} | now: ${perms(change.after)}`];
    case 'clear-group-permissions':
      return [`${SYMBOL['clear-group-permissions']} ${LABEL['clear-group-permissions']}`, `group "${change.groupName}"`, '', `no longer declared; was: ${perms(change.before)}`];
  }
}

/** Damage, conflicts or refusals: the plan cannot say the workspace matches the code. */
export function planNeedsAttention(plan: Pick<ReconcilePlan, 'damage' | 'conflicts' | 'refusals'>): boolean {
  return plan.damage.length > 0 || plan.conflicts.length > 0 || plan.refusals.length > 0;
}

/** One line per kind of record damage: what is wrong, and what happens or what to do about it. */
export function describeDamage(d: RecordDamage): string {
  const events = (list: readonly { type: string; actor: string; at: string }[]) => list.map((e) => `${e.type} by ${e.actor} at ${e.at}`).join('; ');
  switch (d.kind) {
    case 'malformed-name':
      return `record group "${d.group}" (id ${d.groupId}) has a name no version of segment-access writes (edited by hand?); it is ignored. Rename or delete it.`;
    case 'renamed':
      return `record group "${d.recordName}" (id ${d.groupId}) was renamed to "${d.now}"${d.events.length ? ` (${events(d.events)})` : ''}; its members are still read as this app's and copied back into the record by the next deploy.`;
    case 'deleted':
      return `record group "${d.recordName}" (id ${d.groupId}) was deleted by ${d.by} at ${d.at}; people it recorded are restored from the audit trail when declared, and reported as orphaned when not.`;
    case 'edited':
      return `record group "${d.group}" (id ${d.groupId}) was changed by someone other than this app: ${events(d.events)}. Only members the audit trail shows this app invited stay managed.`;
    case 'unconfirmed-member':
      return `${d.email} is in record group "${d.group}", but ${d.why}: never removed by this app; dropped from the record by the next deploy (unless declared).`;
    case 'orphaned':
      return `${d.email} was invited by this app (audit trail, ${d.invitedAt}) but is in no record: not removed on the audit trail's word alone. Declare it, or add it back to this app's members record group so the next deploy removes it, or remove it by hand.`;
    case 'interrupted-run':
      return d.unattributed.length
        ? `an interrupted run left intent "${d.intent}"; without the audit trail its invites cannot be told apart from others: review ${d.unattributed.join(', ')}.`
        : `an interrupted run left intent "${d.intent}"${d.recovered.length ? `; it invited ${d.recovered.join(', ')}, which the next deploy records (declared) or removes (not declared)` : '; it sent no invite the audit trail shows'}.`;
    case 'permissions-on-renamed-record':
      return `group "${d.now}" (id ${d.groupId}), created as record group "${d.recordName}", now holds permissions: this app never adds anyone to it.`;
  }
}

export function describeConflict(c: Conflict): string {
  return `${c.email} is claimed by apps ${c.apps.map((a) => `"${a}"`).join(' and ')} (${c.reason}): neither removes nor re-permissions it. Declare it in one app only, and remove it from the other app's record group.`;
}

export function describeRefusal(r: Refusal): string {
  switch (r.kind) {
    case 'last-owner':
      return `${r.email}: ${r.refused} refused, it would leave the workspace without a Workspace Owner`;
    case 'unconfirmed':
      return `${r.email}: not removed, the audit trail does not confirm this app invited it (record group "${r.group}" was changed by someone else)`;
    case 'orphaned':
      return `${r.email}: not removed, only the audit trail says this app invited it (it is in no record)`;
    case 'conflict':
      return `${r.email}: not touched, claimed by apps ${r.apps.map((a) => `"${a}"`).join(' and ')}`;
  }
}

/** The plan as a readable table, as a reviewer sees it in CI logs. */
export function renderPlanTable(plan: ReconcilePlan, names: ReadonlyMap<string, string> = new Map()): string {
  // Names, emails and reasons come from the definition and from Segment: shown, never obeyed (ANSI escapes, newlines).
  const lines = [terminalText(`Segment access plan for ${plan.workspace.name} (${plan.workspace.id})`)];
  const rows = plan.changes.map((c) => row(c, names).map(terminalText) as [string, string, string, string]);
  if (rows.length) {
    const header: [string, string, string, string] = ['  action', 'who', 'role', 'details'];
    const all = [header, ...rows.map(([a, b, c, d]): [string, string, string, string] => [`  ${a}`, b, c, d])];
    const widths = [0, 1, 2].map((i) => Math.max(...all.map((r) => r[i].length)));
    for (const r of all) lines.push(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`.trimEnd());
  } else {
    lines.push(planNeedsAttention(plan) ? '  No access changes to make; the workspace does NOT match the code, see below.' : '  No access changes: the workspace matches the code.');
  }
  for (const r of plan.refusals) lines.push(`  x refused  ${terminalText(describeRefusal(r))}`);
  for (const d of plan.damage) lines.push(`  ! record damaged: ${terminalText(describeDamage(d))}`);
  for (const c of plan.conflicts) lines.push(`  ! conflict: ${terminalText(describeConflict(c))}`);
  for (const w of plan.warnings) if (!plan.refusals.some((r) => r.kind === 'last-owner' && w.startsWith(r.email))) lines.push(`  ! ${terminalText(w)}`);
  if (plan.recordOps.length) lines.push(`  (${plan.recordOps.length} record-keeping write(s) to the segment-access record groups)`);
  const limit = plan.seats.limit === null ? 'no limit declared' : `limit ${plan.seats.limit}`;
  lines.push(`  Seats: ${plan.seats.before} -> ${plan.seats.after} (${limit})`);
  const count = (kind: AccessChange['kind']) => plan.changes.filter((c) => c.kind === kind).length;
  if (plan.adopted > 0) {
    // Adopting live access (an imported definition): say in one line that no one's access changes.
    lines.push(
      `  Adoption: ${plan.adopted} adopted, ${count('invite')} invited, ${count('repermission')} re-permissioned, ` +
        `${count('remove-user') + count('cancel-invite')} removed (adopted: access already as declared, now recorded as managed).`,
    );
  }
  lines.push(
    `Plan: ${count('invite')} to invite, ${count('reinvite')} to re-invite, ${count('repermission')} to re-permission, ` +
      `${count('remove-user') + count('cancel-invite')} to remove, ${count('set-group-permissions') + count('clear-group-permissions')} group change(s); ${plan.unchanged} unchanged.`,
  );
  return lines.join('\n');
}

/** The plan for machines (`plan --json`). */
export function planToJson(plan: ReconcilePlan): object {
  return {
    workspace: plan.workspace,
    hasChanges: plan.changes.length > 0 || plan.recordOps.length > 0,
    changes: plan.changes,
    recordOps: plan.recordOps,
    unchanged: plan.unchanged,
    adopted: plan.adopted,
    warnings: plan.warnings,
    refusals: plan.refusals,
    recordDamage: plan.damage,
    conflicts: plan.conflicts,
    seats: plan.seats,
  };
}

export interface CallStats {
  readonly calls: number;
  readonly reads: number;
  readonly writes: number;
  readonly retries: number;
  readonly rateLimited: number;
}

/** The line every run ends with. */
export function renderSummary(plan: ReconcilePlan, counts: ApplyCounts, stats: CallStats): string {
  const removed = counts.removedUsers + counts.cancelledInvites;
  return terminalText(
    `Summary for ${plan.workspace.name} (${plan.workspace.id}): invited ${counts.invited}, re-invited ${counts.reinvited}, ` +
    `re-permissioned ${counts.repermissioned}, removed ${removed} (${counts.removedUsers} users, ${counts.cancelledInvites} invites), ` +
    `group permissions set ${counts.groupPermissionsSet}, unchanged ${plan.unchanged} (adopted ${plan.adopted}); record writes ${counts.recordWrites}; ` +
    `API calls ${stats.calls} (${stats.reads} reads, ${stats.writes} writes, ${stats.retries} retries, ${stats.rateLimited} rate-limited)`
  );
}
