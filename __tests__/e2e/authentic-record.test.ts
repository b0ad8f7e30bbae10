import { SegmentApiClient } from '../../api/client';
import { findRoleById } from '../../emulator/roles';
import { Environment, WorkspaceRole } from '../../model/enums';
import { CommandResult, runCommand } from '../support/run-command';
import { DeployError } from '../support/terraform';
import { E2E_OTHER_TOKEN, E2E_PERSON_TOKEN, E2E_RECORD_KEY_NEXT, E2E_WS, e2eSeed, E2EWorld, OTHER_ACTOR, OWNER, PERSON_ACTOR, UNMANAGED } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { App } from '../../framework';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';

// The T1, T2, T6 and T7, each against the emulator with the real terraform binary, each with a
// second automation token (another actor in the audit trail) and with a signed-in person (the trail
// names them). On segment-access 0.1 each of these steered the app; here none does.

const ANA = 'ana@agency.example';
const BO = 'bo@agency.example';
const SHARED = 'shared@agency.example';
const RETAIN = { retainEmails: [OWNER] };
const OWNER_ROLE = [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: E2E_WS }] }];
const ANALYST_ROLE = [{ roleName: 'Source Read-only', resources: [{ type: 'WORKSPACE', id: E2E_WS }] }];

/** Someone else acting through the API: another automation's token, or a person signed in to the app. */
const OUTSIDERS = [
  ['a second automation token', E2E_OTHER_TOKEN, OTHER_ACTOR.actor],
  ['a signed-in person', E2E_PERSON_TOKEN, `${PERSON_ACTOR.actorEmail} (${PERSON_ACTOR.actor})`],
] as const;

const client = (world: E2EWorld, token: string) => new SegmentApiClient({ token, baseUrl: world.emulator.url, sleep: async () => undefined });
const cli = (world: E2EWorld, command: 'plan' | 'audit', ...args: string[]): Promise<CommandResult> =>
  runCommand('segment-access', [command, ...(command === 'plan' ? ['--stack', 'prod'] : []), '--outdir', world.outdir, ...args], world.env);
const group = (world: E2EWorld, name: string) => world.emulator.state.listGroups(E2E_WS).find((g) => g.name === name)!;
const roleNames = (permissions: { roleId: string }[]) => permissions.map((p) => findRoleById(p.roleId)?.name);
const people = (world: E2EWorld) => [...world.users().map((u) => u.email), ...world.invites().map((i) => i.email)].sort();

describe.each(OUTSIDERS)('T1 by %s: a forged group-grant record clears no group permissions', (_who, token, creator) => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('the forged records are damage naming their creator; the group keeps Workspace Owner', async () => {
    world = await E2EWorld.start(e2eSeed({ groups: [{ name: 'Owners', permissions: OWNER_ROLE, members: [UNMANAGED] }] } as never));
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    await world.deploy();
    const owners = group(world, 'Owners');
    const outsider = client(world, token);
    // Both forms of a group-grant record: 0.1's (by name, unsigned) and this version's (by id, a made-up signature).
    const unsigned = await outsider.createGroup('segment-access:default:group-grant:Owners');
    const madeUp = await outsider.createGroup(`segment-access:default:group-grant:${owners.id}:${'0'.repeat(20)}`);

    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    await world.deploy();
    expect(roleNames(group(world, 'Owners').permissions)).toEqual(['Workspace Owner']);
    expect(world.logs.join('\n')).not.toContain('clear group');

    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`group "${unsigned.name}" (id ${unsigned.id}; created or last named by ${creator} at `);
    expect(plan.stdout).toContain('never adopted');
    expect(plan.stdout).toContain(`group "${madeUp.name}" (id ${madeUp.id}; created or last named by ${creator} at `);
    expect(plan.stdout).toContain('its signature does not verify with the record key');
    const audited = await cli(world, 'audit', '--json');
    expect(audited.code).toBe(3);
    const audit = JSON.parse(audited.stdout).workspaces[0];
    expect(audit.recordDamage.filter((d: { kind: string }) => d.kind === 'unauthentic').map((d: { group: string; reason: string }) => [d.group, d.reason])).toEqual(
      expect.arrayContaining([
        [unsigned.name, 'unsigned-foreign'],
        [madeUp.name, 'bad-signature'],
      ]),
    );
  });
});

