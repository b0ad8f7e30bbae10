import { findRoleByName } from '../../emulator/roles';
import { WorkspaceRole } from '../../model/enums';
import { DeployError } from '../support/terraform';
import { CommandResult, runCommand } from '../support/run-command';
import { E2E_RECORD_KEY, E2E_TOKEN, E2E_WS, e2eSeed, E2EWorld, OWNER, UNMANAGED } from '../support/e2e';
import { RecordKeyring } from '../../reconciler/record-key';
import { intentRecord, RecordSigner } from '../../reconciler/records';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { ControlRuleId } from '../../model/control-acknowledgements';

// The numbered cases, each against the emulator with the real terraform binary, each ending
// with the workspace equal to the code or a clear non-zero refusal.

const ANA = 'ana@agency.example';
const BO = 'bo@agency.example';
const CY = 'cy@agency.example';
/** Someone changing things by hand in the Segment app: the audit trail shows them, not the token. */
const BY_HAND = { actor: 'ops@acme.example', actorEmail: 'ops@acme.example' };
const OWNER_ROLE = [{ roleId: findRoleByName('Workspace Owner')!.id, resources: [{ id: E2E_WS, type: 'WORKSPACE' as const }] }];
const RETAIN = { retainEmails: [OWNER, UNMANAGED] };

function cli(world: E2EWorld, command: 'plan' | 'audit', ...args: string[]): Promise<CommandResult> {
  const where = command === 'plan' ? ['--stack', 'prod', '--outdir', world.outdir] : ['--outdir', world.outdir];
  return runCommand('segment-access', [command, ...where, ...args], world.env);
}

const ownRecord = (world: E2EWorld, app = 'default') => world.recordGroups().filter((g) => g.name.startsWith(`segment-access:${app}:`));
/** The people an app records as managed (its claims record holds people it declares but does not manage). */
const recorded = (world: E2EWorld, app = 'default') => [...new Set(ownRecord(world, app).filter((g) => !g.name.includes(':claims:')).flatMap((g) => g.memberEmails))].sort();
const claimed = (world: E2EWorld, app = 'default') => ownRecord(world, app).filter((g) => g.name.includes(':claims:')).flatMap((g) => g.memberEmails).sort();
/** The app's token, as the audit trail names it. */
const TOKEN_ACTOR = (world: E2EWorld) => world.emulator.state.actorForToken(E2E_TOKEN)!;
const people = (world: E2EWorld) => [...world.users().map((u) => u.email), ...world.invites().map((i) => i.email)].sort();

