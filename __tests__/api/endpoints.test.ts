import type { RecordedRequest, Reply } from './support/test-server';
import { closeAllServers, makeClient, ok, startServer, TOKEN, user } from './support/test-server';

afterEach(closeAllServers);

const GROUP = { id: 'g1', name: 'Managed by prod', memberCount: 2, permissions: [] };
const PERMISSION = { roleId: 'r1', roleName: 'Source Admin', resources: [{ id: 's1', type: 'SOURCE', labels: [] }], labels: [] };

/** Answers like Segment would, for every endpoint the client uses. */
function segmentLike(req: RecordedRequest): Reply {
  const route = `${req.method} ${req.path.replace(/^\/(users|groups|group)\/[^/]+/, '/$1/{id}')}`;
  switch (route) {
    case 'GET /users/{id}':
      return ok({ user: user('u1') });
    case 'PUT /users/{id}/permissions':
    case 'POST /users/{id}/permissions':
    case 'PUT /groups/{id}/permissions':
      return ok({ permissions: [PERMISSION] });
    case 'POST /invites': {
      const invites = (req.body as { invites: { email: string }[] }).invites;
      return ok({ emails: invites.map((invite) => invite.email) }, 201);
    }
    case 'POST /groups':
    case 'GET /groups/{id}':
    case 'PATCH /groups/{id}':
    case 'POST /groups/{id}/users':
    case 'PUT /group/{id}/users':
      return ok({ userGroup: GROUP });
    case 'DELETE /users':
    case 'DELETE /invites':
    case 'DELETE /groups/{id}':
    case 'DELETE /group/{id}/users':
      return ok({ status: 'SUCCESS' });
    case 'GET /groups':
      return ok({ userGroups: [GROUP], pagination: { current: 'c' } });
    default:
      return { status: 404, json: { errors: [{ type: 'not-found', message: `no route ${route}` }] } };
  }
}

const sent = (requests: RecordedRequest[]) => requests.map((r) => `${r.method} ${r.path}${r.rawQuery ? `?${r.rawQuery}` : ''}`);
const emails = (n: number) => Array.from({ length: n }, (_, i) => `person${i}@example.com`);

describe('each method calls the right endpoint with the right body', () => {
  it('users and permissions', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);
    const permissions = [{ roleId: 'r1', resources: [{ id: 's1', type: 'SOURCE' as const, labels: [{ key: 'environment', value: 'prod' }] }] }];

    expect(await client.getUser('u1')).toEqual({ ...user('u1'), permissions: [] });
    expect(await client.replaceUserPermissions('u1', permissions)).toEqual([PERMISSION]);
    expect(await client.addUserPermissions('u1', permissions)).toEqual([PERMISSION]);
    await client.deleteUsers(['u1', 'u2']);

    expect(sent(server.requests)).toEqual([
      'GET /users/u1',
      'PUT /users/u1/permissions',
      'POST /users/u1/permissions',
      'DELETE /users?userIds.0=u1&userIds.1=u2',
    ]);
    expect(server.requests[1].body).toEqual({ permissions });
    expect(server.requests[1].headers['content-type']).toBe('application/json');
    expect(server.requests[0].headers['content-type']).toBeUndefined();
  });

  it('groups, using the singular /group/ path where Segment does', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);

    expect(await client.createGroup('Managed by prod')).toEqual(GROUP);
    expect(await client.getGroup('g1')).toEqual(GROUP);
    expect(await client.renameGroup('g1', 'Renamed')).toEqual(GROUP);
    expect(await client.listGroups()).toEqual([GROUP]);
    expect(await client.replaceGroupPermissions('g1', [])).toEqual([PERMISSION]);
    await client.addGroupMembers('g1', ['a@example.com']);
    await client.replaceGroupMembers('g1', ['b@example.com']);
    await client.removeGroupMembers('g1', ['c@example.com']);
    await client.deleteGroup('g1');

    expect(sent(server.requests)).toEqual([
      'POST /groups',
      'GET /groups/g1',
      'PATCH /groups/g1',
      'GET /groups?pagination.count=200',
      'PUT /groups/g1/permissions',
      'POST /groups/g1/users',
      'PUT /group/g1/users',
      'DELETE /group/g1/users?emails.0=c%40example.com',
      'DELETE /groups/g1',
    ]);
    expect(server.requests.map((r) => r.body)).toEqual([
      { name: 'Managed by prod' },
      undefined,
      { name: 'Renamed' },
      undefined,
      { permissions: [] },
      { emails: ['a@example.com'] },
      { emails: ['b@example.com'] },
      undefined,
      undefined,
    ]);
  });

  it('replacing with no members still sends the replace', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);

    await client.replaceGroupMembers('g1', []);

    expect(sent(server.requests)).toEqual(['PUT /group/g1/users']);
    expect(server.requests[0].body).toEqual({ emails: [] });
  });

  it('sends the bearer token and JSON accept header', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);

    await client.getUser('u1');

    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[0].headers.accept).toBe('application/json');
  });

  it('percent-encodes ids in paths', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);

    await client.getUser('a/b?c');

    expect(server.requests[0].path).toBe('/users/a%2Fb%3Fc');
  });

  it('refuses an empty id instead of calling the list endpoint', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);

    await expect(client.deleteGroup('')).rejects.toThrow('DELETE /groups/{id} needs a non-empty id');
    expect(server.requests).toHaveLength(0);
  });
});

