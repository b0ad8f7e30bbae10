import { AccessLevel, WorkspaceRole } from '../../model/enums';
import { DeployError } from '../support/terraform';
import { E2E_WS, e2eSeed, E2EWorld } from '../support/e2e';
import { e2eDefinition } from '../support/e2e-definitions';
import type { GroupAccess } from '../../stacks/access-definition';
import { findRoleById } from '../../emulator/roles';

const SCIM = { scim: { enabled: true } };

function groupAccess(groupName = 'Analytics Engineers', role = WorkspaceRole.MEMBER): GroupAccess {
  return {
    id: 'AnalyticsEngineers',
    groupName,
    grant: {
      role,
      ticket: 'ACCESS-55',
      requestedBy: 'data-lead@acme.example',
      justification: 'Analytics engineers maintain the web source.',
      sourceAccess: { Web: { level: role === WorkspaceRole.READ_ONLY ? AccessLevel.READ_ONLY : AccessLevel.ADMIN, sources: ['web'] } },
    },
  };
}

function seedWithGroup() {
  return e2eSeed({
    users: [
      ...(e2eSeed().workspaces[0].users ?? []),
      { name: 'Engineer', email: 'eng@acme.example', permissions: [{ roleName: 'Minimal Workspace Access', resources: [{ type: 'WORKSPACE', id: E2E_WS }] }] },
    ],
    groups: [{ name: 'Analytics Engineers', members: ['eng@acme.example'] }],
  });
}

describe('group grants for SCIM workspaces', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  const group = () => world.emulator.state.listGroups(E2E_WS).find((g) => g.name === 'Analytics Engineers')!;
  const roles = () => group().permissions.flatMap((p) => p.resources.map((r) => `${findRoleById(p.roleId)!.name}@${r.type === 'WORKSPACE' ? 'ws' : r.id}`)).sort();

  test('sets the group permissions, never its membership; removing the grant clears them', async () => {
    world = await E2EWorld.start(seedWithGroup());
    world.synth(e2eDefinition([], SCIM, [groupAccess()]));
    await world.deploy();
    expect(roles()).toEqual(['Minimal Workspace Access@ws', 'Source Admin@srcWeb', 'Tracking Plan Read-only@ws']);
    expect(group().memberEmails).toEqual(['eng@acme.example']);
    expect(world.invites()).toEqual([]);
    // The record names the group by its id, signed and sealed to the record group.
    expect(world.recordGroups().map((g) => g.name)).toEqual([expect.stringMatching(new RegExp(`^segment-access:default:group-grant:${group().id}:[0-9a-f]{20}$`))]);

    world.synth(e2eDefinition([], SCIM, [groupAccess(undefined, WorkspaceRole.READ_ONLY)]));
    await world.deploy();
    expect(roles()).toContain('Source Read-only@srcWeb');
    expect(roles()).not.toContain('Source Admin@srcWeb');

    world.synth(e2eDefinition([], SCIM, []));
    await world.deploy();
    expect(group().permissions).toEqual([]);
    expect(group().memberEmails).toEqual(['eng@acme.example']);
    expect(world.recordGroups()).toEqual([]);
  });

  test('fails: a group the identity provider has not provisioned is a clear error with zero writes', async () => {
    world = await E2EWorld.start(seedWithGroup());
    world.synth(e2eDefinition([], SCIM, [groupAccess('Data Platform')]));
    await expect(world.deploy()).rejects.toBeInstanceOf(DeployError);
    expect(world.writes()).toBe(0);
    expect(world.logs.join('\n')).toContain('User group(s) "Data Platform" not found in workspace Acme E2E (wsE2eProd01). Nothing was changed. Provision the group in your identity provider (SCIM) first');
  });
});