describe('the record of managed users', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('1. crash window: killed after the invites, before the record; the code shrinks; the next deploy removes the undeclared invites', async () => {
    world = await E2EWorld.start();
    const team = ['Ana', 'Bo', 'Cy', 'Dee', 'Eve'].map((n) => collaboratorAccess(n, WorkspaceRole.MEMBER));
    world.synth(e2eDefinition(team, RETAIN));
    // Every request waits 150 ms in the emulator: once the invites are in, the record write is still
    // waiting; it is failed and terraform and the executor are SIGKILLed, as a CI runner dying.
    world.emulator.setFaults({ latencyMs: 150 });
    let group = 0;
    const poll = setInterval(() => {
      if (group && world.invites().length === team.length) {
        clearInterval(poll);
        world.emulator.setFaults({ serverErrorRate: 1 });
        process.kill(-group, 'SIGKILL');
      }
    }, 2);
    await expect(world.deploy('apply', {}, (pid) => (group = pid))).rejects.toBeInstanceOf(DeployError);
    clearInterval(poll);
    // A request that reached the emulator before the kill is still in its 150 ms wait: let it meet the
    // 500 before faults are cleared, or it lands late: a run on a loaded machine failed here with the
    // next plan recovering nobody, which is what a record write landing after this point gives.
    await new Promise((resolve) => setTimeout(resolve, 400));
    world.emulator.setFaults({});
    expect(world.invites()).toHaveLength(5);
    expect(recorded(world)).toEqual([]);
    expect(ownRecord(world).map((g) => g.name)).toContainEqual(expect.stringMatching(/^segment-access:default:intent:/));

    // Neither plan nor audit claims the workspace is in sync.
    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('an interrupted run left intent');
    const audit = await cli(world, 'audit', '--json');
    expect(audit.code).toBe(3);
    expect(JSON.parse(audit.stdout).workspaces[0].recordDamage).toEqual([
      expect.objectContaining({ kind: 'interrupted-run', recovered: team.map((c) => c.email).sort() }),
    ]);

    world.synth(e2eDefinition(team.slice(0, 2), RETAIN));
    await world.deploy();
    expect(world.invites().map((i) => i.email)).toEqual([ANA, BO]);
    expect(world.users().map((u) => u.email).sort()).toEqual([OWNER, UNMANAGED].sort());
    expect(recorded(world)).toEqual([ANA, BO]);
    expect(ownRecord(world).filter((g) => g.name.includes(':intent:'))).toEqual([]);
    expect((await cli(world, 'plan')).code).toBe(0);
    const clean = await cli(world, 'audit');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('No findings');
  });

  test('2. fails: a record group given Workspace Owner aborts the deploy before any write, naming the group and the fix; nobody is added to it', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    await world.deploy();
    const tampered = ownRecord(world).find((g) => g.memberEmails.includes(ANA))!;
    world.emulator.state.replaceGroupPermissions(E2E_WS, tampered.id, OWNER_ROLE, BY_HAND);

    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    const writes = world.writes();
    await expect(world.deploy()).rejects.toBeInstanceOf(DeployError);
    expect(world.writes()).toBe(writes);
    const log = world.logs.join('\n');
    expect(log).toContain(`Record group(s) with permissions in workspace Acme E2E (${E2E_WS}): "${tampered.name}" (id ${tampered.id}) holds Workspace Owner. Nothing was changed, and no one is added to such a group.`);
    expect(log).toContain('PUT /groups/{id}/permissions with an empty list');
    expect(people(world)).not.toContain(BO);

    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(tampered.name);
    const audit = await cli(world, 'audit', '--json');
    expect(audit.code).toBe(3);
    expect(JSON.parse(audit.stdout).workspaces[0].recordGroupPermissions).toEqual([expect.objectContaining({ group: tampered.name })]);

    // Repaired by hand: the next deploy goes through and Bo inherits nothing.
    world.emulator.state.replaceGroupPermissions(E2E_WS, tampered.id, [], BY_HAND);
    await world.deploy();
    expect(world.invites().find((i) => i.email === BO)?.roles).not.toContain('Workspace Owner@ws');
    expect(ownRecord(world).every((g) => g.permissions.length === 0)).toBe(true);
  });

  test('3a. a deleted record group is detected; declared people are recorded again; an undeclared one is refused until the record is repaired by hand', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo'), collaboratorAccess('Cy')], RETAIN));
    await world.deploy();
    world.emulator.acceptInvites(E2E_WS, [ANA, BO, CY]);
    const deleted = ownRecord(world).find((g) => g.memberEmails.includes(ANA))!;
    world.emulator.state.deleteGroup(E2E_WS, deleted.id, BY_HAND);

    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`record group "${deleted.name}" (id ${deleted.id}) was deleted by ops@acme.example (ops@acme.example)`);
    const damage = JSON.parse((await cli(world, 'audit', '--json')).stdout).workspaces[0].recordDamage.map((d: { kind: string }) => d.kind).sort();
    expect(damage).toEqual(['deleted', 'orphaned', 'orphaned', 'orphaned']);

    // The code drops Cy: Ana and Bo are recorded again; Cy is refused (only the audit trail says so).
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    await expect(world.deploy()).rejects.toBeInstanceOf(DeployError);
    expect(world.logs.join('\n')).toContain(`${CY}: not removed, only the audit trail says this app invited it (it is in no record)`);
    expect(recorded(world)).toEqual([ANA, BO]);
    expect(world.user(CY)).toBeDefined();

    // Repair by hand: put Cy back in the app's record; now both sides agree and the next deploy removes Cy.
    const members = ownRecord(world).find((g) => g.name.startsWith('segment-access:default:members:'))!;
    world.emulator.state.addGroupMembers(E2E_WS, members.id, [CY], BY_HAND);
    await world.deploy();
    expect(world.user(CY)).toBeUndefined();
    expect(people(world)).toEqual([ANA, BO, OWNER, UNMANAGED].sort());
    expect((await cli(world, 'plan')).code).toBe(0);
  });

  test('3b. a renamed record group is detected; its people stay managed and are copied back; removing one from code removes them', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    await world.deploy();
    world.emulator.acceptInvites(E2E_WS, [ANA, BO]);
    const renamed = ownRecord(world)[0];
    world.emulator.state.renameGroup(E2E_WS, renamed.id, 'Agency people', BY_HAND);

    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`record group "${renamed.name}" (id ${renamed.id}) was renamed to "Agency people"`);
    // The reconciler runs when the desired state changes (here: the access contact).
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], { ...RETAIN, accessContact: 'it@acme.example' }));
    await world.deploy();
    expect(recorded(world)).toEqual([ANA, BO]);
    expect(world.emulator.state.getGroup(E2E_WS, renamed.id).name).toBe('Agency people');
    expect((await cli(world, 'plan')).code).toBe(0);

    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    await world.deploy();
    expect(people(world)).toEqual([ANA, OWNER, UNMANAGED].sort());
  });

  test('4. an outsider added to a record group by hand is never removed; the record is repaired', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], { retainEmails: [OWNER] }));
    await world.deploy();
    const before = world.user(UNMANAGED)!;
    const group = ownRecord(world)[0];
    world.emulator.state.addGroupMembers(E2E_WS, group.id, [UNMANAGED], BY_HAND);

    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`${UNMANAGED}: not removed, the audit trail does not confirm this app invited it`);
    world.synth(e2eDefinition([collaboratorAccess('Ana')], { retainEmails: [OWNER], accessContact: 'it@acme.example' }));
    await world.deploy();
    expect(world.user(UNMANAGED)).toEqual(before);
    expect(recorded(world)).toEqual([ANA]);
    expect((await cli(world, 'plan')).code).toBe(0);
  });

  test('5. two apps on one workspace, both with the default prefix: neither touches the other\'s people; a shared email is a named conflict', async () => {
    world = await E2EWorld.start();
    const other = E2EWorld.sharing(world);
    try {
      world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], { ...RETAIN, appId: 'web-team' }));
      await world.deploy();
      other.synth(e2eDefinition([collaboratorAccess('Cy', WorkspaceRole.READ_ONLY), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)], { ...RETAIN, appId: 'data-team' }));
      await expect(other.deploy()).rejects.toBeInstanceOf(DeployError);
      expect(other.logs.join('\n')).toContain(`${BO} is claimed by apps "data-team" and "web-team" (declared by this app, recorded by the other)`);
      const bo = world.invites().find((i) => i.email === BO)!;
      expect(bo.roles).toContain('Source Admin@srcWeb');
      expect(recorded(other, 'data-team')).toEqual([CY]);
      // data-team declares Bo, whom web-team records: it claims Bo, so web-team leaves Bo alone too.
      expect(claimed(other, 'data-team')).toEqual([BO]);

      // web-team drops Ana: removed; Cy, recorded by data-team, is untouched; Bo, which both declare, is
      // left alone by both, and both exit 3 naming the other.
      world.synth(e2eDefinition([collaboratorAccess('Bo')], { ...RETAIN, appId: 'web-team' }));
      await expect(world.deploy()).rejects.toBeInstanceOf(DeployError);
      expect(world.logs.join('\n')).toContain(`${BO} is claimed by apps "web-team" and "data-team" (declared by both apps)`);
      expect(people(world)).toEqual([BO, CY, OWNER, UNMANAGED].sort());
      expect((await cli(world, 'plan')).code).toBe(3);
      const otherPlan = await cli(other, 'plan');
      expect(otherPlan.code).toBe(3);
      expect(otherPlan.stdout).toContain('conflict: bo@agency.example is claimed by apps "data-team" and "web-team"');
    } finally {
      await other.stop();
    }
  });

  test('6a. the last owner held through a group is never removed, also on release; the plan shows the refusal', async () => {
    const seed = e2eSeed();
    const ws = seed.workspaces[0] as { users: { email: string; permissions?: unknown[] }[]; groups?: unknown[] };
    ws.users = ws.users.map((u) => (u.email === OWNER ? { ...u, permissions: [] } : u));
    ws.groups = [{ name: 'Admins', permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: E2E_WS }] }], members: [OWNER] }];
    world = await E2EWorld.start(seed);
    const admin = { ...collaboratorAccess('ItAdmin', WorkspaceRole.READ_ONLY), email: OWNER };
    world.synth(e2eDefinition([admin, collaboratorAccess('Ana')], { retainEmails: [UNMANAGED] }));
    await world.deploy();
    expect(recorded(world)).toEqual([ANA, OWNER].sort());

    world.synth(e2eDefinition([collaboratorAccess('Ana')], { retainEmails: [UNMANAGED] }));
    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`x refused  ${OWNER}: removal refused, it would leave the workspace without a Workspace Owner`);
    await world.deploy();
    expect(world.user(OWNER)).toBeDefined();
    await world.deploy('destroy');
    expect(world.user(OWNER)).toBeDefined();
    expect(people(world)).toEqual([OWNER, UNMANAGED].sort());
    // Both the deploy and the release printed the refusal.
    expect(world.logs.join('\n').split(`x refused  ${OWNER}: removal refused`).length - 1).toBe(2);
  });

  test('6b. demoting the last direct owner is refused on an authoritative workspace; everyone else undeclared goes', async () => {
    world = await E2EWorld.start();
    const admin = { ...collaboratorAccess('ItAdmin', WorkspaceRole.READ_ONLY), email: OWNER };
    world.synth(e2eDefinition([admin, collaboratorAccess('Ana')], { authoritative: true, acknowledgements: [{ ruleId: ControlRuleId.AUTHORITATIVE, reason: 'The e2e workspace is wholly this code\'s.' }] }));
    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`x refused  ${OWNER}: demotion (re-permission without Workspace Owner) refused`);
    await world.deploy();
    expect(world.user(OWNER)!.roles).toContain('Workspace Owner@ws');
    expect(world.user(UNMANAGED)).toBeUndefined();
  });

  test('with migrateLegacyRecords, a record written before app ids by this app\'s token is adopted and migrated: recorded people stay managed, undeclared ones go', async () => {
    world = await E2EWorld.start();
    const MIGRATE = { ...RETAIN, migrateLegacyRecords: true };
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], MIGRATE));
    const desired = JSON.parse(require('fs').readFileSync(require('path').join(world.stackDir, `segment-access.${E2E_WS}.json`), 'utf8'));
    const fingerprint = desired.collaborators[0].fingerprint as string;
    // What an older segment-access left: one legacy record group, Ana a user, Bo a pending invite.
    const perms = [{ roleId: findRoleByName('Minimal Workspace Access')!.id, resources: [{ id: E2E_WS, type: 'WORKSPACE' as const }] }];
    world.emulator.state.createInvites(E2E_WS, [{ email: ANA, permissions: perms }, { email: BO, permissions: perms }]);
    world.emulator.state.acceptInvite(E2E_WS, ANA);
    // Written by this app's token (the audit trail shows it), as an older version did.
    const legacy = world.emulator.state.createGroup(E2E_WS, `segment-access:${fingerprint}:2026-11-20`, TOKEN_ACTOR(world));
    world.emulator.state.addGroupMembers(E2E_WS, legacy.id, [ANA, BO], TOKEN_ACTOR(world));

    world.synth(e2eDefinition([collaboratorAccess('Ana')], MIGRATE));
    await world.deploy();
    expect(people(world)).toEqual([ANA, OWNER, UNMANAGED].sort());
    expect(world.recordGroups().map((g) => g.name)).toEqual([expect.stringMatching(/^segment-access:default:members:[0-9a-f]{20}$/)]);
    expect(recorded(world)).toEqual([ANA]);
    expect(world.user(ANA)!.roles).toContain('Source Admin@srcWeb');
  });
});

