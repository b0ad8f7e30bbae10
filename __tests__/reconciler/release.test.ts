import { TEST_KEYS, signedIntentName } from '../support/live';
import { SegmentApiClient } from '../../api/client';
import { findRoleById } from '../../emulator/roles';
import { startEmulator, type RunningEmulator } from '../../emulator';
import type { Seed } from '../../emulator/seed';
import type { DesiredGroupGrant } from '../../model/desired-state';
import type { ReconcilePlan } from '../../reconciler/plan';
import { EMPTY_COUNTS, reconcile, WorkspaceMismatchError } from '../../reconciler/reconcile';
import { release, type ReleaseOptions } from '../../reconciler/release';
import type { SegmentPort } from '../../reconciler/segment-port';
import { desiredCollaborator, desiredState, onWorkspace, WS_ID } from '../support/desired';
import { spied } from '../support/spied-port';

// release (a stack's destroy) in process, against the emulator: it removes exactly what this app
// manages (collaborators, invites, group permissions) and its record, and nothing else.

const TOKEN = 'release-test-token-3b9f';
const OWNER = 'it-admin@acme.example';
const OTHER = 'someone-else@acme.example';
const NOW = new Date('2026-11-27T12:00:00Z');
const MINIMAL = onWorkspace('Minimal Workspace Access');
const SOURCE_ADMIN = onWorkspace('Minimal Workspace Access', 'Source Admin');

type SeedWorkspace = Seed['workspaces'][number];
const onWs = (roleName: string) => [{ roleName, resources: [{ type: 'WORKSPACE', id: WS_ID }] }];

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function world(extra: Partial<SeedWorkspace> = {}): Promise<{ em: RunningEmulator; api: SegmentApiClient }> {
  const workspace = {
    id: WS_ID,
    slug: 'acme-test',
    name: 'Acme Test',
    tokens: [TOKEN],
    users: [
      { name: 'IT Admin', email: OWNER, permissions: onWs('Workspace Owner') },
      { name: 'Someone Else', email: OTHER, permissions: onWs('Minimal Workspace Access') },
    ],
    ...extra,
  } as SeedWorkspace;
  emulator = await startEmulator({ seed: { workspaces: [workspace] } as Seed });
  return { em: emulator, api: new SegmentApiClient({ token: TOKEN, baseUrl: emulator.url, sleep: async () => undefined }) };
}

const WRITES = ['deleteUsers', 'replaceUserPermissions', 'createInvites', 'deleteInvites', 'createGroup', 'renameGroup', 'deleteGroup', 'replaceGroupPermissions', 'addGroupMembers', 'removeGroupMembers'];

function groupGrant(groupName: string, permissions = SOURCE_ADMIN): DesiredGroupGrant {
  const { email: _e, displayName: _d, organization: _o, kind: _k, expiresOn: _x, ...body } = desiredCollaborator('group@x.example', permissions);
  return { ...body, groupName };
}

const options = (api: SegmentPort, extra: Partial<ReleaseOptions> = {}): ReleaseOptions => ({
  api,
  workspaceId: WS_ID,
  recordPrefix: 'segment-access',
  appId: 'default',
  tokenEnvVar: 'SEGMENT_TEST_TOKEN',
  now: NOW,
  keys: TEST_KEYS,
  ...extra,
});

const roleNames = (permissions: readonly { roleId: string }[]) => permissions.map((p) => findRoleById(p.roleId)!.name).sort();

/**
 * Deploys ana (accepted), bo (pending) and a group grant on Analysts; leaves OWNER, OTHER and the
 * unmanaged group Finance (which holds Source Admin) as they were.
 */
async function deployed(): Promise<{ em: RunningEmulator; api: SegmentApiClient }> {
  const { em, api } = await world({
    groups: [
      { name: 'Analysts', permissions: [] },
      { name: 'Finance', permissions: onWs('Source Admin') },
    ],
  } as Partial<SeedWorkspace>);
  const desired = desiredState([desiredCollaborator('ana@agency.example', MINIMAL), desiredCollaborator('bo@agency.example', MINIMAL)], { groupGrants: [groupGrant('Analysts')] });
  const deployedResult = await reconcile({ keys: TEST_KEYS, api, desired, now: NOW });
  expect(deployedResult.counts).toMatchObject({ invited: 2, groupPermissionsSet: 1 });
  em.acceptInvites(WS_ID, ['ana@agency.example']);
  return { em, api };
}

