import { DAY_MS, RunningEmulator } from '../../emulator';
import { ACME, ACME_TOKEN, apiClient, firstError, roleId, startTestEmulator, userIdByEmail } from './support';

describe('strict Segment mode (the default) vs lenient', () => {
  let strict: RunningEmulator;
  let lenient: RunningEmulator;
  beforeEach(async () => {
    strict = await startTestEmulator();
    lenient = await startTestEmulator({ settings: { strict: false } });
  });
  afterEach(async () => {
    await strict.stop();
    await lenient.stop();
  });

  const raw = (emulator: RunningEmulator, method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${emulator.url}${path}`, { method, body: init.body, headers: { Authorization: `Bearer ${ACME_TOKEN}`, ...init.headers } });

  it.each([
    ['an unknown body field', 'POST', '/groups', { body: JSON.stringify({ name: 'G1', colour: 'red' }), headers: { 'Content-Type': 'application/json' } }],
    ['a body without Content-Type: application/json', 'POST', '/groups', { body: JSON.stringify({ name: 'G2' }) }],
    ['a repeated array key', 'DELETE', '/invites?emails=carol%40acme.com', {}],
    ['empty array brackets', 'DELETE', '/invites?emails%5B%5D=carol%40acme.com', {}],
    ['a repeated scalar', 'GET', '/users?pagination.count=5&pagination.count=6', {}],
  ])('strict answers 422 to %s; lenient accepts it', async (_case, method, path, init) => {
    const refused = await raw(strict, method, path, init);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as any).errors[0].type).toBe('input-validation');
    const accepted = await raw(lenient, method, path, init);
    expect(accepted.status).toBeLessThan(300);
  });

  it('takes the bearer scheme as Segment documents it in strict mode only', async () => {
    const lowercase = { headers: { Authorization: `bearer ${ACME_TOKEN}` } };
    expect((await fetch(`${strict.url}/`, lowercase)).status).toBe(401);
    expect((await fetch(`${lenient.url}/`, lowercase)).status).toBe(200);
  });
});

describe('behaviours Segment does not document are settings', () => {
  it('invite expiry: 7 days by default, configurable', async () => {
    const emulator = await startTestEmulator({ settings: { inviteExpiryDays: 2 } });
    try {
      await apiClient(emulator).post('/invites', { invites: [{ email: 'slow@acme.com' }] });
      emulator.advanceClock(2 * DAY_MS);
      expect(() => emulator.acceptInvites(ACME, ['slow@acme.com'])).toThrow(/expired/);
      expect(emulator.state.isInviteExpired(emulator.state.listInvites(ACME).find((i) => i.email === 'slow@acme.com')!)).toBe(true);
    } finally {
      await emulator.stop();
    }
  });

  it('the last-owner refusal can be turned off', async () => {
    const emulator = await startTestEmulator({ settings: { protectLastOwner: false } });
    try {
      const api = apiClient(emulator);
      const aliceId = await userIdByEmail(api, 'alice@acme.com');
      const demoted = await api.put(`/users/${aliceId}/permissions`, { permissions: [{ roleId: roleId('Minimal Workspace Access'), resources: [{ id: ACME, type: 'WORKSPACE' }] }] });
      expect(demoted.status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });

  it('seat limits can be turned off; on, they refuse the whole call', async () => {
    const invites = Array.from({ length: 9 }, (_, i) => ({ email: `seat${i}@acme.com` }));
    const limited = await startTestEmulator();
    const unlimited = await startTestEmulator({ settings: { enforceSeatLimits: false } });
    try {
      const refused = await apiClient(limited).post('/invites', { invites });
      expect(refused.status).toBe(422);
      expect(firstError(refused).message).toMatch(/Seat limit exceeded/);
      expect((await apiClient(unlimited).post('/invites', { invites })).status).toBe(201);
    } finally {
      await limited.stop();
      await unlimited.stop();
    }
  });
});
