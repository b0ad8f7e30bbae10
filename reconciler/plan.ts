import { DEFAULT_RECORD_KEY_ENV_VAR, type DesiredCollaborator, type DesiredPermission, type DesiredState } from '../model/desired-state';
import { samePermissions } from '../model/canonical';
import { PlanTier, type WorkspaceRole } from '../model/enums';
import { fromLive, holdsOwnerRole } from './permissions';
import type { LiveState, RecordGroup } from './live-state';
import { analyseOwnership, Conflict, Handover, intentDigest, ManagedEntry, Ownership, RecordDamage } from './ownership';
import type { ProvenActor } from './evidence';
import { Resign } from './record-trust';
import { claimsRecord, GROUP_ID_PATTERN, groupGrantRecord, intentRecord, invitedRecord, membersRecord, RecordKind, recordKey, RecordName, utcDay } from './records';

export type RemovalReason = 'not declared' | 'expired' | 'not declared (authoritative workspace)';

/** An access change: what a reviewer needs to see before it happens. */
export type AccessChange =
  | { readonly kind: 'invite'; readonly email: string; readonly role: WorkspaceRole; readonly fingerprint: string; readonly after: readonly DesiredPermission[]; readonly recordName: string }
  | { readonly kind: 'reinvite'; readonly email: string; readonly role: WorkspaceRole; readonly fingerprint: string; readonly after: readonly DesiredPermission[]; readonly reason: string; readonly recordName: string }
  | { readonly kind: 'repermission'; readonly email: string; readonly userId: string; readonly role: WorkspaceRole; readonly fingerprint: string; readonly before: readonly DesiredPermission[]; readonly after: readonly DesiredPermission[] }
  | { readonly kind: 'remove-user'; readonly email: string; readonly userId: string; readonly reason: RemovalReason }
  | { readonly kind: 'cancel-invite'; readonly email: string; readonly reason: RemovalReason }
  | { readonly kind: 'set-group-permissions'; readonly groupName: string; readonly groupId: string; readonly role: WorkspaceRole; readonly before: readonly DesiredPermission[]; readonly after: readonly DesiredPermission[] }
  | { readonly kind: 'clear-group-permissions'; readonly groupName: string; readonly groupId: string; readonly before: readonly DesiredPermission[] };

/**
 * Book-keeping writes that keep the record of managed access in Segment. `name` is the record's key
 * (its name without signature, see records.ts `recordKey`); the signed name is made when it is written.
 */
export type RecordOp =
  | { readonly kind: 'create-record'; readonly name: string; readonly record: RecordName }
  | { readonly kind: 'record-add'; readonly name: string; readonly emails: readonly string[] }
  | { readonly kind: 'record-remove'; readonly name: string; readonly groupId: string; readonly emails: readonly string[] }
  | { readonly kind: 'delete-record'; readonly name: string; readonly groupId: string }
  /** Rename an existing record group to its name signed with the current key and sealed to its id. */
  | { readonly kind: 'sign-record'; readonly name: string; readonly record: RecordName; readonly groupId: string; readonly from: string; readonly why: Resign };

/** A change the code asks for that this run will not make, and why. */
export type Refusal =
  | { readonly kind: 'last-owner'; readonly email: string; readonly refused: string }
  | { readonly kind: 'unconfirmed'; readonly email: string; readonly group: string }
  | { readonly kind: 'orphaned'; readonly email: string }
  /** An expired grant whose person is still in Segment, with access this app cannot prove it gave. */
  | { readonly kind: 'expired-unproven'; readonly email: string; readonly expiresOn: string }
  | { readonly kind: 'conflict'; readonly email: string; readonly apps: readonly string[] };

export interface ReconcilePlan {
  readonly workspace: { readonly id: string; readonly name: string };
  readonly app: string;
  readonly changes: readonly AccessChange[];
  /** Record writes, in the order they are safe to make (see apply.ts). */
  readonly recordOps: readonly RecordOp[];
  /**
   * The write-ahead intent this run creates before its first write and deletes after its last; null for
   * a narrowed plan (re-sending invites) that must not count as a run that saw and repaired the record.
   */
  readonly intent: RecordName | null;
  /** Intents of interrupted runs kept because the audit trail may not show all their invites yet. */
  readonly pendingIntents: readonly string[];
  /** Declared collaborators and group grants already as declared. */
  readonly unchanged: number;
  /**
   * Of those, the ones not yet recorded as managed (e.g. the first deploy of an imported definition):
   * their access stays as it is; only the record of managed users is written.
   */
  readonly adopted: number;
  readonly warnings: readonly string[];
  readonly refusals: readonly Refusal[];
  readonly damage: readonly RecordDamage[];
  readonly conflicts: readonly Conflict[];
  /** People this app recorded and another app now declares: dropped from this app's record, access untouched. */
  readonly handovers: readonly Handover[];
  /** Unsigned records of an older version, adopted by the next run that writes if the trail shows its token made them. */
  readonly pendingAdoption: readonly string[];
  readonly seats: { readonly before: number; readonly after: number; readonly limit: number | null };
  /** Whom this run trusts: the record key it verified with, and the app's actors the audit trail proves. */
  readonly trust: PlanTrust;
}

