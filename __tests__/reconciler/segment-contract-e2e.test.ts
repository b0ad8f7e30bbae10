import { TEST_KEYS } from '../support/live';
import { SegmentApiClient } from '../../api/client';
import { auditWorkspace } from '../../audit/audit';
import { buildAccessModel } from '../../constructs/access-model';
import { startEmulator, RunningEmulator, Seed } from '../../emulator';
import { findRoleByName } from '../../emulator/roles';
import type { DesiredState } from '../../model/desired-state';
import { AccessLevel, PlanTier, WorkspaceRole } from '../../model/enums';
import { inventoryRows } from '../../records/inventory';
import { PlanTierMismatchError, readLiveState } from '../../reconciler/live-state';
import { liveStateOptions, reconcile } from '../../reconciler/reconcile';
import { release } from '../../reconciler/release';
import { renderPlanTable } from '../../reconciler/render';
import { collaborator, workspace } from '../support/fixtures';
import { testStack } from '../support/synth';

/** The executor's logic against the emulator in its default strict-Segment mode, no Terraform. */
const WS = 'ws_test_1';
const TOKEN = 'contract-e2e-token-5c4b3a';
const OWNER = 'owner@acme.example';
const NOW = new Date('2026-11-27T12:00:00Z');

function seed(planTier: 'business' | 'team', labels = [{ key: 'environment', value: 'prod' }, { key: 'environment', value: 'staging' }]): Seed {
  return {
    workspaces: [
      {
        id: WS,
        slug: 'acme-test',
        name: 'Acme Test',
        planTier,
        tokens: [TOKEN],
        labels,
        sources: [
          { id: 'src_web', name: 'web', labels: { environment: 'prod' } },
          { id: 'src_ios', name: 'ios', labels: { environment: 'prod' } },
          { id: 'src_lab', name: 'lab', labels: { environment: 'staging' } },
        ],
        warehouses: [{ id: 'wh_snow', name: 'snowflake' }],
        users: [{ name: 'Owner', email: OWNER, permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: WS }] }] }],
      },
    ],
  };
}

function client(emulator: RunningEmulator): SegmentApiClient {
  return new SegmentApiClient({ token: TOKEN, baseUrl: emulator.url, maxRetries: 0 });
}

describe('label-scoped SourceAccess end to end', () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator({ seed: seed('business') });
  });
  afterEach(() => emulator.stop());

  function definition(level = AccessLevel.READ_ONLY) {
    const stack = testStack();
    const w = workspace(stack, { retainEmails: [OWNER] });
    w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER, sourceAccess: { Prod: { level, labels: { environment: 'prod' } } } });
    return { stack, desired: w.desiredState(NOW) };
  }

  test('declared by label -> invited with labels -> accepted -> compared with labels -> no change; shown in plans and records', async () => {
    const { stack, desired } = definition();
    const api = client(emulator);
    const plans: string[] = [];
    const first = await reconcile({ keys: TEST_KEYS, api, desired, now: NOW, onPlan: (plan) => plans.push(renderPlanTable(plan)) });
    expect(first.counts.invited).toBe(1);
    expect(plans[0]).toContain('Source Read-only on workspace [environment=prod]');
    const [record] = inventoryRows(buildAccessModel(stack, NOW), []);
    expect(record.segmentPermissions).toContain('Source Read-only on workspace [environment=prod]');

    // The invite carries the label in Segment's shape: on the permission (InvitePermissionV1.labels).
    const [invite] = emulator.state.listInvites(WS);
    const sourceRead = invite.permissions.find((p) => p.roleId === findRoleByName('Source Read-only')!.id)!;
    expect(sourceRead.resources).toEqual([{ id: WS, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'prod' }] }]);

    emulator.acceptInvites(WS, ['ana@agency.example']);
    const second = await reconcile({ keys: TEST_KEYS, api, desired, now: NOW });
    expect(second.plan.changes).toEqual([]);
    expect(second.counts.repermissioned).toBe(0);
  });

  test('a label-scoped member widened to workspace-wide in Segment is drift: re-permissioned back, and audit names the labels', async () => {
    const { desired } = definition();
    const api = client(emulator);
    await reconcile({ keys: TEST_KEYS, api, desired, now: NOW });
    const [ana] = emulator.acceptInvites(WS, ['ana@agency.example']);
    const wide = ana.permissions.map((p) => ({ roleId: p.roleId, resources: p.resources.map((r) => ({ id: r.id, type: r.type })) }));
    emulator.state.replaceUserPermissions(WS, ana.id, wide);

    const live = await readLiveState(api, { id: WS, slug: 'acme-test', name: 'Acme Test' }, desired.management, liveStateOptions(desired));
    const audit = auditWorkspace(desired, live, NOW);
    expect(audit.drift).toEqual([
      expect.objectContaining({ email: 'ana@agency.example', expected: expect.stringContaining('[environment=prod]'), actual: expect.not.stringContaining('[environment') }),
    ]);
    const fixed = await reconcile({ keys: TEST_KEYS, api, desired, now: NOW });
    expect(fixed.plan.changes).toEqual([expect.objectContaining({ kind: 'repermission', email: 'ana@agency.example' })]);
    expect(emulator.state.getUser(WS, ana.id).permissions.some((p) => p.resources.some((r) => r.labels.length > 0))).toBe(true);
  });

  test('fails before any write: a declared label missing from GET /labels', async () => {
    await emulator.stop();
    const noProdLabel = seed('business', [{ key: 'environment', value: 'staging' }]);
    noProdLabel.workspaces[0].sources = [{ id: 'src_web', name: 'web' }, { id: 'src_lab', name: 'lab', labels: { environment: 'staging' } }];
    emulator = await startEmulator({ seed: noProdLabel });
    const { desired } = definition();
    await expect(reconcile({ keys: TEST_KEYS, api: client(emulator), desired, now: NOW })).rejects.toThrow(
      /Label\(s\) "environment:prod" do not exist in workspace .* \(GET \/labels lists: environment:staging\)\. Nothing was changed\./,
    );
    expect(emulator.stats().writes).toBe(0);
  });
});

