import type { DesiredState } from '../model/desired-state';
import { applyPlan, ApplyCounts } from '../reconciler/apply';
import type { LiveState } from '../reconciler/live-state';
import { planReconcile, ReconcilePlan } from '../reconciler/plan';
import { RecordKeyMissingError, type RecordKeyring } from '../reconciler/record-key';
import { recordKeyVariable } from '../reconciler/reconcile';
import { RecordSigner } from '../reconciler/records';
import type { SegmentPort } from '../reconciler/segment-port';

/**
 * Re-sends the given pending invites with their declared permissions and nothing else: the
 * reconciler's plan, narrowed to those re-invitations and their record entries.
 */
export async function resendInvites(api: SegmentPort, desired: DesiredState, live: LiveState, emails: ReadonlySet<string>, now: Date, keys: RecordKeyring | undefined): Promise<ApplyCounts> {
  // It writes record entries: without the key, nothing is sent.
  if (!keys) throw new RecordKeyMissingError(recordKeyVariable(desired), `workspace ${desired.workspace.name} (${desired.workspace.id})`);
  const full = planReconcile(desired, live, { now, reissueInvites: emails });
  const changes = full.changes.filter((c) => c.kind === 'reinvite' && emails.has(c.email));
  const names = new Set(changes.map((c) => (c.kind === 'reinvite' ? c.recordName : '')));
  // Re-sending drops the old invite's record membership; a record group left empty is deleted.
  const emptied = (groupId: string) => live.records.own.some((r) => r.group.id === groupId && r.emails.size > 0 && [...r.emails].every((e) => emails.has(e)));
  const recordOps = full.recordOps.filter((op) => (op.kind === 'create-record' && names.has(op.name)) || (op.kind === 'delete-record' && emptied(op.groupId)));
  // No intent: every re-sent invite is declared (a crash leaves nothing to undo), and a narrowed run must
  // not count as one that saw and repaired the record (that would settle damage it did not repair).
  const adds = full.recordOps.flatMap((op) => (op.kind === 'record-add' && names.has(op.name) ? [{ ...op, emails: op.emails.filter((e) => emails.has(e)) }] : []));
  const plan: ReconcilePlan = { ...full, changes, intent: null, recordOps: [...recordOps, ...adds.filter((op) => op.emails.length > 0)] };
  return applyPlan(api, plan, live, { signer: new RecordSigner(desired.management.recordPrefix, desired.management.appId, keys) });
}