export interface PlanTrust {
  /** Whether the workspace keeps a record at all (a Team plan has no user groups, so none). */
  readonly recordKept: boolean;
  readonly keyVariable: string;
  readonly keyHeld: boolean;
  readonly rotating: boolean;
  /** null when the audit trail is off. */
  readonly actors: readonly ProvenActor[] | null;
}

/** A plan that changes nothing (a Team plan's release; the base of hand-built plans in tests). */
export function emptyPlan(workspace: ReconcilePlan['workspace'], app: string): ReconcilePlan {
  return {
    workspace: { id: workspace.id, name: workspace.name },
    app,
    changes: [],
    recordOps: [],
    intent: null,
    pendingIntents: [],
    unchanged: 0,
    adopted: 0,
    warnings: [],
    refusals: [],
    damage: [],
    conflicts: [],
    handovers: [],
    pendingAdoption: [],
    seats: { before: 0, after: 0, limit: null },
    trust: { recordKept: false, keyVariable: DEFAULT_RECORD_KEY_ENV_VAR, keyHeld: false, rotating: false, actors: null },
  };
}

/** Refusals a person has to resolve: the workspace cannot be made equal to the code until they do. */
export function blockingRefusals(plan: Pick<ReconcilePlan, 'refusals'>): Refusal[] {
  return plan.refusals.filter((r) => r.kind === 'conflict' || r.kind === 'orphaned' || r.kind === 'expired-unproven');
}

/** A plan that must not be applied: nothing has been written. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

export interface PlanOptions {
  /** Grants expiring on or before this instant count as not declared. */
  readonly now: Date;
  /** Pending invites to send again even though their permissions match (expired invites). @default none */
  readonly reissueInvites?: ReadonlySet<string>;
  /** How long audit events may take to appear (intents younger than this are kept). @default 0 */
  readonly auditDelayMs?: number;
  /** The intent this run created before planning (to prove its actor): reused, not an interrupted run. */
  readonly runIntentId?: string;
}

export function isExpiredAt(c: Pick<DesiredCollaborator, 'expiresOn'>, now: Date): boolean {
  return c.expiresOn !== null && Date.parse(`${c.expiresOn}T00:00:00Z`) <= now.getTime();
}

/** Grants that have ended by `now` (email -> expiry day): left out at synth, or expired since. */
export function expiredGrants(desired: DesiredState, now: Date): Map<string, string> {
  return new Map([
    ...desired.expired.map((e) => [e.email, e.expiresOn] as const),
    ...desired.collaborators.filter((c) => isExpiredAt(c, now)).map((c) => [c.email, c.expiresOn!] as const),
  ]);
}

/** Record groups (this app's proven ones and other apps', under this prefix) that hold permissions: everyone recorded in one inherits them. */
export function recordGroupsWithPermissions(live: LiveState): RecordGroup[] {
  return [...live.records.own, ...live.records.legacy, ...live.records.others].filter((r) => r.renamedTo === undefined && r.group.permissions.length > 0);
}

/** What is wrong with a record group that holds permissions, and how to fix it. */
export function describeRecordGroupPermissions(live: LiveState, r: RecordGroup): string {
  return `"${r.group.name}" (id ${r.group.id}) holds ${fromLive(r.group.permissions, live.roles).map((p) => p.roleName).join(', ')}`;
}

export const RECORD_GROUP_PERMISSIONS_FIX =
  'Record groups must hold no permissions: everyone recorded in one would inherit them. Remove the permissions ' +
  '(Settings > Access Management > User Groups > the group > Permissions, or PUT /groups/{id}/permissions with an empty list), then deploy again.';

/** Aborts before any write when a record group grants anything; no one is ever added to such a group. */
export function checkRecordGroupsHoldNoPermissions(live: LiveState): void {
  const offending = recordGroupsWithPermissions(live);
  if (!offending.length) return;
  throw new PlanError(
    `Record group(s) with permissions in workspace ${live.workspace.name} (${live.workspace.id}): ${offending.map((r) => describeRecordGroupPermissions(live, r)).join('; ')}. ` +
      `Nothing was changed, and no one is added to such a group. ${RECORD_GROUP_PERMISSIONS_FIX}`,
  );
}