describe.each(OUTSIDERS)('T2 by %s: a record-named group makes no actor, and a member it adds is never removed', (_who, token, creator) => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('the outsider is not among the app\'s actors; the victim stays, with the access it had', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    await world.deploy();
    const victim = world.user(UNMANAGED)!;
    const outsider = client(world, token);
    // One record-named group of its own (0.1 would have taken its creator for the app's token)...
    const forged = await outsider.createGroup('segment-access:default:members');
    // ...then the victim added to the app's genuine record.
    const genuine = world.recordGroups().find((g) => g.memberEmails.includes(ANA))!;
    await outsider.addGroupMembers(genuine.id, [UNMANAGED]);

    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    await world.deploy();
    expect(world.user(UNMANAGED)).toEqual(victim);
    expect(people(world)).toEqual([ANA, OWNER, UNMANAGED].sort());

    const audit = JSON.parse((await cli(world, 'audit', '--json')).stdout).workspaces[0];
    const actors = [...new Set(audit.trust.actors.map((a: { actor: string }) => a.actor))];
    expect(actors).toEqual(['api-token:acme-e2e:1']);
    expect(actors).not.toContain(OTHER_ACTOR.actor);
    expect(audit.recordDamage).toContainEqual(expect.objectContaining({ kind: 'unauthentic', group: forged.name, reason: 'unsigned-foreign', creator: expect.objectContaining({ actor: creator }) }));
    const plan = await cli(world, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('Trusted: record key SEGMENT_ACCESS_RECORD_KEY; actors api-token:acme-e2e:1 (proven ');
  });
});

describe('T6: record namespaces cannot collide', () => {
  test('a recordPrefix holding ":" (which could read another app\'s records as its own older ones) is refused at synth', () => {
    const app = new App();
    expect(() => new SegmentAccessStack(app, 'prod', { definition: e2eDefinition([], { recordPrefix: 'segment-access:cteam' }), environment: Environment.PROD })).toThrow(
      /recordPrefix.*"segment-access:cteam".*no ":": it separates the parts of a record name/s,
    );
  });

  test('a prefix and app id too long for a record name within 122 characters are refused at synth', () => {
    expect(() => new SegmentAccessStack(new App(), 'prod', { definition: e2eDefinition([], { recordPrefix: 'p'.repeat(40), appId: 'a'.repeat(40) }), environment: Environment.PROD })).toThrow(
      /a recordPrefix and appId of at most 54 characters together/,
    );
  });

  describe.each(OUTSIDERS)('another app\'s group-grant record made with %s', (_who, token) => {
    let world: E2EWorld;
    afterEach(async () => world.stop());

    test('is never read as this app\'s: the group keeps its permissions and the record stays', async () => {
      world = await E2EWorld.start(e2eSeed({ groups: [{ name: 'Analysts', permissions: ANALYST_ROLE, members: [UNMANAGED] }] } as never));
      // App "cteam" (another repo, its own token) marks Analysts as its group grant.
      const theirs = await client(world, token).createGroup('segment-access:cteam:group-grant:Analysts');
      world.synth(e2eDefinition([collaboratorAccess('Ana')], { ...RETAIN, appId: 'web' }));
      await world.deploy();
      expect(group(world, 'Analysts').permissions).toHaveLength(1);
      expect(world.emulator.state.listGroups(E2E_WS).map((g) => g.id)).toContain(theirs.id);
      expect((await cli(world, 'plan')).code).toBe(0);
    });
  });
});

