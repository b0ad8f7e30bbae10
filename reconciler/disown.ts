import { normalizeEmail } from '../model/canonical';
import type { DesiredState } from '../model/desired-state';
import { applyPlan } from './apply';
import { readLiveState } from './live-state';
import { emptyPlan, isExpiredAt, PlanError, ReconcilePlan, RecordOp, trustOf } from './plan';
import { RecordKeyMissingError, type RecordKeyring } from './record-key';
import { checkWorkspaceIdentity, EMPTY_COUNTS, liveStateOptions, ReconcileResult, recordKeyVariable } from './reconcile';
import { RecordKind, recordKey, RecordSigner } from './records';
import type { SegmentPort } from './segment-port';

export interface DisownOptions {
  readonly api: SegmentPort;
  readonly desired: DesiredState;
  readonly emails: readonly string[];
  readonly keys?: RecordKeyring;
  readonly now: Date;
  readonly dryRun?: boolean;
  readonly auditDelayMs?: number;
  readonly auditActors?: readonly string[];
  readonly onPlan?: (plan: ReconcilePlan) => void;
}

/**
 * The documented way to settle a person two apps claim: this app drops them from its record (members,
 * invite records, claims) and leaves their access exactly as it is; the other app may then manage them.
 * Refused for people this app still declares (its next deploy would record them again).
 */
export async function disown(options: DisownOptions): Promise<ReconcileResult> {
  const { api, desired } = options;
  const label = `workspace ${desired.workspace.name} (${desired.workspace.id})`;
  if (!options.keys && !options.dryRun) throw new RecordKeyMissingError(recordKeyVariable(desired), label);
  const emails = new Set(options.emails.map(normalizeEmail));
  const declared = desired.collaborators.filter((c) => emails.has(c.email) && !isExpiredAt(c, options.now)).map((c) => c.email);
  if (declared.length) {
    throw new PlanError(
      `${declared.join(', ')} ${declared.length > 1 ? 'are' : 'is'} declared by app "${desired.management.appId}" in ${label}: its next deploy would record ${declared.length > 1 ? 'them' : 'it'} again. ` +
        'Nothing was changed. Remove them from this app\'s definition instead (the other app, which declares them, then takes them over), or disown them in the other app.',
    );
  }
  const workspace = await checkWorkspaceIdentity(api, desired);
  const live = await readLiveState(api, workspace, desired.management, { ...liveStateOptions(desired), keys: options.keys, now: options.now, auditDelayMs: options.auditDelayMs, auditActors: options.auditActors });
  const { recordPrefix: prefix, appId: app } = desired.management;
  const recordOps: RecordOp[] = [];
  for (const g of live.records.own) {
    if (g.renamedTo !== undefined || g.record.kind === RecordKind.INTENT) continue;
    const drop = [...g.emails].filter((e) => emails.has(e)).sort();
    if (drop.length) recordOps.push({ kind: 'record-remove', name: recordKey(prefix, g.record), groupId: g.group.id, emails: drop });
  }
  // No intent: dropping entries can be repeated after a crash, and it must not count as a run that repaired the record.
  const plan: ReconcilePlan = { ...emptyPlan(workspace, app), recordOps, trust: trustOf(live) };
  options.onPlan?.(plan);
  if (options.dryRun || !recordOps.length) return { plan, counts: { ...EMPTY_COUNTS }, rounds: 1 };
  const counts = await applyPlan(api, plan, live, { signer: new RecordSigner(prefix, app, options.keys!) });
  return { plan, counts, rounds: 1 };
}
