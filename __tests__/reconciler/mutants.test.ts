import { TEST_KEYS } from '../support/live';
import { SegmentApiClient } from '../../api/client';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { findRoleById } from '../../emulator/roles';
import type { Seed } from '../../emulator/seed';
import { ResourceType } from '../../model/enums';
import type { DesiredPermission } from '../../model/desired-state';
import { reconcile } from '../../reconciler/reconcile';
import type { SegmentPort } from '../../reconciler/segment-port';
import { desiredCollaborator, desiredState, onWorkspace, WS_ID } from '../support/desired';

// Tests aimed at the mutants a mutation pass left alive (issue 9): each fails if the named
// behaviour is broken, and drives the real reconciler against the emulator's Segment contract.

const TOKEN = 'mutants-test-token-5c1d';
const OWNER = 'it-admin@acme.example';
const NOW = new Date('2026-11-27T12:00:00Z');

function seed(users: Seed['workspaces'][number]['users'] = []): Seed {
  return {
    workspaces: [
      {
        id: WS_ID,
        slug: 'acme-test',
        name: 'Acme Test',
        tokens: [TOKEN],
        sources: [
          { id: 'srcWeb', name: 'web', labels: { environment: 'prod' } },
          { id: 'srcIos', name: 'ios', labels: { environment: 'prod' } },
          { id: 'srcLab', name: 'lab', labels: { environment: 'staging' } },
        ],
        users: [{ name: 'IT Admin', email: OWNER, permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: WS_ID }] }] }, ...users],
      },
    ],
  } as Seed;
}

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function world(users: Seed['workspaces'][number]['users'] = []): Promise<{ emulator: RunningEmulator; api: SegmentApiClient }> {
  emulator = await startEmulator({ seed: seed(users) });
  return { emulator, api: new SegmentApiClient({ token: TOKEN, baseUrl: emulator.url, sleep: async () => undefined }) };
}

const onSources = (roleName: string, ...ids: string[]): DesiredPermission => ({
  roleName,
  resources: ids.map((id) => ({ type: ResourceType.SOURCE, id, labels: [] })),
});
const MINIMAL = onWorkspace('Minimal Workspace Access')[0];

/** What the emulator holds for an email (member or invite), as role name -> sorted "TYPE:id[labels]". */
function liveGrants(em: RunningEmulator, email: string): Record<string, string[]> {
  const holder = em.state.listUsers(WS_ID).find((u) => u.email === email) ?? em.state.listInvites(WS_ID).find((i) => i.email === email);
  if (!holder) return {};
  return Object.fromEntries(
    holder.permissions.map((p) => [
      findRoleById(p.roleId)!.name,
      p.resources.map((r) => `${r.type}:${r.id}${r.labels.length ? `[${r.labels.map((l) => `${l.key}=${l.value}`).join(',')}]` : ''}`).sort(),
    ]),
  );
}

describe('(1) live and desired permissions are compared by resource, not by role name', () => {
  const member = (sources: string[]) => [{ name: 'Ana', email: 'ana@agency.example', permissions: [
    { roleName: 'Minimal Workspace Access', resources: [{ type: 'WORKSPACE', id: WS_ID }] },
    { roleName: 'Source Admin', resources: sources.map((id) => ({ type: 'SOURCE', id })) },
  ] }];

  test('moving Source Admin from source web to ios re-permissions the existing member', async () => {
    const { emulator: em, api } = await world(member(['srcWeb']) as never);
    const ana = desiredCollaborator('ana@agency.example', [MINIMAL, onSources('Source Admin', 'srcIos')]);
    const result = await reconcile({ keys: TEST_KEYS, api, desired: desiredState([ana]), now: NOW });
    expect(result.plan.changes).toEqual([expect.objectContaining({ kind: 'repermission', email: 'ana@agency.example' })]);
    expect(liveGrants(em, 'ana@agency.example')['Source Admin']).toEqual(['SOURCE:srcIos']);
  });

  test('revoking one of two sources re-permissions the existing member', async () => {
    const { emulator: em, api } = await world(member(['srcWeb', 'srcIos']) as never);
    const ana = desiredCollaborator('ana@agency.example', [MINIMAL, onSources('Source Admin', 'srcWeb')]);
    await reconcile({ keys: TEST_KEYS, api, desired: desiredState([ana]), now: NOW });
    expect(liveGrants(em, 'ana@agency.example')['Source Admin']).toEqual(['SOURCE:srcWeb']);
    const again = await reconcile({ keys: TEST_KEYS, api, desired: desiredState([ana]), now: NOW, dryRun: true });
    expect(again.plan.changes).toEqual([]);
  });
});

