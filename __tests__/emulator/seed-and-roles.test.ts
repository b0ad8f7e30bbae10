import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorSettingsSchema, EmulatorState, findRoleByName, loadSeedFile, parseSeed, ROLE_CATALOG, rolesForTier, SeedError } from '../../emulator';
import { ACME, testSeed } from './support';

describe('role catalog', () => {
  it('has the eighteen Segment roles with unique 27-character alphanumeric ids', () => {
    expect(ROLE_CATALOG.map((role) => role.name)).toEqual([
      'Workspace Owner',
      'Workspace Member',
      'Minimal Workspace Access',
      'Source Admin',
      'Source Read-only',
      'Function Admin',
      'Function Read-only',
      'Tracking Plan Admin',
      'Tracking Plan Read-only',
      'Warehouse Destination Admin',
      'Warehouse Destination Read-only',
      'Unify and Engage Admin',
      'Unify and Engage Read-only',
      'Unify Read-only, Engage User',
      'Identity Admin',
      'End User Privacy Admin',
      'Entities Admin',
      'Entities Read-only',
    ]);
    for (const role of ROLE_CATALOG) {
      expect(role.id).toMatch(/^[0-9A-Za-z]{27}$/);
      expect(role.description.length).toBeGreaterThan(10);
    }
    expect(new Set(ROLE_CATALOG.map((role) => role.id)).size).toBe(ROLE_CATALOG.length);
  });

  it("uses Segment's published Workspace Owner id and stable invented ids for the rest", () => {
    // The SDK's examples grant Workspace Owner as 1WDUuRLxv84rrfCNUwvkrRtkxnS.
    expect(findRoleByName('Workspace Owner')?.id).toBe('1WDUuRLxv84rrfCNUwvkrRtkxnS');
    expect(findRoleByName('Source Admin')?.id).toBe('EOl9DLjnWPdIYqpqPB5HUWQfMNt');
  });

  // segment-docs iam/roles.md: roles that grant access to "*all*" of their kind are workspace-wide only.
  it.each([
    ['Workspace Owner', ['WORKSPACE']],
    ['Workspace Member', ['WORKSPACE']],
    ['Minimal Workspace Access', ['WORKSPACE']],
    ['Source Read-only', ['WORKSPACE', 'SOURCE']],
    ['Warehouse Destination Admin', ['WORKSPACE']],
    ['Warehouse Destination Read-only', ['WORKSPACE']],
    ['Function Admin', ['WORKSPACE', 'FUNCTION']],
    ['Identity Admin', ['WORKSPACE']],
    ['End User Privacy Admin', ['WORKSPACE']],
    ['Unify Read-only, Engage User', ['WORKSPACE', 'SPACE']],
    ['Entities Read-only', ['WORKSPACE', 'SPACE']],
    ['Tracking Plan Admin', ['WORKSPACE']],
    ['Tracking Plan Read-only', ['WORKSPACE']],
  ])('%s may be granted on %j', (name, types) => {
    expect(findRoleByName(name)?.grantableOn).toEqual(types);
  });

  it('offers only Workspace Owner and Source Admin on a Team plan (segment-docs iam/membership.md)', () => {
    expect(rolesForTier('team').map((role) => role.name)).toEqual(['Workspace Owner', 'Source Admin']);
    expect(rolesForTier('business')).toHaveLength(ROLE_CATALOG.length);
  });

  it('lets labels narrow exactly the roles segment-docs iam/labels.md names', () => {
    expect(ROLE_CATALOG.filter((role) => role.labelScoped).map((role) => role.name)).toEqual([
      'Source Admin',
      'Source Read-only',
      'Unify and Engage Admin',
      'Unify and Engage Read-only',
      'Unify Read-only, Engage User',
    ]);
  });
});

