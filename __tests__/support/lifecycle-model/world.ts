import { App } from '../../../framework';
import { SegmentApiClient } from '../../../api/client';
import { NOW_CONTEXT_KEY } from '../../../constructs/synth-clock';
import { DAY_MS, findRoleById, RunningEmulator, startEmulator } from '../../../emulator';
import type { FaultOptions } from '../../../emulator';
import type { DesiredState } from '../../../model/desired-state';
import { AccessLevel, Environment, WorkspaceRole } from '../../../model/enums';
import { reconcile, ReconcileResult } from '../../../reconciler/reconcile';
import type { ReconcilePlan } from '../../../reconciler/plan';
import { renderPlanTable } from '../../../reconciler/render';
import type { SegmentPort } from '../../../reconciler/segment-port';
import type { CollaboratorAccess, EnvironmentOverride } from '../../../stacks/access-definition';
import type { SourceAccessProps } from '../../../constructs/source-access';
import { SegmentAccessStack } from '../../../stacks/segment-access-stack';
import { behaviourSeed, T0 } from '../behaviour-world';
import { StopAfterWrites } from '../crash-harness';
import { E2E_RECORD_KEY, E2E_TOKEN, E2E_WS } from '../e2e';
import { collaboratorAccess, e2eDefinition } from '../e2e-definitions';
import { TEST_KEYS } from '../live';
import { AppName, Narrowing, Override, Person, Request } from './model';

/** Access as `Role@TYPE:id[key=value,...]`: labels included, so a label-narrowed grant never looks workspace-wide. */
export function accessStrings(permissions: readonly { roleId: string; resources: readonly { type: string; id: string; labels?: readonly { key: string; value: string }[] }[]; labels?: readonly { key: string; value: string }[] }[]): string[] {
  const labelled = (labels: readonly { key: string; value: string }[] | undefined) =>
    labels && labels.length > 0 ? `[${labels.map((l) => `${l.key}=${l.value}`).sort().join(',')}]` : '';
  return permissions
    .flatMap((p) => p.resources.map((r) => `${findRoleById(p.roleId)?.name ?? p.roleId}@${r.type}:${r.id}${labelled(r.labels ?? p.labels)}`))
    .sort();
}

/** How a deploy is disturbed. */
export type Disruption =
  | { readonly kind: 'none' }
  | { readonly kind: 'kill'; readonly afterWrite: number }
  | { readonly kind: '429'; readonly requests: number }
  | { readonly kind: '5xx'; readonly rate: number; readonly seed: number }
  | { readonly kind: 'lost-response'; readonly count: number };

export interface DeployOutcome {
  readonly result?: ReconcileResult;
  readonly error?: Error;
  readonly writes: number;
  /** The largest seat count seen after any write of the run. */
  readonly peakSeats: number;
  /** The plan of every round the run made, a killed run's included. */
  readonly plans: readonly ReconcilePlan[];
}

/** The secrets that must appear in no output, whole or in part (api/redact.ts redacts pieces of 8). */
export const SECRETS: readonly string[] = [E2E_TOKEN, E2E_RECORD_KEY];
const SECRET_PIECES = SECRETS.flatMap((s) => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8))).filter((p) => /[0-9]/.test(p));

export function secretPieceIn(text: string): string | undefined {
  return SECRET_PIECES.find((piece) => text.includes(piece));
}

const WRITE_METHODS = new Set<string>(['deleteUsers', 'replaceUserPermissions', 'createInvites', 'deleteInvites', 'createGroup', 'renameGroup', 'deleteGroup', 'replaceGroupPermissions', 'addGroupMembers', 'removeGroupMembers']);

/** The workspace (the in-process emulator) and the executor's modules run against it, on one clock. */
export class LifecycleWorld {
  /** Everything the executor printed or returned: searched for secrets after every command. */
  readonly outputs: string[] = [];
  private readonly synthCache = new Map<string, DesiredState>();

  private constructor(readonly emulator: RunningEmulator) {}

  static async start(): Promise<LifecycleWorld> {
    const emulator = await startEmulator({ seed: behaviourSeed(), startsAt: T0, rateLimit: { writesPerWindow: 100_000, readsPerWindow: 100_000, windowMs: 1000 } });
    return new LifecycleWorld(emulator);
  }

  get nowMs(): number {
    return this.emulator.state.clock.nowMs();
  }

  advanceDays(days: number): void {
    this.emulator.advanceClock(days * DAY_MS);
  }

  /** Every member and pending invite, by lower-cased email. */
  people(): Map<string, Person> {
    const state = this.emulator.state;
    const out = new Map<string, Person>();
    for (const u of state.listUsers(E2E_WS)) out.set(u.email.toLowerCase(), { email: u.email, access: accessStrings(u.permissions), pending: false });
    for (const i of state.listInvites(E2E_WS)) out.set(i.email.toLowerCase(), { email: i.email, access: accessStrings(i.permissions), pending: true });
    return out;
  }

