import { InviteesAlreadyPresentError } from '../api/errors';
import { normalizeEmail } from '../model/canonical';
import { PlanTier } from '../model/enums';
import { holdsOwnerRole, toInvitePermissions, toPermissionInputs } from './permissions';
import type { LiveState } from './live-state';
import { createNamedGroup } from './record-group-names';
import type { AccessChange, ReconcilePlan, RecordOp } from './plan';
import { isSealedKind, recordKey, RecordName, RecordSigner } from './records';
import type { SegmentPort } from './segment-port';

/** Segment accepts about 200 items per collection call. */
export const BATCH_SIZE = 200;

export interface ApplyProgress {
  (event: { readonly step: string; readonly done: number; readonly total: number }): void;
}

export interface ApplyCounts {
  invited: number;
  reinvited: number;
  repermissioned: number;
  removedUsers: number;
  cancelledInvites: number;
  groupPermissionsSet: number;
  recordWrites: number;
}

function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function only<K extends AccessChange['kind']>(changes: readonly AccessChange[], kind: K): Extract<AccessChange, { kind: K }>[] {
  return changes.filter((c): c is Extract<AccessChange, { kind: K }> => c.kind === kind);
}

/**
 * Carries out a plan in an order that a kill between any two calls cannot make unsafe:
 * 1. the write-ahead intent (marks the run and, once the trail shows it, proves its actor);
 * 2. record names brought up to date (adopted, re-signed, sealed), record groups (long-lived ones sealed
 *    right after they are created), and record entries for people who already have access (adoptions,
 *    migrations, folding dated records into members): the record grows before anything it records changes;
 * 3. re-permissions that give Workspace Owner, then removals (frees seats), group permissions cleared,
 *    the other in-place re-permissions (the last-owner rule counts a promotion as keeping an owner, so
 *    it is made before anyone who holds Owner now is removed or demoted: no moment without an owner);
 * 4. invites, each batch recorded right after it is sent (the intent and the audit trail cover the gap);
 * 5. group permissions set (their record exists since step 2);
 * 6. record entries and groups no longer needed; last, the intent.
 */
export interface ApplyOptions {
  readonly progress?: ApplyProgress;
  /** Signs the names of the record groups written (required unless the plan writes no record). */
  readonly signer?: RecordSigner;
  /** The intent this run already created (to prove its actor before planning): reused, not created again. */
  readonly runIntentId?: string;
}

