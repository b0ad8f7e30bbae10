import { InviteesAlreadyPresentError } from '../api/errors';
import { DEFAULT_RECORD_KEY_ENV_VAR, planTierOf, type DesiredState } from '../model/desired-state';
import { PlanTier } from '../model/enums';
import { applyPlan, ApplyCounts, ApplyProgress } from './apply';
import { DEFAULT_AUDIT_DELAY_MS, readLiveState, type ReadLiveStateOptions } from './live-state';
import { planReconcile, ReconcilePlan } from './plan';
import { RecordKeyMissingError, type RecordKeyring } from './record-key';
import { RecordSigner } from './records';
import type { SegmentPort } from './segment-port';
import { deepFreeze } from '../model/deep-freeze';

/** The token reaches a different workspace than the desired state names: nothing may be written. */
export class WorkspaceMismatchError extends Error {
  constructor(expected: { id: string; name: string }, actual: { id: string; slug: string; name: string }, tokenEnvVar: string) {
    super(
      `Wrong workspace: the token in ${tokenEnvVar} belongs to workspace "${actual.name}" (${actual.id}, slug ${actual.slug}), ` +
        `but this desired state is for "${expected.name}" (${expected.id}). Nothing was changed. ` +
        `Set ${tokenEnvVar} to a token of workspace ${expected.id}, or fix workspaceId in the definition.`,
    );
    this.name = 'WorkspaceMismatchError';
  }
}

/** What the live read must check and fetch for this desired state: its plan, and labels when any grant uses them. */
export function liveStateOptions(desired: DesiredState): ReadLiveStateOptions {
  const usesLabels = [...desired.collaborators, ...desired.groupGrants].some((g) => g.permissions.some((p) => p.resources.some((r) => r.labels.length > 0)));
  return { declaredTier: planTierOf(desired.workspace), readLabels: usesLabels };
}

/** `GET /` must name the declared workspace before anything is read or written. */
export async function checkWorkspaceIdentity(api: SegmentPort, desired: DesiredState): Promise<{ id: string; slug: string; name: string }> {
  const workspace = await api.getWorkspace();
  if (workspace.id !== desired.workspace.id) throw new WorkspaceMismatchError(desired.workspace, workspace, desired.workspace.tokenEnvVar);
  return workspace;
}

export interface ReconcileOptions {
  readonly api: SegmentPort;
  readonly desired: DesiredState;
  readonly now: Date;
  /** Compute and return the plan; write nothing. */
  readonly dryRun?: boolean;
  readonly progress?: ApplyProgress;
  readonly log?: (line: string) => void;
  /** Called with each round's plan before anything is written. */
  readonly onPlan?: (plan: ReconcilePlan, round: number) => void;
  /** Re-read and re-plan when Segment changed underneath us (see changedUnderneath). @default 3 */
  readonly maxRounds?: number;
  /** How long an audit-trail event may take to appear. @default 5 minutes */
  readonly auditDelayMs?: number;
  /** SEGMENT_ACCESS_AUDIT_ACTORS: only these may be proven as the app's actors. @default - any actor a signed intent proves */
  readonly auditActors?: readonly string[];
  /**
   * The app's record keys (`recordKeyEnvVar`, and `_PREVIOUS` during a rotation). Required to write (a
   * run without them stops before any call); a dry run without them trusts nothing and says so.
   */
  readonly keys?: RecordKeyring;
}

export interface ReconcileResult {
  /** The plan of the first round: what this run set out to change. */
  readonly plan: ReconcilePlan;
  readonly counts: ApplyCounts;
  readonly rounds: number;
}

export const EMPTY_COUNTS: ApplyCounts = deepFreeze({ invited: 0, reinvited: 0, repermissioned: 0, removedUsers: 0, cancelledInvites: 0, groupPermissionsSet: 0, recordWrites: 0 });

export function planHasWrites(plan: Pick<ReconcilePlan, 'changes' | 'recordOps' | 'pendingAdoption'>): boolean {
  return plan.changes.length > 0 || plan.recordOps.length > 0 || plan.pendingAdoption.length > 0;
}