/** Desired vs live -> the smallest set of changes that makes them equal. Pure. */
export function planReconcile(desired: DesiredState, live: LiveState, options: PlanOptions): ReconcilePlan {
  const { recordPrefix: prefix, appId: app } = desired.management;
  const retained = new Set(desired.management.retain);
  const expired = expiredGrants(desired, options.now);
  const declared = new Map(desired.collaborators.filter((c) => !expired.has(c.email)).map((c) => [c.email, c]));
  validateRoles(desired, live);
  validateLabels(desired, live);
  validateTeamMode(desired, live);
  const team = live.planTier === PlanTier.TEAM;
  checkRecordGroupsHoldNoPermissions(live);
  const ownership = analyseOwnership(live, { app, declared, now: options.now, auditDelayMs: options.auditDelayMs ?? 0, runIntentId: options.runIntentId });
  const conflicted = new Set(ownership.conflicts.map((c) => c.email));

  const today = utcDay(options.now);
  const changes: AccessChange[] = [];
  const warnings: string[] = [];
  const refusals: Refusal[] = ownership.conflicts.map((c) => ({ kind: 'conflict' as const, email: c.email, apps: c.apps }));
  let unchanged = 0;
  let adopted = 0;
  const book = new RecordBook(prefix, app, live, ownership);

  for (const c of declared.values()) {
    if (conflicted.has(c.email)) {
      book.claim(c.email);
      continue;
    }
    const managed = ownership.managed.get(c.email);
    const user = live.users.get(c.email);
    if (user) {
      book.keepUser(c.email, managed);
      const before = fromLive(user.permissions, live.roles);
      if (!samePermissions(before, c.permissions)) {
        changes.push({ kind: 'repermission', email: c.email, userId: user.id, role: c.role, fingerprint: c.fingerprint, before, after: c.permissions });
      } else {
        unchanged++;
        if (managed === undefined) adopted++;
      }
    } else if (live.invites.has(c.email)) {
      const reissue = options.reissueInvites?.has(c.email) ?? false;
      if (managed?.inviteFingerprint === c.fingerprint && !reissue) {
        unchanged++;
        book.keepInvite(c.email, managed, today);
      } else {
        const reason = reissue && managed?.inviteFingerprint === c.fingerprint
          ? `invite sent on ${managed.invitedOn ?? 'an unknown day'} has expired: re-sent`
          : team
          ? TEAM_REINVITE_REASON
          : managed === undefined
          ? 'pending invite not sent by this code: its permissions cannot be read, so it is re-issued with the declared ones'
          : managed.inviteFingerprint === null
          ? 'the permissions of this pending invite are not known for certain: re-issued with the declared ones'
          : 'declared permissions changed while the invite was pending';
        const recordName = recordKey(prefix, invitedRecord(app, c.fingerprint, today));
        changes.push({ kind: 'reinvite', email: c.email, role: c.role, fingerprint: c.fingerprint, after: c.permissions, reason, recordName });
        book.invited(c.email, invitedRecord(app, c.fingerprint, today));
      }
    } else {
      const recordName = recordKey(prefix, invitedRecord(app, c.fingerprint, today));
      changes.push({ kind: 'invite', email: c.email, role: c.role, fingerprint: c.fingerprint, after: c.permissions, recordName });
      book.invited(c.email, invitedRecord(app, c.fingerprint, today));
    }
  }

  // Removals: what this app manages and no longer declares; with authoritative, everyone undeclared
  // that no other app claims.
  const removalReason = (email: string): RemovalReason | undefined => {
    if (declared.has(email) || retained.has(email) || conflicted.has(email)) return undefined;
    if (ownership.managed.has(email)) return expired.has(email) ? 'expired' : 'not declared';
    if (desired.management.authoritative && !ownership.claimedByOthers.has(email)) return 'not declared (authoritative workspace)';
    return undefined;
  };
  const removals: AccessChange[] = [];
  for (const [email, user] of live.users) {
    const reason = removalReason(email);
    if (reason) removals.push({ kind: 'remove-user', email, userId: user.id, reason });
  }
  for (const email of live.invites) {
    const reason = removalReason(email);
    if (reason && !live.users.has(email)) removals.push({ kind: 'cancel-invite', email, reason });
  }
  for (const { email, group } of ownership.unconfirmed) {
    if (!declared.has(email) && !removals.some((r) => 'email' in r && r.email === email)) refusals.push({ kind: 'unconfirmed', email, group: group.group.name });
  }
  for (const email of ownership.orphaned) {
    if (!declared.has(email) && !retained.has(email) && !removals.some((r) => 'email' in r && r.email === email)) refusals.push({ kind: 'orphaned', email });
  }
  // An expired grant whose person is still in Segment, though no record proves this app gave the access
  // (an interrupted run's invite, older than the audit trail and accepted since; or someone else's): never
  // removed, and named on every run until a person decides, or the access would outlive its expiry without
  // a word (found by the model-based lifecycle test, seed 30004).
  // Pending invites an interrupted run may have sent, named for review by the ownership analysis.
  const unattributed = ownership.damage.flatMap((d) => (d.kind === 'interrupted-run' ? d.unattributed : []));
  const named = new Set<string>([
    ...refusals.map((r) => r.email),
    ...removals.flatMap((r) => ('email' in r ? [r.email] : [])),
    ...unattributed,
  ]);
  for (const [email, expiresOn] of expired) {
    if (named.has(email) || ownership.managed.has(email) || retained.has(email) || ownership.claimedByOthers.has(email)) continue;
    if (live.users.has(email) || live.invites.has(email)) refusals.push({ kind: 'expired-unproven', email, expiresOn });
  }
  changes.push(...removals);

  const groupConflicts = planGroupGrants(desired, live, changes, (n, adoptedGroups) => {
    unchanged += n;
    adopted += adoptedGroups;
  });
  for (const c of groupConflicts) refusals.push({ kind: 'conflict', email: c.email, apps: c.apps });
  for (const h of ownership.handovers) book.handover(h.email);
  const kept = protectLastOwner(live, changes, refusals, warnings);
  for (const r of removals) if ('email' in r && kept.includes(r)) book.gone(r.email);
  // A refused removal leaves a managed user in place: still recorded (a legacy entry is migrated).
  for (const c of changes) if (!kept.includes(c) && c.kind === 'remove-user' && ownership.managed.has(c.email)) book.keepUser(c.email, ownership.managed.get(c.email));

  const seatsBefore = live.users.size + [...live.invites].filter((e) => !live.users.has(e)).length;
  const invites = kept.filter((c) => c.kind === 'invite').length;
  const freed = kept.filter((c) => c.kind === 'remove-user' || c.kind === 'cancel-invite').length;
  const seatsAfter = seatsBefore - freed + invites;
  const limit = desired.workspace.seatLimit;
  // A re-sent invite takes its seat again after its old invite is deleted: over the limit, Segment may
  // refuse it, and the person would be left with no invite at all.
  const resent = kept.filter((c) => c.kind === 'reinvite').length;
  if (limit !== null && invites + resent > 0 && seatsAfter > limit) {
    // Removals this run refuses free no seat: name them, or the fix below ("let access expire") misleads
    // when it is an expired grant the run cannot prove it gave (found by the model-based lifecycle test).
    const held = [
      ...refusals.filter((r) => r.kind !== 'conflict').map((r) => `${r.email} (${r.kind})`),
      // Pending invites an interrupted run it cannot prove may have sent (named for review): never removed either.
      ...[...new Set(unattributed)].map((e) => `${e} (unattributed)`),
    ];
    const heldNote = held.length > 0 ? ` Not freed, because this run refuses to remove them: ${held.join(', ')}; remove them in Segment by hand if their access should end.` : '';
    throw new PlanError(
      `Seat limit exceeded in workspace ${desired.workspace.name} (${desired.workspace.id}): ${seatsBefore} seats in use, ` +
        `${invites} to invite, ${resent ? `${resent} to re-send (each takes its seat again), ` : ''}${freed} to free = ${seatsAfter}, above the limit of ${limit}.${heldNote} Nothing was changed. ` +
        'Remove collaborators from the definition, let temporary access expire, or raise seatLimit after buying seats.',
    );
  }

  if (team && kept.some((c) => c.kind === 'reinvite')) warnings.push(TEAM_REINVITE_WARNING);
  // A Team plan has no user groups: nothing is recorded (its one supported mode is authoritative).
  const recordOps = team ? [] : book.ops(kept.length > 0, desired, live);
  return {
    workspace: { id: desired.workspace.id, name: desired.workspace.name },
    app,
    changes: kept,
    recordOps,
    intent: team ? null : intentRecord(app, options.now, intentDigest([...declared.values()])),
    pendingIntents: live.records.own
      .filter((g) => g.record.kind === RecordKind.INTENT && g.renamedTo === undefined && g.group.id !== options.runIntentId && !ownership.resolvedIntents.includes(g))
      .map((g) => g.group.name),
    unchanged,
    adopted,
    warnings,
    refusals,
    damage: ownership.damage,
    conflicts: [...ownership.conflicts, ...groupConflicts],
    handovers: ownership.handovers,
    pendingAdoption: ownership.pendingAdoption,
    seats: { before: seatsBefore, after: seatsAfter, limit },
    trust: trustOf(live),
  };
}

