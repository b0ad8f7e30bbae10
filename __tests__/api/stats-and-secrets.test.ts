import { inspect } from 'node:util';
import { SegmentApiClient, SegmentApiError } from '../../api';
import { closeAllServers, fail, makeClient, ok, rejectionOf, startServer, TOKEN, user } from './support/test-server';

afterEach(closeAllServers);

describe('stats', () => {
  it('counts calls, reads, writes, retries, 429s, 5xx and waits per endpoint pattern', async () => {
    const server = await startServer((req, index) => {
      if (index === 0) return { status: 429, json: { errors: [{ type: 'too-many-requests' }], data: { msBeforeNext: 40 } } };
      if (index === 1) return fail(502, { type: 'bad-gateway' });
      if (req.method === 'GET') return ok({ user: user('u') });
      return ok({ userGroup: { id: 'g', name: 'n', memberCount: 0 } });
    });
    const { client } = makeClient(server, { random: () => 0.5 });

    await client.getUser('u1');
    await client.getUser('u2');
    await client.replaceGroupMembers('g1', ['a@example.com']);
    await client.replaceGroupMembers('g2', ['a@example.com']);

    expect(client.stats).toEqual({
      calls: 6,
      reads: 4,
      writes: 2,
      retries: 2,
      rateLimited: 1,
      serverErrors: 1,
      waitedMs: 40 + 125 + 250, // 429 hint + jitter, then backoff after the 502
      byEndpoint: { 'GET /users/{id}': 4, 'PUT /group/{id}/users': 2 },
    });
  });

  it('hands out snapshots and resets', async () => {
    const server = await startServer(() => ok({ user: user('u') }));
    const { client } = makeClient(server);

    await client.getUser('u1');
    const before = client.stats;
    await client.getUser('u1');
    expect(before.calls).toBe(1);
    expect(client.stats.calls).toBe(2);

    client.resetStats();
    expect(client.stats).toEqual({ calls: 0, reads: 0, writes: 0, retries: 0, rateLimited: 0, serverErrors: 0, waitedMs: 0, byEndpoint: {} });
  });
});

describe('the token never leaks', () => {
  it('is redacted from error messages, details and events even when the server echoes it', async () => {
    const server = await startServer((req) => ({
      status: 503,
      json: { errors: [{ type: 'unavailable', message: `rejected ${req.headers.authorization}`, data: { seen: req.headers.authorization } }] },
    }));
    const { client, events } = makeClient(server, { maxRetries: 1 });

    const error = (await rejectionOf(client.getUser('u1'))) as SegmentApiError;

    expect(error.message).toContain('rejected Bearer [redacted]');
    const everything = [error.message, error.stack, JSON.stringify(error), JSON.stringify(error.errors), JSON.stringify(events)].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(events.some((e) => e.type === 'retry')).toBe(true);
  });

  it('is redacted from a non-JSON error body and from 401 advice', async () => {
    const server = await startServer((req) => ({ status: 401, text: `<p>bad credentials: ${req.headers.authorization}</p>` }));
    const { client } = makeClient(server);

    const error = await rejectionOf(client.listRoles());

    expect(error.message).toContain('bad credentials: Bearer [redacted]');
    expect(error.message).toContain('PUBLIC_API_TOKEN');
    expect(error.message).not.toContain(TOKEN);
  });

  it('is redacted from a malformed-response error', async () => {
    const server = await startServer(() => ok({ status: TOKEN }));
    const { client } = makeClient(server);

    const error = await rejectionOf(client.deleteGroup('g1'));

    expect(error.message).toContain('data.status');
    expect(`${error.message}${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  it('does not show in the client object', async () => {
    const server = await startServer(() => ok({}));
    const { client } = makeClient(server);

    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });

  it('is checked at construction without being echoed', () => {
    expect(() => new SegmentApiClient({ token: '  ', baseUrl: 'https://api.segmentapis.com', tokenName: 'SEGMENT_DEV_TOKEN' })).toThrow(
      'No Segment Public API token: set SEGMENT_DEV_TOKEN',
    );
    let message = '';
    try {
      new SegmentApiClient({ token: `${TOKEN}\n`, baseUrl: 'https://api.segmentapis.com' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('contains whitespace or control characters');
    expect(message).not.toContain(TOKEN);
  });
});
