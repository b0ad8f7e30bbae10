import { CLOCK_START, closeAllServers, makeClient, ok, startServer } from './support/test-server';

afterEach(closeAllServers);

const GROUP = { userGroup: { id: 'g1', name: 'n', memberCount: 0, permissions: [] } };

describe('write pacing', () => {
  it('lets 60 writes through in a window and makes the 61st wait for the window to slide', async () => {
    const server = await startServer(() => ok(GROUP));
    const { client, sleeps, events, clock } = makeClient(server);

    for (let i = 0; i < 60; i += 1) {
      await client.renameGroup('g1', `name ${i}`);
      clock.now += 100; // 60 writes spread over 6 s
    }
    expect(sleeps).toEqual([]);

    await client.renameGroup('g1', 'the 61st');

    // The first write went out at CLOCK_START; the clock is now CLOCK_START + 6 s.
    expect(sleeps).toEqual([54_000]);
    expect(events.filter((e) => e.type === 'rate-wait')).toEqual([
      { type: 'rate-wait', method: 'PATCH', path: '/groups/g1', reason: 'window', delayMs: 54_000 },
    ]);
    expect(client.stats).toMatchObject({ writes: 61, waitedMs: 54_000 });

    await client.renameGroup('g1', 'the 62nd'); // the second write (at +100 ms) leaves the window 100 ms later
    expect(sleeps).toEqual([54_000, 100]);
  });

  it('does not pace reads', async () => {
    const server = await startServer((req) =>
      req.method === 'GET' ? ok({ workspace: { id: 'w', slug: 's', name: 'n' } }) : ok({ status: 'SUCCESS' }),
    );
    const { client, sleeps } = makeClient(server, { writesPerWindow: 2, windowMs: 1000 });

    for (let i = 0; i < 5; i += 1) await client.getWorkspace();
    expect(sleeps).toEqual([]);

    await client.deleteGroup('a');
    await client.deleteGroup('b');
    await client.deleteGroup('c');
    expect(sleeps).toEqual([1000]);
  });

  it('keeps concurrent writers under the limit', async () => {
    const server = await startServer(() => ok({ status: 'SUCCESS' }));
    const { client, sleeps } = makeClient(server, { writesPerWindow: 3, windowMs: 1000 });

    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => client.deleteGroup(id)));

    // a-c go at once; d waits a window and e, f ride with it; g waits another window.
    expect(server.requests).toHaveLength(7);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('holds further writes after X-RateLimit-Remaining: 0 until the reset, but not reads', async () => {
    const resetAt = Math.floor(CLOCK_START / 1000) + 30;
    const server = await startServer((req, index) => {
      if (req.method === 'GET') return ok({ workspace: { id: 'w', slug: 's', name: 'n' } });
      return index === 0 ? { ...ok({ status: 'SUCCESS' }), headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAt) } } : ok({ status: 'SUCCESS' });
    });
    const { client, sleeps, events } = makeClient(server);

    await client.deleteGroup('a');
    await client.getWorkspace();
    expect(sleeps).toEqual([]);

    await client.deleteGroup('b');
    expect(sleeps).toEqual([30_000]);
    expect(events).toContainEqual({ type: 'rate-wait', method: 'DELETE', path: '/groups/b', reason: 'rate-limit-remaining', delayMs: 30_000 });
  });
});