describe('seed validation', () => {
  const withAcme = (change: (workspace: any) => void): unknown => {
    const seed: any = testSeed();
    change(seed.workspaces[0]);
    return seed;
  };

  it('accepts the test seed', () => {
    expect(parseSeed(testSeed()).workspaces).toHaveLength(2);
  });

  it('names an unknown role and lists the real ones', () => {
    const seed = withAcme((ws) => (ws.users[0].permissions[0].roleName = 'Owner'));
    expect(() => parseSeed(seed)).toThrow(SeedError);
    expect(() => parseSeed(seed)).toThrow(/Unknown role name "Owner".*Workspace Owner[\s\S]*workspaces\[0\]\.users\[0\]\.permissions\[0\]\.roleName/);
  });

  it('rejects a permission on a source the workspace does not have, with its path', () => {
    const seed = withAcme((ws) => (ws.users[1].permissions[1].resources[0].id = 'src-missing'));
    expect(() => parseSeed(seed)).toThrow(/No SOURCE with id "src-missing"[\s\S]*workspaces\[0\]\.users\[1\]\.permissions\[1\]\.resources\[0\]\.id/);
  });

  it('rejects a bad email, a stranger in a group, a shared token and an exceeded seat limit', () => {
    expect(() => parseSeed(withAcme((ws) => (ws.invites[0].email = 'carol-at-acme')))).toThrow(/Invalid email address/);
    expect(() => parseSeed(withAcme((ws) => ws.groups[0].members.push('eve@acme.com')))).toThrow(
      /"eve@acme.com" is neither a user nor an invite/,
    );
    const shared: any = testSeed();
    shared.workspaces[1].tokens = [shared.workspaces[0].tokens[0]];
    expect(() => parseSeed(shared)).toThrow(/The same token is used twice/);
    expect(() => parseSeed(withAcme((ws) => (ws.seatLimit = 2)))).toThrow(/2 users \+ 1 invites exceed the seat limit of 2/);
  });

  it('rejects unknown fields and missing tokens', () => {
    expect(() => parseSeed(withAcme((ws) => (ws.colour = 'red')))).toThrow(/colour/);
    expect(() => parseSeed(withAcme((ws) => (ws.tokens = [])))).toThrow(/at least one bearer token/);
  });

  it('checks labels against the label list when the seed declares one, and derives it otherwise', () => {
    const derived = EmulatorState.fromSeed(parseSeed(testSeed()));
    expect(derived.listLabels(ACME).map((label) => `${label.key}:${label.value}`).sort()).toEqual([
      'environment:prod',
      'environment:staging',
      'team:growth',
    ]);
    const declared = withAcme((ws) => (ws.labels = [{ key: 'environment', value: 'prod' }]));
    expect(() => parseSeed(declared)).toThrow(/Label "team:growth" is not in the workspace's labels[\s\S]*sources\[0\]\.labels\.team/);
  });

  it('rejects what a Team plan does not have: Business roles and user groups', () => {
    expect(() => parseSeed(withAcme((ws) => (ws.planTier = 'team')))).toThrow(/Unknown role id .* team-plan workspace[\s\S]*users\[1\]/);
    const teamWithGroup = withAcme((ws) => {
      ws.planTier = 'team';
      ws.users = [ws.users[0]];
      ws.invites = [];
      ws.groups = [{ name: 'Admins' }];
    });
    expect(() => parseSeed(teamWithGroup)).toThrow(/team-plan workspace has no user groups/);
  });

  it('names token actors only for tokens the workspace has, without printing the token', () => {
    const seed = withAcme((ws) => (ws.tokenActors = { 'secret-typo-token': { actor: 'ci' } }));
    expect(() => parseSeed(seed)).toThrow(/tokenActors names a token the workspace does not have/);
    expect(() => parseSeed(seed)).not.toThrow(/secret-typo-token/);
  });

  it('takes the undocumented behaviours as settings and rejects unknown ones', () => {
    const state = EmulatorState.fromSeed(parseSeed({ ...testSeed(), settings: { inviteExpiryDays: 3, protectLastOwner: false } }));
    expect(state.settings).toEqual({ ...emulatorSettingsSchema.parse({}), inviteExpiryDays: 3, protectLastOwner: false });
    expect(state.settings).toMatchObject({ enforceSeatLimits: true, strict: true, emailCase: 'lower-cased', duplicateGroupNames: 'refused-409' });
    expect(() => parseSeed({ ...testSeed(), settings: { inviteExpiryDays: 0 } })).toThrow(/inviteExpiryDays/);
    expect(() => parseSeed({ ...testSeed(), settings: { lenient: true } })).toThrow(/lenient/);
  });

  it('reports a seed file that is not JSON', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'seed-')), 'seed.json');
    writeFileSync(path, '{ "workspaces": [');
    expect(() => loadSeedFile(path)).toThrow(/is not valid JSON/);
  });

  it('generates missing ids deterministically', () => {
    const first = EmulatorState.fromSeed(parseSeed(testSeed()));
    const second = EmulatorState.fromSeed(parseSeed(testSeed()));
    const ids = first.listUsers(ACME).map((user) => user.id);
    expect(ids).toEqual(second.listUsers(ACME).map((user) => user.id));
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(first.listGroups(ACME)[0].id).toBe(second.listGroups(ACME)[0].id);
  });
});
