import { TEST_KEYS, signedIntentName } from '../support/live';
import { createRecord } from '../support/plan-world';
import { SegmentApiClient } from '../../api/client';
import { startEmulator, type RunningEmulator } from '../../emulator';
import type { Seed } from '../../emulator/seed';
import { PlanTier, ResourceType } from '../../model/enums';
import type { DesiredPermission } from '../../model/desired-state';
import { DEFAULT_AUDIT_DELAY_MS } from '../../reconciler/live-state';
import type { ReconcilePlan } from '../../reconciler/plan';
import {
  changedUnderneath,
  checkWorkspaceIdentity,
  EMPTY_COUNTS,
  liveStateOptions,
  planHasWrites,
  reconcile,
  WorkspaceMismatchError,
} from '../../reconciler/reconcile';
import { desiredCollaborator, desiredState, onWorkspace, WS_ID } from '../support/desired';
import { spied } from '../support/spied-port';

// The top-level loop (reconcile.ts) in process, against the emulator: identity check, dry runs,
// converged workspaces, re-planning on 409/404/422-on-record-write, and the audit delay it passes on.

const TOKEN = 'reconcile-loop-token-7e2a';
const OWNER = 'it-admin@acme.example';
const NOW = new Date('2026-11-27T12:00:00Z');
const MINIMAL = onWorkspace('Minimal Workspace Access');

type SeedUser = NonNullable<Seed['workspaces'][number]['users']>[number];
const member = (email: string, roleName = 'Minimal Workspace Access'): SeedUser =>
  ({ name: email, email, permissions: [{ roleName, resources: [{ type: 'WORKSPACE', id: WS_ID }] }] }) as SeedUser;

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function world(users: SeedUser[] = []): Promise<{ em: RunningEmulator; api: SegmentApiClient }> {
  const seed = {
    workspaces: [
      {
        id: WS_ID,
        slug: 'acme-test',
        name: 'Acme Test',
        tokens: [TOKEN],
        labels: [{ key: 'environment', value: 'prod' }],
        sources: [{ id: 'srcWeb', name: 'web', labels: { environment: 'prod' } }],
        users: [member(OWNER, 'Workspace Owner'), ...users],
      },
    ],
  } as Seed;
  emulator = await startEmulator({ seed });
  return { em: emulator, api: new SegmentApiClient({ token: TOKEN, baseUrl: emulator.url, sleep: async () => undefined }) };
}

const httpError = (status: number, method = 'POST', path = '/invites') => Object.assign(new Error(`HTTP ${status} on ${method} ${path}`), { status, method, path });

