import { SegmentApiClient } from '../../api/client';
import { EmulatorProfile, findRoleByName, profileSettings, RunningEmulator } from '../../emulator';
import { ACME, ACME_TOKEN, startTestEmulator } from '../emulator/support';

// Every write method of the client, with the response of its write lost after Segment applied it
// (the fault injector's lostResponses). Under the profile where Segment allows two groups with one
// name, answers 422 for existing invitees and deletes what it can of a batch.

const role = (name: string) => findRoleByName(name)!.id;
const onWorkspace = (name: string) => [{ roleId: role(name), resources: [{ id: ACME, type: 'WORKSPACE' as const }] }];

describe.each([EmulatorProfile.DEFAULTS, EmulatorProfile.CASE_PRESERVING])('a lost response on each client write (%s profile)', (profile) => {
  let emulator: RunningEmulator;
  let client: SegmentApiClient;
  beforeEach(async () => {
    emulator = await startTestEmulator({ settings: profileSettings(profile) });
    client = new SegmentApiClient({ token: ACME_TOKEN, baseUrl: emulator.url, sleep: async () => undefined });
  });
  afterEach(() => emulator.stop());

  const loseNext = (route: string) => emulator.setFaults({ lostResponses: { count: 1, routes: [route] } });
  const state = () => emulator.state;
  const bob = () => state().listUsers(ACME).find((u) => u.email === 'bob@acme.com')!;
  const group = () => state().listGroups(ACME)[0];

  test('POST /groups: read again, not repeated; one group, and its id is returned', async () => {
    loseNext('POST /groups');
    const created = await client.createGroup('Auditors');
    expect(state().listGroups(ACME).filter((g) => g.name === 'Auditors').map((g) => g.id)).toEqual([created.id]);
    expect(client.stats.byEndpoint['POST /groups']).toBe(1);
    expect(client.stats.byEndpoint['GET /groups']).toBe(1);
  });

  test('POST /invites: read again, not repeated; invited once, no "already invited" error', async () => {
    loseNext('POST /invites');
    expect(await client.createInvites([{ email: 'new@acme.com', permissions: onWorkspace('Source Read-only') }])).toEqual(['new@acme.com']);
    expect(state().listInvites(ACME).filter((i) => i.email === 'new@acme.com')).toHaveLength(1);
    expect(client.stats.byEndpoint['POST /invites']).toBe(1);
    expect(client.stats.byEndpoint['GET /invites']).toBe(1);
  });

  test('DELETE /users, /invites, /group/{id}/users and /groups/{id}: read again; only what is left is sent again', async () => {
    loseNext('DELETE /group/{userGroupId}/users');
    await client.removeGroupMembers(group().id, ['bob@acme.com']);
    expect(group().memberEmails).toEqual(['carol@acme.com']);
    loseNext('DELETE /users');
    await client.deleteUsers([bob().id]);
    expect(state().listUsers(ACME).map((u) => u.email)).toEqual(['alice@acme.com']);
    loseNext('DELETE /invites');
    await client.deleteInvites(['carol@acme.com']);
    expect(state().listInvites(ACME)).toEqual([]);
    loseNext('DELETE /groups/{userGroupId}');
    await client.deleteGroup(group().id);
    expect(state().listGroups(ACME)).toEqual([]);
    for (const endpoint of ['DELETE /users', 'DELETE /invites', 'DELETE /group/{id}/users', 'DELETE /groups/{id}']) expect(client.stats.byEndpoint[endpoint]).toBe(1);
  });

  test('PUT and POST permissions, group members and PATCH: repeated as they are (the same result twice)', async () => {
    const steps: [string, () => Promise<unknown>][] = [
      ['PUT /users/{userId}/permissions', () => client.replaceUserPermissions(bob().id, onWorkspace('Source Admin'))],
      ['POST /users/{userId}/permissions', () => client.addUserPermissions(bob().id, onWorkspace('Tracking Plan Read-only'))],
      ['PUT /groups/{userGroupId}/permissions', () => client.replaceGroupPermissions(group().id, onWorkspace('Source Read-only'))],
      ['POST /groups/{userGroupId}/users', () => client.addGroupMembers(group().id, ['alice@acme.com'])],
      ['PUT /group/{userGroupId}/users', () => client.replaceGroupMembers(group().id, ['alice@acme.com', 'bob@acme.com'])],
      ['PATCH /groups/{userGroupId}', () => client.renameGroup(group().id, 'Renamed')],
    ];
    for (const [route, step] of steps) {
      loseNext(route);
      await step();
    }
    expect(bob().permissions.map((p) => findRoleByName('Source Admin')!.id === p.roleId || findRoleByName('Tracking Plan Read-only')!.id === p.roleId)).toEqual([true, true]);
    expect(group()).toMatchObject({ name: 'Renamed', memberEmails: ['alice@acme.com', 'bob@acme.com'] });
    expect(group().permissions.map((p) => p.roleId)).toEqual([role('Source Read-only')]);
    expect(client.stats.retries).toBe(steps.length);
  });
});
