import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorState, findRoleByName, loadSeedFile, parseSeed, ROLE_CATALOG, SeedError } from '../../emulator';
import { ACME, testSeed } from './support';

describe('role catalog', () => {
  it('has the sixteen Segment roles with unique 27-character alphanumeric ids', () => {
    expect(ROLE_CATALOG.map((role) => role.name)).toEqual([
      'Workspace Owner',
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

  it('keeps role ids stable between runs (derived from the name)', () => {
    expect(findRoleByName('Workspace Owner')?.id).toBe('eHAwVutvwEVziJycVH5Ndw58Kdu');
  });

  it.each([
    ['Workspace Owner', ['WORKSPACE']],
    ['Minimal Workspace Access', ['WORKSPACE']],
    ['Source Read-only', ['WORKSPACE', 'SOURCE']],
    ['Warehouse Destination Admin', ['WORKSPACE', 'WAREHOUSE']],
    ['Function Admin', ['WORKSPACE', 'FUNCTION']],
    ['Identity Admin', ['WORKSPACE', 'SPACE']],
    ['Entities Read-only', ['WORKSPACE', 'SPACE']],
    ['Tracking Plan Admin', ['WORKSPACE']],
  ])('%s may be granted on %j', (name, types) => {
    expect(findRoleByName(name)?.grantableOn).toEqual(types);
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
