import { AuditEventType, RunningEmulator } from '../../emulator';
import { ACME, ACME_TOKEN, ApiClient, apiClient, firstError, roleId, startTestEmulator, userIdByEmail } from './support';

/** GET /audit-events (SDK api/auditTrailApi.ts) returning AuditEventV1 for what the API's own calls did. */
describe('audit trail', () => {
  let emulator: RunningEmulator;
  let api: ApiClient;
  beforeEach(async () => {
    emulator = await startTestEmulator();
    api = apiClient(emulator);
  });
  afterEach(() => emulator.stop());

  const events = async (query = '') => (await api.get(`/audit-events${query}`)).body.data.events as Array<Record<string, string>>;

  it('records the events Segment documents for each write, with the token as actor, newest first', async () => {
    await api.post('/invites', { invites: [{ email: 'new@acme.com', permissions: [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-web', type: 'SOURCE' }] }] }, { email: 'bob@acme.com' }] });
    const bobId = await userIdByEmail(api, 'bob@acme.com');
    // bob is already a member: the whole call was rejected and left no trace.
    expect(await events()).toEqual([]);
    await api.post('/invites', { invites: [{ email: 'new@acme.com', permissions: [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-web', type: 'SOURCE' }] }] }] });
    await api.put(`/users/${bobId}/permissions`, { permissions: [{ roleId: roleId('Source Read-only'), resources: [{ id: 'src-ios', type: 'SOURCE' }] }] });
    const group = (await api.post('/groups', { name: 'Auditors' })).body.data.userGroup;
    await api.post(`/groups/${group.id}/users`, { emails: ['new@acme.com'] });
    await api.delete('/invites?emails.0=new%40acme.com');

    const trail = await events();
    expect(trail.map((e) => `${e.type} | ${e.resourceType} ${e.resourceName}`)).toEqual([
      'Group Memberships Deleted | INVITE new@acme.com',
      'Invite Deleted | INVITE new@acme.com',
      'Subjects Added to Group | USER_GROUP Auditors',
      'User Group Created | USER_GROUP Auditors',
      'Policy Created | USER bob@acme.com',
      'Policy Deleted | USER bob@acme.com',
      'Policy Created | INVITE new@acme.com',
      'Non-Segment User Invited to Workspace | INVITE new@acme.com',
    ]);
    for (const event of trail) {
      // AuditEventV1 (SDK model/auditEventV1.ts), and the token never appears.
      expect(Object.keys(event).sort()).toEqual(['actor', 'id', 'resourceId', 'resourceName', 'resourceType', 'timestamp', 'type']);
      expect(event.actor).toBe('api-token:acme-prod:1');
      expect(JSON.stringify(event)).not.toContain(ACME_TOKEN);
      expect(Date.parse(event.timestamp)).not.toBeNaN();
    }
    expect(trail.find((e) => e.resourceName === 'bob@acme.com')!.resourceId).toBe(bobId);
  });

  it('names the invitee as the actor when an invite is accepted, and "New Segment User" for someone already on Segment', async () => {
    await api.post('/invites', { invites: [{ email: 'dave@beta.io' }] });
    emulator.acceptInvites(ACME, ['carol@acme.com']);
    const trail = await events();
    expect(trail[0]).toMatchObject({ type: AuditEventType.INVITE_ACCEPTED, actor: 'carol@acme.com', actorEmail: 'carol@acme.com', resourceType: 'USER', resourceName: 'carol@acme.com' });
    expect(trail[1]).toMatchObject({ type: 'New Segment User Invited to Workspace', resourceName: 'dave@beta.io' });
  });

  it('filters by startTime, endTime, resourceId and resourceType, and paginates', async () => {
    for (const name of ['A', 'B', 'C']) await api.post('/groups', { name });
    const outside = await fetch(`${emulator.url}/__emulator/workspaces/${ACME}/audit-events`, {
      method: 'POST',
      body: JSON.stringify({ type: 'User Removed', actor: 'usr_admin', actorEmail: 'admin@acme.com', resourceId: 'usr_x', resourceType: 'USER', resourceName: 'x@acme.com', timestamp: '2020-01-01T00:00:00Z' }),
    });
    expect(outside.status).toBe(201);
    expect(await events('?resourceType=USER_GROUP')).toHaveLength(3);
    expect(await events('?resourceId=usr_x')).toEqual([expect.objectContaining({ actor: 'usr_admin', actorEmail: 'admin@acme.com', timestamp: '2020-01-01T00:00:00.000Z' })]);
    expect(await events('?startTime=2021-01-01T00:00:00Z')).toHaveLength(3);
    expect(await events('?endTime=2021-01-01T00:00:00Z')).toHaveLength(1);
    const first = (await api.get('/audit-events?pagination.count=2')).body.data;
    expect(first.events).toHaveLength(2);
    expect(first.pagination).toMatchObject({ current: 'MA==', next: 'Mg==', totalEntries: 4 });
    const second = (await api.get('/audit-events?pagination.count=2&pagination.cursor=Mg%3D%3D')).body.data;
    expect(second.events.map((e: { id: string }) => e.id)).not.toContain(first.events[0].id);
    const bad = await api.get('/audit-events?startTime=yesterday');
    expect(bad.status).toBe(422);
    expect(firstError(bad)).toMatchObject({ type: 'input-validation', field: 'startTime' });
  });

  it('keeps the trail in the state file snapshot and refuses to invent events for unknown workspaces', async () => {
    await api.post('/groups', { name: 'Persisted' });
    expect(emulator.state.dump().workspaces.find((w) => w.id === ACME)!.auditEvents).toHaveLength(1);
    const unknown = await fetch(`${emulator.url}/__emulator/workspaces/ws-nope/audit-events`, {
      method: 'POST',
      body: JSON.stringify({ type: 'x', actor: 'a', resourceId: 'r', resourceType: 'USER', resourceName: 'n' }),
    });
    expect(unknown.status).toBe(404);
  });
});
