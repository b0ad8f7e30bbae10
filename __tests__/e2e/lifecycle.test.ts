import { WorkspaceRole } from '../../model/enums';
import { E2EWorld, OWNER, UNMANAGED } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';

const ANA = 'ana@agency.example';
const BO = 'bo@agency.example';

describe('cdktf deploy with the real terraform binary against the emulator', () => {
  let world: E2EWorld;
  beforeEach(async () => {
    world = await E2EWorld.start();
  });
  afterEach(async () => world.stop());

  test('onboarding from an empty workspace, then a second deploy makes zero writes', async () => {
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)]));
    const first = await world.deploy();
    expect(first.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_reconciler', when: 'create' }]);
    expect(first.summary).toEqual({ added: 2, changed: 0, destroyed: 0 });
    expect(world.invites()).toEqual([
      { email: ANA, roles: ['Minimal Workspace Access@ws', 'Source Admin@srcWeb', 'Tracking Plan Read-only@ws'] },
      {
        email: BO,
        roles: [
          'Function Read-only@ws', 'Minimal Workspace Access@ws', 'Source Read-only@ws', 'Tracking Plan Read-only@ws',
          'Unify and Engage Read-only@ws', 'Warehouse Destination Read-only@ws',
        ],
      },
    ]);
    // Ownership is recorded in Segment: one permission-less record group per permission set.
    expect(world.recordGroups().map((g) => [g.memberEmails.sort(), g.permissions])).toEqual(
      expect.arrayContaining([[[ANA], []], [[BO], []]]),
    );
    expect(world.logs.join('\n')).toMatch(/Summary for Acme E2E .* invited 2, .*API calls \d+/);

    const writesBefore = world.writes();
    const second = await world.deploy();
    expect(second.output).toContain('No changes. Your infrastructure matches the configuration.');
    expect(second.changes.map((c) => c.actions)).toEqual([['no-op'], ['no-op']]);
    expect(second.provisionerRuns).toEqual([]);
    expect(world.writes()).toBe(writesBefore);
  });

  test('accepted invites become users with the declared permissions; a re-run of the executor writes nothing', async () => {
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    await world.deploy();
    world.emulator.acceptInvites('wsE2eProd01', [ANA]);
    expect(world.user(ANA)?.roles).toEqual(['Minimal Workspace Access@ws', 'Source Admin@srcWeb', 'Tracking Plan Read-only@ws']);
    // Force the reconciler to run again by tainting nothing but changing an audit field (digest changes).
    world.synth(e2eDefinition([collaboratorAccess('Ana', WorkspaceRole.MEMBER, { ticket: 'ACCESS-8' })]));
    const before = world.writes();
    await world.deploy();
    expect(world.writes()).toBe(before);
    expect(world.logs.join('\n')).toContain('No access changes: the workspace matches the code.');
  });

  test('a role change re-permissions the same user in place: same id, no invite', async () => {
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    await world.deploy();
    world.emulator.acceptInvites('wsE2eProd01', [ANA]);
    const id = world.user(ANA)!.id;
    world.emulator.resetStats();

    world.synth(e2eDefinition([collaboratorAccess('Ana', WorkspaceRole.ADMIN)]));
    const result = await world.deploy();
    // The reconciler is replaced (that is what runs it); the release anchor is untouched.
    expect(result.changes).toEqual([
      { address: 'terraform_data.workspace_reconciler', actions: ['delete', 'create'] },
      { address: 'terraform_data.workspace_release', actions: ['no-op'] },
    ]);
    // The reviewer reads the change per person in the plan.
    expect(result.output).toMatch(/~ "ana@agency\.example" = \{[\s\S]*?~ role\s+= "MEMBER" -> "ADMIN"/);
    expect(result.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_reconciler', when: 'create' }]);
    expect(world.user(ANA)).toEqual({
      id,
      email: ANA,
      roles: ['Function Admin@ws', 'Minimal Workspace Access@ws', 'Source Admin@ws', 'Tracking Plan Admin@ws', 'Unify and Engage Admin@ws', 'Warehouse Destination Admin@ws'],
    });
    const calls = world.emulator.stats().byRoute;
    expect(calls['POST /invites'] ?? 0).toBe(0);
    expect(calls['DELETE /users'] ?? 0).toBe(0);
    expect(calls['PUT /users/{userId}/permissions'] ?? calls['PUT /users/{id}/permissions']).toBe(1);
    // Accepted users are recorded without a permission set: a role change moves nothing in the record.
    expect(world.recordGroups().map((g) => g.memberEmails)).toEqual([[ANA]]);
    expect(calls['POST /groups'] ?? 0).toBe(1); // the write-ahead intent, deleted again
    expect(calls['POST /groups/{userGroupId}/users'] ?? 0).toBe(0);
  });

  test('a pending invite whose permissions change is re-issued with the new permissions', async () => {
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    await world.deploy();
    world.synth(e2eDefinition([collaboratorAccess('Ana', WorkspaceRole.READ_ONLY)]));
    await world.deploy();
    expect(world.invites()).toEqual([{ email: ANA, roles: expect.arrayContaining(['Source Read-only@ws', 'Function Read-only@ws']) }]);
    expect(world.invites()[0].roles).not.toContain('Source Admin@srcWeb');
    expect(world.logs.join('\n')).toContain('declared permissions changed while the invite was pending');
    // Still recorded as managed, under the new permission set only.
    expect(world.recordGroups().filter((g) => g.memberEmails.includes(ANA))).toHaveLength(1);
  });

  test('removing a collaborator from code revokes access, though the grant block and its provisioners are gone', async () => {
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')]));
    await world.deploy();
    world.emulator.acceptInvites('wsE2eProd01', [ANA]);
    world.synth(e2eDefinition([collaboratorAccess('Bo')]));
    const result = await world.deploy();
    expect(result.output).toMatch(/- "ana@agency\.example" = \{/);
    // No destroy provisioner runs for a removed grant: the workspace's reconciler revokes it.
    expect(result.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_reconciler', when: 'create' }]);
    expect(world.user(ANA)).toBeUndefined();
    expect(world.invites().map((i) => i.email)).toEqual([BO]);
  });

  test('an expired grant is revoked on the next deploy', async () => {
    world.synth(e2eDefinition([collaboratorAccess('Ana', WorkspaceRole.MEMBER, { expiresOn: '2026-12-01' }), collaboratorAccess('Bo')]));
    await world.deploy();
    world.emulator.acceptInvites('wsE2eProd01', [ANA]);
    world.synth(e2eDefinition([collaboratorAccess('Ana', WorkspaceRole.MEMBER, { expiresOn: '2026-12-01' }), collaboratorAccess('Bo')]), '2026-12-01T08:00:00Z');
    await world.deploy('apply', { SEGMENT_ACCESS_NOW: '2026-12-01T08:00:00Z' });
    expect(world.logs.join('\n')).toMatch(/remove user\s+ana@agency\.example\s+expired/);
    expect(world.user(ANA)).toBeUndefined();
    expect(world.invites().map((i) => i.email)).toEqual([BO]);
  });

  test('unmanaged users and the last owner are never touched, even when everything managed is removed', async () => {
    const before = world.users().filter((u) => [OWNER, UNMANAGED].includes(u.email));
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    await world.deploy();
    world.synth(e2eDefinition([]));
    await world.deploy();
    expect(world.users()).toEqual(before);
    expect(world.invites()).toEqual([]);
  });

  test('cdktf destroy (release) removes exactly what the code manages, and its records', async () => {
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)]));
    await world.deploy();
    world.emulator.acceptInvites('wsE2eProd01', [ANA]);
    const result = await world.deploy('destroy');
    expect(result.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_release', when: 'destroy' }]);
    expect(await world.state()).toEqual([]);
    expect(world.users().map((u) => u.email).sort()).toEqual([OWNER, UNMANAGED]);
    expect(world.invites()).toEqual([]);
    expect(world.recordGroups()).toEqual([]);
  });
});
