import {
  AcceptedInviteAccess,
  AuditCursor,
  AuditEventNames,
  AuditResourceTypes,
  BatchDeleteUnknown,
  DAY_MS,
  DuplicateGroupNames,
  EmailCase,
  emulatorSettingsSchema,
  EmulatorProfile,
  EmulatorSettings,
  EmulatorSettingsInput,
  ErrorTypes,
  EXTRA_FIELD,
  ExistingInvitee,
  PageSizeLimit,
  PROFILE_SETTINGS,
  RunningEmulator,
  SsoProvisioning,
} from '../../emulator';
import { ACME, ApiClient, apiClient, firstError, roleId, startTestEmulator, userIdByEmail } from './support';

/** One emulator per test, with the settings under test; stopped afterwards. */
async function withEmulator(settings: EmulatorSettingsInput, body: (api: ApiClient, emulator: RunningEmulator) => Promise<void>): Promise<void> {
  const emulator = await startTestEmulator({ settings });
  try {
    await body(apiClient(emulator), emulator);
  } finally {
    await emulator.stop();
  }
}

const sourceAdmin = () => [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-web', type: 'SOURCE' }] }];
const groupNamed = (api: ApiClient, name: string) => api.post('/groups', { name });
const groupsNamed = async (api: ApiClient, name: string) =>
  ((await api.get('/groups')).body.data.userGroups as { id: string; name: string }[]).filter((g) => g.name === name);

describe('email case (emailCase)', () => {
  it('lower-cased (default): stored lower-cased, any case addresses it', () =>
    withEmulator({}, async (api, emulator) => {
      expect((await api.post('/invites', { invites: [{ email: 'Ana.Lee@Acme.com' }] })).body.data.emails).toEqual(['ana.lee@acme.com']);
      expect(emulator.state.listInvites(ACME).map((i) => i.email)).toContain('ana.lee@acme.com');
      expect((await api.delete('/invites?emails.0=ANA.LEE%40acme.com')).status).toBe(200);
    }));

  it('preserved: kept as given; deletes and group calls match only the exact string; uniqueness ignores case', () =>
    withEmulator({ emailCase: EmailCase.PRESERVED }, async (api, emulator) => {
      expect((await api.post('/invites', { invites: [{ email: 'Ana.Lee@Acme.com' }] })).body.data.emails).toEqual(['Ana.Lee@Acme.com']);
      expect((await api.get('/invites')).body.data.invites).toContain('Ana.Lee@Acme.com');
      // The same person in another case is not invited twice.
      expect((await api.post('/invites', { invites: [{ email: 'ana.lee@acme.com' }] })).status).toBe(409);
      const group = (await groupNamed(api, 'Team')).body.data.userGroup;
      expect((await api.post(`/groups/${group.id}/users`, { emails: ['ana.lee@acme.com'] })).status).toBe(422);
      expect((await api.post(`/groups/${group.id}/users`, { emails: ['Ana.Lee@Acme.com'] })).status).toBe(200);
      expect((await api.delete(`/group/${group.id}/users?emails.0=ana.lee%40acme.com`)).status).toBe(404);
      expect((await api.delete('/invites?emails.0=ana.lee%40acme.com')).status).toBe(404);
      expect((await api.delete('/invites?emails.0=Ana.Lee%40Acme.com')).status).toBe(200);
      expect(emulator.state.listInvites(ACME).map((i) => i.email)).not.toContain('Ana.Lee@Acme.com');
    }));

  it('preserved: seeds keep their case too', async () => {
    const emulator = await startTestEmulator({
      settings: { emailCase: EmailCase.PRESERVED },
      seed: { workspaces: [{ id: 'ws1', slug: 'one', name: 'One', tokens: ['t1'], users: [{ name: 'Bo', email: 'Bo.Ng@One.example' }], groups: [{ name: 'G', members: ['bo.ng@one.example'] }] }] },
    });
    try {
      expect(emulator.state.listUsers('ws1')[0].email).toBe('Bo.Ng@One.example');
      expect(emulator.state.listGroups('ws1')[0].memberEmails).toEqual(['Bo.Ng@One.example']);
    } finally {
      await emulator.stop();
    }
  });
});

describe('duplicate group names (duplicateGroupNames)', () => {
  it.each([
    [DuplicateGroupNames.REFUSED_409, 409],
    [DuplicateGroupNames.REFUSED_422, 422],
    [DuplicateGroupNames.ALLOWED, 200],
  ])('%s: a second POST /groups with the same name answers %i', (setting, status) =>
    withEmulator({ duplicateGroupNames: setting }, async (api) => {
      expect((await groupNamed(api, 'Auditors')).status).toBe(200);
      expect((await groupNamed(api, 'auditors')).status).toBe(status);
      expect(await groupsNamed(api, 'auditors')).toHaveLength(status === 200 ? 1 : 0);
    }));

  it('group names longer than maxGroupNameLength are 422s (default 200)', () =>
    withEmulator({ maxGroupNameLength: 10 }, async (api) => {
      const refused = await groupNamed(api, 'x'.repeat(11));
      expect(refused.status).toBe(422);
      expect(firstError(refused)).toMatchObject({ type: 'input-validation', field: 'name' });
      expect((await groupNamed(api, 'x'.repeat(10))).status).toBe(200);
    }));
});

describe('inviting someone already there (existingInvitee)', () => {
  it.each([
    [ExistingInvitee.CONFLICT_409, 409],
    [ExistingInvitee.VALIDATION_422, 422],
  ])('%s: the whole call is refused with %i', (setting, status) =>
    withEmulator({ existingInvitee: setting }, async (api, emulator) => {
      const reply = await api.post('/invites', { invites: [{ email: 'new@acme.com' }, { email: 'Carol@acme.com' }] });
      expect(reply.status).toBe(status);
      expect(emulator.state.listInvites(ACME).map((i) => i.email)).not.toContain('new@acme.com');
    }));

  it('skipped-201: the others are invited; the ones already there are left out of `emails`', () =>
    withEmulator({ existingInvitee: ExistingInvitee.SKIPPED_201 }, async (api, emulator) => {
      const reply = await api.post('/invites', { invites: [{ email: 'new@acme.com' }, { email: 'carol@acme.com' }, { email: 'bob@acme.com' }] });
      expect(reply.status).toBe(201);
      expect(reply.body.data.emails).toEqual(['new@acme.com']);
      // Carol's invite keeps its original permissions.
      expect(emulator.state.listInvites(ACME).find((i) => i.email === 'carol@acme.com')!.permissions[0].roleId).toBe(roleId('Source Read-only'));
    }));
});

describe('what an accepted invite becomes (acceptedInviteAccess)', () => {
  it.each([
    [AcceptedInviteAccess.INVITE_PERMISSIONS, ['Source Admin']],
    [AcceptedInviteAccess.PLUS_MINIMAL_WORKSPACE_ACCESS, ['Source Admin', 'Minimal Workspace Access']],
  ])('%s', (setting, roles) =>
    withEmulator({ acceptedInviteAccess: setting }, async (api, emulator) => {
      await api.post('/invites', { invites: [{ email: 'new@acme.com', permissions: sourceAdmin() }] });
      const [user] = emulator.acceptInvites(ACME, ['new@acme.com']);
      expect(user.permissions.map((p) => p.roleName)).toEqual(roles);
    }));
});

describe('single sign-on and SCIM (ssoProvisioning)', () => {
  it('off (default): nobody joins without an invite, SCIM removes nobody', () =>
    withEmulator({}, async (_api, emulator) => {
      expect(() => emulator.joinViaSso(ACME, 'sso.person@acme.com')).toThrow(/ssoProvisioning/);
      expect(() => emulator.removeViaScim(ACME, 'bob@acme.com')).toThrow(/ssoProvisioning/);
    }));

  it('just-in-time-and-scim: people join with Minimal Workspace Access, a pending invite is used up, SCIM removes members and their groups', () =>
    withEmulator({ ssoProvisioning: SsoProvisioning.JUST_IN_TIME_AND_SCIM, auditEventNames: AuditEventNames.IN_APP }, async (api, emulator) => {
      expect(emulator.joinViaSso(ACME, 'sso.person@acme.com').permissions.map((p) => p.roleName)).toEqual(['Minimal Workspace Access']);
      // Carol's invite (Source Read-only) is used up: she joins with Minimal Workspace Access only, and keeps her groups.
      expect(emulator.joinViaSso(ACME, 'carol@acme.com').permissions.map((p) => p.roleName)).toEqual(['Minimal Workspace Access']);
      expect(emulator.state.listInvites(ACME)).toEqual([]);
      expect(emulator.state.listGroups(ACME)[0].memberEmails).toEqual(['bob@acme.com', 'carol@acme.com']);
      emulator.removeViaScim(ACME, 'bob@acme.com');
      expect(emulator.state.listUsers(ACME).map((u) => u.email)).not.toContain('bob@acme.com');
      expect(emulator.state.listGroups(ACME)[0].memberEmails).toEqual(['carol@acme.com']);
      const trail = (await api.get('/audit-events')).body.data.events as { type: string; actor: string; resourceName: string }[];
      expect(trail.map((e) => `${e.type} by ${e.actor}: ${e.resourceName}`)).toEqual([
        'Group Memberships Deleted by scim: bob@acme.com',
        'User Removed by scim: bob@acme.com',
        'User Added via SSO by carol@acme.com: carol@acme.com',
        'User Added via SSO by sso.person@acme.com: sso.person@acme.com',
      ]);
      // Admin endpoints drive the same, over loopback.
      const admin = await fetch(`${emulator.url}/__emulator/workspaces/${ACME}/sso/join`, { method: 'POST', body: JSON.stringify({ email: 'dee@acme.com' }) });
      expect(admin.status).toBe(201);
    }));
});

describe('batch deletes naming something unknown (batchDeleteUnknown)', () => {
  it.each([
    [BatchDeleteUnknown.REFUSE_WHOLE_CALL, 404, true],
    [BatchDeleteUnknown.DELETE_THE_REST, 200, false],
  ])('%s: DELETE /users, /invites and /group/{id}/users answer %i (known ones kept: %s)', (setting, status, kept) =>
    withEmulator({ batchDeleteUnknown: setting }, async (api, emulator) => {
      const bobId = await userIdByEmail(api, 'bob@acme.com');
      const group = emulator.state.listGroups(ACME)[0];
      expect((await api.delete(`/group/${group.id}/users?emails.0=bob%40acme.com&emails.1=nobody%40acme.com`)).status).toBe(status);
      expect(emulator.state.listGroups(ACME)[0].memberEmails.includes('bob@acme.com')).toBe(kept);
      expect((await api.delete(`/users?userIds.0=${bobId}&userIds.1=noSuchUser`)).status).toBe(status);
      expect(emulator.state.listUsers(ACME).some((u) => u.id === bobId)).toBe(kept);
      expect((await api.delete('/invites?emails.0=carol%40acme.com&emails.1=nobody%40acme.com')).status).toBe(status);
      expect(emulator.state.listInvites(ACME).some((i) => i.email === 'carol@acme.com')).toBe(kept);
    }));
});

describe('the audit trail: cursors, names, retention', () => {
  /** Five group events at five instants. */
  async function fiveEvents(api: ApiClient, emulator: RunningEmulator): Promise<void> {
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      await groupNamed(api, name);
      emulator.advanceClock(1000);
    }
  }

  it('offset cursors (default): base64 offsets; an explicit endTime keeps paging stable', () =>
    withEmulator({}, async (api, emulator) => {
      await fiveEvents(api, emulator);
      const first = (await api.get('/audit-events?pagination.count=2')).body.data;
      expect(first.pagination.next).toBe('Mg==');
      const second = (await api.get(`/audit-events?pagination.count=2&pagination.cursor=${first.pagination.next}&endTime=${encodeURIComponent(emulator.state.clock.nowIso())}`)).body.data;
      expect(second.events.map((e: { resourceName: string }) => e.resourceName)).toEqual(['C', 'B']);
    }));

  it('time cursors: the cursor carries the end time; an explicit endTime wins over it (the first page again)', () =>
    withEmulator({ auditCursor: AuditCursor.TIME }, async (api, emulator) => {
      await fiveEvents(api, emulator);
      const names = (page: { events: { resourceName: string }[] }) => page.events.map((e) => e.resourceName);
      const first = (await api.get('/audit-events?pagination.count=2')).body.data;
      expect(names(first)).toEqual(['E', 'D']);
      expect(Buffer.from(first.pagination.next, 'base64url').toString()).toMatch(/^t:\d+:1$/);
      const second = (await api.get(`/audit-events?pagination.count=2&pagination.cursor=${first.pagination.next}`)).body.data;
      expect(names(second)).toEqual(['C', 'B']);
      const endTime = encodeURIComponent(emulator.state.clock.nowIso());
      const again = (await api.get(`/audit-events?pagination.count=2&pagination.cursor=${first.pagination.next}&endTime=${endTime}`)).body.data;
      expect(names(again)).toEqual(['E', 'D']);
      expect((await api.get('/audit-events?pagination.cursor=Mg==')).status).toBe(422);
    }));

  it('time cursors page through events that share one timestamp without losing or repeating any', () =>
    withEmulator({ auditCursor: AuditCursor.TIME }, async (api) => {
      for (const name of ['A', 'B', 'C', 'D', 'E']) await groupNamed(api, name);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = (await api.get(`/audit-events?pagination.count=2${cursor ? `&pagination.cursor=${cursor}` : ''}`)).body.data;
        seen.push(...page.events.map((e: { resourceName: string }) => e.resourceName));
        cursor = page.pagination.next;
      } while (cursor);
      expect(seen).toEqual(['E', 'D', 'C', 'B', 'A']);
    }));

  it.each([
    [AuditEventNames.SDK, ['Subjects Added to Group', 'User Group Created', 'Invite Deleted', 'Non-Segment User Invited to Workspace']],
    [AuditEventNames.IN_APP, ['User Group Updated', 'User Group Created', 'User Invite Deleted', 'User Invite Sent']],
  ])('event names %s', (setting, types) =>
    withEmulator({ auditEventNames: setting }, async (api) => {
      await api.post('/invites', { invites: [{ email: 'new@acme.com' }] });
      await api.delete('/invites?emails.0=new%40acme.com');
      const group = (await groupNamed(api, 'Team')).body.data.userGroup;
      await api.post(`/groups/${group.id}/users`, { emails: ['bob@acme.com'] });
      expect(((await api.get('/audit-events')).body.data.events as { type: string }[]).map((e) => e.type)).toEqual(types);
    }));

  it.each([
    [AuditResourceTypes.UPPER_SNAKE, ['USER_GROUP', 'USER_GROUP', 'INVITE']],
    [AuditResourceTypes.TITLE, ['User Group', 'User Group', 'Invite']],
  ])('resource types %s', (setting, types) =>
    withEmulator({ auditResourceTypes: setting }, async (api) => {
      await api.post('/invites', { invites: [{ email: 'new@acme.com' }] });
      const group = (await groupNamed(api, 'Team')).body.data.userGroup;
      await api.post(`/groups/${group.id}/users`, { emails: ['bob@acme.com'] });
      expect(((await api.get('/audit-events')).body.data.events as { resourceType: string }[]).map((e) => e.resourceType)).toEqual(types);
    }));

  it('retention: events older than auditRetentionDays are gone (default: kept)', async () => {
    for (const [retention, expected] of [[null, 1], [90, 0]] as const) {
      await withEmulator({ auditRetentionDays: retention }, async (api, emulator) => {
        await groupNamed(api, 'Old');
        emulator.advanceClock(91 * DAY_MS);
        expect((await api.get('/audit-events')).body.data.events).toHaveLength(expected);
      });
    }
  });
});

