import { CommandResult, runCommand } from '../support/run-command';
import { WorkspaceRole } from '../../model/enums';
import { findRoleByName } from '../../emulator/roles';
import { E2E_WS, E2EWorld, OWNER, UNMANAGED } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';

const ANA = 'ana@agency.example';
const BO = 'bo@agency.example';
const CY = 'cy@agency.example';
const DEE = 'dee@agency.example';
const EVE = 'eve@agency.example';

function audit(world: E2EWorld, now: string, ...args: string[]): Promise<CommandResult> {
  return runCommand('segment-access', ['audit', '--outdir', world.outdir, ...args], { ...world.env, SEGMENT_ACCESS_NOW: now });
}

describe('segment-access audit', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('a workspace that matches the code has no findings besides its unmanaged members, and audit writes nothing', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], { retainEmails: [OWNER, UNMANAGED] }));
    await world.deploy();
    const writes = world.writes();
    const result = await audit(world, '2026-11-28T09:00:00Z');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No findings: every workspace matches the code.');
    expect(result.stdout).toContain(`${ANA}: sent 2026-11-27 (1 days ago) -> wait`);
    expect(world.writes()).toBe(writes);
  });

  test('fails: reports every kind of drift, as JSON, with a non-zero exit code; --resend-expired re-sends only expired invites', async () => {
    world = await E2EWorld.start();
    const sso = { sso: { enforced: false, domains: ['agency.example'] }, seatLimit: 7 };
    const expiring = collaboratorAccess('Dee', WorkspaceRole.MEMBER, { expiresOn: '2026-12-01' });
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo'), collaboratorAccess('Cy'), expiring, collaboratorAccess('Eve')], sso));
    await world.deploy();
    world.emulator.acceptInvites(E2E_WS, [ANA, BO, DEE]);
    // Drift by hand in Segment: Ana made Workspace Owner; Bo's invite... Bo is removed; an outsider invited.
    world.emulator.state.replaceUserPermissions(E2E_WS, world.user(ANA)!.id, [{ roleId: findRoleByName('Workspace Owner')!.id, resources: [{ id: E2E_WS, type: 'WORKSPACE' }] }]);
    world.emulator.state.deleteUsers(E2E_WS, [world.user(BO)!.id]);
    world.emulator.state.createInvites(E2E_WS, [{ email: 'friend@gmail.com', permissions: [{ roleId: findRoleByName('Minimal Workspace Access')!.id, resources: [{ id: E2E_WS, type: 'WORKSPACE' }] }] }]);
    const writesBeforeAudit = world.writes();
    // The code drops Eve and Dee's access has ended, but nobody has deployed since; Cy never accepted.
    // ...and the plan was downgraded to 6 seats.
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo'), collaboratorAccess('Cy'), expiring], { ...sso, seatLimit: 6 }), '2026-12-05T09:00:00Z');

    const result = await audit(world, '2026-12-05T09:00:00Z', '--json');
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout).workspaces[0];
    expect(report.drift).toEqual([{ email: ANA, expected: expect.stringContaining('Source Admin on source srcWeb'), actual: 'Workspace Owner on workspace' }]);
    expect(report.missing).toEqual([{ email: BO, role: 'MEMBER' }]);
    expect(report.leftover).toEqual([{ email: EVE, status: 'invited' }]);
    expect(report.expiredStillActive).toEqual([{ email: DEE, expiresOn: '2026-12-01', status: 'member' }]);
    expect(report.unmanaged).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: OWNER, owner: true }), expect.objectContaining({ email: UNMANAGED, owner: false })]),
    );
    expect(report.unmanaged).toHaveLength(2);
    expect(report.pendingInvites).toEqual([
      { email: CY, managed: true, invitedOn: '2026-11-27', ageDays: 8, action: 'resend' },
      { email: EVE, managed: true, invitedOn: '2026-11-27', ageDays: 8, action: 'cancelled on the next deploy' },
      { email: 'friend@gmail.com', managed: false, invitedOn: null, ageDays: null, action: 'review: not sent by this code, age unknown' },
    ]);
    expect(report.seats).toEqual({ used: 7, limit: 6, overLimit: true });
    expect(report.outsideSso.map((o: { email: string }) => o.email).sort()).toEqual([OWNER, UNMANAGED]);
    expect(world.writes()).toBe(writesBeforeAudit); // audit is read-only
    const markdown = (await audit(world, '2026-12-05T09:00:00Z')).stdout;
    expect(markdown).toContain('**OWNER** it-admin@acme.example');
    expect(markdown).toContain(`${CY}: sent 2026-11-27 (8 days ago) -> resend`);

    world.emulator.resetStats();
    const resend = await audit(world, '2026-12-05T09:00:00Z', '--resend-expired', '--json');
    expect(resend.stderr).toContain(`Re-sent 1 expired invite(s) in Acme E2E: ${CY}`);
    expect(world.emulator.stats().byRoute['POST /invites']).toBe(1);
    expect(world.invites().map((i) => i.email).sort()).toEqual([CY, EVE, 'friend@gmail.com']);
    expect(world.recordGroups().find((g) => g.memberEmails.includes(CY))!.name).toMatch(/:2026-12-05:[0-9a-f]{20}$/);
    const after = JSON.parse((await audit(world, '2026-12-05T09:00:00Z', '--json')).stdout).workspaces[0];
    expect(after.pendingInvites[0]).toEqual({ email: CY, managed: true, invitedOn: '2026-12-05', ageDays: 0, action: 'wait' });
  });
});
