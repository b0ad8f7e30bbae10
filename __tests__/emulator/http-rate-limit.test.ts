import { RunningEmulator } from '../../emulator';
import { ApiClient, apiClient, BETA_TOKEN, firstError, startTestEmulator } from './support';

describe('write rate limit', () => {
  const windowMs = 1500;
  let emulator: RunningEmulator;
  let api: ApiClient;
  beforeAll(async () => {
    emulator = await startTestEmulator({ rateLimit: { writesPerWindow: 3, windowMs } });
    api = apiClient(emulator);
  });
  afterAll(() => emulator.stop());

  it('allows writesPerWindow writes, then answers 429 with msBeforeNext and rate-limit headers', async () => {
    const startedSeconds = Date.now() / 1000;
    const remaining: Array<string | null> = [];
    for (let index = 0; index < 3; index++) {
      const reply = await api.post('/groups', { name: `Group ${index}` });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(reply.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await api.post('/groups', { name: 'One too many' });
    expect(limited.status).toBe(429);
    const error = firstError(limited);
    expect(error.type).toBe('too-many-requests');
    expect(error.data.msBeforeNext).toBeGreaterThan(0);
    expect(error.data.msBeforeNext).toBeLessThanOrEqual(windowMs);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(startedSeconds));
    expect(reset).toBeLessThanOrEqual(Math.ceil(startedSeconds + windowMs / 1000) + 1);
    // The refused write was not applied.
    const names = (await api.get('/groups?pagination.count=50')).body.data.userGroups.map((g: { name: string }) => g.name);
    expect(names).not.toContain('One too many');

    // Reads are not limited, nor is another workspace.
    expect((await api.get('/users')).status).toBe(200);
    expect((await apiClient(emulator, BETA_TOKEN).post('/groups', { name: 'Beta group' })).status).toBe(200);
    expect(emulator.stats().rateLimited).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, error.data.msBeforeNext + 50));
    const afterWindow = await api.post('/groups', { name: 'Next window' });
    expect(afterWindow.status).toBe(200);
    expect(afterWindow.headers.get('x-ratelimit-remaining')).toBe('2');
  });
});