/** Whom a run trusts, for the plan and the summary. */
export function trustOf(live: LiveState): PlanTrust {
  const { keyVariable, keyHeld, rotating } = live.verification;
  const recordKept = live.planTier !== PlanTier.TEAM;
  return { recordKept, keyVariable, keyHeld, rotating, actors: live.auditTrail.state === 'read' ? live.auditTrail.evidence.provenActors : null };
}

export const TEAM_REINVITE_REASON = 'Team plan: a pending invite\'s permissions cannot be read (no record groups), so it is re-issued with the declared ones';
const TEAM_REINVITE_WARNING =
  'Team plan: pending invites are re-issued on every run that writes, because without user groups their permissions cannot be recorded; they are unchanged once accepted.';

/** Labels a declared permission is narrowed by must exist in the workspace (`GET /labels`; segment-docs iam/labels.md). */
function validateLabels(desired: DesiredState, live: LiveState): void {
  if (live.labels === null) return;
  const wanted = new Set(
    [...desired.collaborators, ...desired.groupGrants].flatMap((g) => g.permissions.flatMap((p) => p.resources.flatMap((r) => r.labels.map((l) => `${l.key}:${l.value}`)))),
  );
  const missing = [...wanted].filter((label) => !live.labels!.has(label)).sort();
  if (missing.length) {
    throw new PlanError(
      `Label(s) ${missing.map((m) => `"${m}"`).join(', ')} do not exist in workspace ${desired.workspace.name} (${desired.workspace.id}) ` +
        `(GET /labels lists: ${[...live.labels].sort().join(', ') || 'none'}). Nothing was changed. ` +
        'Create the label in Segment (Settings > Admin > Labels) and assign it to the sources, or fix the SourceAccess labels.',
    );
  }
}