describe('audit reports every kind of damage', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('fails: record group permissions, deleted, renamed and edited record groups, unconfirmed members, orphans, an interrupted run, unauthentic groups (a malformed name, a hand-made intent) and a conflict, all named', async () => {
    world = await E2EWorld.start();
    const team = [collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY), collaboratorAccess('Cy', WorkspaceRole.ADMIN)];
    world.synth(e2eDefinition(team, RETAIN));
    await world.deploy();
    world.emulator.acceptInvites(E2E_WS, [ANA]);
    const byPerson = (email: string) => ownRecord(world).find((g) => g.memberEmails.includes(email))!;
    const [anaGroup, boGroup, cyGroup] = [byPerson(ANA), byPerson(BO), byPerson(CY)];
    const state = world.emulator.state;
    state.replaceGroupPermissions(E2E_WS, anaGroup.id, OWNER_ROLE, BY_HAND);
    state.deleteGroup(E2E_WS, boGroup.id, BY_HAND);
    state.renameGroup(E2E_WS, cyGroup.id, 'Admins (old)', BY_HAND);
    state.addGroupMembers(E2E_WS, anaGroup.id, [UNMANAGED], BY_HAND);
    state.createGroup(E2E_WS, 'segment-access:default:invited:not-a-fingerprint', BY_HAND);
    state.createGroup(E2E_WS, 'segment-access:default:intent:20261127T110000Z:0123456789ab', BY_HAND);
    // An interrupted run of this app: its signed intent, created by its token.
    const signer = new RecordSigner('segment-access', 'default', RecordKeyring.of('SEGMENT_ACCESS_RECORD_KEY', E2E_RECORD_KEY));
    state.createGroup(E2E_WS, signer.intentName(intentRecord('default', new Date('2026-11-27T11:00:00Z'), '0123456789ab')), TOKEN_ACTOR(world));
    const theirs = state.createGroup(E2E_WS, 'segment-access:data-team:members');
    state.addGroupMembers(E2E_WS, theirs.id, [ANA]);

    const result = await cli(world, 'audit', '--json');
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout).workspaces[0];
    expect(report.auditTrailChecked).toBe(true);
    expect(report.recordGroupPermissions).toEqual([expect.objectContaining({ group: anaGroup.name })]);
    const kinds = report.recordDamage.map((d: { kind: string }) => d.kind);
    for (const kind of ['deleted', 'renamed', 'edited', 'unconfirmed-member', 'orphaned', 'interrupted-run', 'unauthentic']) expect(kinds).toContain(kind);
    expect(report.recordDamage.filter((d: { kind: string }) => d.kind === 'unauthentic').map((d: { reason: string }) => d.reason).sort()).toEqual(['malformed', 'unsigned-foreign']);
    expect(report.conflicts).toEqual([{ email: ANA, apps: ['default', 'data-team'], reason: 'recorded by both apps' }]);
    const markdown = (await cli(world, 'audit')).stdout;
    expect(markdown).toContain(`record group "${boGroup.name}" (id ${boGroup.id}) was deleted by ops@acme.example`);
    expect(markdown).toContain(`record group "${cyGroup.name}" (id ${cyGroup.id}) was renamed to "Admins (old)"`);
    expect(markdown).toContain(`${UNMANAGED} is in record group "${anaGroup.name}"`);
    expect(markdown).toContain('group "segment-access:default:invited:not-a-fingerprint" (id ');
    expect(markdown).toContain('created or last named by ops@acme.example (ops@acme.example)');
    expect(markdown).toContain(`${ANA} is claimed by apps "default" and "data-team"`);
  });
});
