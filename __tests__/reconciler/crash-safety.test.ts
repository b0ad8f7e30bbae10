import { App } from '../../framework';
import { SegmentApiClient } from '../../api/client';
import { findRoleById } from '../../emulator/roles';
import { RunningEmulator, startEmulator } from '../../emulator/server';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import type { DesiredState } from '../../model/desired-state';
import { Environment, WorkspaceRole } from '../../model/enums';
import { reconcile } from '../../reconciler/reconcile';
import type { SegmentPort } from '../../reconciler/segment-port';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import type { CollaboratorAccess } from '../../stacks/access-definition';
import { StopAfterWrites, StoppedError } from '../support/crash-harness';
import { E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT, E2E_TOKEN, E2E_WS, e2eSeed, OWNER, UNMANAGED } from '../support/e2e';
import { deployedBy01 } from '../support/version-01';
import { RecordKeyring } from '../../reconciler/record-key';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';

const NOW = new Date('2026-11-27T12:00:00Z');
const KEYS = RecordKeyring.of('SEGMENT_ACCESS_RECORD_KEY', E2E_RECORD_KEY);
const ROLES = [WorkspaceRole.READ_ONLY, WorkspaceRole.MEMBER, WorkspaceRole.MEMBER];
const team = (n: number, role = (i: number) => ROLES[i % ROLES.length]) => Array.from({ length: n }, (_, i) => collaboratorAccess(`Crew${i}`, role(i)));

function desiredOf(collaborators: CollaboratorAccess[]): DesiredState {
  const app = new App({ context: { [NOW_CONTEXT_KEY]: NOW.toISOString() } });
  return new SegmentAccessStack(app, 'prod', { definition: e2eDefinition(collaborators), environment: Environment.PROD }).workspace.desiredState();
}

/** One workspace (with its audit trail, as the emulator keeps it), and the executor runs against it. */
class World {
  private constructor(readonly emulator: RunningEmulator) {}

  static async start(): Promise<World> {
    return new World(await startEmulator({ seed: e2eSeed(), rateLimit: { writesPerWindow: 100_000, windowMs: 1000 } }));
  }

  port(): SegmentPort {
    return new SegmentApiClient({ token: E2E_TOKEN, baseUrl: this.emulator.url, writesPerWindow: 100_000, windowMs: 1000 });
  }

  /** A deploy that the harness stops after its `limit`-th write; returns how many writes it made. */
  async deploy(desired: DesiredState, limit = Infinity, keys = KEYS): Promise<{ writes: number; stopped: boolean }> {
    const api = new StopAfterWrites(this.port(), limit);
    try {
      await reconcile({ api, desired, now: NOW, auditDelayMs: 0, keys });
      return { writes: api.writes, stopped: false };
    } catch (error) {
      if (!(error instanceof StoppedError)) throw error;
      return { writes: api.writes, stopped: true };
    }
  }

