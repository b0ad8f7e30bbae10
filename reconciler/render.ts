import type { DesiredPermission, DesiredState } from '../model/desired-state';
import { describePermissions } from '../model/canonical';
import { terminalText } from '../model/output-encoding';
import type { ApplyCounts } from './apply';
import type { AccessChange, ReconcilePlan } from './plan';

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
    lines.push('  No access changes: the workspace matches the code.');
  }
  for (const w of plan.warnings) lines.push(`  ! ${terminalText(w)}`);
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
