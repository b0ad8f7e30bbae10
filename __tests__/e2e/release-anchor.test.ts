import { WorkspaceRole } from '../../model/enums';
import { deployStackLogged } from '../support/terraform';
import { E2E_TOKEN, E2E_WS, E2EWorld } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { asPreviousRelease } from '../support/previous-release';

// The release anchor's destroy provisioner removes everyone the app manages. It must run on
// `cdktf destroy` only, never because of a routine edit or an upgrade of segment-access.

const ANA = 'ana@agency.example';
const BO = 'bo@agency.example';
const TEAM = () => e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)]);

/** Calls that take access away or re-send it: none may happen on a routine deploy. */
function removalsAndInvites(world: E2EWorld): Record<string, number> {
  const routes = world.emulator.stats().byRoute;
  return Object.fromEntries(['DELETE /users', 'DELETE /invites', 'POST /invites'].map((r) => [r, routes[r] ?? 0]));
}

describe('the release anchor, with the real terraform binary', () => {
  let world: E2EWorld;
  beforeEach(async () => {
    world = await E2EWorld.start();
  });
  afterEach(async () => world.stop());

  test('renaming the token variable updates the anchor in place: nobody is removed or re-invited, and destroy still releases', async () => {
    world.synth(TEAM());
    await world.deploy();
    world.emulator.acceptInvites(E2E_WS, [ANA]);
    const anaId = world.user(ANA)!.id;
    world.emulator.resetStats();

    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)], { tokenEnvVar: 'SEGMENT_E2E_TOKEN_V2' }));
    // The old variable is gone from the environment, as after a rename in CI.
    const { SEGMENT_E2E_TOKEN: _old, ...rest } = world.env;
    const env = { ...rest, SEGMENT_E2E_TOKEN_V2: E2E_TOKEN };
    const result = await deployStackLogged(world.logs, world.stackDir, env);
    expect(result.changes).toEqual([
      { address: 'terraform_data.workspace_reconciler', actions: ['delete', 'create'] },
      { address: 'terraform_data.workspace_release', actions: ['update'] },
    ]);
    // Both read as named changes: the anchor's input in place, the reconciler's controls.
    expect(result.output).toMatch(/~ token_env_var\s+= "SEGMENT_E2E_TOKEN" -> "SEGMENT_E2E_TOKEN_V2"/);
    expect(result.output).toMatch(/~ token_variable\s+= "SEGMENT_E2E_TOKEN" -> "SEGMENT_E2E_TOKEN_V2"/);
    expect(result.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_reconciler', when: 'create' }]);
    expect(removalsAndInvites(world)).toEqual({ 'DELETE /users': 0, 'DELETE /invites': 0, 'POST /invites': 0 });
    expect(world.user(ANA)?.id).toBe(anaId);
    expect(world.invites().map((i) => i.email)).toEqual([BO]);

    // The anchor now holds the new name: destroy releases with it.
    const destroyed = await deployStackLogged(world.logs, world.stackDir, env, 'destroy');
    expect(destroyed.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_release', when: 'destroy' }]);
    expect(world.user(ANA)).toBeUndefined();
    expect(world.invites()).toEqual([]);
  });

  test('the first deploy of this version over an anchor of the previous release replaces it and releases nobody', async () => {
    world.synth(TEAM());
    asPreviousRelease(world.stackDir);
    await world.deploy();
    world.emulator.acceptInvites(E2E_WS, [ANA]);
    const anaId = world.user(ANA)!.id;
    world.emulator.resetStats();

    world.synth(TEAM());
    const upgrade = await world.deploy();
    // The anchor's triggers changed shape, so Terraform replaces it: its destroy provisioner runs with the
    // old state and this version's provisioner block, which knows the old shape and releases nothing.
    expect(upgrade.changes).toEqual([
      { address: 'terraform_data.workspace_reconciler', actions: ['delete', 'create'] },
      { address: 'terraform_data.workspace_release', actions: ['delete', 'create'] },
    ]);
    expect(upgrade.provisionerRuns).toEqual([
      { address: 'terraform_data.workspace_release', when: 'destroy' },
      { address: 'terraform_data.workspace_reconciler', when: 'create' },
    ]);
    expect(upgrade.output).toContain(`the release anchor of workspace ${E2E_WS} was created by an older segment-access and is being replaced by this version's: nothing released`);
    expect(removalsAndInvites(world)).toEqual({ 'DELETE /users': 0, 'DELETE /invites': 0, 'POST /invites': 0 });
    expect(world.user(ANA)?.id).toBe(anaId);
    expect(world.invites().map((i) => i.email)).toEqual([BO]);

    const again = await world.deploy();
    expect(again.output).toContain('No changes. Your infrastructure matches the configuration.');
    const destroyed = await world.deploy('destroy');
    expect(destroyed.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_release', when: 'destroy' }]);
    expect(world.user(ANA)).toBeUndefined();
    expect(world.invites()).toEqual([]);
  });
});
