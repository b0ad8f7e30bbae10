import { WorkspaceRole } from '../../model/enums';
import { DeployError } from '../support/terraform';
import { E2E_TOKEN, e2eSeed, E2EWorld, OWNER, UNMANAGED } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';

const team = (n: number) => Array.from({ length: n }, (_, i) => collaboratorAccess(`Member${String(i).padStart(2, '0')}`, i % 3 === 0 ? WorkspaceRole.READ_ONLY : WorkspaceRole.MEMBER));

/** The live workspace as a comparable value: every member and invite with its roles. */
function snapshot(world: E2EWorld) {
  return { users: world.users().map(({ email, roles }) => ({ email, roles })), invites: world.invites() };
}

describe('failure modes', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('a 429 storm and random 5xx (including lost responses) converge: nothing lost, nothing duplicated', async () => {
    // Reference: the same definition deployed without faults.
    const reference = await E2EWorld.start();
    reference.synth(e2eDefinition(team(12)));
    await reference.deploy();
    const expected = snapshot(reference);
    await reference.stop();

    world = await E2EWorld.start();
    world.emulator.setFaults({ seed: 7, rateLimitStorm: { requests: 4, msBeforeNext: 50 }, serverErrorRate: 0.15, lostResponseRate: 0.15 });
    world.synth(e2eDefinition(team(12)));
    await world.deploy();
    expect(snapshot(world)).toEqual(expected);
    const invited = world.invites().map((i) => i.email);
    expect(new Set(invited).size).toBe(invited.length);
    const stats = world.emulator.stats();
    expect(stats.rateLimited).toBeGreaterThanOrEqual(4);
    expect(stats.serverErrors).toBeGreaterThan(0);
    // And the workspace is now in sync: a no-fault plan finds nothing to do.
    world.emulator.setFaults({});
    world.synth(e2eDefinition(team(12).map((c, i) => (i === 0 ? { ...c, ticket: 'ACCESS-99' } : c))));
    const writes = world.writes();
    await world.deploy();
    expect(world.writes()).toBe(writes);
  });

  test('terraform and the executor SIGKILLed mid-apply, then deployed again, converge', async () => {
    world = await E2EWorld.start();
    world.emulator.setFaults({ latencyMs: 40 });
    world.synth(e2eDefinition(team(9)));
    // As a CI runner dying: the whole process group (terraform and the executor it runs) is killed.
    let group = 0;
    const poll = setInterval(() => {
      if (group && world.emulator.stats().writes >= 3) {
        clearInterval(poll);
        process.kill(-group, 'SIGKILL');
      }
    }, 5);
    await expect(world.deploy('apply', {}, (pid) => (group = pid))).rejects.toBeInstanceOf(DeployError);
    clearInterval(poll);
    // Killed part-way: some invites or their records are missing.
    const recorded = world.recordGroups().flatMap((g) => g.memberEmails).length;
    expect(Math.min(world.invites().length, recorded)).toBeLessThan(9);

    world.emulator.setFaults({});
    await world.deploy();
    const invited = world.invites().map((i) => i.email).sort();
    expect(invited).toEqual(team(9).map((c) => c.email).sort());
    expect(world.users().map((u) => u.email).sort()).toEqual([OWNER, UNMANAGED]);
    expect(world.recordGroups().flatMap((g) => g.memberEmails).sort()).toEqual(invited);
  });

  test('fails: a token of another workspace aborts before any write, naming both workspaces', async () => {
    const seed = e2eSeed();
    seed.workspaces.push({ ...seed.workspaces[0], id: 'wsOtherTeam', slug: 'other', name: 'Other Team', tokens: ['other-team-token'], tokenActors: {}, users: [] } as never);
    world = await E2EWorld.start(seed);
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    await expect(world.deploy('apply', { SEGMENT_E2E_TOKEN: 'other-team-token' })).rejects.toBeInstanceOf(DeployError);
    expect(world.writes()).toBe(0);
    const out = world.logs.join('\n');
    expect(out).toContain('Wrong workspace: the token in SEGMENT_E2E_TOKEN belongs to workspace "Other Team" (wsOtherTeam');
    expect(out).toContain('Nothing was changed');
    // Terraform keeps the failed reconciler tainted: the next deploy retries it.
    expect(await world.state()).toContainEqual(expect.objectContaining({ address: 'terraform_data.workspace_reconciler', tainted: true }));
    const retry = await world.deploy('apply', { SEGMENT_E2E_TOKEN: E2E_TOKEN });
    expect(retry.changes).toContainEqual({ address: 'terraform_data.workspace_reconciler', actions: ['delete', 'create'] });
    expect(retry.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_reconciler', when: 'create' }]);
    expect(await world.state()).toContainEqual(expect.objectContaining({ address: 'terraform_data.workspace_reconciler', tainted: false }));
    expect(world.invites().map((i) => i.email)).toEqual(['ana@agency.example']);
  });

  test('fails: an invalid token aborts with zero writes and says which variable to fix', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    await expect(world.deploy('apply', { SEGMENT_E2E_TOKEN: 'revoked-token' })).rejects.toBeInstanceOf(DeployError);
    expect(world.writes()).toBe(0);
    expect(world.logs.join('\n')).toMatch(/401[\s\S]*SEGMENT_E2E_TOKEN/);
    expect(world.logs.join('\n')).not.toContain('revoked-token');
  });

  test('fails: a seat limit that would be exceeded aborts before any write', async () => {
    world = await E2EWorld.start(e2eSeed({ seatLimit: 10 }));
    // 4 declared fit the declared limit of 5 at synth, but 2 unmanaged members already use seats.
    world.synth(e2eDefinition(team(4), { seatLimit: 5 }));
    await expect(world.deploy()).rejects.toBeInstanceOf(DeployError);
    expect(world.writes()).toBe(0);
    expect(world.logs.join('\n')).toContain('Seat limit exceeded in workspace Acme E2E (wsE2eProd01): 2 seats in use, 4 to invite, 0 to free = 6, above the limit of 5. Nothing was changed.');
  });

  test('no token value appears in any output: synth, Terraform state, desired state, records, logs', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo')]));
    await world.deploy();
    world.synth(e2eDefinition([collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)]));
    await world.deploy();
    await world.deploy('destroy');
    const everything = [world.readAll(), JSON.stringify(await world.state())].join('\n');
    // Terraform's state and plan files are in the scan (cdk.tf.json, tfplan, terraform.prod.tfstate).
    expect(world.files().some((f) => f.endsWith('terraform.prod.tfstate'))).toBe(true);
    expect(everything.length).toBeGreaterThan(5000);
    expect(everything).toContain('Summary for Acme E2E');
    expect(everything).not.toContain(E2E_TOKEN);
    for (let i = 0; i + 8 <= E2E_TOKEN.length; i++) expect(everything).not.toContain(E2E_TOKEN.slice(i, i + 8));
  });
});
