import fc from 'fast-check';
import { msUntilReset, rateLimitDelayMs } from '../../api/retry';
import { CLOCK_START, closeAllServers, fail, makeClient, ok, startServer } from './support/test-server';

afterEach(closeAllServers);

/** The reset as Segment sends it: an RFC 5322 date (docs.segmentapis.com "Rate Limits"). */
const rfc5322 = (epochMs: number) => new Date(epochMs).toUTCString();
const WORKSPACE = ok({ workspace: { id: 'ws1', slug: 'acme', name: 'Acme' } });

describe('X-RateLimit-Reset as an RFC 5322 date', () => {
  const NOW = Date.UTC(2026, 7, 20, 16, 0, 0);

  it('reads the date form and still takes numbers', () => {
    expect(msUntilReset('Thu, 20 Aug 2026 16:00:25 GMT', NOW)).toBe(25_000);
    expect(msUntilReset('20 Aug 2026 16:01:00 +0000', NOW)).toBe(60_000);
    expect(msUntilReset('Thu, 20 Aug 2026 15:59:00 GMT', NOW)).toBe(0);
    expect(msUntilReset(String(NOW / 1000 + 12), NOW)).toBe(12_000);
    expect(msUntilReset('Thursday soon', NOW)).toBeUndefined();
    expect(msUntilReset('2026-08-20', NOW)).toBeUndefined();
  });

  it('round-trips any reset date within a day, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (seconds) => {
        expect(msUntilReset(rfc5322(NOW + seconds * 1000), NOW)).toBe(seconds * 1000);
      }),
    );
  });

  it('never throws on arbitrary header text and never answers a negative wait', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const wait = msUntilReset(text, NOW);
        expect(wait === undefined || wait >= 0).toBe(true);
      }),
    );
  });

  it('falls back to the RFC 5322 reset when a 429 has no msBeforeNext, capped', () => {
    expect(rateLimitDelayMs({ resetHeader: rfc5322(NOW + 40_000) }, 1, NOW, () => 0)).toBe(40_000);
    expect(rateLimitDelayMs({ resetHeader: rfc5322(NOW + 3_600_000) }, 1, NOW, () => 0)).toBe(120_000);
  });
});