describe('checkWorkspaceIdentity and WorkspaceMismatchError', () => {
  test('a token of another workspace: refused with the full explanation, after GET / and nothing else', async () => {
    const { api } = await world();
    const { port, calls } = spied(api);
    const desired = desiredState([desiredCollaborator('ana@agency.example', MINIMAL)]);
    const other = { ...desired, workspace: { ...desired.workspace, id: 'ws_prod_9', name: 'Acme Prod', tokenEnvVar: 'SEGMENT_PROD_TOKEN' } };
    const error = await reconcile({ keys: TEST_KEYS, api: port, desired: other, now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceMismatchError);
    expect((error as Error).name).toBe('WorkspaceMismatchError');
    expect((error as Error).message).toBe(
      'Wrong workspace: the token in SEGMENT_PROD_TOKEN belongs to workspace "Acme Test" (ws_test_1, slug acme-test), ' +
        'but this desired state is for "Acme Prod" (ws_prod_9). Nothing was changed. ' +
        'Set SEGMENT_PROD_TOKEN to a token of workspace ws_prod_9, or fix workspaceId in the definition.',
    );
    expect(calls).toEqual(['getWorkspace']);
  });

  test('the right workspace: its identity is returned', async () => {
    const { api } = await world();
    await expect(checkWorkspaceIdentity(api, desiredState([]))).resolves.toEqual({ id: WS_ID, slug: 'acme-test', name: 'Acme Test' });
  });
});

describe('liveStateOptions', () => {
  const byLabel: DesiredPermission = { roleName: 'Source Admin', resources: [{ type: ResourceType.WORKSPACE, id: WS_ID, labels: [{ key: 'environment', value: 'prod' }] }] };
  const onSource: DesiredPermission = { roleName: 'Source Admin', resources: [{ type: ResourceType.SOURCE, id: 'srcWeb', labels: [] }] };
  const mixed: DesiredPermission = { roleName: 'Source Admin', resources: [onSource.resources[0], byLabel.resources[0]] };

  test('labels are read only when some grant uses them', () => {
    expect(liveStateOptions(desiredState([desiredCollaborator('a@x.example', [...MINIMAL, onSource])]))).toEqual({ declaredTier: PlanTier.BUSINESS, readLabels: false });
    expect(liveStateOptions(desiredState([]))).toEqual({ declaredTier: PlanTier.BUSINESS, readLabels: false });
    // One collaborator of two, one permission of two, one resource of two: enough.
    const two = desiredState([desiredCollaborator('a@x.example', MINIMAL), desiredCollaborator('b@x.example', [...MINIMAL, mixed])]);
    expect(liveStateOptions(two).readLabels).toBe(true);
    expect(liveStateOptions(desiredState([desiredCollaborator('b@x.example', [...MINIMAL, byLabel])])).readLabels).toBe(true);
  });

  test('group grants count too', () => {
    const grant = { groupName: 'Analysts', role: 'Member', permissions: [byLabel] } as never;
    expect(liveStateOptions(desiredState([], { groupGrants: [grant] })).readLabels).toBe(true);
  });

  test('the declared plan tier is passed on (Business by default)', () => {
    const desired = desiredState([]);
    expect(liveStateOptions({ ...desired, workspace: { ...desired.workspace, planTier: PlanTier.TEAM } }).declaredTier).toBe(PlanTier.TEAM);
  });

  test('reconcile reads GET /labels only when a grant uses labels', async () => {
    const { api } = await world();
    const plain = spied(api);
    await reconcile({ keys: TEST_KEYS, api: plain.port, desired: desiredState([desiredCollaborator('a@agency.example', MINIMAL)]), now: NOW, dryRun: true });
    expect(plain.calls).not.toContain('listLabels');
    const labelled = spied(api);
    await reconcile({ keys: TEST_KEYS, api: labelled.port, desired: desiredState([desiredCollaborator('b@agency.example', [...MINIMAL, byLabel])]), now: NOW, dryRun: true });
    expect(labelled.calls.filter((c) => c === 'listLabels')).toEqual(['listLabels']);
  });
});

describe('planHasWrites', () => {
  const base = { changes: [], recordOps: [], pendingAdoption: [] } as unknown as ReconcilePlan;
  test('nothing to change, nothing to record: no writes', () => {
    expect(planHasWrites(base)).toBe(false);
  });
  test('an access change alone is a write', () => {
    expect(planHasWrites({ ...base, changes: [{ kind: 'cancel-invite', email: 'a@x.example', reason: 'expired' }] })).toBe(true);
  });
  test('a record write alone is a write', () => {
    expect(planHasWrites({ ...base, recordOps: [createRecord('segment-access:default:members')] })).toBe(true);
  });
  test('unsigned records waiting to be adopted are a write (the next deploy adopts them)', () => {
    expect(planHasWrites({ ...base, pendingAdoption: ['segment-access:default:members'] })).toBe(true);
  });
});

describe('changedUnderneath', () => {
  test.each([
    ['409 conflict', true, httpError(409)],
    ['404 gone', true, httpError(404, 'PUT', '/users/u1/permissions')],
    ['422 adding to a record group', true, httpError(422, 'POST', '/groups/g_1/users')],
    ['422 on another POST', false, httpError(422, 'POST', '/invites')],
    ['422 removing from a group', false, httpError(422, 'DELETE', '/groups/g_1/users')],
    ['422 on a nested path', false, httpError(422, 'POST', '/groups/g_1/users/u_2')],
    ['422 on a prefixed path', false, httpError(422, 'POST', '/v1/groups/g_1/users')],
    ['422 on a path without a group id', false, httpError(422, 'POST', '/groups//users')],
    ['400 on the record write', false, httpError(400, 'POST', '/groups/g_1/users')],
    ['500 on the record write', false, httpError(500, 'POST', '/groups/g_1/users')],
    ['422 without a path', false, Object.assign(new Error('x'), { status: 422, method: 'POST' })],
    ['a plain error', false, new Error('boom')],
  ])('%s -> %s', (_what, expected, error) => {
    expect(changedUnderneath(error)).toBe(expected);
  });
});

describe('reconcile: dry runs and converged workspaces', () => {
  test('a dry run returns the plan of the first round and writes nothing', async () => {
    const { em, api } = await world([member('gone@agency.example')]);
    const { port, writes } = spied(api);
    const plans: number[] = [];
    const result = await reconcile({ keys: TEST_KEYS, api: port, desired: desiredState([desiredCollaborator('ana@agency.example', MINIMAL)]), now: NOW, dryRun: true, onPlan: (_p, round) => plans.push(round) });
    expect(result.rounds).toBe(1);
    expect(result.counts).toEqual(EMPTY_COUNTS);
    expect(result.plan.changes).toEqual([expect.objectContaining({ kind: 'invite', email: 'ana@agency.example' })]);
    expect(plans).toEqual([1]);
    expect(writes()).toEqual([]);
    expect(em.state.listInvites(WS_ID)).toEqual([]);
  });

  test('a converged workspace: one round, no write at all (not even the intent), zero counts', async () => {
    const { api } = await world();
    const desired = desiredState([desiredCollaborator('ana@agency.example', MINIMAL)]);
    const first = await reconcile({ keys: TEST_KEYS, api, desired, now: NOW });
    expect(first.counts).toMatchObject({ invited: 1 });
    const { port, writes } = spied(api);
    const again = await reconcile({ keys: TEST_KEYS, api: port, desired, now: NOW });
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.recordOps).toEqual([]);
    expect(again).toMatchObject({ rounds: 1, counts: EMPTY_COUNTS });
    expect(writes()).toEqual([]);
  });

  test('the counts of an applied plan: every write, by kind', async () => {
    const { api } = await world([member('gone@agency.example')]);
    const result = await reconcile({ keys: TEST_KEYS, api, desired: desiredState([desiredCollaborator('ana@agency.example', MINIMAL)], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: true, retain: [OWNER] } }), now: NOW });
    expect(result.counts).toEqual({ ...EMPTY_COUNTS, invited: 1, removedUsers: 1, recordWrites: 4 });
  });
});