describe('release on a Business workspace', () => {
  test('removes exactly the managed member, invite and group permissions, then the record', async () => {
    const { em, api } = await deployed();
    const { port, calls } = spied(api);
    const plans: [ReconcilePlan, number][] = [];
    const result = await release(options(port, { onPlan: (plan, round) => plans.push([plan, round]) }));

    expect(result.rounds).toBe(1);
    expect(plans.map(([, round]) => round)).toEqual([1]);
    expect(plans[0][0]).toBe(result.plan);
    expect(result.plan.workspace).toEqual({ id: WS_ID, name: WS_ID });
    expect(result.plan.app).toBe('default');
    expect(result.plan.changes.map((c) => [c.kind, 'email' in c ? c.email : c.groupName, 'reason' in c ? c.reason : undefined])).toEqual([
      ['remove-user', 'ana@agency.example', 'not declared'],
      ['cancel-invite', 'bo@agency.example', 'not declared'],
      ['clear-group-permissions', 'Analysts', undefined],
    ]);
    expect(result.counts).toEqual({ ...EMPTY_COUNTS, removedUsers: 1, cancelledInvites: 1, groupPermissionsSet: 1, recordWrites: 4 });
    // The record: the invited record and the group-grant record deleted, between the intent's creation and deletion.
    // (The group-grant record names the group by its id.)
    const analysts = em.state.listGroups(WS_ID).find((g) => g.name === 'Analysts')!.id;
    expect(result.plan.recordOps.map((op) => [op.kind, op.name.replace(/[0-9a-f]{12}/, 'FP')])).toEqual([
      ['delete-record', 'segment-access:default:invited:FP:2026-11-27'],
      ['delete-record', `segment-access:default:group-grant:${analysts}`],
    ]);

    // The audit trail was read (useAuditTrail defaults to true).
    expect(calls).toContain('listAuditEvents');
    // Everyone this app does not manage is still there, with their access.
    expect(em.state.listUsers(WS_ID).map((u) => u.email).sort()).toEqual([OWNER, OTHER]);
    expect(em.state.listInvites(WS_ID)).toEqual([]);
    const groups = Object.fromEntries(em.state.listGroups(WS_ID).map((g) => [g.name, roleNames(g.permissions)]));
    // Analysts cleared, Finance untouched, every record group of this app gone.
    expect(groups).toEqual({ Analysts: [], Finance: ['Source Admin'] });
  });

  test('a second release finds nothing to do and writes nothing', async () => {
    const { api } = await deployed();
    await release(options(api));
    const { port, calls } = spied(api);
    const again = await release(options(port));
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.recordOps).toEqual([]);
    expect(again).toMatchObject({ rounds: 1, counts: EMPTY_COUNTS });
    expect(calls.filter((c) => WRITES.includes(c))).toEqual([]);
  });

  test('useAuditTrail: false releases from the record alone, without reading the trail', async () => {
    const { em, api } = await deployed();
    const { port, calls } = spied(api);
    const result = await release(options(port, { useAuditTrail: false }));
    expect(calls).not.toContain('listAuditEvents');
    expect(result.counts).toMatchObject({ removedUsers: 1, cancelledInvites: 1, groupPermissionsSet: 1 });
    expect(em.state.listUsers(WS_ID).map((u) => u.email).sort()).toEqual([OWNER, OTHER]);
  });

  test('with no record at all nothing is removed: release is never authoritative', async () => {
    const { em, api } = await world({ invites: [{ email: 'pending@else.example' }] } as Partial<SeedWorkspace>);
    const { port, calls } = spied(api);
    const result = await release(options(port));
    expect(result.plan.changes).toEqual([]);
    expect(result.counts).toEqual(EMPTY_COUNTS);
    expect(calls.filter((c) => WRITES.includes(c))).toEqual([]);
    expect(em.state.listUsers(WS_ID).map((u) => u.email).sort()).toEqual([OWNER, OTHER]);
    expect(em.state.listInvites(WS_ID).map((i) => i.email)).toEqual(['pending@else.example']);
  });

  test('another app\'s collaborators are not released', async () => {
    const { em, api } = await world();
    const other = desiredState([desiredCollaborator('cy@agency.example', MINIMAL)], { management: { recordPrefix: 'segment-access', appId: 'billing', useAuditTrail: true, authoritative: false, retain: [] } });
    await reconcile({ keys: TEST_KEYS, api, desired: other, now: NOW });
    const result = await release(options(api));
    expect(result.plan.changes).toEqual([]);
    expect(em.state.listInvites(WS_ID).map((i) => i.email)).toEqual(['cy@agency.example']);
    // ... and releasing that app does.
    const billing = await release(options(api, { appId: 'billing' }));
    expect(billing.plan.changes).toEqual([{ kind: 'cancel-invite', email: 'cy@agency.example', reason: 'not declared' }]);
    expect(em.state.listInvites(WS_ID)).toEqual([]);
  });

  test('a dry run shows the removals and writes nothing', async () => {
    const { em, api } = await deployed();
    const { port, calls } = spied(api);
    const result = await release(options(port, { dryRun: true }));
    expect(result.plan.changes.map((c) => c.kind)).toEqual(['remove-user', 'cancel-invite', 'clear-group-permissions']);
    expect(result.counts).toEqual(EMPTY_COUNTS);
    expect(calls.filter((c) => WRITES.includes(c))).toEqual([]);
    expect(em.state.listUsers(WS_ID)).toHaveLength(3);
  });

  test('a conflict while releasing is re-planned, and logged', async () => {
    const { em, api } = await deployed();
    let failed = false;
    const { port } = spied(api, (method) => {
      if (method === 'deleteUsers' && !failed) {
        failed = true;
        throw Object.assign(new Error('HTTP 409'), { status: 409 });
      }
    });
    const lines: string[] = [];
    const result = await release(options(port, { log: (l) => lines.push(l) }));
    expect(result.rounds).toBe(2);
    expect(lines).toEqual(['Segment changed while applying (HTTP 409); re-reading the workspace and planning again (round 2 of 3).']);
    expect(em.state.listUsers(WS_ID).map((u) => u.email).sort()).toEqual([OWNER, OTHER]);
  });

  test('the audit delay is passed on: an interrupted run\'s two-minute-old intent is kept by default, resolved with a one-minute delay', async () => {
    const INTENT = signedIntentName('default', new Date('2026-11-27T11:58:00Z'), '0123456789ab');
    const { em, api } = await world();
    // Left by a run of this app's token (its creation in the trail proves the token).
    em.state.createGroup(WS_ID, INTENT, em.state.actorForToken(TOKEN));
    expect((await release(options(api, { dryRun: true }))).plan.pendingIntents).toEqual([INTENT]);
    const resolved = await release(options(api, { dryRun: true, auditDelayMs: 60_000 }));
    expect(resolved.plan.pendingIntents).toEqual([]);
    expect(resolved.plan.recordOps).toContainEqual(expect.objectContaining({ kind: 'delete-record', name: 'segment-access:default:intent:20261127T115800Z:0123456789ab' }));
  });

  test('a token of another workspace: refused before anything is read', async () => {
    const { api } = await world();
    const { port, calls } = spied(api);
    const attempt = release(options(port, { workspaceId: 'ws_prod_9', tokenEnvVar: 'SEGMENT_PROD_TOKEN' }));
    await expect(attempt).rejects.toThrow(WorkspaceMismatchError);
    await expect(attempt).rejects.toThrow(
      'Wrong workspace: the token in SEGMENT_PROD_TOKEN belongs to workspace "Acme Test" (ws_test_1, slug acme-test), but this desired state is for "ws_prod_9" (ws_prod_9).',
    );
    expect(calls).toEqual(['getWorkspace']);
  });
});