/** The name of the variable the record key of a desired state is read from. */
export function recordKeyVariable(desired: Pick<DesiredState, 'management'>): string {
  return desired.management.recordKeyEnvVar ?? DEFAULT_RECORD_KEY_ENV_VAR;
}

/**
 * Checks the workspace identity, then converges the live workspace on the desired state. A run that
 * writes needs the record key before anything is read. When the workspace holds unsigned records of an
 * earlier version and no signed run has proven the app's token yet, the run first creates its signed
 * intent, reads again (the trail now proves its token), and adopts those its token created.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const { api, desired } = options;
  const log = options.log ?? (() => undefined);
  const { recordPrefix: prefix, appId: app } = desired.management;
  const keysNeeded = !options.dryRun && planTierOf(desired.workspace) !== PlanTier.TEAM;
  if (keysNeeded && !options.keys) throw new RecordKeyMissingError(recordKeyVariable(desired), `workspace ${desired.workspace.name} (${desired.workspace.id})`);
  const signer = options.keys ? new RecordSigner(prefix, app, options.keys) : undefined;
  const workspace = await checkWorkspaceIdentity(api, desired);

  const maxRounds = options.maxRounds ?? 3;
  let firstPlan: ReconcilePlan | undefined;
  let runIntentId: string | undefined;
  const total: ApplyCounts = { ...EMPTY_COUNTS };
  const auditDelayMs = options.auditDelayMs ?? DEFAULT_AUDIT_DELAY_MS;
  const readAndPlan = async () => {
    const live = await readLiveState(api, workspace, desired.management, { ...liveStateOptions(desired), auditDelayMs, auditActors: options.auditActors, keys: options.keys, now: options.now });
    return { live, plan: planReconcile(desired, live, { now: options.now, auditDelayMs, runIntentId }) };
  };
  for (let round = 1; ; round++) {
    let { live, plan } = await readAndPlan();
    if (plan.pendingAdoption.length && !options.dryRun && signer && plan.intent && runIntentId === undefined) {
      // Prove this run's token first: its signed intent, once in the trail, makes it one of the app's actors.
      runIntentId = (await api.createGroup(signer.intentName(plan.intent))).id;
      total.recordWrites++;
      log(`${plan.pendingAdoption.length} unsigned record group(s) of an earlier segment-access found; this run signed its intent and reads the audit trail again to adopt those its token created.`);
      ({ live, plan } = await readAndPlan());
    }
    firstPlan ??= plan;
    options.onPlan?.(plan, round);
    if (options.dryRun || !(plan.changes.length || plan.recordOps.length || runIntentId)) return { plan: firstPlan, counts: total, rounds: round };
    try {
      const counts = await applyPlan(api, plan, live, { progress: options.progress, signer, runIntentId });
      for (const key of Object.keys(total) as (keyof ApplyCounts)[]) total[key] += counts[key];
      return { plan: firstPlan, counts: total, rounds: round };
    } catch (error) {
      if (round >= maxRounds || !changedUnderneath(error)) throw error;
      log(`Segment changed while applying (${(error as Error).message}); re-reading the workspace and planning again (round ${round + 1} of ${maxRounds}).`);
    }
  }
}

/**
 * A write refused because the workspace moved since it was read: a conflict (409), something gone (404),
 * or a record write naming someone who is no longer a member or invited (a 422 on adding to a user
 * group: someone removed them meanwhile). Re-reading and planning again is the fix; any other error stops.
 */
export function changedUnderneath(error: unknown): boolean {
  // Invitees Segment says are already there (a 409, a 422 naming them, or skipped): someone invited them meanwhile.
  if (error instanceof InviteesAlreadyPresentError) return true;
  const { status, method, path } = error as { status?: number; method?: string; path?: string };
  if (status === 409 || status === 404) return true;
  return status === 422 && method === 'POST' && /^\/groups\/[^/]+\/users$/.test(String(path));
}
