import { readFileSync } from 'fs';
import { join } from 'path';
import { SegmentApiClient } from '../../api/client';
import type { DesiredState } from '../../model/desired-state';
import { WorkspaceRole } from '../../model/enums';
import { RoleCatalog, toInvitePermissions } from '../../reconciler/permissions';
import { deployedBy01 } from '../support/version-01';
import type { GroupAccess } from '../../stacks/access-definition';
import { runCommand } from '../support/run-command';
import { DeployError } from '../support/terraform';
import { E2E_TOKEN, E2E_WS, e2eSeed, E2EWorld, OWNER, UNMANAGED } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';

// Upgrading a workspace that segment-access 0.1 (unsigned record names) deployed: its records are
// adopted once, by the first run that holds the key, because the audit trail shows the app's own token
// created them; nobody's access changes; then nothing is reported.

const ANA = 'ana@agency.example';
const BO = 'bo@agency.example';
const RETAIN = { retainEmails: [OWNER, UNMANAGED] };
const ANALYSTS: GroupAccess = { id: 'Analysts', groupName: 'Analysts', grant: { role: WorkspaceRole.READ_ONLY, ticket: 'ACCESS-56', requestedBy: 'data-lead@acme.example', justification: 'Analysts read everything in the workspace.' } };
const TEAM = [collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)];

const cli = (world: E2EWorld, command: 'plan' | 'audit', ...args: string[]) =>
  runCommand('segment-access', [command, ...(command === 'plan' ? ['--stack', 'prod'] : []), '--outdir', world.outdir, ...args], world.env);
const desiredOf = (world: E2EWorld): DesiredState => JSON.parse(readFileSync(join(world.stackDir, `segment-access.${E2E_WS}.json`), 'utf8'));
const snapshot = (world: E2EWorld) => ({
  users: world.users(),
  invites: world.invites(),
  groups: world.emulator.state.listGroups(E2E_WS).filter((g) => !g.name.startsWith('segment-access:')),
});

describe('upgrading from segment-access 0.1', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('its records are adopted once (renamed in place, signed), nobody\'s access changes, and then nothing is reported', async () => {
    world = await E2EWorld.start(e2eSeed({ groups: [{ name: 'Analysts', members: [UNMANAGED] }] }));
    world.synth(e2eDefinition(TEAM, RETAIN, [ANALYSTS]));
    await deployedBy01(world.emulator, E2E_TOKEN, desiredOf(world));
    const before = snapshot(world);
    const ids = world.recordGroups().map((g) => g.id).sort();
    expect(world.recordGroups().map((g) => g.name).sort()).toEqual([
      'segment-access:default:group-grant:Analysts',
      `segment-access:default:invited:${desiredOf(world).collaborators.find((c) => c.email === BO)!.fingerprint}:2026-11-27`,
      'segment-access:default:members',
    ]);

    // Before the upgrade deploy, plan says what that deploy will do: adopt them (exit 2), no damage.
    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(2);
    expect(plan.stdout).not.toContain('record damaged');
    expect(plan.stdout.match(/has an unsigned record name \(segment-access 0\.1\): the next deploy adopts it/g)).toHaveLength(3);

    await world.deploy();
    const log = world.logs.join('\n');
    expect(log).toContain('3 unsigned record group(s) of an earlier segment-access found; this run signed its intent and reads the audit trail again to adopt those its token created.');
    expect(world.recordGroups().map((g) => g.id).sort()).toEqual(ids);
    for (const g of world.recordGroups()) expect(g.name).toMatch(/:[0-9a-f]{20}$/);
    const analystsId = world.emulator.state.listGroups(E2E_WS).find((g) => g.name === 'Analysts')!.id;
    expect(world.recordGroups().map((g) => g.name)).toContainEqual(expect.stringMatching(new RegExp(`^segment-access:default:group-grant:${analystsId}:`)));
    expect(snapshot(world)).toEqual(before);

    // Then nothing: plan is clean, the audit finds nothing, and a later deploy writes nothing.
    expect((await cli(world, 'plan')).code).toBe(0);
    const audit = await cli(world, 'audit');
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('No findings');
    world.synth(e2eDefinition(TEAM, { ...RETAIN, accessContact: 'it@acme.example' }, [ANALYSTS]));
    world.emulator.resetStats();
    await world.deploy();
    expect(world.writes()).toBe(0);

    // And the adopted record works as the record: dropping Bo removes Bo.
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN, [ANALYSTS]));
    await world.deploy();
    expect(world.invites().map((i) => i.email)).toEqual([]);
    expect(world.user(ANA)).toBeDefined();
  });

  test('fails: 0.1 records whose creation has left the audit trail are not adopted: reported, and their people left alone', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition(TEAM, RETAIN));
    const desired = desiredOf(world);
    // Written long ago: the trail (90 days) no longer holds their creation.
    const state = world.emulator.state;
    const roles = new RoleCatalog((await new SegmentApiClient({ token: E2E_TOKEN, baseUrl: world.emulator.url }).listRoles()));
    state.createInvites(E2E_WS, desired.collaborators.map((c) => ({ email: c.email, permissions: toInvitePermissions(c.permissions, roles) as never })));
    const old = state.createGroup(E2E_WS, `segment-access:default:invited:${desired.collaborators[1].fingerprint}:2026-08-01`);
    state.addGroupMembers(E2E_WS, old.id, [BO]);

    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`group "${old.name}" (id ${old.id}; its creator is not in the audit trail) has an unsigned record name and its creation is not in the audit trail`);
    await world.deploy().catch((e) => {
      if (!(e instanceof DeployError)) throw e;
    });
    expect(world.invites().map((i) => i.email)).toContain(BO);
  });
});
