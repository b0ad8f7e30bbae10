import { ENVS, ImportWorld } from '../support/import-world';
import { IMPORT_WS } from '../support/import-seed';

/** Write routes that change someone's access; the first deploy of an imported definition may call none. */
const ACCESS_WRITES = [
  'PUT /users/{userId}/permissions',
  'POST /users/{userId}/permissions',
  'DELETE /users',
  'POST /invites',
  'DELETE /invites',
  'PUT /groups/{userGroupId}/permissions',
  'POST /groups/{userGroupId}/permissions',
];
/** The record of managed users: permission-less groups and their members. */
const RECORD_WRITES = ['POST /groups', 'POST /groups/{userGroupId}/users'];

describe('segment-access import: adopt live workspaces', () => {
  let world: ImportWorld;
  afterEach(async () => world.stop());

  test('import, synth, deploy with real terraform: nobody\'s access changes, only the record is written; a second deploy is a no-op; re-import gives the same file', async () => {
    world = await ImportWorld.start();
    const before = world.access();
    const managed = Object.fromEntries(
      ENVS.map((env) => [env, world.emulator.state.listUsers(IMPORT_WS[env]).filter((u) => u.permissions.length > 0).map((u) => u.email).sort()]),
    );
    const groupsWithPermissions = Object.fromEntries(ENVS.map((env) => [env, world.emulator.state.listGroups(IMPORT_WS[env]).filter((g) => g.permissions.length > 0).length]));
    expect(managed.prod.length + managed.staging.length + managed.dev.length).toBeGreaterThanOrEqual(50);

    const imported = await world.import('access.ts', ['--approval-reference', 'imported']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Wrote access.ts: 26 collaborator(s)');
    expect(world.emulator.stats().writes).toBe(0);

    const synth = await world.synth();
    expect(synth.stdout + synth.stderr).not.toMatch(/error/i);
    expect(synth.code).toBe(0);

    world.emulator.resetStats();
    for (const env of ENVS) {
      const first = await world.deploy(env);
      expect(first.provisionerRuns).toEqual([{ address: 'terraform_data.workspace_reconciler', when: 'create' }]);
      const adopted = managed[env].length + groupsWithPermissions[env];
      expect(first.output).toContain(`Adoption: ${adopted} adopted, 0 invited, 0 re-permissioned, 0 removed`);
      expect(first.output).toMatch(new RegExp(`invited 0, re-invited 0, re-permissioned 0, removed 0 \\(0 users, 0 invites\\), group permissions set 0, unchanged ${adopted} \\(adopted ${adopted}\\)`));
    }
    const stats = world.emulator.stats();
    for (const route of ACCESS_WRITES) expect(stats.byRoute[route] ?? 0).toBe(0);
    const writeRoutes = Object.keys(stats.byRoute).filter((r) => !r.startsWith('GET '));
    expect(writeRoutes.every((r) => RECORD_WRITES.includes(r))).toBe(true);
    expect(stats.writes).toBeGreaterThan(0);
    expect(world.access()).toEqual(before);
    for (const env of ENVS) {
      const records = world.recordGroups(env);
      expect(records.every((g) => g.permissions.length === 0)).toBe(true);
      expect(records.flatMap((g) => g.memberEmails).sort()).toEqual(managed[env]);
      expect(records.filter((g) => g.name.startsWith('segment-access:group-grant:')).map((g) => g.name)).toEqual(
        groupsWithPermissions[env] ? ['segment-access:group-grant:Analytics Engineers'] : [],
      );
    }

    world.emulator.resetStats();
    for (const env of ENVS) {
      const second = await world.deploy(env);
      expect(second.changes.every((c) => c.actions.join() === 'no-op')).toBe(true);
      expect(second.provisionerRuns).toEqual([]);
    }
    expect(world.emulator.stats().requests).toBe(0);

    const again = await world.import('access-again.ts', ['--approval-reference', 'imported']);
    expect(again.code).toBe(0);
    expect(world.read('access-again.ts')).toBe(world.read('access.ts'));
  }, 300_000);
});
