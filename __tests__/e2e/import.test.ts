import { Env, ENVS, ImportWorld } from '../support/import-world';
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
// The record of managed users: its groups and members, and the run's write-ahead intent (created, then deleted).
// (PATCH: a long-lived record group is sealed to its id right after it is created.)
const RECORD_WRITES = ['POST /groups', 'PATCH /groups/{userGroupId}', 'POST /groups/{userGroupId}/users', 'DELETE /groups/{userGroupId}'];

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
      // No intent is left behind by a run that finished.
      expect(records.filter((g) => g.name.includes(':intent:'))).toEqual([]);
      expect(records.filter((g) => g.name.startsWith('segment-access:default:group-grant:')).map((g) => g.name)).toEqual(
        // By the group's id, signed and sealed to the record group.
        groupsWithPermissions[env] ? [expect.stringMatching(new RegExp(`^segment-access:default:group-grant:${world.emulator.state.listGroups(IMPORT_WS[env]).find((g) => g.name === 'Analytics Engineers')!.id}:[0-9a-f]{20}$`))] : [],
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

  test('the team writes the placeholders, adopts prod and staging (dev untouched), then confirms a pending invite: only that invite changes', async () => {
    const adopted: Env[] = ['prod', 'staging'];
    world = await ImportWorld.start(undefined, adopted);
    const before = world.access();
    const imported = await world.import('access.ts');
    expect(imported.code).toBe(0);
    const generated = world.read('access.ts');
    expect(generated).not.toContain('Environment.DEV');

    // Once for everyone: the review that approved the access as it stands.
    const written: Record<string, string> = {
      TODO_TICKET: 'SEC-2026-118 access review',
      TODO_REQUESTED_BY: 'platform-team@acme.example',
      TODO_APPROVED_BY: 'ciso@acme.example',
      TODO_JUSTIFICATION: 'Confirmed in access review SEC-2026-118',
      TODO_REASON: 'Confirmed in access review SEC-2026-118: environments differ on purpose',
    };
    const edited = generated.replace(/export const (TODO_\w+) = '[^']*';/g, (_, name: string) => `export const ${name} = '${written[name]}';`);
    expect(edited.split('\n').filter((l) => !l.trim().startsWith('//') && l.includes('TODO(segment-access import)'))).toEqual([]);
    world.write('access.ts', edited);
    const synth = await world.synth();
    expect(synth.code).toBe(0);

    world.emulator.resetStats();
    for (const env of adopted) {
      const first = await world.deploy(env);
      expect(first.output).toMatch(/Adoption: \d+ adopted, 0 invited, 0 re-permissioned, 0 removed/);
    }
    const stats = world.emulator.stats();
    for (const route of ACCESS_WRITES) expect(stats.byRoute[route] ?? 0).toBe(0);
    expect(stats.byWorkspace.wsAcmeDev01).toBeUndefined();
    expect(world.access()).toEqual(before);
    for (const env of adopted) expect((await world.deploy(env)).provisionerRuns).toEqual([]);

    // Re-import reproduces the generated file, placeholders and all: the edits live in the team's copy.
    expect((await world.import('again.ts')).code).toBe(0);
    expect(world.read('again.ts')).toBe(generated);

    // Confirming the pending invite: uncomment its entry. The next deploy re-issues exactly that invite.
    const lines = edited.split('\n');
    const start = lines.findIndex((l) => l.includes('// new.hire@acme.example: pending invite in prod'));
    let end = start + 1;
    while (!/^\s*\/\/ \},$/.test(lines[end])) end++;
    for (let i = start + 1; i <= end; i++) lines[i] = lines[i].replace(/^(\s*)\/\/ /, '$1');
    world.write('access.ts', lines.join('\n'));
    expect((await world.synth()).code).toBe(0);
    world.emulator.resetStats();
    for (const env of adopted) {
      const deploy = await world.deploy(env);
      expect(deploy.output).toContain('~ re-invite  new.hire@acme.example');
      expect(deploy.output).toMatch(/Plan: 0 to invite, 1 to re-invite, 0 to re-permission, 0 to remove, 0 group change\(s\); \d+ unchanged\./);
    }
    const after = world.emulator.stats().byRoute;
    expect(after['DELETE /invites']).toBe(2);
    expect(after['POST /invites']).toBe(2);
    for (const route of ACCESS_WRITES.filter((r) => !r.endsWith(' /invites'))) expect(after[route] ?? 0).toBe(0);
    const now = world.access() as Record<Env, { users: unknown; invites: { email: string; permissions: string[] }[]; groups: unknown }>;
    for (const env of adopted) {
      const was = before[env] as typeof now[Env];
      expect(now[env].users).toEqual(was.users);
      expect(now[env].groups).toEqual(was.groups);
      // Re-issued with the declared READ_ONLY permissions (what the seed's invite held); only its date is new.
      const invites = (list: { email: string; permissions?: unknown }[]) => list.map((i) => ({ email: i.email, permissions: i.permissions })).sort((a, b) => a.email.localeCompare(b.email));
      expect(invites(now[env].invites)).toEqual(invites(was.invites));
    }
  }, 300_000);
});
