import { SegmentApiClient } from '../../api/client';
import { InviteesAlreadyPresentError, SegmentApiError } from '../../api/errors';
import { AuditCursor, EmulatorSettingsInput, ErrorTypes, ExistingInvitee, PageSizeLimit, RunningEmulator } from '../../emulator';
import { ACME, ACME_TOKEN, startTestEmulator, testSeed } from '../emulator/support';

// The client against each alternative Segment might take where its docs are silent (the emulator's
// settings), one behaviour at a time.

async function withClient(settings: EmulatorSettingsInput, body: (client: SegmentApiClient, emulator: RunningEmulator) => Promise<void>, pageSize?: number): Promise<void> {
  const seed = testSeed();
  seed.workspaces[0].seatLimit = undefined;
  const emulator = await startTestEmulator({ settings, seed });
  try {
    // The client's clock is Segment's (the emulator's clock moves when a test advances it).
    await body(new SegmentApiClient({ token: ACME_TOKEN, baseUrl: emulator.url, pageSize, now: () => emulator.state.clock.nowMs(), sleep: async () => undefined }), emulator);
  } finally {
    await emulator.stop();
  }
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('inviting someone already there', () => {
  it.each([ExistingInvitee.CONFLICT_409, ExistingInvitee.VALIDATION_422])('%s: names who is already there (as Segment holds them), invites nobody', (existingInvitee) =>
    withClient({ existingInvitee }, async (client, emulator) => {
      const error = (await errorOf(client.createInvites([{ email: 'new@acme.com' }, { email: 'Carol@acme.com' }]))) as InviteesAlreadyPresentError;
      expect(error).toBeInstanceOf(InviteesAlreadyPresentError);
      expect({ emails: error.emails, invited: error.invited, status: error.status }).toEqual({ emails: ['carol@acme.com'], invited: [], status: existingInvitee === ExistingInvitee.CONFLICT_409 ? 409 : 422 });
      expect(emulator.state.listInvites(ACME).map((i) => i.email)).toEqual(['carol@acme.com']);
    }));

  it('skipped-201: names who was skipped and who was invited', () =>
    withClient({ existingInvitee: ExistingInvitee.SKIPPED_201 }, async (client) => {
      const error = (await errorOf(client.createInvites([{ email: 'new@acme.com' }, { email: 'carol@acme.com' }]))) as InviteesAlreadyPresentError;
      expect({ emails: error.emails, invited: error.invited, status: error.status }).toEqual({ emails: ['carol@acme.com'], invited: ['new@acme.com'], status: 201 });
    }));

  it('a 422 naming another field (a role) is reported as it is, without reading the workspace', () =>
    withClient({ existingInvitee: ExistingInvitee.VALIDATION_422 }, async (client) => {
      const error = (await errorOf(client.createInvites([{ email: 'new@acme.com', permissions: [{ roleId: 'noSuchRole' }] }]))) as SegmentApiError;
      expect(error).toBeInstanceOf(SegmentApiError);
      expect(error.status).toBe(422);
      expect(client.stats.reads).toBe(0);
    }));
});

describe('the audit trail with time cursors', () => {
  it('reads every event once, over pages of 2, although an endTime sent with a cursor would win over it', () =>
    withClient(
      { auditCursor: AuditCursor.TIME },
      async (client, emulator) => {
        for (const name of ['A', 'B', 'C', 'D', 'E']) {
          await client.createGroup(name);
          emulator.advanceClock(1000);
        }
        expect((await client.listAuditEvents()).map((e) => e.resourceName)).toEqual(['E', 'D', 'C', 'B', 'A']);
      },
      2,
    ));
});

describe('pages of at most 200 (docs.segmentapis.com) rather than 1000 (the SDK)', () => {
  const seedWith250 = () => {
    const seed = testSeed();
    seed.workspaces[0].seatLimit = undefined;
    seed.workspaces[0].users!.push(...Array.from({ length: 250 }, (_, i) => ({ name: `U${i}`, email: `u${i}@acme.com` })));
    return seed;
  };

  it('the default page (200) reads all 250 users; a client asking for 1000 a page is refused', async () => {
    const emulator = await startTestEmulator({ settings: { maxPageCount: PageSizeLimit.DOCS_200 }, seed: seedWith250() });
    try {
      const client = (pageSize?: number) => new SegmentApiClient({ token: ACME_TOKEN, baseUrl: emulator.url, pageSize, sleep: async () => undefined });
      expect(await client().listUsers()).toHaveLength(252);
      expect(((await errorOf(client(1000).listUsers())) as SegmentApiError).status).toBe(422);
    } finally {
      await emulator.stop();
    }
  });
});

describe('what a later API version may send', () => {
  it('fields no v73 model has are ignored; an unfamiliar error type is acted on by its status', () =>
    withClient({ extraResponseFields: true, errorTypes: ErrorTypes.UNFAMILIAR }, async (client, emulator) => {
      const [alice] = await client.listUsers();
      expect(Object.keys(alice).sort()).toEqual(['email', 'id', 'name', 'permissions']);
      expect(Object.keys(alice.permissions[0]).sort()).toEqual(['labels', 'resources', 'roleId', 'roleName']);
      // A 404 of an unfamiliar type on a delete: re-read, nothing left to delete.
      const bobId = emulator.state.listUsers(ACME).find((u) => u.email === 'bob@acme.com')!.id;
      await client.deleteUsers([bobId, 'noSuchUser']);
      expect(emulator.state.listUsers(ACME).map((u) => u.email)).toEqual(['alice@acme.com']);
      const missing = (await errorOf(client.getUser('noSuchUser'))) as SegmentApiError;
      expect({ status: missing.status, type: missing.errors[0].type, retryable: missing.retryable }).toEqual({ status: 404, type: 'unfamiliar-not-found', retryable: false });
    }));
});
