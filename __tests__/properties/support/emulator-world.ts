import { SegmentApiClient } from '../../../api/client';
import { DAY_MS, findRoleById, RunningEmulator, startEmulator, type EmulatorSettingsInput, type Seed } from '../../../emulator';
import type { StateSnapshot } from '../../../emulator/snapshot';
import { permissionsFingerprint } from '../../../model/canonical';
import type { DesiredCollaborator, DesiredGroupGrant, DesiredPermission, DesiredState } from '../../../model/desired-state';
import { ResourceType, WorkspaceRole } from '../../../model/enums';
import { reconcile, type ReconcileResult } from '../../../reconciler/reconcile';
import type { SegmentPort } from '../../../reconciler/segment-port';
import { desiredCollaborator, desiredState } from '../../support/desired';
import { E2E_OTHER_TOKEN, E2E_TOKEN, E2E_WS, e2eSeed } from '../../support/e2e';
import { TEST_KEYS } from '../../support/live';

// One emulator for a whole property (started once, its state restored before each run), and the
// executor's reconcile run in-process against it through the real client. Desired states are built
// as data (no synth), so a run costs a few loopback calls.

export const T0 = new Date('2026-11-27T12:00:00Z');
export const WORKSPACE_OWNER = 'Workspace Owner';

/** The permission sets the properties grant, by the preset they stand for. */
export const PERMISSION_SETS: Readonly<Record<'READER' | 'SOURCE_ADMIN' | 'OWNER', { role: WorkspaceRole; roles: readonly string[] }>> = {
  READER: { role: WorkspaceRole.READ_ONLY, roles: ['Minimal Workspace Access', 'Source Read-only'] },
  SOURCE_ADMIN: { role: WorkspaceRole.MEMBER, roles: ['Minimal Workspace Access', 'Source Admin'] },
  OWNER: { role: WorkspaceRole.OWNER, roles: [WORKSPACE_OWNER] },
};
export type SetName = keyof typeof PERMISSION_SETS;

export function onE2eWorkspace(roles: readonly string[]): DesiredPermission[] {
  return roles.map((roleName) => ({ roleName, resources: [{ type: ResourceType.WORKSPACE, id: E2E_WS, labels: [] }] }));
}

export function collaboratorWith(email: string, set: SetName, extra: Partial<DesiredCollaborator> = {}): DesiredCollaborator {
  const { role, roles } = PERMISSION_SETS[set];
  return desiredCollaborator(email, onE2eWorkspace(roles), { role, path: `prod/Workspace/${email}`, ...extra });
}

export function groupGrantWith(groupName: string, set: SetName): DesiredGroupGrant {
  const { role, roles } = PERMISSION_SETS[set];
  const permissions = onE2eWorkspace(roles);
  return {
    groupName,
    role,
    permissions,
    fingerprint: permissionsFingerprint(permissions),
    allSources: null,
    sources: [],
    sourceLabels: [],
    destinations: [],
    warehouses: [],
    audit: { ticket: 'T-1', requestedBy: 'lead@acme.example', approvedBy: 'cto@acme.example', justification: 'group grant' },
    path: `prod/Workspace/group/${groupName}`,
  };
}

/** The prod desired state of the emulator's workspace. */
export function e2eDesired(collaborators: DesiredCollaborator[], options: { groupGrants?: DesiredGroupGrant[]; seatLimit?: number | null; authoritative?: boolean; retain?: string[] } = {}): DesiredState {
  const base = desiredState(collaborators, {}, options.seatLimit ?? null);
  return {
    ...base,
    stack: 'prod',
    workspace: { ...base.workspace, id: E2E_WS, slug: 'acme-e2e', name: 'Acme E2E' },
    management: { ...base.management, authoritative: options.authoritative ?? false, retain: options.retain ?? [] },
    groupGrants: options.groupGrants ?? [],
  };
}

export class EmulatorWorld {
  public now = T0;
  private readonly base: StateSnapshot;

  private constructor(readonly emulator: RunningEmulator) {
    this.base = emulator.state.dump();
  }

  static async start(seed: Seed = e2eSeed(), settings: EmulatorSettingsInput = {}): Promise<EmulatorWorld> {
    return new EmulatorWorld(await startEmulator({ seed, settings, startsAt: T0, rateLimit: { writesPerWindow: 1_000_000, readsPerWindow: 1_000_000, windowMs: 1000 } }));
  }

  /** Back to the seed, clock included. */
  reset(): void {
    this.emulator.state.restore(this.base);
    this.now = T0;
  }

  get state() {
    return this.emulator.state;
  }

  client(token = E2E_TOKEN): SegmentApiClient {
    const clock = this.emulator.state.clock;
    return new SegmentApiClient({ token, baseUrl: this.emulator.url, writesPerWindow: 1_000_000, windowMs: 1000, pageSize: 50, now: () => clock.nowMs(), sleep: async () => undefined });
  }

  /** A deploy of this app (through `api` when given, e.g. one that stops after k writes). */
  deploy(desired: DesiredState, api: SegmentPort = this.client()): Promise<ReconcileResult> {
    return reconcile({ api, desired, now: this.now, auditDelayMs: 0, keys: TEST_KEYS, maxRounds: 1 });
  }

  /** Writes that reached the emulator so far. */
  writes(): number {
    return this.emulator.stats().writes;
  }

  seatsUsed(): number {
    return this.state.seatsUsed(E2E_WS);
  }

  /** Changes the workspace's seat limit (as buying or cancelling seats would). */
  setSeatLimit(limit: number | undefined): void {
    const snapshot = this.state.dump();
    for (const ws of snapshot.workspaces) if (ws.id === E2E_WS) ws.seatLimit = limit;
    this.state.restore(snapshot);
  }

  advanceDays(days: number): void {
    this.emulator.advanceClock(days * DAY_MS);
    this.now = new Date(this.now.getTime() + days * DAY_MS);
  }

  /** Members who hold Workspace Owner, directly or through a user group. */
  owners(): string[] {
    const state = this.state;
    const users = state.listUsers(E2E_WS);
    const ownerRole = (perms: readonly { roleId: string }[]) => perms.some((p) => findRoleById(p.roleId)?.name === WORKSPACE_OWNER);
    const direct = users.filter((u) => ownerRole(u.permissions)).map((u) => u.email.toLowerCase());
    const viaGroups = state
      .listGroups(E2E_WS)
      .filter((g) => ownerRole(g.permissions))
      .flatMap((g) => state.groupMembers(E2E_WS, g.id).users.map((m) => m.email.toLowerCase()))
      .filter((e) => users.some((u) => u.email.toLowerCase() === e));
    return [...new Set([...direct, ...viaGroups])].sort();
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}

/** Another automation token's actor, for changes someone else makes in the workspace. */
export const OTHER = { actor: 'api-token:other-automation' };
export { E2E_OTHER_TOKEN, E2E_WS };