/** A Team workspace has no user groups, so no record: only an authoritative definition without group grants is safe. */
function validateTeamMode(desired: DesiredState, live: LiveState): void {
  if (live.planTier !== PlanTier.TEAM) return;
  const problems = [
    ...(desired.management.authoritative ? [] : ['it is not authoritative (set authoritative: true and list members to keep in retainEmails)']),
    ...(desired.groupGrants.length ? [`it declares ${desired.groupGrants.length} group grant(s) (user groups are a Business-plan feature)`] : []),
  ];
  if (problems.length) {
    throw new PlanError(
      `Workspace ${desired.workspace.name} (${desired.workspace.id}) is on a Team plan, but ${problems.join(' and ')}. Nothing was changed. ` +
        'Declare planTier: PlanTier.TEAM on the workspace and fix the definition (synth then checks it).',
    );
  }
}

function validateRoles(desired: DesiredState, live: LiveState): void {
  const wanted = new Set([...desired.collaborators, ...desired.groupGrants].flatMap((g) => g.permissions.map((p) => p.roleName)));
  const missing = [...wanted].filter((name) => live.roles.idOf(name) === undefined).sort();
  if (missing.length) {
    throw new PlanError(
      `Role(s) ${missing.map((m) => `"${m}"`).join(', ')} do not exist in workspace ${desired.workspace.id} (GET /roles lists: ${live.roles.names.join(', ')}). ` +
        'Nothing was changed. Fix the role names in the workspace\'s rolePresets.',
    );
  }
}

/**
 * The last effective Workspace Owner (held directly or through any group) is never removed or demoted,
 * whatever the code says (authoritative workspaces and release included). Returns the changes to make.
 */
function protectLastOwner(live: LiveState, changes: readonly AccessChange[], refusals: Refusal[], warnings: string[]): AccessChange[] {
  const direct = new Set([...live.users.entries()].filter(([, u]) => holdsOwnerRole(fromLive(u.permissions, live.roles))).map(([e]) => e));
  const viaGroup = new Map<string, ReadonlySet<string>>();
  for (const [groupId, members] of live.ownerGroupMembers) viaGroup.set(groupId, new Set([...members].filter((e) => live.users.has(e))));
  const ownersNow = new Set([...direct, ...[...viaGroup.values()].flatMap((m) => [...m])]);
  if (ownersNow.size === 0) return [...changes];

  const owned = (kept: readonly AccessChange[]): Set<string> => {
    const removed = new Set(kept.flatMap((c) => (c.kind === 'remove-user' ? [c.email] : [])));
    const demoted = new Set(kept.flatMap((c) => (c.kind === 'repermission' && !holdsOwnerRole(c.after) ? [c.email] : [])));
    const stripped = new Set(
      kept.flatMap((c) => (c.kind === 'clear-group-permissions' || (c.kind === 'set-group-permissions' && !holdsOwnerRole(c.after)) ? [c.groupId] : [])),
    );
    const after = new Set<string>();
    for (const e of direct) if (!removed.has(e) && !demoted.has(e)) after.add(e);
    for (const [groupId, members] of viaGroup) if (!stripped.has(groupId)) for (const e of members) if (!removed.has(e)) after.add(e);
    // A repermission that grants Owner directly keeps (or makes) its user an owner.
    for (const c of kept) if (c.kind === 'repermission' && holdsOwnerRole(c.after) && !removed.has(c.email)) after.add(c.email);
    return after;
  };
  const takesOwnership = (c: AccessChange): boolean =>
    (c.kind === 'remove-user' && ownersNow.has(c.email)) ||
    (c.kind === 'repermission' && direct.has(c.email) && !holdsOwnerRole(c.after)) ||
    ((c.kind === 'clear-group-permissions' || (c.kind === 'set-group-permissions' && !holdsOwnerRole(c.after))) && viaGroup.has(c.groupId));

  let kept = [...changes];
  while (owned(kept).size === 0) {
    const order = (c: AccessChange) => `${c.kind === 'remove-user' ? 0 : c.kind === 'repermission' ? 1 : 2}:${'email' in c ? c.email : c.groupName}`;
    const victim = kept.filter(takesOwnership).sort((a, b) => (order(a) < order(b) ? -1 : 1))[0];
    if (!victim) break;
    kept = kept.filter((c) => c !== victim);
    const who = 'email' in victim ? victim.email : `group "${victim.groupName}"`;
    const refused = victim.kind === 'remove-user' ? 'removal' : victim.kind === 'repermission' ? 'demotion (re-permission without Workspace Owner)' : 'removal of Workspace Owner from the group';
    refusals.push({ kind: 'last-owner', email: who, refused });
    warnings.push(`${who} holds the last Workspace Owner role of ${live.workspace.name}: ${refused} refused. Declare another owner before removing or demoting this one.`);
  }
  return kept;
}

