import { RunningEmulator } from '../../emulator';
import { ACME, ApiClient, apiClient, firstError, roleId, startTestEmulator, userIdByEmail } from './support';

describe('users and their permissions', () => {
  let emulator: RunningEmulator;
  let api: ApiClient;
  let bobId: string;
  let aliceId: string;

  beforeEach(async () => {
    emulator = await startTestEmulator();
    api = apiClient(emulator);
    bobId = await userIdByEmail(api, 'bob@acme.com');
    aliceId = await userIdByEmail(api, 'alice@acme.com');
  });
  afterEach(() => emulator.stop());

  it('lists users as UserV1 with role names and labelled resources', async () => {
    const reply = await api.get('/users');
    expect(reply.status).toBe(200);
    const bob = reply.body.data.users.find((user: { id: string }) => user.id === bobId);
    expect(bob).toEqual({
      id: bobId,
      name: 'Bob Builder',
      email: 'bob@acme.com',
      permissions: [
        { roleId: roleId('Minimal Workspace Access'), roleName: 'Minimal Workspace Access', resources: [{ id: ACME, type: 'WORKSPACE', labels: [] }] },
        { roleId: roleId('Source Admin'), roleName: 'Source Admin', resources: [{ id: 'src-web', type: 'SOURCE', labels: [] }] },
      ],
    });
    expect(reply.body.data.pagination.totalEntries).toBe(2);
  });

  it('gets one user, and 404s an unknown one', async () => {
    expect((await api.get(`/users/${bobId}`)).body.data.user.email).toBe('bob@acme.com');
    const missing = await api.get('/users/nobody');
    expect(missing.status).toBe(404);
    expect(firstError(missing)).toMatchObject({ type: 'not-found', message: expect.stringContaining('nobody') });
  });

  it('PUT replaces permissions and returns them with role names', async () => {
    const reply = await api.put(`/users/${bobId}/permissions`, {
      permissions: [
        {
          roleId: roleId('Source Read-only'),
          resources: [{ id: ACME, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'prod' }] }],
        },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data.permissions).toEqual([
      {
        roleId: roleId('Source Read-only'),
        roleName: 'Source Read-only',
        resources: [{ id: ACME, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'prod' }] }],
      },
    ]);
    expect((await api.get(`/users/${bobId}`)).body.data.user.permissions).toHaveLength(1);
  });

  it('POST adds permissions, merging with what the user has', async () => {
    const reply = await api.post(`/users/${bobId}/permissions`, {
      permissions: [
        { roleId: roleId('Source Admin'), resources: [{ id: 'src-ios', type: 'SOURCE' }] },
        { roleId: roleId('Warehouse Destination Read-only'), resources: [{ id: ACME, type: 'WORKSPACE' }] },
      ],
    });
    expect(reply.status).toBe(200);
    const byRole = Object.fromEntries(
      reply.body.data.permissions.map((p: any) => [p.roleName, p.resources.map((r: any) => r.id)]),
    );
    expect(byRole).toEqual({
      'Minimal Workspace Access': [ACME],
      'Source Admin': ['src-web', 'src-ios'],
      'Warehouse Destination Read-only': [ACME],
    });
  });

  describe('validation like Segment', () => {
    const grant = (role: string, resource: Record<string, unknown>) => ({
      permissions: [{ roleId: roleId(role), resources: [resource] }],
    });

    it.each([
      ['an unknown role id', { permissions: [{ roleId: 'role-nope', resources: [{ id: ACME, type: 'WORKSPACE' }] }] }, 'permissions[0].roleId', /Unknown role id "role-nope"/],
      ['a resource type that does not exist', grant('Source Admin', { id: 'dst-1', type: 'DESTINATION' }), 'permissions[0].resources[0].type', /Unknown resource type "DESTINATION"/],
      ['a type the role cannot be granted on', grant('Workspace Owner', { id: 'src-web', type: 'SOURCE' }), 'permissions[0].resources[0].type', /"Workspace Owner" cannot be granted on a SOURCE/],
      ['a source id that is not in the workspace', grant('Source Admin', { id: 'src-android', type: 'SOURCE' }), 'permissions[0].resources[0].id', /No SOURCE with id "src-android"/],
      ['another workspace id', grant('Source Admin', { id: 'ws-beta', type: 'WORKSPACE' }), 'permissions[0].resources[0].id', /is not this workspace/],
      ['a function on a source role', grant('Source Admin', { id: 'fn-enrich', type: 'FUNCTION' }), 'permissions[0].resources[0].type', /can be granted on WORKSPACE or SOURCE/],
      ['a label not in GET /labels', grant('Source Admin', { id: ACME, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'qa' }] }), 'permissions[0].resources[0].labels[0]', /Label "environment:qa" does not exist .* POST \/labels/],
      ['labels on a single source', grant('Source Admin', { id: 'src-web', type: 'SOURCE', labels: [{ key: 'environment', value: 'prod' }] }), 'permissions[0].resources[0].labels', /put them on the WORKSPACE resource/],
      ['labels on a role they cannot narrow', grant('Tracking Plan Read-only', { id: ACME, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'prod' }] }), 'permissions[0].resources[0].labels', /cannot be narrowed by labels/],
      ['a warehouse role on one warehouse', grant('Warehouse Destination Admin', { id: 'wh-snowflake', type: 'WAREHOUSE' }), 'permissions[0].resources[0].type', /only on the whole workspace/],
      ['Tracking Plan Admin on a source', grant('Tracking Plan Admin', { id: 'src-web', type: 'SOURCE' }), 'permissions[0].resources[0].type', /only on the whole workspace/],
      ['Identity Admin on a space', grant('Identity Admin', { id: 'spa-main', type: 'SPACE' }), 'permissions[0].resources[0].type', /only on the whole workspace/],
      ['End User Privacy Admin on a space', grant('End User Privacy Admin', { id: 'spa-main', type: 'SPACE' }), 'permissions[0].resources[0].type', /only on the whole workspace/],
      ['a field PermissionInputV1 does not have', { permissions: [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-web', type: 'SOURCE' }], labels: [] }] }, 'permissions[0].labels', /not a field Segment accepts/],
      ['no resources', { permissions: [{ roleId: roleId('Source Admin'), resources: [] }] }, 'permissions[0].resources', /at least one resource/],
      ['a missing permissions field', {}, 'permissions', /Invalid permissions/],
    ])('rejects %s with 422 and the field', async (_case, body, field, message) => {
      const before = (await api.get(`/users/${bobId}`)).body.data.user.permissions;
      const reply = await api.put(`/users/${bobId}/permissions`, body);
      expect(reply.status).toBe(422);
      expect(firstError(reply)).toMatchObject({ type: 'input-validation', field, message: expect.stringMatching(message) });
      expect((await api.get(`/users/${bobId}`)).body.data.user.permissions).toEqual(before);
    });

    it('rejects a malformed JSON body with 422', async () => {
      const reply = await api.put(`/users/${bobId}/permissions`, '{"permissions": [');
      expect(reply.status).toBe(422);
      expect(firstError(reply)).toMatchObject({ type: 'input-validation', message: expect.stringMatching(/Malformed JSON/) });
    });

    it('accepts labels that exist on some source and grants on warehouses, functions and spaces', async () => {
      const reply = await api.put(`/users/${bobId}/permissions`, {
        permissions: [
          { roleId: roleId('Source Admin'), resources: [{ id: ACME, type: 'WORKSPACE', labels: [{ key: 'team', value: 'growth' }] }] },
          { roleId: roleId('Function Read-only'), resources: [{ id: 'fn-enrich', type: 'FUNCTION' }] },
          { roleId: roleId('Entities Admin'), resources: [{ id: 'spa-main', type: 'SPACE' }] },
        ],
      });
      expect(reply.status).toBe(200);
      expect(reply.body.data.permissions).toHaveLength(3);
    });
  });

  it('DELETE /users removes users given as userIds.0 or userIds[0]', async () => {
    await api.post('/invites', { invites: [{ email: 'x1@acme.com' }, { email: 'x2@acme.com' }] });
    const [x1, x2] = emulator.acceptInvites(ACME, ['x1@acme.com', 'x2@acme.com']);
    expect((await api.delete(`/users?userIds.0=${x1.id}`)).body).toEqual({ data: { status: 'SUCCESS' } });
    expect((await api.delete(`/users?userIds%5B0%5D=${x2.id}&userIds%5B1%5D=${bobId}`)).status).toBe(200);
    const remaining = (await api.get('/users')).body.data.users.map((user: { id: string }) => user.id);
    expect(remaining).toEqual([aliceId]);
  });

  it('DELETE /users with an unknown id is a 404 and deletes nothing', async () => {
    const reply = await api.delete(`/users?userIds.0=${bobId}&userIds.1=ghost`);
    expect(reply.status).toBe(404);
    expect(firstError(reply).message).toContain('"ghost"');
    expect((await api.get(`/users/${bobId}`)).status).toBe(200);
  });

  it('refuses to delete or demote the last Workspace Owner', async () => {
    const deletion = await api.delete(`/users?userIds[0]=${aliceId}`);
    expect(deletion.status).toBe(422);
    expect(firstError(deletion)).toMatchObject({ type: 'input-validation', message: expect.stringMatching(/without a Workspace Owner/) });
    const demotion = await api.put(`/users/${aliceId}/permissions`, {
      permissions: [{ roleId: roleId('Minimal Workspace Access'), resources: [{ id: ACME, type: 'WORKSPACE' }] }],
    });
    expect(demotion.status).toBe(422);

    // With a second owner, the first one may go.
    await api.post(`/users/${bobId}/permissions`, {
      permissions: [{ roleId: roleId('Workspace Owner'), resources: [{ id: ACME, type: 'WORKSPACE' }] }],
    });
    expect((await api.delete(`/users?userIds.0=${aliceId}`)).status).toBe(200);
  });

  it("lists a user's groups", async () => {
    const reply = await api.get(`/users/${bobId}/groups`);
    expect(reply.status).toBe(200);
    expect(reply.body.data.groups.map((group: { name: string }) => group.name)).toEqual(['Managed by segment-access']);
    expect((await api.get(`/users/${aliceId}/groups`)).body.data.groups).toEqual([]);
  });
});
