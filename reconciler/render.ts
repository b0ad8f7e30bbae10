import { DEFAULT_RECORD_KEY_ENV_VAR, type DesiredPermission, type DesiredState } from '../model/desired-state';
import { describePermissions } from '../model/canonical';
import { terminalText } from '../model/output-encoding';
import type { ApplyCounts } from './apply';
import type { ProvenActor } from './evidence';
import type { Conflict, Handover, RecordDamage } from './ownership';
import type { AccessChange, PlanTrust, ReconcilePlan, Refusal } from './plan';
import { Distrust } from './record-trust';
import { PREVIOUS_KEY_SUFFIX } from './record-key';

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

/** Damage, conflicts, refusals, or a record that could not be verified: the plan cannot say the workspace matches the code. */
export function planNeedsAttention(plan: Pick<ReconcilePlan, 'damage' | 'conflicts' | 'refusals'> & { readonly trust?: Pick<PlanTrust, 'keyHeld' | 'recordKept'> }): boolean {
  return plan.damage.length > 0 || plan.conflicts.length > 0 || plan.refusals.length > 0 || (plan.trust?.recordKept === true && !plan.trust.keyHeld);
}

/** What is wrong with a group that looks like this app's record, and what to do: one sentence each. */
const DISTRUST: Record<Distrust, (variable: string) => string> = {
  [Distrust.NO_KEY]: (v) => `cannot be verified: ${v} is not set, so it is not read as this app's record. Set ${v} (segment-access keygen) where this runs`,
  [Distrust.BAD_SIGNATURE]: (v) => `is named like this app's record, but its signature does not verify with the record key: never read as the record. If this app signed it with an earlier key, set ${v}${PREVIOUS_KEY_SUFFIX} to that key; otherwise delete the group`,
  [Distrust.COPY]: () => "carries a signed record name that someone other than this app gave it (a copied name): never read as the record. Delete the group",
  [Distrust.UNCONFIRMED]: () => "carries a record name that must be sealed to its group, and the audit trail does not show this app named it: never read as the record. Delete the group",
  [Distrust.INTENT_UNPROVEN]: () => "is a signed intent the audit trail does not show as this app's first creation of it (a copy, made by a person, or older than 89 days): it proves no actor and recovers nothing. Delete the group",
  [Distrust.UNSIGNED_FOREIGN]: () => "has an unsigned record name (segment-access 0.1), and someone other than this app's proven actors created or named it: never adopted. Declare the people who should stay managed, then delete the group",
  [Distrust.UNSIGNED_UNVERIFIABLE]: () => "has an unsigned record name and its creation is not in the audit trail (older than 90 days, or the trail is off): it cannot be adopted, and its people are left alone. Declare the people who should stay managed, remove the others by hand, then delete the group",
  [Distrust.PENDING_ADOPTION]: () => "has an unsigned record name (segment-access 0.1): the next deploy adopts it if the audit trail shows that deploy's token created it",
  [Distrust.LEGACY_NOT_ENABLED]: () => "is a record written before app ids: not read unless the workspace sets migrateLegacyRecords: true (then adopted if the audit trail shows this app's actor created it). Otherwise delete it",
  [Distrust.LEGACY_OTHER_APPS]: () => "is a record written before app ids while other apps keep records here: it cannot be told whose it is, so it is not read. Declare its people in the right app, then delete it",
  [Distrust.MALFORMED]: () => "has a name under this app's that no version of segment-access writes (edited by hand?): it is ignored. Rename or delete it",
};

function describeCreator(creator: { actor: string; at: string } | undefined): string {
  return creator ? `created or last named by ${creator.actor} at ${creator.at}` : 'its creator is not in the audit trail';
}