  seats(): number {
    return this.emulator.state.seatsUsed(E2E_WS);
  }

  groups() {
    return this.emulator.state.listGroups(E2E_WS);
  }

  /** The prod stack's desired state for these requests, synthesized at the world's "now" (as `cdktf deploy` does). */
  desired(app: AppName, requests: ReadonlyMap<string, Request>, seatLimit: number | null): DesiredState {
    const at = new Date(Math.floor(this.nowMs / DAY_MS) * DAY_MS).toISOString();
    const key = JSON.stringify([app, at, seatLimit, [...requests]]);
    const cached = this.synthCache.get(key);
    if (cached) return cached;
    const collaborators = [...requests].map(([email, request]) => collaboratorOf(email, request));
    const workspace = { appId: app, ...(seatLimit !== null ? { seatLimit } : {}) };
    const synthApp = new App({ context: { [NOW_CONTEXT_KEY]: at } });
    const desired = new SegmentAccessStack(synthApp, 'prod', { definition: e2eDefinition(collaborators, workspace), environment: Environment.PROD }).workspace.desiredState();
    this.synthCache.set(key, desired);
    return desired;
  }

  /** A deploy of `desired`, disturbed as asked; never throws (the outcome says how it ended). */
  async deploy(desired: DesiredState, disruption: Disruption): Promise<DeployOutcome> {
    const before = this.emulator.stats().writes;
    let peakSeats = this.seats();
    const plans: ReconcilePlan[] = [];
    const faults: FaultOptions | undefined =
      disruption.kind === '429'
        ? { rateLimitStorm: { requests: disruption.requests, msBeforeNext: 5 } }
        : disruption.kind === '5xx'
          ? { serverErrorRate: disruption.rate, seed: disruption.seed }
          : disruption.kind === 'lost-response'
            ? { lostResponses: { count: disruption.count } }
            : undefined;
    if (faults) this.emulator.setFaults(faults);
    const client = this.client();
    const killed: SegmentPort = disruption.kind === 'kill' ? new StopAfterWrites(client, disruption.afterWrite) : client;
    const api = watchingWrites(killed, () => {
      peakSeats = Math.max(peakSeats, this.seats());
    });
    try {
      const result = await reconcile({ api, desired, now: new Date(this.nowMs), auditDelayMs: 0, keys: TEST_KEYS, log: (line) => this.outputs.push(line), onPlan: (plan) => plans.push(plan) });
      this.outputs.push(JSON.stringify(result), renderPlanTable(result.plan));
      return { result, writes: this.emulator.stats().writes - before, peakSeats, plans };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      this.outputs.push(e.message, e.stack ?? '');
      return { error: e, writes: this.emulator.stats().writes - before, peakSeats, plans };
    } finally {
      if (faults) this.emulator.setFaults({});
    }
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }

  private client(): SegmentApiClient {
    const clock = this.emulator.state.clock;
    return new SegmentApiClient({ token: E2E_TOKEN, baseUrl: this.emulator.url, writesPerWindow: 100_000, windowMs: 1000, pageSize: 20, now: () => clock.nowMs(), sleep: async () => undefined });
  }
}

/** Calls `after` once each write has been answered (or failed): the seat count is read between writes. */
function watchingWrites(port: SegmentPort, after: () => void): SegmentPort {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (!WRITE_METHODS.has(String(property))) return value.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } finally {
          after();
        }
      };
    },
  });
}

const REASON = 'Production differs for this engagement (model-based test).';

/** The request as the definition's collaborator entry. */
export function collaboratorOf(email: string, request: Request): CollaboratorAccess {
  const name = email.split('@')[0].replace(/[^A-Za-z0-9]/g, '');
  const level = request.role === WorkspaceRole.MEMBER ? AccessLevel.ADMIN : AccessLevel.READ_ONLY;
  const narrowed = request.role === WorkspaceRole.MEMBER || request.role === WorkspaceRole.READ_ONLY;
  const sourceAccess: Record<string, SourceAccessProps> =
    narrowed && request.narrowing === Narrowing.SOURCE
      ? { Web: { level, sources: ['web'] } }
      : narrowed && request.narrowing === Narrowing.LABEL
        ? { Prod: { level, labels: { environment: 'prod' } } }
        : {};
  const overrides: Partial<Record<Environment, EnvironmentOverride>> =
    request.override === Override.PROD_ABSENT
      ? { [Environment.PROD]: { reason: REASON, absent: true } }
      : request.override === Override.PROD_READ_ONLY
        ? { [Environment.PROD]: { reason: REASON, role: WorkspaceRole.READ_ONLY, sourceAccess: {} } }
        : request.override === Override.STAGING_ABSENT
          ? { [Environment.STAGING]: { reason: REASON, absent: true } }
          : {};
  const base = collaboratorAccess(name, request.role, { sourceAccess, ...(request.expiresOn !== undefined ? { expiresOn: request.expiresOn } : {}) });
  return { ...base, email, ...(Object.keys(overrides).length > 0 ? { environments: overrides } : {}) };
}