describe("pacing per endpoint, as Segment counts (60 writes a minute per IAM write endpoint)", () => {
  it('lets writes to different endpoints go on while one endpoint waits for its window', async () => {
    const server = await startServer((req) =>
      req.method === 'PATCH' ? ok({ userGroup: { id: 'g', name: 'n', memberCount: 0, permissions: [] } }) : ok({ status: 'SUCCESS' }),
    );
    const { client, sleeps, events } = makeClient(server, { writesPerWindow: 2, windowMs: 1000 });

    await client.deleteGroup('a');
    await client.deleteGroup('b');
    await client.renameGroup('g', 'x'); // another endpoint: no wait
    await client.renameGroup('g', 'y');
    await client.deleteInvites(['p@example.com']); // and another
    expect(sleeps).toEqual([]);

    await client.deleteGroup('c'); // DELETE /groups/{id} is full: waits its window
    expect(sleeps).toEqual([1000]);
    expect(events.filter((e) => e.type === 'rate-wait')).toEqual([
      { type: 'rate-wait', method: 'DELETE', path: '/groups/c', reason: 'window', delayMs: 1000 },
    ]);
  });

  it('holds an endpoint, reads included, after X-RateLimit-Remaining: 0 with an RFC 5322 reset, and only that endpoint', async () => {
    const exhausted = { 'X-RateLimit-Consumed': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': rfc5322(CLOCK_START + 20_000) };
    const server = await startServer((req, index) => {
      if (req.path === '/') return index === 0 ? { ...WORKSPACE, headers: exhausted } : WORKSPACE;
      return ok({ invites: [], pagination: { current: 'MA==' } });
    });
    const { client, sleeps, events } = makeClient(server);

    await client.getWorkspace();
    await client.listInvites(); // another endpoint: not held
    expect(sleeps).toEqual([]);
    await client.getWorkspace(); // held until the reset
    expect(sleeps).toEqual([20_000]);
    expect(events).toContainEqual({ type: 'rate-wait', method: 'GET', path: '/', reason: 'rate-limit-remaining', delayMs: 20_000 });
  });

  it("retries a 429 with Segment's documented body after its msBeforeNext", async () => {
    let calls = 0;
    const server = await startServer(() => {
      calls += 1;
      if (calls === 1) {
        return { ...fail(429, { type: 'RequestError', message: 'Too many requests' }), json: { errors: [{ type: 'RequestError', message: 'Too many requests', data: { remainingPoints: 0, msBeforeNext: 57_647, consumedPoints: 21 } }] } };
      }
      return ok({ status: 'SUCCESS' });
    });
    const { client, sleeps } = makeClient(server);

    await client.deleteGroup('a');
    expect(sleeps).toEqual([57_647]);
    expect(client.stats).toMatchObject({ rateLimited: 1, retries: 1 });
  });
});

describe('labels and the audit trail', () => {
  it('keeps permission-level labels (PermissionV1.labels) as well as resource labels', async () => {
    const server = await startServer(() =>
      ok({
        user: {
          id: 'u1',
          name: 'U',
          email: 'u@example.com',
          permissions: [
            { roleId: 'r', roleName: 'Source Admin', resources: [{ id: 'ws', type: 'WORKSPACE' }], labels: [{ key: 'environment', value: 'prod' }] },
          ],
        },
      }),
    );
    const { client } = makeClient(server);
    const user = await client.getUser('u1');
    expect(user.permissions[0].labels).toEqual([{ key: 'environment', value: 'prod' }]);
  });

  it('lists labels from GET /labels (not paginated)', async () => {
    const server = await startServer(() => ok({ labels: [{ key: 'environment', value: 'prod', description: 'Production' }, { key: 'team', value: 'growth' }] }));
    const { client } = makeClient(server);
    expect(await client.listLabels()).toEqual([
      { key: 'environment', value: 'prod', description: 'Production' },
      { key: 'team', value: 'growth' },
    ]);
    expect(server.requests.map((r) => `${r.path}?${r.rawQuery}`)).toEqual(['/labels?']);
  });

  it('reads every page of GET /audit-events with its filters; endTime (fixed at the start) goes with the first page only', async () => {
    const event = (id: string, timestamp = '2024-12-31T12:00:00.000Z') => ({ id, timestamp, type: 'Invite Deleted', actor: 'a', resourceId: 'x@example.com', resourceType: 'INVITE', resourceName: 'x@example.com' });
    const endTime = new Date(CLOCK_START).toISOString();
    const later = new Date(CLOCK_START + 1000).toISOString();
    const server = await startServer((req) =>
      req.query.get('pagination.cursor')
        ? // An offset cursor without the endTime: a newer event shifted e1 onto this page too.
          ok({ events: [event('late', later), event('e1'), event('e2')], pagination: { current: 'Mg==' } })
        : ok({ events: [event('e1')], pagination: { current: 'MA==', next: 'Mg==' } }),
    );
    const { client } = makeClient(server);
    const events = await client.listAuditEvents({ startTime: '2026-11-01T00:00:00.000Z', resourceType: 'INVITE' });
    expect(events.map((e) => e.id)).toEqual(['e1', 'e2']);
    for (const request of server.requests) {
      expect(request.query.get('startTime')).toBe('2026-11-01T00:00:00.000Z');
      expect(request.query.get('resourceType')).toBe('INVITE');
      expect(request.query.has('resourceId')).toBe(false);
    }
    // A time-based cursor carries its own end time; an endTime sent with it would win and repeat the page.
    expect(server.requests.map((r) => r.query.get('endTime'))).toEqual([endTime, null]);
    expect(server.requests[1].query.get('pagination.cursor')).toBe('Mg==');
  });
});
