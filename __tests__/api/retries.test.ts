import { SegmentApiError, type ApiEvent } from '../../api';
import { CLOCK_START, closeAllServers, fail, makeClient, ok, rejectionOf, startServer } from './support/test-server';

afterEach(closeAllServers);

const WORKSPACE = ok({ workspace: { id: 'ws1', slug: 'acme', name: 'Acme' } });
const retryEvents = (events: ApiEvent[]) => events.filter((e) => e.type === 'retry');

describe('429 rate limiting', () => {
  it('waits data.msBeforeNext (plus jitter) and then succeeds', async () => {
    const server = await startServer((_req, index) =>
      index === 0 ? { status: 429, json: { errors: [{ type: 'too-many-requests' }], data: { msBeforeNext: 1500 } } } : WORKSPACE,
    );
    const { client, sleeps, events } = makeClient(server, { random: () => 0.5 });

    expect(await client.getWorkspace()).toEqual({ id: 'ws1', slug: 'acme', name: 'Acme' });
    expect(sleeps).toEqual([1500 + 125]); // jitter: 0.5 * 250 ms
    expect(retryEvents(events)).toEqual([expect.objectContaining({ reason: 'rate-limited', status: 429, attempt: 1, delayMs: 1625 })]);
    expect(client.stats).toMatchObject({ calls: 2, retries: 1, rateLimited: 1, waitedMs: 1625 });
  });

  it('waits until X-RateLimit-Reset given in epoch seconds', async () => {
    const resetAt = Math.floor(CLOCK_START / 1000) + 7;
    const server = await startServer((_req, index) =>
      index === 0 ? { ...fail(429, { type: 'too-many-requests' }), headers: { 'X-RateLimit-Reset': String(resetAt) } } : WORKSPACE,
    );
    const { client, sleeps } = makeClient(server);

    await client.getWorkspace();

    expect(sleeps).toEqual([7000]);
  });

  it('treats an implausibly large X-RateLimit-Reset as epoch milliseconds', async () => {
    const server = await startServer((_req, index) =>
      index === 0 ? { ...fail(429, { type: 'too-many-requests' }), headers: { 'X-RateLimit-Reset': String(CLOCK_START + 3000) } } : WORKSPACE,
    );
    const { client, sleeps } = makeClient(server);

    await client.getWorkspace();

    expect(sleeps).toEqual([3000]);
  });

  it('backs off exponentially when the 429 gives no hint', async () => {
    const server = await startServer((_req, index) => (index < 3 ? fail(429, { type: 'too-many-requests' }) : WORKSPACE));
    const { client, sleeps } = makeClient(server);

    await client.getWorkspace();

    expect(sleeps).toEqual([500, 1000, 2000]); // equal jitter with random() = 0: half of 1 s, 2 s, 4 s
  });
});

describe('5xx and network failures', () => {
  it('retries a 503 with exponential full-jitter backoff, then succeeds', async () => {
    const server = await startServer((_req, index) => (index < 2 ? fail(503, { type: 'unavailable', message: 'busy' }) : WORKSPACE));
    const { client, sleeps } = makeClient(server, { random: () => 0.5 });

    expect((await client.getWorkspace()).id).toBe('ws1');
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([125, 250]); // 0.5 * 250 ms, 0.5 * 500 ms
    expect(client.stats).toMatchObject({ calls: 3, reads: 3, retries: 2, serverErrors: 2, waitedMs: 375 });
  });

  it('retries a dropped connection', async () => {
    const server = await startServer((_req, index) => (index === 0 ? { destroy: true } : WORKSPACE));
    const { client, events } = makeClient(server, { random: () => 0.5 });

    expect((await client.getWorkspace()).slug).toBe('acme');
    expect(server.requests).toHaveLength(2);
    expect(retryEvents(events)).toEqual([expect.objectContaining({ reason: 'network', status: 0, delayMs: 125 })]);
  });

  it('gives up after maxRetries with the last error and the number of attempts', async () => {
    const server = await startServer((_req, index) => fail(500, { type: 'internal', message: `boom ${index}` }));
    const { client, sleeps } = makeClient(server, { maxRetries: 3, random: () => 0.999 });

    const error = (await rejectionOf(client.getWorkspace())) as SegmentApiError;

    expect(server.requests).toHaveLength(4);
    expect(sleeps).toEqual([250, 500, 999]);
    expect(error).toBeInstanceOf(SegmentApiError);
    expect(error).toMatchObject({ status: 500, attempts: 4, retryable: true });
    expect(error.message).toBe('Segment API GET / failed (500 internal): boom 3 (gave up after 4 attempts)');
  });

  it('caps the backoff at 10 s', async () => {
    const server = await startServer(() => fail(500, { type: 'internal' }));
    const { client, sleeps } = makeClient(server, { maxRetries: 8, random: () => 1 });

    await rejectionOf(client.getWorkspace());

    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('reports an unreachable server as a network error after retrying', async () => {
    const server = await startServer(() => WORKSPACE);
    await server.close(); // nothing listens on the port any more
    const { client } = makeClient(server, { maxRetries: 2 });

    const error = (await rejectionOf(client.getWorkspace())) as SegmentApiError;

    expect(error).toMatchObject({ status: 0, attempts: 3, errors: [expect.objectContaining({ type: 'network' })] });
    expect(error.message).toMatch(/^Segment API GET \/ failed: could not reach http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\) \(gave up after 3 attempts\)$/);
  });
});

describe('timeouts', () => {
  it('aborts a request that does not answer within timeoutMs and retries it', async () => {
    const server = await startServer((_req, index) => (index === 0 ? { hang: true } : WORKSPACE));
    const { client, events } = makeClient(server, { timeoutMs: 100 });

    const started = Date.now();
    expect((await client.getWorkspace()).id).toBe('ws1');

    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(2);
    expect(retryEvents(events)).toEqual([expect.objectContaining({ reason: 'timeout', message: 'Segment API GET / failed: no response within 100 ms' })]);
  });

  it('gives up with a timeout error when retries are spent', async () => {
    const server = await startServer(() => ({ hang: true }));
    const { client } = makeClient(server, { timeoutMs: 50, maxRetries: 1 });

    const error = (await rejectionOf(client.listRoles())) as SegmentApiError;

    expect(error).toMatchObject({ status: 0, attempts: 2, errors: [{ type: 'timeout', message: 'no response within 50 ms' }] });
    expect(error.message).toBe('Segment API GET /roles failed: no response within 50 ms (gave up after 2 attempts)');
  });
});

describe('4xx other than 429', () => {
  it.each([400, 401, 403, 404, 409, 422])('does not retry %i', async (status) => {
    const server = await startServer(() => fail(status, { type: 'nope' }));
    const { client, sleeps } = makeClient(server);

    const error = (await rejectionOf(client.renameGroup('g1', 'x'))) as SegmentApiError;

    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});
