import { RunningEmulator } from '../../emulator';
import { ACME, ACME_TOKEN, apiClient, BETA, BETA_TOKEN, firstError, startTestEmulator, userIdByEmail } from './support';

describe('authentication and workspace isolation', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  it('listens on loopback only', () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 401 unauthorized without a token', async () => {
    const reply = await apiClient(emulator, null).get('/users');
    expect(reply.status).toBe(401);
    expect(firstError(reply)).toMatchObject({ type: 'unauthorized', message: expect.stringMatching(/bearer token/i) });
  });

  it('answers 401 to an unknown token and to a non-bearer scheme', async () => {
    expect((await apiClient(emulator, 'not-a-token').get('/')).status).toBe(401);
    const basic = await fetch(`${emulator.url}/users`, { headers: { Authorization: `Basic ${ACME_TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it('selects the workspace from the token', async () => {
    const acme = await apiClient(emulator, ACME_TOKEN).get('/');
    const beta = await apiClient(emulator, BETA_TOKEN).get('/');
    expect(acme).toMatchObject({ status: 200, body: { data: { workspace: { id: ACME, slug: 'acme-prod', name: 'Acme Production' } } } });
    expect(beta.body.data.workspace.id).toBe(BETA);
  });

  it("never shows one workspace's data to another workspace's token", async () => {
    const betaApi = apiClient(emulator, BETA_TOKEN);
    const betaUsers = await betaApi.get('/users');
    expect(betaUsers.body.data.users.map((user: { email: string }) => user.email)).toEqual(['dave@beta.io']);
    const aliceId = await userIdByEmail(apiClient(emulator), 'alice@acme.com');
    expect((await betaApi.get(`/users/${aliceId}`)).status).toBe(404);
    expect((await betaApi.delete(`/users?userIds.0=${aliceId}`)).status).toBe(404);
    expect((await apiClient(emulator).get(`/users/${aliceId}`)).status).toBe(200);
  });

  it('answers unknown routes with a 404 error envelope', async () => {
    const reply = await apiClient(emulator).get('/destinations');
    expect(reply.status).toBe(404);
    expect(firstError(reply).type).toBe('not-found');
  });
});
