import { RunningEmulator } from '../../emulator';
import { ACME, ApiClient, apiClient, BETA_TOKEN, firstError, Reply, startTestEmulator } from './support';

/** docs.segmentapis.com "Rate Limits": X-RateLimit-Reset is an RFC 5322 date, e.g. "Thu, 20 Aug 2026 16:00:25 GMT". */
const RFC_5322_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function rateHeaders(reply: Reply) {
  return {
    consumed: reply.headers.get('x-ratelimit-consumed'),
    remaining: reply.headers.get('x-ratelimit-remaining'),
    reset: reply.headers.get('x-ratelimit-reset'),
  };
}

describe('rate limits per endpoint', () => {
  const windowMs = 1500;
  let emulator: RunningEmulator;
  let api: ApiClient;
  beforeAll(async () => {
    emulator = await startTestEmulator({ rateLimit: { writesPerWindow: 3, readsPerWindow: 5, windowMs } });
    api = apiClient(emulator);
  });
  afterAll(() => emulator.stop());

  it("allows writesPerWindow writes to one endpoint, then answers Segment's 429 body", async () => {
    const started = Date.now();
    const seen: Array<ReturnType<typeof rateHeaders>> = [];
    for (let index = 0; index < 3; index++) {
      const reply = await api.post('/groups', { name: `Group ${index}` });
      expect(reply.status).toBe(200);
      seen.push(rateHeaders(reply));
    }
    expect(seen.map((h) => [h.consumed, h.remaining])).toEqual([
      ['1', '2'],
      ['2', '1'],
      ['3', '0'],
    ]);
    // The window opens at the first write (after `started`), and the header is rounded up to the second.
    const finished = Date.now();
    for (const { reset } of seen) {
      expect(reset).toMatch(RFC_5322_DATE);
      const resetAt = Date.parse(reset!);
      expect(resetAt).toBeGreaterThanOrEqual(started);
      expect(resetAt).toBeLessThanOrEqual(finished + windowMs + 1000);
    }

    const limited = await api.post('/groups', { name: 'One too many' });
    expect(limited.status).toBe(429);
    expect(limited.body.errors).toHaveLength(1);
    const error = firstError(limited);
    expect(error).toEqual({
      type: 'RequestError',
      message: 'Too many requests',
      data: { remainingPoints: 0, msBeforeNext: expect.any(Number), consumedPoints: 3 },
    });
    expect(error.data.msBeforeNext).toBeGreaterThan(0);
    expect(error.data.msBeforeNext).toBeLessThanOrEqual(windowMs);
    expect(rateHeaders(limited)).toMatchObject({ consumed: '3', remaining: '0' });
    expect(emulator.state.listGroups(ACME).map((g) => g.name)).not.toContain('One too many');

    // Another write endpoint has its own window: the limit is per endpoint, not per workspace.
    const otherEndpoint = await api.put(`/groups/${emulator.state.listGroups(ACME)[0].id}/permissions`, { permissions: [] });
    expect(otherEndpoint.status).toBe(200);
    expect(rateHeaders(otherEndpoint)).toMatchObject({ consumed: '1', remaining: '2' });
    // ...and another workspace has its own windows.
    expect((await apiClient(emulator, BETA_TOKEN).post('/groups', { name: 'Beta group' })).status).toBe(200);
    expect(emulator.stats().rateLimited).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, error.data.msBeforeNext + 50));
    const afterWindow = await api.post('/groups', { name: 'Next window' });
    expect(afterWindow.status).toBe(200);
    expect(rateHeaders(afterWindow)).toMatchObject({ consumed: '1', remaining: '2' });
  });

  it('limits reads per endpoint too, at their own (higher) limit, with the same headers on every response', async () => {
    const replies: Reply[] = [];
    for (let index = 0; index < 6; index++) replies.push(await api.get('/invites'));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(replies.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0']);
    expect(replies[0].headers.get('x-ratelimit-reset')).toMatch(RFC_5322_DATE);
    // Error responses after the limiter carry the headers as well.
    const notFound = await api.get('/users/nobody');
    expect(notFound.status).toBe(404);
    expect(rateHeaders(notFound).remaining).toBe('4');
    // Segment sends no X-RateLimit-Limit header.
    expect(replies[0].headers.get('x-ratelimit-limit')).toBeNull();
  });
});
