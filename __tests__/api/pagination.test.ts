import { SegmentApiResponseError } from '../../api';
import { closeAllServers, makeClient, ok, rejectionOf, startServer, user } from './support/test-server';

afterEach(closeAllServers);

describe('list methods follow pagination.next until it is absent', () => {
  it('collects users across three pages and sends count and cursor', async () => {
    const pages: Record<string, { users: unknown[]; next?: string | null }> = {
      '': { users: [user('u1'), user('u2')], next: 'cursor/2==' },
      'cursor/2==': { users: [user('u3'), user('u4')], next: 'c3' },
      c3: { users: [user('u5')] }, // `next` absent: last page
    };
    const server = await startServer((req) => {
      const page = pages[req.query.get('pagination.cursor') ?? ''];
      return ok({ users: page.users, pagination: { current: 'x', next: page.next, totalEntries: 5 } });
    });
    const { client } = makeClient(server, { pageSize: 2 });

    const users = await client.listUsers();

    expect(users.map((u) => u.id)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(server.requests.map((r) => r.rawQuery)).toEqual([
      'pagination.count=2',
      'pagination.count=2&pagination.cursor=cursor%2F2%3D%3D',
      'pagination.count=2&pagination.cursor=c3',
    ]);
  });

  it('stops when next is null', async () => {
    const server = await startServer(() => ok({ roles: [{ id: 'r1', name: 'Source Admin', description: 'd' }], pagination: { current: 'a', next: null } }));
    const { client } = makeClient(server);

    expect(await client.listRoles()).toEqual([{ id: 'r1', name: 'Source Admin', description: 'd' }]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].rawQuery).toBe('pagination.count=200');
  });

  it('pages group members and group invites under /groups/{id}', async () => {
    const server = await startServer((req) => {
      const second = req.query.get('pagination.cursor') === 'p2';
      if (req.path === '/groups/g%201/users') {
        return ok({ users: [user(second ? 'b' : 'a')], pagination: { current: 'x', next: second ? undefined : 'p2' } });
      }
      return ok({ emails: [second ? 'y@example.com' : 'x@example.com'], pagination: { current: 'x', next: second ? null : 'p2' } });
    });
    const { client } = makeClient(server);

    expect(await client.listGroupUsers('g 1')).toEqual([
      { id: 'a', name: 'User a', email: 'a@example.com' },
      { id: 'b', name: 'User b', email: 'b@example.com' },
    ]);
    expect(await client.listGroupInvites('g 1')).toEqual(['x@example.com', 'y@example.com']);
    expect(server.requests.map((r) => r.path)).toEqual(['/groups/g%201/users', '/groups/g%201/users', '/groups/g%201/invites', '/groups/g%201/invites']);
  });

  it('refuses a server that repeats a cursor instead of listing forever', async () => {
    const server = await startServer(() => ok({ invites: ['a@example.com'], pagination: { current: 'x', next: 'same' } }));
    const { client } = makeClient(server);

    const error = await rejectionOf(client.listInvites());

    expect(error).toBeInstanceOf(SegmentApiResponseError);
    expect(error.message).toContain('data.pagination.next');
    expect(server.requests).toHaveLength(2);
  });
});

describe('responses are validated', () => {
  it('fills defaults and tolerates unknown fields', async () => {
    const server = await startServer(() =>
      ok({
        users: [
          user('u1', { futureField: true }),
          user('u2', { permissions: [{ roleId: 'r', roleName: 'Source Admin', resources: [{ id: 's1', type: 'SOURCE' }] }] }),
        ],
        pagination: { current: 'x' },
        somethingNew: 1,
      }),
    );
    const { client } = makeClient(server);

    expect(await client.listUsers()).toEqual([
      { id: 'u1', name: 'User u1', email: 'u1@example.com', permissions: [] },
      {
        id: 'u2',
        name: 'User u2',
        email: 'u2@example.com',
        permissions: [{ roleId: 'r', roleName: 'Source Admin', resources: [{ id: 's1', type: 'SOURCE', labels: [] }], labels: [] }],
      },
    ]);
  });

  it('rejects a malformed response, naming the endpoint and the field', async () => {
    const server = await startServer(() => ok({ users: [user('u1'), { id: 'u2', name: 'No Email' }], pagination: { current: 'x' } }));
    const { client } = makeClient(server);

    const error = await rejectionOf(client.listUsers());

    expect(error).toBeInstanceOf(SegmentApiResponseError);
    expect(error.message).toContain('GET /users');
    expect(error.message).toContain('data.users.1.email');
    expect((error as SegmentApiResponseError).issues[0].field).toBe('data.users.1.email');
    expect(server.requests).toHaveLength(1); // a bad body is not retried
  });

  it('rejects a 2xx body that is not JSON or lacks data', async () => {
    const server = await startServer((_req, index) => (index === 0 ? { text: '<html>hi</html>' } : { json: { workspace: {} } }));
    const { client } = makeClient(server);

    expect((await rejectionOf(client.getWorkspace())).message).toMatch(/GET \/ returned an unexpected response.*not JSON/);
    expect((await rejectionOf(client.getWorkspace())).message).toMatch(/GET \/ returned an unexpected response.*data: missing/);
  });

  it('rejects a delete whose status is not SUCCESS', async () => {
    const server = await startServer(() => ok({ status: 'PENDING' }));
    const { client } = makeClient(server);

    const error = await rejectionOf(client.deleteGroup('g1'));

    expect(error).toBeInstanceOf(SegmentApiResponseError);
    expect(error.message).toContain('DELETE /groups/g1');
    expect(error.message).toContain('data.status');
  });
});
