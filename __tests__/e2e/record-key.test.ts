import { readFileSync } from 'fs';
import { join } from 'path';
import { WorkspaceRole } from '../../model/enums';
import { runCommand } from '../support/run-command';
import { DeployError } from '../support/terraform';
import { E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT, E2E_WS, e2eSeed, E2EWorld, OWNER, UNMANAGED } from '../support/e2e';
import type { GroupAccess } from '../../stacks/access-definition';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';

// The record key end to end: required to write, asked for by name, never printed or stored, rotated
// without removing anyone.

const ANA = 'ana@agency.example';
const BO = 'bo@agency.example';
const CY = 'cy@agency.example';
const RETAIN = { retainEmails: [OWNER, UNMANAGED] };
const SCIM = RETAIN;
const ANALYSTS: GroupAccess = { id: 'Analysts', groupName: 'Analysts', grant: { role: WorkspaceRole.READ_ONLY, ticket: 'ACCESS-56', requestedBy: 'data-lead@acme.example', justification: 'Analysts read everything in the workspace.' } };

const cli = (world: E2EWorld, command: 'plan' | 'audit', env: NodeJS.ProcessEnv, ...args: string[]) =>
  runCommand('segment-access', [command, ...(command === 'plan' ? ['--stack', 'prod'] : []), '--outdir', world.outdir, ...args], { ...world.env, ...env });
const people = (world: E2EWorld) => [...world.users().map((u) => u.email), ...world.invites().map((i) => i.email)].sort();
const NO_KEY = { SEGMENT_ACCESS_RECORD_KEY: '' };
const OLD = { SEGMENT_ACCESS_RECORD_KEY: E2E_RECORD_KEY };
const BOTH = { SEGMENT_ACCESS_RECORD_KEY: E2E_RECORD_KEY_NEXT, SEGMENT_ACCESS_RECORD_KEY_PREVIOUS: E2E_RECORD_KEY };
const NEW = { SEGMENT_ACCESS_RECORD_KEY: E2E_RECORD_KEY_NEXT };

describe('the record key', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('fails: a deploy without the key stops before any API call, naming the variable and the fix', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    world.emulator.resetStats();
    await expect(world.deploy('apply', NO_KEY)).rejects.toBeInstanceOf(DeployError);
    expect(world.emulator.stats().requests).toBe(0);
    const log = world.logs.join('\n');
    expect(log).toContain(
      'SEGMENT_ACCESS_RECORD_KEY is not set, so the record of managed users of workspace Acme E2E (wsE2eProd01) can be neither verified nor signed. Nothing was changed. ' +
        'Generate a key once with `segment-access keygen`',
    );
    // Printed once by the executor (Terraform then quotes the provisioner's output in its own error).
    expect(log.split('(local-exec): segment-access: SEGMENT_ACCESS_RECORD_KEY is not set').length - 1).toBe(1);
    expect(log).not.toMatch(/\n\s+at /);
  });

  test('fails: plan and audit without the key say they cannot verify and trust nothing; nothing is proposed for removal', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    await world.deploy();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    const plan = await cli(world, 'plan', NO_KEY);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('Not verified: SEGMENT_ACCESS_RECORD_KEY is not set, so nothing under this app\'s name is trusted and no actor is proven.');
    expect(plan.stdout).toContain('cannot be verified: SEGMENT_ACCESS_RECORD_KEY is not set, so it is not read as this app\'s record.');
    expect(plan.stdout).not.toMatch(/- (remove user|cancel invite)/);
    const audit = await cli(world, 'audit', NO_KEY, '--json');
    expect(audit.code).toBe(3);
    expect(JSON.parse(audit.stdout).workspaces[0].trust).toMatchObject({ keyHeld: false, keyVariable: 'SEGMENT_ACCESS_RECORD_KEY' });
    // With the key the same plan removes Bo, whom the record proves this app manages.
    const keyed = await cli(world, 'plan', {});
    expect(keyed.code).toBe(2);
    expect(keyed.stdout).toContain(`- cancel invite  ${BO}`);
  });

  test('fails: a value that is not a record key is refused, and not shown', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    const notAKey = 'correct-horse-battery-staple-9f8e7d6c';
    const plan = await cli(world, 'plan', { SEGMENT_ACCESS_RECORD_KEY: notAKey });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toBe(
      `segment-access: SEGMENT_ACCESS_RECORD_KEY does not hold a record key (it holds ${notAKey.length} characters, not shown): a key is "sark_" followed by 43 base64url characters. ` +
        'Nothing was changed. Set SEGMENT_ACCESS_RECORD_KEY to the output of `segment-access keygen`.\n',
    );
    expect(plan.stdout + plan.stderr).not.toContain(notAKey);
  });

  test('the key appears in no file, Terraform state or plan, log or report; only its variable\'s name does', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    await world.deploy();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    await world.deploy();
    const outputs = [await cli(world, 'plan', {}), await cli(world, 'audit', {}), await cli(world, 'audit', {}, '--json'), await cli(world, 'plan', {}, '--json')];
    const everything = [world.readAll(), ...outputs.map((o) => o.stdout + o.stderr)].join('\n');
    const secret = E2E_RECORD_KEY.slice('sark_'.length);
    for (let i = 0; i + 8 <= secret.length; i++) expect(everything).not.toContain(secret.slice(i, i + 8));
    const desired = readFileSync(join(world.stackDir, `segment-access.${E2E_WS}.json`), 'utf8');
    expect(desired).toContain('"recordKeyEnvVar":"SEGMENT_ACCESS_RECORD_KEY"');
  });

  test('a workspace may name its own variable (SEGMENT_...): that one is read, and the plan shows its name', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], { ...RETAIN, recordKeyEnvVar: 'SEGMENT_E2E_RECORD_KEY' }));
    const tf = JSON.parse(readFileSync(join(world.stackDir, 'cdk.tf.json'), 'utf8'));
    expect(tf.resource.terraform_data.workspace_reconciler.triggers_replace.controls.record_key_variable).toBe('SEGMENT_E2E_RECORD_KEY');
    await expect(world.deploy()).rejects.toBeInstanceOf(DeployError);
    expect(world.logs.join('\n')).toContain('SEGMENT_E2E_RECORD_KEY is not set');
    await world.deploy('apply', { SEGMENT_ACCESS_RECORD_KEY: '', SEGMENT_E2E_RECORD_KEY: E2E_RECORD_KEY });
    expect(people(world)).toContain(ANA);
  });

  test('fails: `cdktf destroy` (release) without the key removes no one; with it, exactly what the record proves', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    await world.deploy();
    const writes = world.writes();
    await expect(world.deploy('destroy', NO_KEY)).rejects.toBeInstanceOf(DeployError);
    expect(world.writes()).toBe(writes);
    expect(world.logs.join('\n')).toContain('SEGMENT_ACCESS_RECORD_KEY is not set');
    expect(people(world)).toEqual([ANA, BO, OWNER, UNMANAGED].sort());
    await world.deploy('destroy');
    expect(people(world)).toEqual([OWNER, UNMANAGED].sort());
  });

  test('`segment-access keygen` prints a new key and nothing else', async () => {
    world = await E2EWorld.start();
    const [a, b] = [await runCommand('segment-access', ['keygen'], world.env), await runCommand('segment-access', ['keygen'], world.env)];
    for (const r of [a, b]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^sark_[A-Za-z0-9_-]{43}\n$/);
    }
    expect(a.stdout).not.toBe(b.stdout);
  });
});