describe('release on a Team workspace', () => {
  test('removes nothing, says why, and returns an empty plan without reading anything but the roles', async () => {
    const { em, api } = await world({ planTier: 'team', users: [{ name: 'IT Admin', email: OWNER, permissions: onWs('Workspace Owner') }, { name: 'Sam', email: 'sam@agency.example', permissions: onWs('Source Admin') }] } as Partial<SeedWorkspace>);
    const { port, calls } = spied(api);
    const lines: string[] = [];
    const plans: unknown[] = [];
    const result = await release(options(port, { log: (l) => lines.push(l), onPlan: (p) => plans.push(p) }));
    expect(result).toEqual({
      plan: {
        workspace: { id: WS_ID, name: 'Acme Test' },
        app: 'default',
        changes: [],
        recordOps: [],
        intent: null,
        pendingIntents: [],
        unchanged: 0,
        adopted: 0,
        warnings: [],
        refusals: [],
        damage: [],
        conflicts: [],
        handovers: [],
        pendingAdoption: [],
        seats: { before: 0, after: 0, limit: null },
        trust: { recordKept: false, keyVariable: 'SEGMENT_ACCESS_RECORD_KEY', keyHeld: false, rotating: false, actors: null },
      },
      counts: EMPTY_COUNTS,
      rounds: 0,
    });
    expect(result.counts).not.toBe(EMPTY_COUNTS);
    expect(lines).toEqual([
      'Acme Test (ws_test_1) is on a Team plan: no record of managed users exists, so release removes nothing. Remove collaborators from the definition and deploy instead.',
    ]);
    expect(plans).toEqual([]);
    expect(calls).toEqual(['getWorkspace', 'listRoles']);
    expect(em.state.listUsers(WS_ID)).toHaveLength(2);
  });
});
