import { IAMGroupsApi, IAMRolesApi, IAMUsersApi, WorkspacesApi } from '@segment/public-api-sdk-typescript';
import { RunningEmulator } from '../../emulator';
import { ACME, ACME_TOKEN, roleId, startTestEmulator } from './support';

/** Segment's own SDK, pointed at the emulator: proves paths, query serialisation and models line up. */
describe("Segment's TypeScript SDK against the emulator", () => {
  let emulator: RunningEmulator;
  const client = <T extends { accessToken: string | (() => string) }>(Api: new (basePath: string) => T): T => {
    const api = new Api(emulator.url);
    api.accessToken = ACME_TOKEN;
    return api;
  };
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  it('reads the workspace and roles', async () => {
    const workspace = await client(WorkspacesApi).getWorkspace();
    expect(workspace.body.data?.workspace).toEqual({ id: ACME, slug: 'acme-prod', name: 'Acme Production' });
    const roles = await client(IAMRolesApi).listRoles({ count: 200 });
    expect(roles.body.data?.roles.map((role) => role.name)).toContain('Source Admin');
    expect(roles.body.data?.roles).toHaveLength(16);
  });

  it('lists users page by page with its own pagination[...] encoding', async () => {
    const users = client(IAMUsersApi);
    const first = await users.listUsers({ count: 1 });
    expect(first.response.statusCode).toBe(200);
    expect(first.body.data?.users).toHaveLength(1);
    const next = first.body.data?.pagination.next;
    expect(next).toBeTruthy();
    const second = await users.listUsers({ count: 1, cursor: next as string });
    expect(second.body.data?.users[0].id).not.toBe(first.body.data?.users[0].id);
    expect(second.body.data?.pagination.next).toBeFalsy();
    const bob = [...(first.body.data?.users ?? []), ...(second.body.data?.users ?? [])].find((u) => u.email === 'bob@acme.com');
    expect(bob?.permissions?.map((permission) => permission.roleName)).toEqual(['Minimal Workspace Access', 'Source Admin']);
  });

  it('creates an invite (201), sees it listed, and gets a 409 HttpError for a duplicate', async () => {
    const users = client(IAMUsersApi);
    const created = await users.createInvites({
      invites: [{ email: 'sdk@acme.com', permissions: [{ roleId: roleId('Source Read-only'), resources: [{ id: 'src-web', type: 'SOURCE' as any }] }] }],
    });
    expect(created.response.statusCode).toBe(201);
    expect(created.body.data?.emails).toEqual(['sdk@acme.com']);
    const invites = await users.listInvites({ count: 50 });
    expect(invites.body.data?.invites).toContain('sdk@acme.com');

    const duplicate = await users.createInvites({ invites: [{ email: 'sdk@acme.com' }] }).catch((error: unknown) => error);
    // The SDK is compiled to ES5, so `instanceof HttpError` is false; check its shape instead.
    expect(duplicate).toMatchObject({ name: 'HttpError', statusCode: 409 });
    expect((duplicate as { body: any }).body.errors[0].type).toBe('conflict');
  });

  it('manages group members through the singular and plural paths it uses', async () => {
    const groups = client(IAMGroupsApi);
    const group = (await groups.createUserGroup({ name: 'SDK group' })).body.data!.userGroup;
    await groups.addUsersToUserGroup(group.id, { emails: ['alice@acme.com', 'carol@acme.com'] });
    await groups.replaceUsersInUserGroup(group.id, { emails: ['alice@acme.com', 'bob@acme.com', 'carol@acme.com'] });
    await groups.removeUsersFromUserGroup(group.id, ['alice@acme.com']);
    const members = await groups.listUsersFromUserGroup(group.id, { count: 10 });
    expect(members.body.data?.users.map((user) => user.email)).toEqual(['bob@acme.com']);
    const invites = await groups.listInvitesFromUserGroup(group.id, { count: 10 });
    expect(invites.body.data?.emails).toEqual(['carol@acme.com']);
  });

  it('deletes users with its userIds[0] encoding', async () => {
    const users = client(IAMUsersApi);
    await users.createInvites({ invites: [{ email: 'leaver@acme.com' }] });
    const [leaver] = emulator.acceptInvites(ACME, ['leaver@acme.com']);
    const deleted = await users.deleteUsers([leaver.id]);
    expect(deleted.body.data?.status).toBe('SUCCESS');
    await expect(users.getUser(leaver.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});