/** Group grants; a group whose permissions another app also sets is a conflict, left alone. */
function planGroupGrants(desired: DesiredState, live: LiveState, changes: AccessChange[], countUnchanged: (n: number, adopted: number) => void): Conflict[] {
  const missing = desired.groupGrants.filter((g) => !live.groups.has(g.groupName));
  if (missing.length) {
    throw new PlanError(
      `User group(s) ${missing.map((g) => `"${g.groupName}"`).join(', ')} not found in workspace ${desired.workspace.name} (${desired.workspace.id}). ` +
        'Nothing was changed. Provision the group in your identity provider (SCIM) first, then deploy again; check the name matches exactly.',
    );
  }
  const unnameable = desired.groupGrants.filter((g) => !GROUP_ID_PATTERN.test(live.groups.get(g.groupName)!.id));
  if (unnameable.length) {
    throw new PlanError(
      `User group(s) ${unnameable.map((g) => `"${g.groupName}" (id ${live.groups.get(g.groupName)!.id})`).join(', ')} have an id this code cannot record ` +
        `(expected up to 32 letters, digits, "_" or "-", as Segment's ids are). Nothing was changed. Report this with the id; grant the group by hand meanwhile.`,
    );
  }
  const conflicts: Conflict[] = [];
  const othersGrant = new Map<string, string[]>();
  for (const r of live.records.others) {
    const name = grantedGroupName(r.record, live);
    if (name !== undefined && r.record.app !== null) othersGrant.set(name, [...(othersGrant.get(name) ?? []), r.record.app]);
  }
  const grants = grantRecords(live);
  for (const g of desired.groupGrants) {
    const apps = othersGrant.get(g.groupName);
    if (apps) {
      conflicts.push({ email: `group "${g.groupName}"`, apps: [desired.management.appId, ...apps.sort()], reason: 'both apps set its permissions' });
      continue;
    }
    const group = live.groups.get(g.groupName)!;
    const before = fromLive(group.permissions, live.roles);
    if (samePermissions(before, g.permissions)) countUnchanged(1, grants.has(g.groupName) ? 0 : 1);
    else changes.push({ kind: 'set-group-permissions', groupName: g.groupName, groupId: group.id, role: g.role, before, after: g.permissions });
  }
  const declaredGroups = new Set(desired.groupGrants.map((g) => g.groupName));
  for (const groupName of grants.keys()) {
    if (declaredGroups.has(groupName)) continue;
    const group = live.groups.get(groupName);
    if (!group) continue;
    const before = fromLive(group.permissions, live.roles);
    if (before.length) changes.push({ kind: 'clear-group-permissions', groupName, groupId: group.id, before });
  }
  return conflicts;
}

/** The current name of the group a group-grant record marks (by id when signed, by name in older forms). */
function grantedGroupName(record: RecordName, live: LiveState): string | undefined {
  if (record.kind === RecordKind.GROUP_GRANT) return [...live.groups.values()].find((g) => g.id === record.groupId)?.name ?? `(deleted group ${record.groupId})`;
  if (record.kind === 'unsigned-group-grant' || record.kind === 'legacy-group-grant') return record.groupName;
  return undefined;
}

/** This app's proven group-grant records (and legacy ones), by the granted group's current name. */
function grantRecords(live: LiveState): Map<string, RecordGroup[]> {
  const out = new Map<string, RecordGroup[]>();
  for (const r of [...live.records.own, ...live.records.legacy]) {
    if (r.renamedTo !== undefined) continue;
    const name = grantedGroupName(r.record, live);
    if (name !== undefined) out.set(name, [...(out.get(name) ?? []), r]);
  }
  return out;
}

