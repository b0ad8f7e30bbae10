import type { DesiredCollaborator, DesiredPermission, DesiredState } from '../model/desired-state';
import { samePermissions } from '../model/canonical';
import { PlanTier, type WorkspaceRole } from '../model/enums';
import { fromLive, holdsOwnerRole } from './permissions';
import { CollaboratorRecord, LiveState, recordsByEmail } from './live-state';
import { collaboratorRecordName, groupGrantRecordName, settledCollaboratorRecordName, utcDay } from './records';

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

/** Book-keeping writes that keep the record of managed access in Segment. */
export type RecordOp =
  | { readonly kind: 'create-record'; readonly name: string }
  | { readonly kind: 'record-add'; readonly name: string; readonly emails: readonly string[] }
  | { readonly kind: 'record-remove'; readonly name: string; readonly groupId: string; readonly emails: readonly string[] }
  | { readonly kind: 'delete-record'; readonly name: string; readonly groupId: string };

export interface ReconcilePlan {
  readonly workspace: { readonly id: string; readonly name: string };
  readonly changes: readonly AccessChange[];
  readonly recordOps: readonly RecordOp[];
  /** Declared collaborators and group grants already as declared. */
  readonly unchanged: number;
  /**
   * Of those, the ones not yet recorded as managed (e.g. the first deploy of an imported definition):
   * their access stays as it is; only the record of managed users is written.
   */
  readonly adopted: number;
  readonly warnings: readonly string[];
  readonly seats: { readonly before: number; readonly after: number; readonly limit: number | null };
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

/** Desired vs live -> the smallest set of changes that makes them equal. Pure. */
export function planReconcile(desired: DesiredState, live: LiveState, options: PlanOptions): ReconcilePlan {
  const prefix = desired.management.recordPrefix;
  const retained = new Set(desired.management.retain);
  const expired = expiredGrants(desired, options.now);
  const declared = new Map(desired.collaborators.filter((c) => !expired.has(c.email)).map((c) => [c.email, c]));
  validateRoles(desired, live);
  validateLabels(desired, live);
  validateTeamMode(desired, live);
  const team = live.planTier === PlanTier.TEAM;

  const recorded = recordsByEmail(live);
  const today = utcDay(options.now);
  const recordNameFor = (fingerprint: string) => collaboratorRecordName(prefix, fingerprint, today);

  const changes: AccessChange[] = [];
  const warnings: string[] = [];
  let unchanged = 0;
  let adopted = 0;
  /** Where each managed email must be recorded after the run (email -> fingerprint). */
  const finalRecord = new Map<string, string>();

  for (const c of declared.values()) {
    finalRecord.set(c.email, c.fingerprint);
    const user = live.users.get(c.email);
    if (user) {
      const before = fromLive(user.permissions, live.roles);
      if (!samePermissions(before, c.permissions)) {
        changes.push({ kind: 'repermission', email: c.email, userId: user.id, role: c.role, fingerprint: c.fingerprint, before, after: c.permissions });
      } else {
        unchanged++;
        if (!recorded.has(c.email)) adopted++;
      }
    } else if (live.invites.has(c.email)) {
      const record = recorded.get(c.email);
      if (record?.fingerprint === c.fingerprint && !options.reissueInvites?.has(c.email)) unchanged++;
      else {
        const reason = options.reissueInvites?.has(c.email) && record?.fingerprint === c.fingerprint
          ? `invite sent on ${record.day ?? 'an unknown day'} has expired: re-sent`
          : team
          ? TEAM_REINVITE_REASON
          : record === undefined
          ? 'pending invite not sent by this code: its permissions cannot be read, so it is re-issued with the declared ones'
          : 'declared permissions changed while the invite was pending';
        changes.push({ kind: 'reinvite', email: c.email, role: c.role, fingerprint: c.fingerprint, after: c.permissions, reason, recordName: recordNameFor(c.fingerprint) });
      }
    } else {
      changes.push({ kind: 'invite', email: c.email, role: c.role, fingerprint: c.fingerprint, after: c.permissions, recordName: recordNameFor(c.fingerprint) });
    }
  }

  // Removals: what this code manages and no longer declares; with authoritative, everyone undeclared.
  const removalReason = (email: string): RemovalReason | undefined => {
    if (declared.has(email) || retained.has(email)) return undefined;
    if (recorded.has(email)) return expired.has(email) ? 'expired' : 'not declared';
    return desired.management.authoritative ? 'not declared (authoritative workspace)' : undefined;
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
  changes.push(...protectLastOwner(live, removals, changes, warnings));

  planGroupGrants(desired, live, changes, warnings, (n, adoptedGroups) => {
    unchanged += n;
    adopted += adoptedGroups;
  });

  const seatsBefore = live.users.size + [...live.invites].filter((e) => !live.users.has(e)).length;
  const invites = changes.filter((c) => c.kind === 'invite').length;
  const freed = changes.filter((c) => c.kind === 'remove-user' || c.kind === 'cancel-invite').length;
  const seatsAfter = seatsBefore - freed + invites;
  const limit = desired.workspace.seatLimit;
  if (limit !== null && invites > 0 && seatsAfter > limit) {
    throw new PlanError(
      `Seat limit exceeded in workspace ${desired.workspace.name} (${desired.workspace.id}): ${seatsBefore} seats in use, ` +
        `${invites} to invite, ${freed} to free = ${seatsAfter}, above the limit of ${limit}. Nothing was changed. ` +
        'Remove collaborators from the definition, let temporary access expire, or raise seatLimit after buying seats.',
    );
  }

  if (team && changes.some((c) => c.kind === 'reinvite')) warnings.push(TEAM_REINVITE_WARNING);
  // A Team plan has no user groups: nothing is recorded (its one supported mode is authoritative).
  const recordOps = team ? [] : planRecordOps(prefix, recordNameFor, live, changes, finalRecord, recorded, desired);
  return {
    workspace: { id: desired.workspace.id, name: desired.workspace.name },
    changes,
    recordOps,
    unchanged,
    adopted,
    warnings,
    seats: { before: seatsBefore, after: seatsAfter, limit },
  };
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

/** The last Workspace Owner is never removed or demoted. */
function protectLastOwner(live: LiveState, removals: AccessChange[], changes: AccessChange[], warnings: string[]): AccessChange[] {
  const owners = [...live.users.values()].filter((u) => holdsOwnerRole(fromLive(u.permissions, live.roles)));
  if (owners.length === 0) return removals;
  const losing = new Set<string>();
  for (const r of removals) if (r.kind === 'remove-user' && owners.some((o) => o.id === r.userId)) losing.add(r.email);
  for (const c of changes) if (c.kind === 'repermission' && !holdsOwnerRole(c.after) && holdsOwnerRole(c.before)) losing.add(c.email);
  if (losing.size < owners.length) return removals;
  const keep = [...losing].sort()[0];
  warnings.push(`${keep} is the last Workspace Owner of ${live.workspace.name}: left as is. Declare another owner before removing or demoting this one.`);
  const idx = changes.findIndex((c) => c.kind === 'repermission' && c.email === keep);
  if (idx >= 0) changes.splice(idx, 1);
  return removals.filter((r) => !('email' in r) || r.email !== keep);
}

function planGroupGrants(
  desired: DesiredState,
  live: LiveState,
  changes: AccessChange[],
  warnings: string[],
  countUnchanged: (n: number, adopted: number) => void,
): void {
  const missing = desired.groupGrants.filter((g) => !live.groups.has(g.groupName));
  if (missing.length) {
    throw new PlanError(
      `User group(s) ${missing.map((g) => `"${g.groupName}"`).join(', ')} not found in workspace ${desired.workspace.name} (${desired.workspace.id}). ` +
        'Nothing was changed. Provision the group in your identity provider (SCIM) first, then deploy again; check the name matches exactly.',
    );
  }
  for (const g of desired.groupGrants) {
    const group = live.groups.get(g.groupName)!;
    const before = fromLive(group.permissions, live.roles);
    if (samePermissions(before, g.permissions)) countUnchanged(1, live.groupGrantRecords.has(g.groupName) ? 0 : 1);
    else changes.push({ kind: 'set-group-permissions', groupName: g.groupName, groupId: group.id, role: g.role, before, after: g.permissions });
  }
  const declaredGroups = new Set(desired.groupGrants.map((g) => g.groupName));
  for (const groupName of live.groupGrantRecords.keys()) {
    if (declaredGroups.has(groupName)) continue;
    const group = live.groups.get(groupName);
    if (!group) {
      warnings.push(`User group "${groupName}" this code granted permissions to no longer exists; its record is removed.`);
      continue;
    }
    const before = fromLive(group.permissions, live.roles);
    if (before.length) changes.push({ kind: 'clear-group-permissions', groupName, groupId: group.id, before });
  }
}

function planRecordOps(
  prefix: string,
  recordNameFor: (fingerprint: string) => string,
  live: LiveState,
  changes: readonly AccessChange[],
  finalRecord: Map<string, string>,
  recorded: ReadonlyMap<string, CollaboratorRecord>,
  desired: DesiredState,
): RecordOp[] {
  const ops: RecordOp[] = [];
  // Removing a user or cancelling an invite drops its group memberships in Segment: no record write needed.
  const gone = new Set(changes.flatMap((c) => (c.kind === 'remove-user' || c.kind === 'cancel-invite' ? [c.email] : [])));
  // Re-issuing an invite drops its memberships too: it must be recorded again.
  const reissued = new Set(changes.flatMap((c) => (c.kind === 'reinvite' ? [c.email] : [])));
  const adds = new Map<string, string[]>();
  const removes = new Map<string, string[]>();
  /** Record group name -> the emails it holds after the run. */
  const finalMembers = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, key: string, ...emails: string[]) => m.set(key, [...(m.get(key) ?? []), ...emails]);
  for (const [email, fingerprint] of finalRecord) {
    const record = recorded.get(email);
    if (record?.fingerprint === fingerprint && !reissued.has(email)) {
      push(finalMembers, record.group.name, email);
      continue;
    }
    // Only pending invites need the day (their age); members are recorded as settled straight away.
    const name = live.users.has(email) ? settledCollaboratorRecordName(prefix, fingerprint) : recordNameFor(fingerprint);
    push(finalMembers, name, email);
    push(adds, name, email);
    if (record && !reissued.has(email)) push(removes, record.group.name, email);
  }
  // Stale entries: recorded emails that are neither a member nor pending any more.
  for (const [email, record] of recorded) {
    if (finalRecord.has(email) || gone.has(email)) continue;
    if (!live.users.has(email) && !live.invites.has(email)) push(removes, record.group.name, email);
  }
  // Compaction: once everyone left in a dated record has accepted, the day no longer matters; fold the
  // record into the settled one of its permission set, so record groups (and reads) do not grow with
  // every deploy day. Only in a run that writes anyway: a no-change run stays at zero writes.
  const emptied = [...live.collaboratorRecords.keys()].some((name) => !finalMembers.has(name));
  if (changes.length > 0 || adds.size > 0 || removes.size > 0 || emptied) {
    for (const [name, record] of live.collaboratorRecords) {
      const staying = finalMembers.get(name) ?? [];
      if (record.day === null || staying.length === 0 || !staying.every((e) => live.users.has(e) && !live.invites.has(e))) continue;
      const settled = settledCollaboratorRecordName(prefix, record.fingerprint);
      finalMembers.delete(name);
      push(finalMembers, settled, ...staying);
      push(adds, settled, ...staying);
    }
  }

  for (const [name, emails] of [...adds].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!live.collaboratorRecords.has(name)) ops.push({ kind: 'create-record', name });
    ops.push({ kind: 'record-add', name, emails: emails.sort() });
  }
  for (const [name, emails] of [...removes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!finalMembers.has(name)) continue; // the whole record group is deleted below
    ops.push({ kind: 'record-remove', name, groupId: live.collaboratorRecords.get(name)!.group.id, emails: emails.sort() });
  }
  for (const [name, record] of live.collaboratorRecords) {
    if (!finalMembers.has(name)) ops.push({ kind: 'delete-record', name, groupId: record.group.id });
  }
  const declaredGroups = new Set(desired.groupGrants.map((g) => g.groupName));
  for (const g of desired.groupGrants) {
    if (!live.groupGrantRecords.has(g.groupName)) ops.push({ kind: 'create-record', name: groupGrantRecordName(prefix, g.groupName) });
  }
  for (const [groupName, record] of live.groupGrantRecords) {
    if (!declaredGroups.has(groupName)) ops.push({ kind: 'delete-record', name: record.name, groupId: record.id });
  }
  return ops;
}
