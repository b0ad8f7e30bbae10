import { EmulatorClock, EmulatorState, DAY_MS, parseSeed } from '../../emulator';

/** The default invite expiry (settings.inviteExpiryDays = 7). */
const INVITE_TTL_MS = 7 * DAY_MS;
import { ACME, ACME_TOKEN, BETA_TOKEN, roleId, testSeed } from './support';

const workspaceGrant = (role: string) => ({ roleId: roleId(role), resources: [{ id: ACME, type: 'WORKSPACE' }] });

function freshState(): EmulatorState {
  return EmulatorState.fromSeed(parseSeed(testSeed()), new EmulatorClock(0, () => Date.parse('2025-01-01T00:00:00Z')));
}

function userByEmail(state: EmulatorState, email: string) {
  const user = state.listUsers(ACME).find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no user ${email}`);
  return user;
}

describe('EmulatorState domain rules', () => {
  it('maps each token to its own workspace only', () => {
    const state = freshState();
    expect(state.workspaceIdForToken(ACME_TOKEN)).toBe(ACME);
    expect(state.workspaceIdForToken(BETA_TOKEN)).toBe('ws-beta');
    expect(state.workspaceIdForToken('nope')).toBeUndefined();
  });

  it('accepting an invite creates a user with the invite permissions and keeps group membership', () => {
    const state = freshState();
    const group = state.listGroups(ACME)[0];
    const user = state.acceptInvite(ACME, 'Carol@Acme.com');
    expect(user).toMatchObject({ name: 'Carol', email: 'carol@acme.com' });
    expect(user.id).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(user.permissions).toEqual([
      { roleId: roleId('Source Read-only'), resources: [{ id: ACME, type: 'WORKSPACE', labels: [] }] },
    ]);
    expect(state.listInvites(ACME)).toEqual([]);
    const members = state.groupMembers(ACME, group.id);
    expect(members.users.map((member) => member.email).sort()).toEqual(['bob@acme.com', 'carol@acme.com']);
    expect(members.invites).toEqual([]);
  });

  it('invites expire after seven days: kept with invitedAt, not acceptable, and not re-invitable until deleted', () => {
    const state = freshState();
    state.createInvites(ACME, [{ email: 'erin@acme.com' }]);
    const invitedAt = state.listInvites(ACME).find((invite) => invite.email === 'erin@acme.com')?.invitedAt;
    expect(invitedAt).toBe('2025-01-01T00:00:00.000Z');
    state.advanceClock(INVITE_TTL_MS - 1);
    expect(state.isInviteExpired(state.listInvites(ACME)[0])).toBe(false);
    state.advanceClock(1);
    expect(state.isInviteExpired(state.listInvites(ACME)[0])).toBe(true);
    expect(() => state.acceptInvite(ACME, 'erin@acme.com')).toThrow(/expired at 2025-01-08T00:00:00.000Z/);
    expect(() => state.createInvites(ACME, [{ email: 'erin@acme.com' }])).toThrow(/expired .*delete it before inviting again/);
    state.deleteInvites(ACME, ['erin@acme.com']);
    expect(state.createInvites(ACME, [{ email: 'erin@acme.com' }])).toEqual(['erin@acme.com']);
  });

  it('rejects a whole invite call that would exceed the seat limit and applies nothing', () => {
    const state = freshState();
    const emails = Array.from({ length: 8 }, (_, index) => ({ email: `new${index}@acme.com` }));
    expect(state.seatsUsed(ACME)).toBe(3);
    expect(() => state.createInvites(ACME, emails)).toThrow('Seat limit exceeded: 3 of 10 seats used');
    expect(state.listInvites(ACME)).toHaveLength(1);
    expect(state.createInvites(ACME, emails.slice(0, 7))).toHaveLength(7);
    expect(state.seatsUsed(ACME)).toBe(10);
  });

  it('removes deleted users and deleted invites from groups', () => {
    const state = freshState();
    const group = state.listGroups(ACME)[0];
    state.deleteUsers(ACME, [userByEmail(state, 'bob@acme.com').id]);
    state.deleteInvites(ACME, ['carol@acme.com']);
    expect(state.getGroup(ACME, group.id).memberEmails).toEqual([]);
  });

  it('never lets the workspace lose its last owner, whatever the call', () => {
    const state = freshState();
    const alice = userByEmail(state, 'alice@acme.com');
    const revision = state.revision;
    expect(() => state.deleteUsers(ACME, [alice.id])).toThrow(/without a Workspace Owner/);
    expect(() => state.replaceUserPermissions(ACME, alice.id, [workspaceGrant('Minimal Workspace Access')])).toThrow(
      /without a Workspace Owner/,
    );
    expect(state.revision).toBe(revision);
    expect(state.getUser(ACME, alice.id).permissions[0].roleId).toBe(roleId('Workspace Owner'));

    // Ownership through a group counts: once Bob owns via the group, Alice may go.
    const group = state.listGroups(ACME)[0];
    state.replaceGroupPermissions(ACME, group.id, [workspaceGrant('Workspace Owner')]);
    state.deleteUsers(ACME, [alice.id]);
    expect(() => state.removeGroupMembers(ACME, group.id, ['bob@acme.com'])).toThrow(/without a Workspace Owner/);
    expect(() => state.deleteGroup(ACME, group.id)).toThrow(/without a Workspace Owner/);
  });

  it('adding permissions merges resources and labels of the same role', () => {
    const state = freshState();
    const bob = userByEmail(state, 'bob@acme.com');
    const sourceAdmin = roleId('Source Admin');
    const merged = state.addUserPermissions(ACME, bob.id, [
      { roleId: sourceAdmin, resources: [{ id: 'src-ios', type: 'SOURCE' }, { id: 'src-web', type: 'SOURCE' }] },
    ]);
    expect(merged.filter((permission) => permission.roleId === sourceAdmin)).toEqual([
      {
        roleId: sourceAdmin,
        resources: [
          { id: 'src-web', type: 'SOURCE', labels: [] },
          { id: 'src-ios', type: 'SOURCE', labels: [] },
        ],
      },
    ]);
    expect(merged).toHaveLength(2);
  });

  it('dumps every workspace without tokens and restores from the dump', () => {
    const state = freshState();
    state.createGroup(ACME, 'Auditors');
    const dump = state.dump();
    const text = JSON.stringify(dump);
    expect(text).not.toContain(ACME_TOKEN);
    expect(text).not.toContain(BETA_TOKEN);
    expect(text).not.toMatch(/tokens/);
    expect(dump.workspaces.map((workspace) => workspace.id)).toEqual([ACME, 'ws-beta']);

    const restored = EmulatorState.fromSeed(parseSeed(testSeed()));
    restored.restore(JSON.parse(text));
    expect(restored.listGroups(ACME).map((group) => group.name)).toContain('Auditors');
    expect(restored.workspaceIdForToken(ACME_TOKEN)).toBe(ACME);
    expect(() => restored.restore({ ...dump, workspaces: [{ ...dump.workspaces[0], id: 'ws-other' }] })).toThrow(
      /not in the seed.*ws-other/,
    );
  });
});
