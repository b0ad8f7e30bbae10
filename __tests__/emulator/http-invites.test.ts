import { RunningEmulator } from '../../emulator';
import { ACME, ApiClient, apiClient, firstError, roleId, startTestEmulator } from './support';

describe('invites', () => {
  let emulator: RunningEmulator;
  let api: ApiClient;

  beforeEach(async () => {
    emulator = await startTestEmulator();
    api = apiClient(emulator);
  });
  afterEach(() => emulator.stop());

  const invitesNow = async (): Promise<string[]> => (await api.get('/invites?pagination.count=200')).body.data.invites;

  it('lists pending invites as emails only', async () => {
    const reply = await api.get('/invites');
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ invites: ['carol@acme.com'], pagination: expect.objectContaining({ totalEntries: 1 }) });
  });

  it('creates invites with HTTP 201 and returns their emails', async () => {
    const reply = await api.post('/invites', {
      invites: [
        { email: 'Dan@Acme.com', permissions: [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-ios', type: 'SOURCE' }] }] },
        { email: 'erin@acme.com' },
      ],
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ data: { emails: ['dan@acme.com', 'erin@acme.com'] } });
    expect(await invitesNow()).toEqual(['carol@acme.com', 'dan@acme.com', 'erin@acme.com']);
  });

  it('puts invite labels (on the permission) onto each resource once accepted', async () => {
    await api.post('/invites', {
      invites: [
        {
          email: 'frank@acme.com',
          permissions: [
            { roleId: roleId('Source Read-only'), resources: [{ id: ACME, type: 'WORKSPACE' }], labels: [{ key: 'environment', value: 'prod' }] },
          ],
        },
      ],
    });
    const [frank] = emulator.acceptInvites(ACME, ['frank@acme.com']);
    expect(frank.permissions).toEqual([
      { roleId: roleId('Source Read-only'), roleName: 'Source Read-only', resources: [{ id: ACME, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'prod' }] }] },
    ]);
  });

  // Each bad call starts with a valid invite, to prove one bad invite rejects the whole call.
  const ok = { email: 'ok@acme.com' };
  it.each([
    ['a malformed email', [ok, { email: 'not-an-email' }], 'invites[1].email', /not a valid email/],
    ['an email twice in one call', [ok, { email: 'OK@acme.com' }], 'invites[1].email', /more than once/],
    ['an unknown role id', [ok, { email: 'g@acme.com', permissions: [{ roleId: 'nope', resources: [{ id: ACME, type: 'WORKSPACE' }] }] }], 'invites[1].permissions[0].roleId', /Unknown role id/],
    ['an unknown source', [ok, { email: 'g@acme.com', permissions: [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-x', type: 'SOURCE' }] }] }], 'invites[1].permissions[0].resources[0].id', /No SOURCE/],
    ['an empty list', [], 'invites', /at least one/],
  ])('rejects %s with 422 and sends no invite', async (_case, invites, field, message) => {
    const reply = await api.post('/invites', { invites });
    expect(reply.status).toBe(422);
    expect(firstError(reply)).toMatchObject({ type: 'input-validation', field, message: expect.stringMatching(message) });
    expect(await invitesNow()).toEqual(['carol@acme.com']);
  });

  it('rejects more than 200 invites in one call', async () => {
    const invites = Array.from({ length: 201 }, (_, index) => ({ email: `bulk${index}@acme.com` }));
    const reply = await api.post('/invites', { invites });
    expect(reply.status).toBe(422);
    expect(firstError(reply)).toMatchObject({ field: 'invites', message: expect.stringMatching(/201 items; at most 200/) });
  });

  it('answers 409 conflict for an email already invited or already a member', async () => {
    const invited = await api.post('/invites', { invites: [{ email: 'carol@acme.com' }] });
    expect(invited.status).toBe(409);
    expect(firstError(invited)).toMatchObject({ type: 'conflict', message: expect.stringMatching(/carol@acme.com already has an invite/) });
    const member = await api.post('/invites', { invites: [{ email: 'BOB@acme.com' }] });
    expect(member.status).toBe(409);
    expect(firstError(member).message).toMatch(/bob@acme.com is already a member/);
  });

  it('rejects a whole call that would exceed the seat limit, saying seats used and limit', async () => {
    const invites = Array.from({ length: 8 }, (_, index) => ({ email: `seat${index}@acme.com` }));
    const reply = await api.post('/invites', { invites });
    expect(reply.status).toBe(422);
    expect(firstError(reply).message).toMatch(/Seat limit exceeded: 3 of 10 seats used .*needs 8 more, only 7 left/);
    expect(await invitesNow()).toEqual(['carol@acme.com']);
    expect((await api.post('/invites', { invites: invites.slice(0, 7) })).status).toBe(201);
    expect((await api.post('/invites', { invites: [{ email: 'one-more@acme.com' }] })).status).toBe(422);
  });

  it('deletes invites by emails (dotted or bracketed indexes) and 404s unknown ones', async () => {
    await api.post('/invites', { invites: [{ email: 'h1@acme.com' }, { email: 'h2@acme.com' }] });
    const unknown = await api.delete('/invites?emails.0=h1%40acme.com&emails.1=nobody%40acme.com');
    expect(unknown.status).toBe(404);
    expect(firstError(unknown).message).toContain('nobody@acme.com');
    expect(await invitesNow()).toHaveLength(3);
    expect((await api.delete('/invites?emails.0=h1%40acme.com&emails.1=h2%40acme.com')).body).toEqual({ data: { status: 'SUCCESS' } });
    expect((await api.delete('/invites?emails%5B0%5D=carol%40acme.com')).status).toBe(200);
    expect(await invitesNow()).toEqual([]);
  });
});