describe('(2) labels reach invite permissions', () => {
  test('a label-scoped grant is invited on the labelled sources only, not on every source', async () => {
    const { emulator: em, api } = await world();
    const byLabel: DesiredPermission = { roleName: 'Source Admin', resources: [{ type: ResourceType.WORKSPACE, id: WS_ID, labels: [{ key: 'environment', value: 'prod' }] }] };
    const bo = desiredCollaborator('bo@agency.example', [MINIMAL, byLabel]);
    await reconcile({ keys: TEST_KEYS, api, desired: desiredState([bo]), now: NOW });
    expect(liveGrants(em, 'bo@agency.example')['Source Admin']).toEqual([`WORKSPACE:${WS_ID}[environment=prod]`]);
    em.state.acceptInvite(WS_ID, 'bo@agency.example');
    expect(liveGrants(em, 'bo@agency.example')['Source Admin']).toEqual([`WORKSPACE:${WS_ID}[environment=prod]`]);
    const again = await reconcile({ keys: TEST_KEYS, api, desired: desiredState([bo]), now: NOW, dryRun: true });
    expect(again.plan.changes).toEqual([]);
  });
});

describe('(3) the last Workspace Owner is neither removed nor demoted', () => {
  test('demoting the only owner is left out of the plan, with a warning, and nothing changes', async () => {
    const { emulator: em, api } = await world();
    const demoted = desiredCollaborator(OWNER, [MINIMAL]);
    const result = await reconcile({ keys: TEST_KEYS, api, desired: desiredState([demoted]), now: NOW });
    expect(result.plan.changes.filter((c) => c.kind === 'repermission')).toEqual([]);
    expect(result.plan.warnings.join("\n")).toContain(`${OWNER} holds the last Workspace Owner role`);
    expect(result.plan.refusals).toContainEqual(expect.objectContaining({ kind: "last-owner", email: OWNER }));
    expect(Object.keys(liveGrants(em, OWNER))).toEqual(['Workspace Owner']);
  });

  test('with a second owner, demoting one is carried out', async () => {
    const { emulator: em, api } = await world([{ name: 'CTO', email: 'cto@acme.example', permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: WS_ID }] }] }] as never);
    await reconcile({ keys: TEST_KEYS, api, desired: desiredState([desiredCollaborator(OWNER, [MINIMAL])]), now: NOW });
    expect(Object.keys(liveGrants(em, OWNER))).toEqual(['Minimal Workspace Access']);
    expect(Object.keys(liveGrants(em, 'cto@acme.example'))).toEqual(['Workspace Owner']);
  });

  test('demoting both of two owners keeps one of them an owner', async () => {
    const { emulator: em, api } = await world([{ name: 'CTO', email: 'cto@acme.example', permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: WS_ID }] }] }] as never);
    await reconcile({ keys: TEST_KEYS, api, desired: desiredState([desiredCollaborator(OWNER, [MINIMAL]), desiredCollaborator('cto@acme.example', [MINIMAL])]), now: NOW });
    const owners = [OWNER, 'cto@acme.example'].filter((e) => Object.keys(liveGrants(em, e)).includes('Workspace Owner'));
    expect(owners).toHaveLength(1);
  });
});