describe('reconcile: Segment changed underneath', () => {
  test('a 404 on a write: re-read, re-planned, and the second round completes', async () => {
    const { em, api } = await world();
    let failed = false;
    const { port, calls } = spied(api, (method) => {
      if (method === 'createInvites' && !failed) {
        failed = true;
        throw httpError(404);
      }
    });
    const lines: string[] = [];
    const plans: number[] = [];
    const result = await reconcile({ keys: TEST_KEYS, api: port, desired: desiredState([desiredCollaborator('ana@agency.example', MINIMAL)]), now: NOW, log: (l) => lines.push(l), onPlan: (_p, r) => plans.push(r) });
    expect(result.rounds).toBe(2);
    expect(plans).toEqual([1, 2]);
    expect(calls.filter((c) => c === 'listUsers')).toHaveLength(2);
    expect(lines).toEqual(['Segment changed while applying (HTTP 404 on POST /invites); re-reading the workspace and planning again (round 2 of 3).']);
    expect(result.counts.invited).toBe(1);
    expect(em.state.listInvites(WS_ID).map((i) => i.email)).toEqual(['ana@agency.example']);
  });

  test('a 409 every round: three rounds by default, then the API error', async () => {
    const { api } = await world();
    let attempts = 0;
    const { port } = spied(api, (method) => {
      if (method === 'createInvites') {
        attempts++;
        throw httpError(409);
      }
    });
    const lines: string[] = [];
    await expect(reconcile({ keys: TEST_KEYS, api: port, desired: desiredState([desiredCollaborator('ana@agency.example', MINIMAL)]), now: NOW, log: (l) => lines.push(l) })).rejects.toThrow('HTTP 409 on POST /invites');
    expect(attempts).toBe(3);
    expect(lines).toEqual([
      'Segment changed while applying (HTTP 409 on POST /invites); re-reading the workspace and planning again (round 2 of 3).',
      'Segment changed while applying (HTTP 409 on POST /invites); re-reading the workspace and planning again (round 3 of 3).',
    ]);
  });

  test('a 500 is not re-planned: it stops the run at once', async () => {
    const { api } = await world();
    let attempts = 0;
    const { port } = spied(api, (method) => {
      if (method === 'createInvites') {
        attempts++;
        throw httpError(500);
      }
    });
    const lines: string[] = [];
    await expect(reconcile({ keys: TEST_KEYS, api: port, desired: desiredState([desiredCollaborator('ana@agency.example', MINIMAL)]), now: NOW, log: (l) => lines.push(l) })).rejects.toThrow('HTTP 500');
    expect(attempts).toBe(1);
    expect(lines).toEqual([]);
  });

  test('someone removes a member while their record entry is written: the 422 re-plans, and round 2 invites them', async () => {
    // Ana holds the declared access but is not yet recorded: the plan adopts her (a record write only).
    const { em, api } = await world([member('ana@agency.example')]);
    const anaId = em.state.listUsers(WS_ID).find((u) => u.email === 'ana@agency.example')!.id;
    let changed = false;
    const { port } = spied(api, (method) => {
      if (method === 'addGroupMembers' && !changed) {
        changed = true;
        em.state.deleteUsers(WS_ID, [anaId]);
      }
    });
    const lines: string[] = [];
    const plans: ReconcilePlan[] = [];
    const result = await reconcile({ keys: TEST_KEYS, api: port, desired: desiredState([desiredCollaborator('ana@agency.example', MINIMAL)]), now: NOW, log: (l) => lines.push(l), onPlan: (p) => plans.push(p) });
    expect(plans[0].changes).toEqual([]);
    expect(plans[0].adopted).toBe(1);
    expect(result.rounds).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Segment changed while applying \(.*422.*\); re-reading the workspace and planning again \(round 2 of 3\)\.$/);
    expect(plans[1].changes).toEqual([expect.objectContaining({ kind: 'invite', email: 'ana@agency.example' })]);
    expect(em.state.listInvites(WS_ID).map((i) => i.email)).toEqual(['ana@agency.example']);
  });
});