/** One line per kind of record damage: what is wrong, and what happens or what to do about it. */
export function describeDamage(d: RecordDamage, variable = DEFAULT_RECORD_KEY_ENV_VAR): string {
  const events = (list: readonly { type: string; actor: string; at: string }[]) => list.map((e) => `${e.type} by ${e.actor} at ${e.at}`).join('; ');
  switch (d.kind) {
    case 'unauthentic':
      return `group "${d.group}" (id ${d.groupId}; ${describeCreator(d.creator)}) ${DISTRUST[d.reason](variable)}.`;
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
        ? `an interrupted run left intent "${d.intent}"; the audit trail cannot tell its invites from others' (no trail, an intent it cannot prove, or another app's run on the same token): review ${d.unattributed.join(', ')}.`
        : `an interrupted run left intent "${d.intent}"${d.recovered.length ? `; it invited ${d.recovered.join(', ')}, which the next deploy records (declared) or removes (not declared)` : '; it sent no invite the audit trail shows'}.`;
    case 'permissions-on-renamed-record':
      return `group "${d.now}" (id ${d.groupId}), created as record group "${d.recordName}", now holds permissions: this app never adds anyone to it.`;
  }
}

export function describeConflict(c: Conflict): string {
  return (
    `${c.email} is claimed by apps ${c.apps.map((a) => `"${a}"`).join(' and ')} (${c.reason}): neither removes nor re-permissions it. ` +
    `Declare it in one app only (the other then hands it over), or run \`segment-access disown --email ${c.email}\` in the app that should let go.`
  );
}

export function describeHandover(h: Handover): string {
  return `${h.email} is no longer declared here and app ${h.apps.map((a) => `"${a}"`).join(' and ')} declares it: handed over (dropped from this app's record; access unchanged).`;
}

/** Whom the run trusts: the key it verified with and the app's actors, each with when it was last proven. */
export function describeTrust(trust: PlanTrust, unauthentic: number): string[] {
  if (!trust.recordKept) return [];
  if (!trust.keyHeld) return [`Not verified: ${trust.keyVariable} is not set, so nothing under this app's name is trusted and no actor is proven.`];
  const key = `record key ${trust.keyVariable}${trust.rotating ? ` (and ${trust.keyVariable}${PREVIOUS_KEY_SUFFIX}: rotation under way, the next deploy re-signs)` : ''}`;
  const actors = trust.actors === null ? 'audit trail off: signatures alone' : trust.actors.length ? `actors ${latestProofs(trust.actors).join(', ')}` : 'no actor proven yet (no signed run in the audit trail)';
  return [`Trusted: ${key}; ${actors}; ${unauthentic} record-shaped group(s) not authentic.`];
}

function latestProofs(actors: readonly ProvenActor[]): string[] {
  const latest = new Map<string, string>();
  for (const a of actors) if ((latest.get(a.actor) ?? '') < a.provenAt) latest.set(a.actor, a.provenAt);
  return [...latest].sort(([a], [b]) => (a < b ? -1 : 1)).map(([actor, at]) => `${actor} (proven ${at})`);
}

export function describeRefusal(r: Refusal): string {
  switch (r.kind) {
    case 'last-owner':
      return `${r.email}: ${r.refused} refused, it would leave the workspace without a Workspace Owner`;
    case 'unconfirmed':
      return `${r.email}: not removed, the audit trail does not confirm this app invited it (record group "${r.group}" was changed by someone else)`;
    case 'orphaned':
      return `${r.email}: not removed, only the audit trail says this app invited it (it is in no record)`;
    case 'expired-unproven':
      return `${r.email}: not removed, its grant expired on ${r.expiresOn} but no record proves this app gave the access it holds (e.g. an interrupted run older than the audit trail); remove it in Segment by hand, or extend the grant, then delete the entry once the access is gone`;
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
  for (const d of plan.damage) lines.push(`  ! record damaged: ${terminalText(describeDamage(d, plan.trust.keyVariable))}`);
  for (const c of plan.conflicts) lines.push(`  ! conflict: ${terminalText(describeConflict(c))}`);
  for (const h of plan.handovers) lines.push(`  = ${terminalText(describeHandover(h))}`);
  for (const g of plan.pendingAdoption) lines.push(`  ~ ${terminalText(`group "${g}" ${DISTRUST[Distrust.PENDING_ADOPTION](plan.trust.keyVariable)}.`)}`);
  for (const t of describeTrust(plan.trust, plan.damage.filter((d) => d.kind === 'unauthentic').length)) lines.push(`  ${terminalText(t)}`);
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
    handovers: plan.handovers,
    pendingAdoption: plan.pendingAdoption,
    trust: plan.trust,
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
