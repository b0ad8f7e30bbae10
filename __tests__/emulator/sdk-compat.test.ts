import type { IncomingMessage } from 'node:http';
import { AuditTrailApi, IAMGroupsApi, IAMRolesApi, IAMUsersApi, LabelsApi, SourcesApi, WarehousesApi, WorkspacesApi } from '@segment/public-api-sdk-typescript';
import { SegmentApiClient } from '../../api/client';
import { RunningEmulator } from '../../emulator';
import { ACME, ACME_TOKEN, roleId, startTestEmulator, testSeed } from './support';
import { ModelName, v73Problems } from './v73-models';

/**
 * The contract test: Segment's own TypeScript SDK (47.x, the newest on npm) drives the emulator,
 * in its default strict mode, through every endpoint SegmentApiClient uses. Each raw answer is also
 * checked against the v73 model (see v73-models.ts); where 47.x and v73 differ, v73 is asserted.
 */
type SdkResult = { response: IncomingMessage; body: unknown };

/** The `data` of the raw JSON answer (the `request` library keeps it on the response). */
function rawData(result: SdkResult): unknown {
  return ((result.response as IncomingMessage & { body: { data: unknown } }).body).data;
}

describe("Segment's TypeScript SDK against the emulator, endpoint by endpoint", () => {
  let emulator: RunningEmulator;
  /** Client-style endpoint keys ("METHOD /path/{id}") this file has driven with the SDK. */
  const covered = new Set<string>();
  const sdk = <T extends { accessToken: string | (() => string) }>(Api: new (basePath: string) => T): T => {
    const api = new Api(emulator.url);
    api.accessToken = ACME_TOKEN;
    return api;
  };
  /** Runs one SDK call, checks its status and its raw `data` against the v73 output model. */
  async function call(endpoint: string, model: ModelName, status: number, run: () => Promise<SdkResult>): Promise<any> {
    const result = await run();
    expect(result.response.statusCode).toBe(status);
    expect(v73Problems(model, rawData(result))).toEqual([]);
    // Every answer carries Segment's rate-limit headers (docs "Rate Limits").
    expect(result.response.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
    expect(new Date(String(result.response.headers['x-ratelimit-reset'])).toUTCString()).toBe(result.response.headers['x-ratelimit-reset']);
    covered.add(endpoint);
    return rawData(result);
  }

  beforeAll(async () => {
    const seed = testSeed();
    seed.workspaces[0].spaces = [{ id: 'spa-main', name: 'Main space', labels: { team: 'growth' } }];
    emulator = await startTestEmulator({ seed });
  });
  afterAll(() => emulator.stop());

  it('GET / and GET /roles', async () => {
    const workspace = await call('GET /', 'GetWorkspaceV1Output', 200, () => sdk(WorkspacesApi).getWorkspace());
    expect(workspace.workspace).toEqual({ id: ACME, slug: 'acme-prod', name: 'Acme Production' });
    const roles = await call('GET /roles', 'ListRolesV1Output', 200, () => sdk(IAMRolesApi).listRoles({ count: 1000 }));
    expect(roles.roles).toHaveLength(18);
    expect(roles.pagination.current).toBe('MA==');
  });

  it('GET /users page by page with its pagination[...] encoding, and GET /users/{id}', async () => {
    const users = sdk(IAMUsersApi);
    const first = await call('GET /users', 'ListUsersV1Output', 200, () => users.listUsers({ count: 1 }));
    expect(first.pagination).toMatchObject({ current: 'MA==', next: 'MQ==' });
    const second = await call('GET /users', 'ListUsersV1Output', 200, () => users.listUsers({ count: 1, cursor: first.pagination.next }));
    expect(second.users[0].id).not.toBe(first.users[0].id);
    expect(second.pagination.next).toBeUndefined();
    const bob = [...first.users, ...second.users].find((u: { email: string }) => u.email === 'bob@acme.com');
    const one = await call('GET /users/{id}', 'GetUserV1Output', 200, () => users.getUser(bob.id));
    expect(one.user.permissions.map((p: { roleName: string }) => p.roleName)).toEqual(['Minimal Workspace Access', 'Source Admin']);
  });

  it('POST /invites (201) with a label-scoped permission and no resources (v73 InvitePermissionV1), GET and DELETE /invites', async () => {
    const users = sdk(IAMUsersApi);
    const created = await call('POST /invites', 'CreateInvitesV1Output', 201, () =>
      users.createInvites({
        invites: [
          { email: 'sdk@acme.com', permissions: [{ roleId: roleId('Source Read-only'), labels: [{ key: 'environment', value: 'prod' }] }] },
          { email: 'gone@acme.com' },
        ],
      }),
    );
    expect(created.emails).toEqual(['sdk@acme.com', 'gone@acme.com']);
    const invites = await call('GET /invites', 'ListInvitesV1Output', 200, () => users.listInvites({ count: 50 }));
    expect(invites.invites).toEqual(expect.arrayContaining(['sdk@acme.com', 'gone@acme.com']));
    await call('DELETE /invites', 'DeleteInvitesV1Output', 200, () => users.deleteInvites(['gone@acme.com']));

    // Accepted, the label shows on the workspace resource it narrows (PermissionResourceV1.labels).
    const [user] = emulator.acceptInvites(ACME, ['sdk@acme.com']);
    const read = await call('GET /users/{id}', 'GetUserV1Output', 200, () => users.getUser(user.id));
    expect(read.user.permissions).toEqual([{ roleId: roleId('Source Read-only'), roleName: 'Source Read-only', resources: [{ id: ACME, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'prod' }] }] }]);
  });

  it('PUT and POST /users/{id}/permissions answer AccessPermissionV1 (v73), DELETE /users with its userIds[0] encoding', async () => {
    const users = sdk(IAMUsersApi);
    await users.createInvites({ invites: [{ email: 'perm@acme.com' }] });
    const [user] = emulator.acceptInvites(ACME, ['perm@acme.com']);
    const replaced = await call('PUT /users/{id}/permissions', 'ReplacePermissionsForUserV1Output', 200, () =>
      users.replacePermissionsForUser(user.id, { permissions: [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-web', type: 'SOURCE' as never }] }] }),
    );
    expect(replaced.permissions.map((p: { roleName: string }) => p.roleName)).toEqual(['Source Admin']);
    await call('POST /users/{id}/permissions', 'AddPermissionsToUserV1Output', 200, () =>
      users.addPermissionsToUser(user.id, { permissions: [{ roleId: roleId('Tracking Plan Read-only'), resources: [{ id: ACME, type: 'WORKSPACE' as never }] }] }),
    );
    const deleted = await call('DELETE /users', 'DeleteUsersV1Output', 200, () => users.deleteUsers([user.id]));
    expect(deleted.status).toBe('SUCCESS');
    await expect(users.getUser(user.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('every user-group endpoint, on the singular and plural paths it uses', async () => {
    const groups = sdk(IAMGroupsApi);
    const created = await call('POST /groups', 'CreateUserGroupV1Output', 200, () => groups.createUserGroup({ name: 'SDK group' }));
    const id = created.userGroup.id;
    await call('GET /groups', 'ListUserGroupsV1Output', 200, () => groups.listUserGroups({ count: 200 }));
    await call('GET /groups/{id}', 'GetUserGroupV1Output', 200, () => groups.getUserGroup(id));
    await call('PATCH /groups/{id}', 'UpdateUserGroupV1Output', 200, () => groups.updateUserGroup(id, { name: 'SDK group, renamed' }));
    await call('PUT /groups/{id}/permissions', 'ReplacePermissionsForUserGroupV1Output', 200, () =>
      groups.replacePermissionsForUserGroup(id, { permissions: [{ roleId: roleId('Unify Read-only, Engage User'), resources: [{ id: 'spa-main', type: 'SPACE' as never }] }] }),
    );
    await call('POST /groups/{id}/users', 'AddUsersToUserGroupV1Output', 200, () => groups.addUsersToUserGroup(id, { emails: ['alice@acme.com', 'carol@acme.com'] }));
    await call('PUT /group/{id}/users', 'ReplaceUsersInUserGroupV1Output', 200, () => groups.replaceUsersInUserGroup(id, { emails: ['alice@acme.com', 'bob@acme.com', 'carol@acme.com'] }));
    await call('DELETE /group/{id}/users', 'RemoveUsersFromUserGroupV1Output', 200, () => groups.removeUsersFromUserGroup(id, ['alice@acme.com']));
    const members = await call('GET /groups/{id}/users', 'ListUsersFromUserGroupV1Output', 200, () => groups.listUsersFromUserGroup(id, { count: 10 }));
    expect(members.users.map((u: { email: string }) => u.email)).toEqual(['bob@acme.com']);
    const invites = await call('GET /groups/{id}/invites', 'ListInvitesFromUserGroupV1Output', 200, () => groups.listInvitesFromUserGroup(id, { count: 10 }));
    expect(invites.emails).toEqual(['carol@acme.com']);
    await call('DELETE /groups/{id}', 'DeleteUserGroupV1Output', 200, () => groups.deleteUserGroup(id));
  });

  it('GET, POST (201) and DELETE /labels', async () => {
    const labels = sdk(LabelsApi);
    const list = await call('GET /labels', 'ListLabelsV1Output', 200, () => labels.listLabels());
    expect(list.labels).toContainEqual({ key: 'environment', value: 'prod' });
    await call('POST /labels', 'CreateLabelV1Output', 201, () => labels.createLabel({ label: { key: 'region', value: 'emea', description: 'Europe' } }));
    await call('DELETE /labels/{key}/{value}', 'DeleteLabelV1Output', 200, () => labels.deleteLabel('region', 'emea'));
  });

  it('GET /sources and GET /warehouses (SourceV1 and WarehouseV1), page by page', async () => {
    const first = await call('GET /sources', 'ListSourcesV1Output', 200, () => sdk(SourcesApi).listSources({ count: 1 }));
    expect(first.sources).toHaveLength(1);
    expect(first.pagination.next).toEqual(expect.any(String));
    const rest = await call('GET /sources', 'ListSourcesV1Output', 200, () => sdk(SourcesApi).listSources({ count: 200, cursor: first.pagination.next }));
    expect([...first.sources, ...rest.sources].map((x: { id: string }) => x.id).sort()).toEqual(expect.arrayContaining(['src-ios']));
    const warehouses = await call('GET /warehouses', 'ListWarehousesV1Output', 200, () => sdk(WarehousesApi).listWarehouses({ count: 10 }));
    expect(warehouses.warehouses.length).toBeGreaterThan(0);
  });

  it('GET /audit-events, and without pagination as v73 allows (47.x requires it)', async () => {
    const events = await call('GET /audit-events', 'ListAuditEventsV1Output', 200, () => sdk(AuditTrailApi).listAuditEvents({ count: 5 }, '2000-01-01T00:00:00Z'));
    expect(events.events).toHaveLength(5);
    const raw = await fetch(`${emulator.url}/audit-events`, { headers: { Authorization: `Bearer ${ACME_TOKEN}` } });
    const body = (await raw.json()) as { data: unknown };
    expect(v73Problems('ListAuditEventsV1Output', body.data)).toEqual([]);
  });

  it("a 422 reaches the SDK as an HttpError with Segment's RequestError envelope", async () => {
    const failure = await sdk(IAMUsersApi)
      .createInvites({ invites: [{ email: 'x@acme.com', permissions: [{ roleId: roleId('Warehouse Destination Admin'), resources: [{ id: 'wh-snowflake', type: 'WAREHOUSE' as never }] }] }] })
      .catch((error: unknown) => error);
    // The SDK is compiled to ES5, so `instanceof HttpError` is false; check its shape instead.
    expect(failure).toMatchObject({ name: 'HttpError', statusCode: 422 });
    const body = (failure as { body: unknown }).body;
    expect(v73Problems('RequestErrorEnvelope', body)).toEqual([]);
    expect((body as { errors: Array<{ type: string; field: string }> }).errors[0]).toMatchObject({ type: 'input-validation', field: 'invites[0].permissions[0].resources[0].type' });
  });

  it('covers every endpoint SegmentApiClient uses', async () => {
    const client = new SegmentApiClient({ token: ACME_TOKEN, baseUrl: emulator.url });
    const bob = (await client.listUsers()).find((u) => u.email === 'bob@acme.com')!;
    await client.getWorkspace();
    await client.getUser(bob.id);
    await client.listRoles();
    await client.listInvites();
    await client.listLabels();
    await client.listAuditEvents();
    await client.listSources();
    await client.listWarehouses();
    await client.createInvites([{ email: 'cover@acme.com' }]);
    const group = await client.createGroup('Coverage');
    await client.getGroup(group.id);
    await client.renameGroup(group.id, 'Coverage 2');
    await client.listGroups();
    await client.replaceGroupPermissions(group.id, []);
    await client.addGroupMembers(group.id, ['cover@acme.com']);
    await client.replaceGroupMembers(group.id, ['cover@acme.com', 'bob@acme.com']);
    await client.listGroupUsers(group.id);
    await client.listGroupInvites(group.id);
    await client.removeGroupMembers(group.id, ['bob@acme.com']);
    await client.deleteGroup(group.id);
    await client.deleteInvites(['cover@acme.com']);
    await client.addUserPermissions(bob.id, [{ roleId: roleId('Source Read-only'), resources: [{ id: 'src-ios', type: 'SOURCE' }] }]);
    await client.replaceUserPermissions(bob.id, [{ roleId: roleId('Source Read-only'), resources: [{ id: 'src-ios', type: 'SOURCE' }] }]);
    await client.deleteUsers([bob.id]);
    await client.acceptsPageSize(1000);
    await client.auditTrailCursorSample();
    const used = Object.keys(client.stats.byEndpoint).sort();
    const plumbing = ['constructor', 'call', 'listAll', 'stats', 'resetStats', 'atMostOnce', 'repeatPolicy', 'sendOnce', 'deleteOnce', 'deleteInBatches', 'createInviteBatch', 'alreadyPresent'];
    const methods = Object.getOwnPropertyNames(SegmentApiClient.prototype).filter((name) => !plumbing.includes(name));
    // Every public method was exercised above (a new method fails here until it is added, with its endpoint, to this file).
    expect(methods.sort()).toEqual(
      ['acceptsPageSize', 'auditTrailCursorSample', 'addGroupMembers', 'addUserPermissions', 'createGroup', 'createInvites', 'deleteGroup', 'deleteInvites', 'deleteUsers', 'getGroup', 'getUser', 'getWorkspace', 'listAuditEvents', 'listGroupInvites', 'listGroupUsers', 'listGroups', 'listInvites', 'listLabels', 'listRoles', 'listSources', 'listUsers', 'listWarehouses', 'removeGroupMembers', 'renameGroup', 'replaceGroupMembers', 'replaceGroupPermissions', 'replaceUserPermissions'].sort(),
    );
    expect(used.filter((endpoint) => !covered.has(endpoint))).toEqual([]);
  });
});