  acceptAll(): void {
    this.emulator.acceptInvites(E2E_WS, this.emulator.state.listInvites(E2E_WS).map((i) => i.email));
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}

const access = (permissions: { roleId: string; resources: { type: string; id: string }[] }[]) =>
  permissions.flatMap((p) => p.resources.map((r) => `${findRoleById(p.roleId)?.name ?? p.roleId}@${r.type}:${r.id}`)).sort();
const declaredAccess = (c: DesiredState['collaborators'][number]) => c.permissions.flatMap((p) => p.resources.map((r) => `${p.roleName}@${r.type}:${r.id}`)).sort();

/** The workspace equals the code: declared people with exactly their permissions, the others untouched, the record whole. */
async function expectWorkspaceEqualsCode(world: World, desired: DesiredState, seedAccess: Map<string, string[]>, keys = KEYS): Promise<void> {
  const state = world.emulator.state;
  const people = new Map<string, string[]>();
  for (const u of state.listUsers(E2E_WS)) people.set(u.email, access(u.permissions));
  for (const i of state.listInvites(E2E_WS)) people.set(i.email, access(i.permissions));
  const expected = new Map(seedAccess);
  for (const c of desired.collaborators) expected.set(c.email, declaredAccess(c));
  expect(Object.fromEntries([...people].sort())).toEqual(Object.fromEntries([...expected].sort()));

  const own = state.listGroups(E2E_WS).filter((g) => g.name.startsWith('segment-access:default:'));
  expect(own.filter((g) => g.name.includes(':intent:')).map((g) => g.name)).toEqual([]);
  expect(own.filter((g) => g.permissions.length > 0)).toEqual([]);
  const recorded = own.flatMap((g) => g.memberEmails);
  expect([...new Set(recorded)].sort()).toEqual(desired.collaborators.map((c) => c.email).sort());

  // And the next run finds nothing to do and nothing wrong.
  // Every record group signed (with the current key) and nothing left to adopt, re-sign or seal.
  for (const g of own) expect(g.name).toMatch(/:[0-9a-f]{20}$/);
  const result = await reconcile({ api: world.port(), desired, now: NOW, dryRun: true, auditDelayMs: 0, keys });
  expect(result.plan.changes).toEqual([]);
  expect(result.plan.recordOps).toEqual([]);
  expect(result.plan.damage).toEqual([]);
  expect(result.plan.refusals).toEqual([]);
}

interface Scenario {
  readonly name: string;
  /** What the workspace looks like before the run that gets killed. */
  readonly setup: (world: World) => Promise<void>;
  /** What the killed run deploys. */
  readonly killed: DesiredState;
  /** What the next deploy declares. */
  readonly next: DesiredState;
  /** The keys both runs hold. @default the test key alone */
  readonly keys?: RecordKeyring;
}

const seven = team(7);
const SCENARIOS: Scenario[] = [
  { name: 'onboarding, then the same code', setup: async () => undefined, killed: desiredOf(seven), next: desiredOf(seven) },
  { name: 'onboarding, then a shrink (the code declares fewer people)', setup: async () => undefined, killed: desiredOf(seven), next: desiredOf(seven.slice(0, 3)) },
  {
    name: 'a role change of accepted users',
    setup: async (world) => {
      await world.deploy(desiredOf(seven));
      world.acceptAll();
    },
    killed: desiredOf(team(7, (i) => (i < 4 ? ROLES[(i + 1) % ROLES.length] : ROLES[i % ROLES.length]))),
    next: desiredOf(team(7, (i) => (i < 4 ? ROLES[(i + 1) % ROLES.length] : ROLES[i % ROLES.length]))),
  },
  {
    name: 'a shrink of users and pending invites',
    setup: async (world) => {
      await world.deploy(desiredOf(seven));
      world.emulator.acceptInvites(E2E_WS, seven.slice(0, 4).map((c) => c.email));
    },
    killed: desiredOf([seven[0], seven[5]]),
    next: desiredOf([seven[0], seven[5]]),
  },
  {
    name: 'the first accepted people folded into members (created, then sealed to its id)',
    setup: async (world) => {
      await world.deploy(desiredOf(seven));
      world.acceptAll();
    },
    killed: desiredOf(team(8)),
    next: desiredOf(team(8)),
  },
  {
    name: 'an upgrade from 0.1 records (its token proven first, its records adopted in place), then a shrink',
    setup: async (world) => deployedBy01(world.emulator, E2E_TOKEN, desiredOf(seven.slice(0, 4))),
    killed: desiredOf(seven.slice(0, 3)),
    next: desiredOf(seven.slice(0, 3)),
  },
  {
    name: 'a key rotation: the run holding both keys re-signs every record group',
    setup: async (world) => {
      await world.deploy(desiredOf(seven));
      world.emulator.acceptInvites(E2E_WS, seven.slice(0, 4).map((c) => c.email));
      await world.deploy(desiredOf(team(8)));
    },
    killed: desiredOf(team(8)),
    next: desiredOf(team(8)),
    keys: RecordKeyring.of('SEGMENT_ACCESS_RECORD_KEY', E2E_RECORD_KEY_NEXT, E2E_RECORD_KEY),
  },
];

describe('crash safety: the executor stopped after every write k, then deployed again', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    // The uninterrupted run says how many writes there are to stop after.
    const reference = await World.start();
    await scenario.setup(reference);
    const seedAccess = new Map([...reference.emulator.state.listUsers(E2E_WS)].filter((u) => [OWNER, UNMANAGED].includes(u.email)).map((u) => [u.email, access(u.permissions)]));
    const { writes: total } = await reference.deploy(scenario.killed, Infinity, scenario.keys);
    await reference.stop();
    expect(total).toBeGreaterThanOrEqual(3);

    for (let k = 1; k <= total; k++) {
      const world = await World.start();
      try {
        await scenario.setup(world);
        const killed = await world.deploy(scenario.killed, k, scenario.keys);
        expect({ k, stopped: killed.stopped, writes: killed.writes }).toEqual({ k, stopped: true, writes: k });
        const next = await world.deploy(scenario.next, Infinity, scenario.keys);
        expect(next.stopped).toBe(false);
        await expectWorkspaceEqualsCode(world, scenario.next, seedAccess, scenario.keys);
      } catch (error) {
        throw new Error(`${scenario.name}, stopped after write ${k} of ${total}: ${(error as Error).message}`);
      } finally {
        await world.stop();
      }
    }
  }, 120_000);
});
