import { RunningEmulator } from '../../emulator';
import { ACME, ApiClient, apiClient, firstError, roleId, startTestEmulator } from './support';

describe('user groups', () => {
  let emulator: RunningEmulator;
  let api: ApiClient;
  let managedId: string;

  beforeEach(async () => {
    emulator = await startTestEmulator();
    api = apiClient(emulator);
    managedId = (await api.get('/groups')).body.data.userGroups[0].id;
  });
  afterEach(() => emulator.stop());

  const memberEmails = async (groupId: string) => ({
    users: (await api.get(`/groups/${groupId}/users`)).body.data.users.map((user: { email: string }) => user.email).sort(),
    invites: (await api.get(`/groups/${groupId}/invites`)).body.data.emails.sort(),
  });

  it('lists groups with member counts and permissions', async () => {
    const reply = await api.get('/groups');
    expect(reply.status).toBe(200);
    expect(reply.body.data.userGroups).toEqual([{ id: managedId, name: 'Managed by segment-access', memberCount: 2, permissions: [] }]);
    expect(reply.body.data.pagination).toMatchObject({ totalEntries: 1 });
  });

  it('creates, reads, renames and deletes a group', async () => {
    const created = await api.post('/groups', { name: 'Auditors' });
    expect(created.status).toBe(200);
    const group = created.body.data.userGroup;
    expect(group).toEqual({ id: expect.stringMatching(/^[0-9A-Za-z]{27}$/), name: 'Auditors', memberCount: 0, permissions: [] });
    expect((await api.get(`/groups/${group.id}`)).body.data.userGroup.name).toBe('Auditors');
    expect((await api.patch(`/groups/${group.id}`, { name: 'Internal auditors' })).body.data.userGroup.name).toBe('Internal auditors');
    expect((await api.delete(`/groups/${group.id}`)).body).toEqual({ data: { status: 'SUCCESS' } });
    expect((await api.get(`/groups/${group.id}`)).status).toBe(404);
    expect((await api.delete(`/groups/${group.id}`)).status).toBe(404);
  });

  it('answers 409 to a duplicate name, on create and on rename', async () => {
    const duplicate = await api.post('/groups', { name: 'managed by SEGMENT-ACCESS' });
    expect(duplicate.status).toBe(409);
    expect(firstError(duplicate)).toMatchObject({ type: 'conflict', field: 'name' });
    const other = (await api.post('/groups', { name: 'Other' })).body.data.userGroup;
    expect((await api.patch(`/groups/${other.id}`, { name: 'Managed by segment-access' })).status).toBe(409);
    expect((await api.post('/groups', {})).status).toBe(422);
  });

  it('replaces and adds group permissions with the same validation as users', async () => {
    const replaced = await api.put(`/groups/${managedId}/permissions`, {
      permissions: [{ roleId: roleId('Tracking Plan Read-only'), resources: [{ id: ACME, type: 'WORKSPACE' }] }],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data.permissions[0]).toMatchObject({ roleName: 'Tracking Plan Read-only' });
    const added = await api.post(`/groups/${managedId}/permissions`, {
      permissions: [{ roleId: roleId('Unify and Engage Read-only'), resources: [{ id: 'spa-main', type: 'SPACE' }] }],
    });
    expect(added.body.data.permissions.map((p: { roleName: string }) => p.roleName)).toEqual([
      'Tracking Plan Read-only',
      'Unify and Engage Read-only',
    ]);
    const invalid = await api.put(`/groups/${managedId}/permissions`, {
      permissions: [{ roleId: roleId('Tracking Plan Admin'), resources: [{ id: 'src-web', type: 'SOURCE' }] }],
    });
    expect(invalid.status).toBe(422);
    expect((await api.get(`/groups/${managedId}`)).body.data.userGroup.permissions).toHaveLength(2);
  });

  it('adds users and pending invites by email and lists them apart', async () => {
    const group = (await api.post('/groups', { name: 'Readers' })).body.data.userGroup;
    const added = await api.post(`/groups/${group.id}/users`, { emails: ['alice@acme.com', 'Carol@acme.com'] });
    expect(added.status).toBe(200);
    expect(added.body.data.userGroup).toMatchObject({ id: group.id, memberCount: 2 });
    expect(await memberEmails(group.id)).toEqual({ users: ['alice@acme.com'], invites: ['carol@acme.com'] });
    // Adding an existing member again changes nothing.
    expect((await api.post(`/groups/${group.id}/users`, { emails: ['alice@acme.com'] })).body.data.userGroup.memberCount).toBe(2);
  });

  it('rejects an email that is neither a user nor a pending invite, naming it', async () => {
    const reply = await api.post(`/groups/${managedId}/users`, { emails: ['alice@acme.com', 'mallory@evil.com'] });
    expect(reply.status).toBe(422);
    expect(firstError(reply)).toMatchObject({ type: 'input-validation', field: 'emails[1]', message: expect.stringContaining('mallory@evil.com') });
    expect((await memberEmails(managedId)).users).toEqual(['bob@acme.com']);
  });

  it('rejects more than 200 emails in one call', async () => {
    const emails = Array.from({ length: 201 }, () => 'alice@acme.com');
    const reply = await api.post(`/groups/${managedId}/users`, { emails });
    expect(reply.status).toBe(422);
    expect(firstError(reply).field).toBe('emails');
  });

  it('replaces and removes members on the SINGULAR /group path only', async () => {
    expect((await api.put(`/groups/${managedId}/users`, { emails: ['alice@acme.com'] })).status).toBe(404);
    expect((await api.delete(`/groups/${managedId}/users?emails.0=bob%40acme.com`)).status).toBe(404);

    const replaced = await api.put(`/group/${managedId}/users`, { emails: ['alice@acme.com', 'carol@acme.com'] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data.userGroup.memberCount).toBe(2);
    expect(await memberEmails(managedId)).toEqual({ users: ['alice@acme.com'], invites: ['carol@acme.com'] });

    const removed = await api.delete(`/group/${managedId}/users?emails[0]=carol%40acme.com`);
    expect(removed.body).toEqual({ data: { status: 'SUCCESS' } });
    expect(await memberEmails(managedId)).toEqual({ users: ['alice@acme.com'], invites: [] });
    expect((await api.delete(`/group/${managedId}/users?emails.0=bob%40acme.com`)).status).toBe(404);
  });

  it('keeps a pending invite in its group when the invite is accepted', async () => {
    expect(await memberEmails(managedId)).toEqual({ users: ['bob@acme.com'], invites: ['carol@acme.com'] });
    const accepted = await fetch(`${emulator.url}/__emulator/workspaces/${ACME}/invites/accept`, {
      method: 'POST',
      body: JSON.stringify({ emails: ['carol@acme.com'] }),
    });
    expect(accepted.status).toBe(200);
    expect(await memberEmails(managedId)).toEqual({ users: ['bob@acme.com', 'carol@acme.com'], invites: [] });
    expect((await api.get('/invites')).body.data.invites).toEqual([]);
  });

  it('drops a deleted invite from its group', async () => {
    await api.delete('/invites?emails.0=carol%40acme.com');
    expect(await memberEmails(managedId)).toEqual({ users: ['bob@acme.com'], invites: [] });
    expect((await api.get(`/groups/${managedId}`)).body.data.userGroup.memberCount).toBe(1);
  });
});