export async function applyPlan(api: SegmentPort, plan: ReconcilePlan, live: LiveState, options: ApplyOptions = {}): Promise<ApplyCounts> {
  const progress = options.progress ?? (() => undefined);
  const counts: ApplyCounts = { invited: 0, reinvited: 0, repermissioned: 0, removedUsers: 0, cancelledInvites: 0, groupPermissionsSet: 0, recordWrites: 0 };
  const roles = live.roles;
  // A Team plan has no user groups: invites are sent but not recorded.
  const recording = live.planTier !== PlanTier.TEAM;
  // Live people are named as Segment holds them (it may match emails exactly); plans speak lower case.
  const address = (email: string) => live.addresses?.get(email) ?? email;
  const recordIds = new Map<string, string>();
  const prefix = options.signer?.prefix;
  if (prefix !== undefined) for (const r of [...live.records.own, ...live.records.legacy]) if (r.renamedTo === undefined) recordIds.set(recordKey(prefix, r.record), r.group.id);
  const signer = (): RecordSigner => {
    if (!options.signer) throw new Error('Internal error: a record write without the record key (the run should have stopped before any write).');
    return options.signer;
  };

  let intentId = options.runIntentId;
  if (plan.intent !== null && !intentId) {
    intentId = (await createNamedGroup(api, signer().intentName(plan.intent), true)).id;
    counts.recordWrites++;
  }

  const invitees = new Set([...only(plan.changes, 'invite'), ...only(plan.changes, 'reinvite')].map((c) => c.email));
  for (const op of plan.recordOps) {
    if (op.kind === 'sign-record') {
      await api.renameGroup(op.groupId, signer().name(op.record, { groupId: op.groupId }));
      recordIds.set(op.name, op.groupId);
      counts.recordWrites++;
    } else if (op.kind === 'create-record') {
      recordIds.set(op.name, await createRecordGroup(api, signer(), op.record, counts));
    } else if (op.kind === 'record-add') {
      for (const batch of chunks(op.emails.filter((e) => !invitees.has(e)))) {
        await api.addGroupMembers(requireId(recordIds, op.name), batch.map(address));
        counts.recordWrites++;
      }
    }
  }

  const repermissions = only(plan.changes, 'repermission');
  const promotions = repermissions.filter((c) => holdsOwnerRole(c.after) && !holdsOwnerRole(c.before));
  const rePermission = async (c: Extract<AccessChange, { kind: 'repermission' }>) => {
    await api.replaceUserPermissions(c.userId, toPermissionInputs(c.after, roles));
    counts.repermissioned++;
    progress({ step: 're-permissioned users', done: counts.repermissioned, total: repermissions.length });
  };
  for (const c of promotions) await rePermission(c);

  const removeUsers = only(plan.changes, 'remove-user');
  for (const batch of chunks(removeUsers)) {
    await api.deleteUsers(batch.map((c) => c.userId));
    counts.removedUsers += batch.length;
    progress({ step: 'removed users', done: counts.removedUsers, total: removeUsers.length });
  }
  const cancels = only(plan.changes, 'cancel-invite');
  for (const batch of chunks(cancels)) {
    await api.deleteInvites(batch.map((c) => address(c.email)));
    counts.cancelledInvites += batch.length;
    progress({ step: 'cancelled invites', done: counts.cancelledInvites, total: cancels.length });
  }
  for (const c of only(plan.changes, 'clear-group-permissions')) {
    await api.replaceGroupPermissions(c.groupId, []);
    counts.groupPermissionsSet++;
  }
  for (const c of repermissions) if (!promotions.includes(c)) await rePermission(c);

  // Pending invites cannot be edited: re-issue them (delete, then invite again with the new permissions).
  const reinvites = only(plan.changes, 'reinvite');
  for (const batch of chunks(reinvites)) await api.deleteInvites(batch.map((c) => address(c.email)));
  // Sorted by record group, so each batch of 200 touches as few record groups as possible.
  const toInvite = [...reinvites, ...only(plan.changes, 'invite')].sort((a, b) => (a.recordName < b.recordName ? -1 : a.recordName > b.recordName ? 1 : 0));
  let sent = 0;
  for (const batch of chunks(toInvite)) {
    // Segment may skip or refuse people who are already there (the workspace changed since it was read):
    // whoever it did invite is recorded all the same, then the run reads the workspace again and re-plans.
    let invited: readonly string[];
    let changed: InviteesAlreadyPresentError | undefined;
    try {
      const answer = await api.createInvites(batch.map((c) => ({ email: c.email, permissions: toInvitePermissions(c.after, roles) })));
      invited = Array.isArray(answer) ? answer : batch.map((c) => c.email);
    } catch (error) {
      if (!(error instanceof InviteesAlreadyPresentError)) throw error;
      [invited, changed] = [error.invited, error];
    }
    const held = new Map(invited.map((e) => [normalizeEmail(e), e]));
    const done = batch.filter((c) => held.has(c.email));
    for (const c of done) (c.kind === 'reinvite' ? counts.reinvited++ : counts.invited++);
    sent += done.length;
    progress({ step: 'invited', done: sent, total: toInvite.length });
    const byRecord = new Map<string, string[]>();
    for (const c of done) byRecord.set(c.recordName, [...(byRecord.get(c.recordName) ?? []), held.get(c.email)!]);
    for (const [name, emails] of recording ? byRecord : []) {
      await api.addGroupMembers(requireId(recordIds, name), emails);
      counts.recordWrites++;
    }
    if (changed) throw changed;
  }

  for (const c of only(plan.changes, 'set-group-permissions')) {
    await api.replaceGroupPermissions(c.groupId, toPermissionInputs(c.after, roles));
    counts.groupPermissionsSet++;
  }

  await applyShrinkingRecordOps(api, plan.recordOps, counts, intentId, address);
  if (intentId) {
    await api.deleteGroup(intentId);
    counts.recordWrites++;
  }
  return counts;
}

async function applyShrinkingRecordOps(api: SegmentPort, ops: readonly RecordOp[], counts: ApplyCounts, intentId: string | undefined, address: (email: string) => string): Promise<void> {
  for (const op of ops) {
    if (op.kind === 'record-remove') {
      for (const batch of chunks(op.emails)) {
        await api.removeGroupMembers(op.groupId, batch.map(address));
        counts.recordWrites++;
      }
    } else if (op.kind === 'delete-record' && op.groupId !== intentId) {
      await api.deleteGroup(op.groupId);
      counts.recordWrites++;
    }
  }
}

/** Creates a record group under its "new" name; a long-lived kind is sealed to its id at once (one rename). */
async function createRecordGroup(api: SegmentPort, signer: RecordSigner, record: RecordName, counts: ApplyCounts): Promise<string> {
  const { id } = await createNamedGroup(api, signer.name(record, 'new'), counts.recordWrites === 0);
  counts.recordWrites++;
  if (isSealedKind(record.kind)) {
    await api.renameGroup(id, signer.name(record, { groupId: id }));
    counts.recordWrites++;
  }
  return id;
}

function requireId(ids: ReadonlyMap<string, string>, name: string): string {
  const id = ids.get(name);
  if (!id) throw new Error(`Internal error: record group "${name}" was neither found nor created.`);
  return id;
}