describe('T7: neighbours never take each other\'s people', () => {
  let web: E2EWorld;
  let team: E2EWorld;
  afterEach(async () => {
    await team?.stop();
    await web.stop();
  });
  // web-team is another repo: its own token (another actor) and its own record key.
  const asTeam = { SEGMENT_E2E_TOKEN: E2E_OTHER_TOKEN, SEGMENT_ACCESS_RECORD_KEY: E2E_RECORD_KEY_NEXT };
  const teamPlan = () => runCommand('segment-access', ['plan', '--stack', 'prod', '--outdir', team.outdir], { ...team.env, ...asTeam });

  test('with a second app\'s token: both exit 3 naming the other while both declare it; the one that stops hands it over; it stays', async () => {
    web = await E2EWorld.start();
    team = E2EWorld.sharing(web);
    web.synth(e2eDefinition([collaboratorAccess('Shared'), collaboratorAccess('Ana')], { ...RETAIN, appId: 'web' }));
    await web.deploy();
    expect(web.invites().map((i) => i.email)).toEqual([ANA, SHARED]);

    team.synth(e2eDefinition([collaboratorAccess('Shared', WorkspaceRole.READ_ONLY)], { ...RETAIN, appId: 'web-team' }));
    await expect(team.deploy('apply', asTeam)).rejects.toBeInstanceOf(DeployError);
    expect(team.logs.join('\n')).toContain(`${SHARED} is claimed by apps "web-team" and "web"`);

    web.synth(e2eDefinition([collaboratorAccess('Shared'), collaboratorAccess('Ana')], { ...RETAIN, appId: 'web', accessContact: 'it@acme.example' }));
    await expect(web.deploy()).rejects.toBeInstanceOf(DeployError);
    expect(web.logs.join('\n')).toContain(`${SHARED} is claimed by apps "web" and "web-team" (declared by both apps)`);

    // Declared in one app only: web, which recorded Shared first, lets go; Shared stays.
    web.synth(e2eDefinition([collaboratorAccess('Ana')], { ...RETAIN, appId: 'web' }));
    await web.deploy();
    expect(people(web)).toContain(SHARED);
    expect(web.logs.join('\n')).toContain(`${SHARED} is no longer declared here and app "web-team" declares it: handed over`);
    expect((await cli(web, 'plan')).code).toBe(0);

    // web-team's next run takes Shared over (its pending invite re-issued with web-team's permissions).
    team.synth(e2eDefinition([collaboratorAccess('Shared', WorkspaceRole.READ_ONLY)], { ...RETAIN, appId: 'web-team', accessContact: 'it@acme.example' }));
    await team.deploy('apply', asTeam);
    expect(web.invites().find((i) => i.email === SHARED)!.roles).toContain('Source Read-only@ws');
    expect((await teamPlan()).code).toBe(0);
    expect((await cli(web, 'plan')).code).toBe(0);
  });

  test('a claim a signed-in person made for another app: the app that stops declaring hands over; the person stays', async () => {
    web = await E2EWorld.start();
    web.synth(e2eDefinition([collaboratorAccess('Shared'), collaboratorAccess('Bo')], { ...RETAIN, appId: 'web' }));
    await web.deploy();
    const person = client(web, E2E_PERSON_TOKEN);
    const claim = await person.createGroup(`segment-access:web-team:claims:${'0'.repeat(20)}`);
    await person.addGroupMembers(claim.id, [SHARED]);
    const plan = await cli(web, 'plan');
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`${SHARED} is claimed by apps "web" and "web-team" (declared by both apps)`);

    web.synth(e2eDefinition([collaboratorAccess('Bo')], { ...RETAIN, appId: 'web' }));
    await web.deploy();
    expect(people(web)).toEqual([BO, OWNER, SHARED, UNMANAGED].sort());
    expect(web.logs.join('\n')).toContain(`${SHARED} is no longer declared here and app "web-team" declares it: handed over`);
  });

  test('disown: the documented way to let go of a person both apps record and neither declares', async () => {
    web = await E2EWorld.start();
    team = E2EWorld.sharing(web);
    web.synth(e2eDefinition([collaboratorAccess('Shared')], { ...RETAIN, appId: 'web' }));
    await web.deploy();
    // web-team recorded Shared too (say, an import), and then neither declares it: a conflict, exit 3.
    const other = client(web, E2E_OTHER_TOKEN);
    const theirs = await other.createGroup(`segment-access:web-team:members:${'0'.repeat(20)}`);
    await other.addGroupMembers(theirs.id, [SHARED]);
    web.synth(e2eDefinition([], { ...RETAIN, appId: 'web' }));
    await expect(web.deploy()).rejects.toBeInstanceOf(DeployError);
    expect(web.logs.join('\n')).toContain(`${SHARED} is claimed by apps "web" and "web-team" (recorded by both apps, declared by neither)`);
    expect(people(web)).toContain(SHARED);

    const refused = await runCommand('segment-access', ['disown', '--stack', 'prod', '--outdir', web.outdir, '--email', ANA], web.env);
    expect(refused.code).toBe(0);
    expect(refused.stdout).toContain(`None of ${ANA} is in app "web"'s record: nothing to drop.`);
    const disowned = await runCommand('segment-access', ['disown', '--stack', 'prod', '--outdir', web.outdir, '--email', SHARED], web.env);
    expect(disowned.code).toBe(0);
    expect(disowned.stdout).toContain(`Dropping from app "web"'s record (access unchanged):\n  - ${SHARED} from record group segment-access:web:`);
    expect(people(web)).toContain(SHARED);
    expect((await cli(web, 'plan')).code).toBe(0);
  });
});