describe('reconcile: the audit delay reaches the planner', () => {
  // An intent of an interrupted run of this app's token, started two minutes before NOW.
  const INTENT = signedIntentName('default', new Date('2026-11-27T11:58:00Z'), '0123456789ab');
  const INTENT_KEY = 'segment-access:default:intent:20261127T115800Z:0123456789ab';

  async function withIntent(): Promise<SegmentApiClient> {
    const { em, api } = await world();
    em.state.createGroup(WS_ID, INTENT, em.state.actorForToken(TOKEN));
    return api;
  }

  test(`by default (${DEFAULT_AUDIT_DELAY_MS / 60_000} minutes) a two-minute-old intent is kept as pending`, async () => {
    const api = await withIntent();
    const result = await reconcile({ keys: TEST_KEYS, api, desired: desiredState([]), now: NOW, dryRun: true });
    expect(result.plan.pendingIntents).toEqual([INTENT]);
    expect(result.plan.recordOps).not.toContainEqual(expect.objectContaining({ kind: 'delete-record', name: INTENT_KEY }));
  });

  test('with a one-minute delay the same intent is resolved and deleted', async () => {
    const api = await withIntent();
    const result = await reconcile({ keys: TEST_KEYS, api, desired: desiredState([]), now: NOW, dryRun: true, auditDelayMs: 60_000 });
    expect(result.plan.pendingIntents).toEqual([]);
    expect(result.plan.recordOps).toContainEqual(expect.objectContaining({ kind: 'delete-record', name: INTENT_KEY }));
  });
});