describe('collections are split into calls of at most 200', () => {
  it('450 invites -> 3 POST /invites calls of 200, 200, 50, emails returned in order', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);
    const invites = emails(450).map((email) => ({ email, permissions: [{ roleId: 'r1', resources: [{ id: 'ws', type: 'WORKSPACE' as const }] }] }));

    const invited = await client.createInvites(invites);

    expect(invited).toEqual(emails(450));
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /invites', 'POST /invites', 'POST /invites']);
    expect(server.requests.map((r) => (r.body as { invites: unknown[] }).invites.length)).toEqual([200, 200, 50]);
    expect((server.requests[2].body as { invites: unknown[] }).invites[0]).toEqual(invites[400]);
  });

  it('no items -> no calls', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);

    expect(await client.createInvites([])).toEqual([]);
    await client.deleteInvites([]);
    await client.deleteUsers([]);
    await client.addGroupMembers('g1', []);
    await client.removeGroupMembers('g1', []);

    expect(server.requests).toHaveLength(0);
  });

  it('deleteUsers and deleteInvites chunk their query arrays', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);
    const ids = Array.from({ length: 201 }, (_, i) => `u${i}`);

    await client.deleteUsers(ids);
    await client.deleteInvites(emails(250));

    const [firstUsers, secondUsers, firstInvites, secondInvites] = server.requests;
    expect(Array.from(firstUsers.query.keys())).toHaveLength(200);
    expect(firstUsers.query.get('userIds.199')).toBe('u199');
    expect(secondUsers.rawQuery).toBe('userIds.0=u200');
    expect(firstInvites.path).toBe('/invites');
    expect(Array.from(firstInvites.query.values())).toEqual(emails(200));
    expect(Array.from(secondInvites.query.values())).toEqual(emails(250).slice(200));
  });

  it('also keeps a DELETE query short when the emails are long', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);
    const longEmails = Array.from({ length: 200 }, (_, i) => `${'x'.repeat(60)}.${i}@example.com`);

    await client.removeGroupMembers('g1', longEmails);

    expect(server.requests.length).toBeGreaterThan(1);
    expect(server.requests.every((r) => r.rawQuery.length <= 7500)).toBe(true);
    expect(server.requests.flatMap((r) => Array.from(r.query.values()))).toEqual(longEmails);
  });

  it('group membership: add chunks under /groups/, remove under /group/, replace = PUT first 200 then add the rest', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);

    await client.addGroupMembers('g1', emails(201));
    await client.removeGroupMembers('g1', emails(201));
    await client.replaceGroupMembers('g1', emails(450));

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /groups/g1/users',
      'POST /groups/g1/users',
      'DELETE /group/g1/users',
      'DELETE /group/g1/users',
      'PUT /group/g1/users',
      'POST /groups/g1/users',
      'POST /groups/g1/users',
    ]);
    const bodies = server.requests.slice(4).map((r) => (r.body as { emails: string[] }).emails);
    expect(bodies).toEqual([emails(450).slice(0, 200), emails(450).slice(200, 400), emails(450).slice(400)]);
  });
});

describe('query serialisation', () => {
  it('writes arrays as name.N=value, URL-encoded', async () => {
    const server = await startServer(segmentLike);
    const { client } = makeClient(server);

    await client.deleteInvites(['a+b@example.com', 'c&d=e@example.com']);

    expect(server.requests[0].rawQuery).toBe('emails.0=a%2Bb%40example.com&emails.1=c%26d%3De%40example.com');
    expect(server.requests[0].query.get('emails.1')).toBe('c&d=e@example.com');
  });

  it('can use the bracketed form the TypeScript SDK sends', async () => {
    const server = await startServer((req) =>
      req.path === '/roles' ? ok({ roles: [], pagination: { current: 'c', next: req.query.has('pagination[cursor]') ? null : 'n/1' } }) : segmentLike(req),
    );
    const { client } = makeClient(server, { querySyntax: 'bracketed' });

    await client.deleteUsers(['u1', 'u2']);
    await client.listRoles();

    expect(server.requests.map((r) => r.rawQuery)).toEqual([
      'userIds%5B0%5D=u1&userIds%5B1%5D=u2',
      'pagination%5Bcount%5D=200',
      'pagination%5Bcount%5D=200&pagination%5Bcursor%5D=n%2F1',
    ]);
  });
});