describe('key rotation: old key only, then both, then the new key only', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('no one is removed and no damage is reported at any step; the run that holds both re-signs every record group', async () => {
    world = await E2EWorld.start(e2eSeed({ groups: [{ name: 'Analysts', members: [UNMANAGED] }] }));
    // Ana and Bo with different permission sets; Ana accepts, and a later run (inviting Cy) folds her into
    // members; a group grant too: every kind of record group exists, signed with the old key.
    const team = [collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)];
    world.synth(e2eDefinition(team, SCIM, [ANALYSTS]));
    await world.deploy('apply', OLD);
    world.emulator.acceptInvites(E2E_WS, [ANA]);
    world.synth(e2eDefinition([...team, collaboratorAccess('Cy', WorkspaceRole.ADMIN)], SCIM, [ANALYSTS]));
    await world.deploy('apply', OLD);
    expect(world.recordGroups().map((g) => g.name.split(':')[2]).sort()).toEqual(['group-grant', 'invited', 'invited', 'members']);
    const before = { people: people(world), groups: world.recordGroups().map((g) => [g.id, [...g.memberEmails].sort()]) };
    expect((await cli(world, 'plan', OLD)).code).toBe(0);

    // Both keys: the old signatures verify; the plan re-signs; the next deploy renames every group (same ids, same members).
    const both = await cli(world, 'plan', BOTH);
    expect(both.code).toBe(2);
    expect(both.stdout).not.toContain('record damaged');
    expect(both.stdout).toContain('Trusted: record key SEGMENT_ACCESS_RECORD_KEY (and SEGMENT_ACCESS_RECORD_KEY_PREVIOUS: rotation under way, the next deploy re-signs)');
    const oldNames = world.recordGroups().map((g) => g.name);
    world.synth(e2eDefinition([...team, collaboratorAccess('Cy', WorkspaceRole.ADMIN)], { ...SCIM, accessContact: 'it@acme.example' }, [ANALYSTS]));
    await world.deploy('apply', BOTH);
    expect(world.recordGroups().map((g) => [g.id, [...g.memberEmails].sort()])).toEqual(before.groups);
    for (const name of world.recordGroups().map((g) => g.name)) expect(oldNames).not.toContain(name);
    expect(people(world)).toEqual(before.people);

    // The new key only: everything verifies; nothing to do, nothing wrong; and it still removes whom it manages.
    const plan = await cli(world, 'plan', NEW);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('0 record-shaped group(s) not authentic');
    const audit = await cli(world, 'audit', NEW, '--json');
    expect(JSON.parse(audit.stdout).workspaces[0].recordDamage).toEqual([]);
    world.synth(e2eDefinition(team, SCIM, [ANALYSTS]));
    await world.deploy('apply', NEW);
    expect(people(world)).toEqual(before.people.filter((e) => e !== CY));
  });

  test('fails: the new key alone before the re-signing run reports the old records as not verifying, and removes no one', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')], RETAIN));
    await world.deploy('apply', OLD);
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    const plan = await cli(world, 'plan', NEW);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('its signature does not verify with the record key: never read as the record. If this app signed it with an earlier key, set SEGMENT_ACCESS_RECORD_KEY_PREVIOUS to that key');
    expect(plan.stdout).not.toContain(`cancel invite  ${BO}`);
    await world.deploy('apply', NEW);
    expect(people(world)).toContain(BO);
  });
});

