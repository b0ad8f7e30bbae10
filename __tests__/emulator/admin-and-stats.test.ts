import { DAY_MS, RunningEmulator } from '../../emulator';

/** The default invite expiry (settings.inviteExpiryDays = 7). */
const INVITE_TTL_MS = 7 * DAY_MS;
import { ACME, ACME_TOKEN, apiClient, BETA, BETA_TOKEN, startTestEmulator, userIdByEmail } from './support';

describe('stats and admin endpoints', () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(() => emulator.stop());

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}/__emulator${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('counts requests by kind, route pattern and workspace', async () => {
    const api = apiClient(emulator);
    const bobId = await userIdByEmail(api, 'bob@acme.com');
    emulator.resetStats();
    await api.get(`/users/${bobId}`);
    await api.get('/users/someone-else');
    await api.post('/groups', { name: 'Counted' });
    await apiClient(emulator, BETA_TOKEN).get('/');
    await apiClient(emulator, null).get('/');
    await admin('GET', '/state'); // admin calls are not Segment traffic

    const stats = emulator.stats();
    expect(stats).toMatchObject({ requests: 5, reads: 4, writes: 1, rateLimited: 0, serverErrors: 0 });
    expect(stats.byRoute).toEqual({ 'GET /users/{userId}': 2, 'POST /groups': 1, 'GET /': 2 });
    expect(stats.byWorkspace[ACME]).toMatchObject({ requests: 3, reads: 2, writes: 1 });
    expect(stats.byWorkspace[BETA]).toMatchObject({ requests: 1, reads: 1, writes: 0 });

    expect((await admin('GET', '/stats')).body.data).toEqual(stats);
    expect((await admin('POST', '/stats/reset')).status).toBe(200);
    expect(emulator.stats()).toMatchObject({ requests: 0, byRoute: {} });
  });

  it('dumps the state without any token', async () => {
    const reply = await admin('GET', '/state');
    expect(reply.status).toBe(200);
    const text = JSON.stringify(reply.body);
    expect(text).not.toContain(ACME_TOKEN);
    expect(text).not.toContain(BETA_TOKEN);
    expect(reply.body.data.workspaces[0]).toMatchObject({ id: ACME, invites: [{ email: 'carol@acme.com' }] });
  });

  it('accepts invites over HTTP, all or nothing', async () => {
    const partial = await admin('POST', `/workspaces/${ACME}/invites/accept`, { emails: ['carol@acme.com', 'nobody@acme.com'] });
    expect(partial.status).toBe(404);
    expect(emulator.state.listInvites(ACME)).toHaveLength(1);
    const accepted = await admin('POST', `/workspaces/${ACME}/invites/accept`, { emails: ['carol@acme.com'] });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.users[0]).toMatchObject({ email: 'carol@acme.com', name: 'Carol' });
    expect((await admin('POST', '/workspaces/ws-nope/invites/accept', { emails: ['a@b.co'] })).status).toBe(404);
  });

  it('advances the clock so invites expire', async () => {
    const reply = await admin('POST', '/clock', { advanceMs: INVITE_TTL_MS });
    expect(reply.status).toBe(200);
    expect(reply.body.data.offsetMs).toBe(INVITE_TTL_MS);
    const accept = await admin('POST', `/workspaces/${ACME}/invites/accept`, { emails: ['carol@acme.com'] });
    expect(accept.status).toBe(422);
    expect(accept.body.errors[0].message).toMatch(/expired/);
    expect((await admin('POST', '/clock', { advanceMs: -5 })).status).toBe(422);
  });

  it('404s unknown admin routes', async () => {
    expect((await admin('GET', '/nothing')).status).toBe(404);
  });
});