/** Dated records of accepted people are folded into members at the latest when there are this many. */
export const FOLD_AT_GROUPS = 20;

/**
 * What the record must hold after the run, and the writes that get it there. Accepted users belong in
 * `members`, pending invites in `invited:<fingerprint>:<day>`, contested people in `claims`; legacy
 * records and groups renamed away are copied into this app's own; dated records whose people have all
 * accepted are folded into `members` (never in a run that writes nothing else, so a no-change run stays
 * at zero writes). Records are addressed by their key (name without signature): see records.ts.
 */
class RecordBook {
  /** Record key -> the record and the emails it must gain. */
  private readonly adds = new Map<string, { record: RecordName; emails: Set<string> }>();
  /** Emails whose access ends in this run (their memberships go with them). */
  private readonly leaving = new Set<string>();
  /** Emails whose pending invite is re-issued (re-issuing drops memberships). */
  private readonly reissued = new Set<string>();
  /** Emails another app now declares: they leave this app's record, their access stays. */
  private readonly handedOver = new Set<string>();
  /** Emails this app declares while another claims them: kept in the claims record. */
  private readonly claimed = new Set<string>();

  constructor(
    private readonly prefix: string,
    private readonly app: string,
    private readonly live: LiveState,
    private readonly ownership: Ownership,
  ) {}

  /** A user who stays: recorded in this app's own record (members, or a dated record it is already in). */
  keepUser(email: string, managed: ManagedEntry | undefined): void {
    this.leaving.delete(email);
    if (managed && managed.groups.some((g) => g.record.app === this.app && g.renamedTo === undefined)) return;
    this.add(membersRecord(this.app), email);
  }

  /** A pending invite that stays as it is: recorded in an own dated record of its permission set. */
  keepInvite(email: string, managed: ManagedEntry, today: string): void {
    const fingerprint = managed.inviteFingerprint!;
    // Only this app's own records are of kind INVITED (legacy ones are 'legacy-collaborators').
    const own = managed.groups.some((g) => g.renamedTo === undefined && g.record.kind === RecordKind.INVITED);
    if (own) return;
    this.add(invitedRecord(this.app, fingerprint, managed.invitedOn ?? today), email);
  }

  invited(email: string, record: RecordName): void {
    this.reissued.add(email);
    this.add(record, email);
  }

  gone(email: string): void {
    this.leaving.add(email);
  }

  handover(email: string): void {
    this.handedOver.add(email);
  }

  claim(email: string): void {
    this.claimed.add(email);
  }