describe('plan tiers against the live role catalog', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.stop());

  function teamDesired(): DesiredState {
    const stack = testStack();
    const w = workspace(stack, { planTier: PlanTier.TEAM, authoritative: true, retainEmails: [OWNER] });
    w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER, sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } });
    return w.desiredState(NOW);
  }

  test('a Team workspace in its supported mode: invites, never touches user groups, removes the undeclared, release removes nothing', async () => {
    emulator = await startEmulator({ seed: { workspaces: [{ ...seed('team').workspaces[0], invites: [{ email: 'stray@else.example' }] }] } });
    const api = client(emulator);
    const result = await reconcile({ keys: TEST_KEYS, api, desired: teamDesired(), now: NOW });
    expect(result.counts).toMatchObject({ invited: 1, cancelledInvites: 1, recordWrites: 0 });
    expect(emulator.state.listInvites(WS).map((i) => i.email)).toEqual(['ana@agency.example']);
    const routes = Object.keys(emulator.stats().byRoute);
    expect(routes.filter((r) => r.includes('/group'))).toEqual([]);
    expect(emulator.stats().byRoute['GET /roles']).toBe(1);

    // Accepted: compared by value, nothing to do.
    emulator.acceptInvites(WS, ['ana@agency.example']);
    expect((await reconcile({ keys: TEST_KEYS, api, desired: teamDesired(), now: NOW })).plan.changes).toEqual([]);

    const lines: string[] = [];
    const writesBefore = emulator.stats().writes;
    const released = await release({ keys: TEST_KEYS, api, workspaceId: WS, recordPrefix: 'segment-access', appId: 'default', tokenEnvVar: 'T', now: NOW, log: (l) => lines.push(l) });
    expect(released.counts.removedUsers).toBe(0);
    expect(released.rounds).toBe(0);
    expect(released.plan).toMatchObject({ workspace: { id: WS }, app: 'default', changes: [], recordOps: [], seats: { before: 0, after: 0, limit: null } });
    expect(lines).toEqual([expect.stringMatching(/\(ws_test_1\) is on a Team plan: no record of managed users exists, so release removes nothing\. Remove collaborators from the definition and deploy instead\.$/)]);
    expect(emulator.stats().writes).toBe(writesBefore);
    expect(emulator.state.listUsers(WS)).toHaveLength(2);
  });

  test.each([
    ['Business declared, Team live', 'team' as const, () => workspaceDesired(PlanTier.BUSINESS), /declares planTier BUSINESS, but GET \/roles lists 2 role\(s\) \(Source Admin, Workspace Owner\), which is a TEAM plan\. Nothing was changed\. Set planTier: PlanTier\.TEAM/],
    ['Team declared, Business live', 'business' as const, () => teamDesired(), /declares planTier TEAM, .* which is a BUSINESS plan\. Nothing was changed\./],
  ])('fails before any write or group read: %s', async (_name, liveTier, desired, message) => {
    emulator = await startEmulator({ seed: seed(liveTier) });
    const attempt = reconcile({ keys: TEST_KEYS, api: client(emulator), desired: desired(), now: NOW });
    await expect(attempt).rejects.toThrow(PlanTierMismatchError);
    await expect(reconcile({ keys: TEST_KEYS, api: client(emulator), desired: desired(), now: NOW })).rejects.toThrow(message);
    expect(emulator.stats().writes).toBe(0);
    expect(emulator.stats().byRoute['GET /groups']).toBeUndefined();
  });

  function workspaceDesired(tier: PlanTier): DesiredState {
    const stack = testStack();
    const w = workspace(stack, { planTier: tier, retainEmails: [OWNER] });
    w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.OWNER, justification: 'Second owner.', approvedBy: 'cto@acme.example' } as never);
    return w.desiredState(NOW);
  }
});