describe('limits and later API versions', () => {
  it('page size: 1000 (the SDK) by default; 200 (the docs) refuses more', async () => {
    await withEmulator({}, async (api) => expect((await api.get('/users?pagination.count=1000')).status).toBe(200));
    await withEmulator({ maxPageCount: PageSizeLimit.DOCS_200 }, async (api) => {
      const refused = await api.get('/users?pagination.count=201');
      expect(refused.status).toBe(422);
      expect(firstError(refused).message).toMatch(/from 1 to 200/);
      expect((await api.get('/users?pagination.count=200')).status).toBe(200);
    });
  });

  it('custom labels: no limit by default; customLabelLimit refuses a key beyond it (environment labels do not count)', async () => {
    // The test seed has one custom key (team).
    const create = (api: ApiClient, key: string) => api.post('/labels', { label: { key, value: 'x' } });
    await withEmulator({}, async (api) => expect((await create(api, 'brand')).status).toBe(201));
    await withEmulator({ customLabelLimit: 2 }, async (api) => {
      expect((await create(api, 'brand')).status).toBe(201);
      expect((await create(api, 'brand2')).status).toBe(422);
      expect((await api.post('/labels', { label: { key: 'environment', value: 'qa' } })).status).toBe(201);
      expect((await api.post('/labels', { label: { key: 'team', value: 'data' } })).status).toBe(201);
    });
  });

  it('extraResponseFields adds a field to every object; errorTypes renames undocumented types only', () =>
    withEmulator({ extraResponseFields: true, errorTypes: ErrorTypes.UNFAMILIAR }, async (api) => {
      const users = (await api.get('/users')).body;
      expect(users.data[EXTRA_FIELD]).toBeDefined();
      expect(users.data.users[0][EXTRA_FIELD]).toBeDefined();
      expect(users.data.users[0].permissions[0].resources[0][EXTRA_FIELD]).toBeDefined();
      const missing = await api.get('/users/nobody');
      expect(missing.status).toBe(404);
      expect(firstError(missing).type).toBe('unfamiliar-not-found');
      const invalid = await api.get('/users?pagination.count=0');
      expect(firstError(invalid).type).toBe('input-validation');
    }));
});