/** The client, with someone else changing the workspace just before this run's first write. */
function withConcurrentChange(api: SegmentApiClient, change: () => void): { port: SegmentPort; reads: () => number } {
  let changed = false;
  let userReads = 0;
  const writes = new Set(['deleteUsers', 'replaceUserPermissions', 'createInvites', 'deleteInvites', 'createGroup', 'deleteGroup', 'replaceGroupPermissions', 'addGroupMembers', 'removeGroupMembers']);
  const port = new Proxy(api as unknown as SegmentPort, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (prop === 'listUsers') userReads++;
        if (writes.has(String(prop)) && !changed) {
          changed = true;
          change();
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { port, reads: () => userReads };
}

describe('(4) a 409 or 404 on a write re-reads the workspace and plans again', () => {
  test('404: the member to re-permission was deleted meanwhile; round 2 invites them instead', async () => {
    const { emulator: em, api } = await world([{ name: 'Ana', email: 'ana@agency.example', permissions: [{ roleName: 'Minimal Workspace Access', resources: [{ type: 'WORKSPACE', id: WS_ID }] }] }] as never);
    const anaId = em.state.listUsers(WS_ID).find((u) => u.email === 'ana@agency.example')!.id;
    const { port, reads } = withConcurrentChange(api, () => em.state.deleteUsers(WS_ID, [anaId]));
    const ana = desiredCollaborator('ana@agency.example', [MINIMAL, onSources('Source Admin', 'srcWeb')]);
    const lines: string[] = [];
    const result = await reconcile({ keys: TEST_KEYS, api: port, desired: desiredState([ana]), now: NOW, log: (l) => lines.push(l) });
    expect(result.rounds).toBe(2);
    expect(reads()).toBe(2);
    expect(lines.join('\n')).toContain('re-reading the workspace and planning again (round 2 of 3)');
    expect(em.state.listInvites(WS_ID).map((i) => i.email)).toContain('ana@agency.example');
    expect(liveGrants(em, 'ana@agency.example')['Source Admin']).toEqual(['SOURCE:srcWeb']);
  });

  test('409: someone invited the collaborator meanwhile; round 2 re-issues the invite with the declared permissions', async () => {
    const { emulator: em, api } = await world();
    const { port } = withConcurrentChange(api, () => em.state.createInvites(WS_ID, [{ email: 'bo@agency.example', permissions: [] } as never]));
    const bo = desiredCollaborator('bo@agency.example', [MINIMAL, onSources('Source Read-only', 'srcIos')]);
    const result = await reconcile({ keys: TEST_KEYS, api: port, desired: desiredState([bo]), now: NOW });
    expect(result.rounds).toBe(2);
    expect(liveGrants(em, 'bo@agency.example')['Source Read-only']).toEqual(['SOURCE:srcIos']);
  });

  /** The client, with `createInvites` replaced. */
  function replacingCreateInvites(api: SegmentApiClient, createInvites: () => Promise<unknown>): SegmentPort {
    return new Proxy(api as unknown as SegmentPort, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'createInvites') return createInvites;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  test.each([
    ['a conflict in every round gives up after maxRounds with the API error', 409, 2],
    ['any other failure is not retried by re-planning', 422, 1],
  ])('%s', async (_what, status, expectedCalls) => {
    const { api } = await world();
    let calls = 0;
    const port = replacingCreateInvites(api, () => {
      calls++;
      return Promise.reject(Object.assign(new Error(`HTTP ${status}`), { status }));
    });
    await expect(reconcile({ keys: TEST_KEYS, api: port, desired: desiredState([desiredCollaborator('cy@agency.example', [MINIMAL])]), now: NOW, maxRounds: 2 })).rejects.toThrow(`HTTP ${status}`);
    expect(calls).toBe(expectedCalls);
  });
});