  ops(accessChanges: boolean, desired: DesiredState, live: LiveState): RecordOp[] {
    const own = live.records.own.filter((g) => g.renamedTo === undefined);
    const keyOf = (g: RecordGroup) => recordKey(this.prefix, g.record);
    const byKey = new Map(own.map((g) => [keyOf(g), g]));
    const members = recordKey(this.prefix, membersRecord(this.app));
    const claims = recordKey(this.prefix, claimsRecord(this.app));
    if (this.claimed.size) for (const e of this.claimed) this.add(claimsRecord(this.app), e);
    const changing = (e: string) => this.leaving.has(e) || this.reissued.has(e);
    /** Emails each existing own group holds after the run (leaving and re-issued ones lose their memberships). */
    const remaining = (g: RecordGroup): string[] => [...g.emails].filter((e) => !changing(e));
    const signing = own.filter((g) => g.resign !== undefined);

    const writesAnyway =
      accessChanges || this.adds.size > 0 || this.ownership.unconfirmed.length > 0 || live.records.legacy.length > 0 ||
      this.ownership.resolvedIntents.length > 0 || this.handedOver.size > 0 || signing.length > 0;
    const deletes: RecordGroup[] = [];
    const foldable: { group: RecordGroup; staying: string[] }[] = [];
    if (writesAnyway) {
      for (const g of own) {
        if ((g.record.kind !== RecordKind.INVITED && g.record.kind !== RecordKind.MEMBERS) || this.adds.has(keyOf(g))) continue;
        const staying = remaining(g).filter((e) => !this.handedOver.has(e));
        if (staying.length === 0) {
          // Emptied by this run's removals: one delete now saves a read on every later run.
          if (g.record.kind === RecordKind.INVITED || g.emails.size > 0) deletes.push(g);
        } else if (g.record.kind === RecordKind.INVITED && staying.every((e) => this.live.users.has(e) && !this.live.invites.has(e))) {
          foldable.push({ group: g, staying });
        }
      }
    }
    // Fold dated records whose people have all accepted into members. Writes are what Segment limits
    // (60 a minute), reads are cheap: fold only in a run that records new invites anyway, or once the
    // dated records would cost more reads than FOLD_AT_GROUPS on every run.
    const invites = [...this.adds.keys()].some((key) => key !== members && key !== claims);
    if (foldable.length && (invites || foldable.length >= FOLD_AT_GROUPS)) {
      const unconfirmedIn = new Map<RecordGroup, Set<string>>();
      for (const { group, email } of this.ownership.unconfirmed) unconfirmedIn.set(group, (unconfirmedIn.get(group) ?? new Set()).add(email));
      for (const { group, staying } of foldable) {
        // An unconfirmed entry is not carried into members (that would make it look confirmed next run):
        // deleting the folded record drops it, as the record-remove below would.
        for (const e of staying) if (!unconfirmedIn.get(group)?.has(e)) this.add(membersRecord(this.app), e);
        deletes.push(group);
      }
    }
    const folded = new Set(deletes);
    // Unconfirmed entries leave the record, unless this run keeps them there (the code declares them);
    // handed-over people leave it too (their access stays); claims no longer needed are dropped.
    const dropped = new Map<RecordGroup, Set<string>>();
    const drop = (g: RecordGroup, e: string) => dropped.set(g, (dropped.get(g) ?? new Set()).add(e));
    for (const { group, email } of this.ownership.unconfirmed) {
      if (changing(email) || folded.has(group) || group.record.app === null || group.renamedTo !== undefined) continue;
      if (this.adds.get(keyOf(group))?.emails.has(email)) continue;
      drop(group, email);
    }
    for (const g of own) {
      if (folded.has(g) || g.record.app === null) continue;
      for (const e of g.emails) {
        if (this.handedOver.has(e) && !changing(e)) drop(g, e);
        else if (g.record.kind === RecordKind.CLAIMS && !this.claimed.has(e)) drop(g, e);
      }
    }

    const ops: RecordOp[] = [];
    // Names brought up to date first: adopted, re-signed, sealed (groups about to go need none).
    for (const g of signing) {
      if (folded.has(g)) continue;
      // (A 0.1 group-grant record of a group that is gone is deleted below, with the grants no longer declared.)
      const record = g.record.kind === 'unsigned-group-grant' ? this.grantRecordOf(g.record.groupName) : g.record;
      if (record !== undefined && record.kind !== RecordKind.INTENT) ops.push({ kind: 'sign-record', name: recordKey(this.prefix, record), record, groupId: g.group.id, from: g.group.name, why: g.resign! });
    }
    for (const [key, { record, emails }] of [...this.adds].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const existing = byKey.get(key);
      const needed = [...emails].filter((e) => !existing || !existing.emails.has(e) || this.reissued.has(e));
      if (!needed.length) continue;
      if (!existing) ops.push({ kind: 'create-record', name: key, record });
      ops.push({ kind: 'record-add', name: key, emails: needed.sort() });
    }
    for (const [group, emails] of dropped) ops.push({ kind: 'record-remove', name: keyOf(group), groupId: group.group.id, emails: [...emails].sort() });
    for (const g of deletes) ops.push({ kind: 'delete-record', name: keyOf(g), groupId: g.group.id });

    // Group-grant records: one per declared group; legacy ones migrate.
    const grants = grantRecords(live);
    const declaredGroups = new Set(desired.groupGrants.map((g) => g.groupName));
    const theirs = new Set(live.records.others.flatMap((r) => { const name = grantedGroupName(r.record, live); return name === undefined ? [] : [name]; }));
    for (const g of desired.groupGrants) {
      if (theirs.has(g.groupName) || (grants.get(g.groupName) ?? []).some((r) => r.record.app === this.app)) continue;
      const record = this.grantRecordOf(g.groupName)!;
      ops.push({ kind: 'create-record', name: recordKey(this.prefix, record), record });
    }
    for (const [groupName, records] of grants) {
      for (const r of records) if (!declaredGroups.has(groupName) || r.record.app === null) ops.push({ kind: 'delete-record', name: keyOf(r), groupId: r.group.id });
    }
    // Legacy collaborator records go once their members are copied into this app's record.
    for (const g of live.records.legacy) if (g.record.kind === 'legacy-collaborators') ops.push({ kind: 'delete-record', name: keyOf(g), groupId: g.group.id });
    for (const g of this.ownership.resolvedIntents) ops.push({ kind: 'delete-record', name: keyOf(g), groupId: g.group.id });
    return ops;
  }

  /** The signed group-grant record of a group, by its current name (undefined when it is gone). */
  private grantRecordOf(groupName: string): RecordName | undefined {
    const group = this.live.groups.get(groupName);
    return group ? groupGrantRecord(this.app, group.id) : undefined;
  }

  private add(record: RecordName, email: string): void {
    const key = recordKey(this.prefix, record);
    const entry = this.adds.get(key) ?? { record, emails: new Set<string>() };
    entry.emails.add(email);
    this.adds.set(key, entry);
  }
}