describe('profiles', () => {
  const enumSettings: Partial<Record<keyof EmulatorSettings, readonly unknown[]>> = {
    emailCase: Object.values(EmailCase),
    duplicateGroupNames: Object.values(DuplicateGroupNames),
    existingInvitee: Object.values(ExistingInvitee),
    acceptedInviteAccess: Object.values(AcceptedInviteAccess),
    ssoProvisioning: Object.values(SsoProvisioning),
    batchDeleteUnknown: Object.values(BatchDeleteUnknown),
    auditCursor: Object.values(AuditCursor),
    auditEventNames: Object.values(AuditEventNames),
    auditResourceTypes: Object.values(AuditResourceTypes),
    maxPageCount: [PageSizeLimit.SDK_1000, PageSizeLimit.DOCS_200],
    errorTypes: Object.values(ErrorTypes),
    extraResponseFields: [false, true],
    auditRetentionDays: [null, 90],
    customLabelLimit: [null, 5],
  };

  it.each(Object.entries(enumSettings))('between them, the profiles take every value of %s', (setting, values) => {
    const taken = Object.values(EmulatorProfile).map((profile) => emulatorSettingsSchema.parse(PROFILE_SETTINGS[profile])[setting as keyof EmulatorSettings]);
    expect(new Set(taken)).toEqual(new Set(values));
  });

  it('every profile is valid, and the defaults profile is the emulator default', () => {
    for (const profile of Object.values(EmulatorProfile)) expect(() => emulatorSettingsSchema.parse(PROFILE_SETTINGS[profile])).not.toThrow();
    expect(emulatorSettingsSchema.parse(PROFILE_SETTINGS[EmulatorProfile.DEFAULTS])).toEqual(emulatorSettingsSchema.parse({}));
  });
});
