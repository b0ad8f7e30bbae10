import { RunningEmulator } from '../../emulator';
import { ACME, apiClient, firstError, startTestEmulator } from './support';

describe('fault injection', () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(() => emulator.stop());

  const groupNames = () => emulator.state.listGroups(ACME).map((group) => group.name);

  it('answers the next N requests 429 during a rate-limit storm, then recovers', async () => {
    emulator.setFaults({ rateLimitStorm: { requests: 2, msBeforeNext: 250 } });
    const api = apiClient(emulator);
    const first = await api.get('/users');
    const second = await api.post('/groups', { name: 'Stormy' });
    expect([first.status, second.status]).toEqual([429, 429]);
    expect(firstError(first)).toMatchObject({ type: 'RequestError', message: 'Too many requests', data: { msBeforeNext: 250, remainingPoints: 0 } });
    expect(groupNames()).not.toContain('Stormy');
    expect((await api.get('/users')).status).toBe(200);
    expect(emulator.stats().rateLimited).toBe(2);
  });

  it('answers 5xx without applying the write when serverErrorRate hits', async () => {
    emulator.setFaults({ serverErrorRate: 1 });
    const reply = await apiClient(emulator).post('/groups', { name: 'Never created' });
    expect([500, 502, 503]).toContain(reply.status);
    expect(firstError(reply).message).toMatch(/nothing was applied/);
    expect(groupNames()).not.toContain('Never created');
    expect(emulator.stats().serverErrors).toBe(1);
  });

  it('applies the write and then answers 502 when lostResponseRate hits', async () => {
    emulator.setFaults({ lostResponseRate: 1 });
    const api = apiClient(emulator);
    const reply = await api.post('/groups', { name: 'Created anyway' });
    expect(reply.status).toBe(502);
    expect(groupNames()).toContain('Created anyway');
    // Reads are never "lost".
    expect((await api.get('/groups')).status).toBe(200);
    // A retry sees the result of the lost write.
    expect((await api.post('/groups', { name: 'Created anyway' })).status).toBe(502);
    emulator.setFaults({});
    expect((await api.post('/groups', { name: 'Created anyway' })).status).toBe(409);
  });

  it('fails the same requests for the same seed', async () => {
    const run = async () => {
      emulator.setFaults({ seed: 42, serverErrorRate: 0.5 });
      const statuses: number[] = [];
      for (let index = 0; index < 12; index++) statuses.push((await apiClient(emulator).get('/')).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.some((status) => status >= 500)).toBe(true);
    expect(first.some((status) => status === 200)).toBe(true);
  });

  it('delays responses by latencyMs', async () => {
    emulator.setFaults({ latencyMs: 200 });
    const startedAt = Date.now();
    expect((await apiClient(emulator).get('/')).status).toBe(200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
  });

  it('is configurable through POST /__emulator/faults and rejects unknown settings', async () => {
    const set = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ rateLimitStorm: { requests: 1 } }),
    });
    expect(set.status).toBe(200);
    expect(((await set.json()) as any).data.faults.stormRequestsRemaining).toBe(1);
    expect((await apiClient(emulator).get('/')).status).toBe(429);
    expect((await apiClient(emulator).get('/')).status).toBe(200);
    const bad = await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ chaos: true }) });
    expect(bad.status).toBe(422);
  });
});
