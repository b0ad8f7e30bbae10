import type { DesiredState } from '../../model/desired-state';
import { PlanTier } from '../../model/enums';
import { AuditEvidence } from '../../reconciler/evidence';
import { AuditTrailUnavailableError, DEFAULT_AUDIT_DELAY_MS, LiveState, PlanTierMismatchError, readLiveState, ReadLiveStateOptions } from '../../reconciler/live-state';
import { Distrust, Trust } from '../../reconciler/record-trust';
import { groupGrantRecord, invitedRecord, membersRecord, RecordKind, type RecordName } from '../../reconciler/records';
import type { LiveAuditEvent, LiveGroup, LiveRole, LiveUser, SegmentPort } from '../../reconciler/segment-port';
import { WS_ID } from '../support/desired';
import { event, group, onWs, proofEvents, ROLES, signedIntentName, signerFor, TEST_KEYS, TEST_NOW, user } from '../support/live';

// readLiveState against a recording fake of the Segment port: what it reads (and what it leaves
// unread because it cannot find anything), how it sorts groups into records, and how it reads the
// audit trail or refuses when it cannot.

const WORKSPACE = { id: WS_ID, slug: 'acme-test', name: 'Acme Test' };
const MANAGEMENT: DesiredState['management'] = { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: false, retain: [] };
const TEAM_ROLES: LiveRole[] = [
  { id: 'r_owner', name: 'Workspace Owner' },
  { id: 'r_src', name: 'Source Admin' },
];

interface World {
  roles?: LiveRole[];
  users?: LiveUser[];
  invites?: string[];
  groups?: LiveGroup[];
  /** Members (users) by group id. */
  groupUsers?: Record<string, string[]>;
  /** Pending invites by group id. */
  groupInvites?: Record<string, string[]>;
  /** The audit trail; an Error is thrown by listAuditEvents; 'absent' leaves the method out. */
  events?: LiveAuditEvent[] | Error | 'absent';
}

/** A port that answers reads from `world`, logs every call, and fails on any write. */
function fakePort(world: World): { api: SegmentPort; calls: string[] } {
  const calls: string[] = [];
  const read = <T>(name: string, value: T) => {
    calls.push(name);
    return Promise.resolve(value);
  };
  const write = (name: string) => () => Promise.reject(new Error(`readLiveState must not write (${name})`));
  const api: SegmentPort = {
    getWorkspace: () => read('getWorkspace', WORKSPACE),
    listRoles: () => read('listRoles', world.roles ?? ROLES),
    listUsers: () => read('listUsers', world.users ?? []),
    listInvites: () => read('listInvites', world.invites ?? []),
    listGroups: () => read('listGroups', world.groups ?? []),
    listLabels: () => read('listLabels', [{ key: 'environment', value: 'prod' }]),
    listGroupUsers: (id) => read(`listGroupUsers ${id}`, (world.groupUsers?.[id] ?? []).map((email) => ({ id: `u_${email}`, name: email, email }))),
    listGroupInvites: (id) => read(`listGroupInvites ${id}`, world.groupInvites?.[id] ?? []),
    deleteUsers: write('deleteUsers'),
    replaceUserPermissions: write('replaceUserPermissions'),
    createInvites: write('createInvites'),
    deleteInvites: write('deleteInvites'),
    createGroup: write('createGroup'),
    renameGroup: write('renameGroup'),
    deleteGroup: write('deleteGroup'),
    replaceGroupPermissions: write('replaceGroupPermissions'),
    addGroupMembers: write('addGroupMembers'),
    removeGroupMembers: write('removeGroupMembers'),
  };
  if (world.events !== 'absent') {
    const events = world.events ?? [];
    api.listAuditEvents = () => {
      calls.push('listAuditEvents');
      return events instanceof Error ? Promise.reject(events) : Promise.resolve(events);
    };
  }
  return { api, calls };
}

async function read(world: World, management: Partial<DesiredState['management']> = {}, options: ReadLiveStateOptions = {}): Promise<{ live: LiveState; calls: string[] }> {
  const { api, calls } = fakePort(world);
  const live = await readLiveState(api, WORKSPACE, { ...MANAGEMENT, ...management }, options);
  return { live, calls };
}

const withMembers = (g: LiveGroup, memberCount: number): LiveGroup => ({ ...g, memberCount });
const evidenceOf = (live: LiveState): AuditEvidence => {
  if (live.auditTrail.state !== 'read') throw new Error(`expected the audit trail read, it is ${live.auditTrail.state}`);
  return live.auditTrail.evidence;
};
/** A record name signed with the test key: sealed to `groupId` when given, else "new". */
const signed = (record: RecordName, groupId?: string) => signerFor().name(record, groupId ? { groupId } : 'new');
/** Group-read calls, sorted (they run concurrently). */
const groupReads = (calls: string[]) => calls.filter((c) => c.startsWith('listGroup') && c !== 'listGroups').sort();

describe('sorting groups into records', () => {
  // This app's record, signed with the test key (sealed to each group's id where the kind is sealed).
  const members = withMembers(group(signed(membersRecord('default'), 'g_members'), [], 'g_members'), 2);
  const invited = withMembers(group(signed(invitedRecord('default', '0123456789ab', '2026-11-20')), [], 'g_invited'), 1);
  const grant = withMembers(group(signed(groupGrantRecord('default', 'g_analysts'), 'g_grant'), [], 'g_grant'), 3);
  const legacy = withMembers(group('segment-access:fedcba987654', [], 'g_legacy'), 1);
  const billing = withMembers(group('segment-access:billing:members', [], 'g_billing'), 1);
  const malformed = group('segment-access:default:members:extra', [], 'g_bad');
  const analysts = withMembers(group('Analysts', onWs('Source Read-only'), 'g_analysts'), 4);
  const owners = withMembers(group('Owners', onWs('Workspace Owner'), 'g_owners'), 2);
  const world: World = {
    invites: ['Pending@X.example'],
    groups: [members, invited, grant, legacy, billing, malformed, analysts, owners],
    groupUsers: {
      g_members: ['Ana@X.example', 'bo@x.example'],
      g_invited: ['cy@x.example'],
      g_grant: ['never-read@x.example'],
      g_legacy: ['di@x.example'],
      g_billing: ['ed@x.example'],
      g_analysts: ['not-a-record@x.example'],
      g_owners: ['Boss@Acme.example', 'it@acme.example'],
    },
    groupInvites: { g_members: ['pending@x.example'], g_invited: ['Pending@X.example'], g_grant: ['never-read@x.example'], g_legacy: ['legacy-pending@x.example'] },
  };

  test('own records (signature only: the trail is off), other apps\' records with their members; a malformed name and a legacy record are damage', async () => {
    const { live } = await read(world, { useAuditTrail: false }, { keys: TEST_KEYS });
    const rec = live.records;
    expect(rec.own).toEqual([
      { group: members, record: { kind: RecordKind.MEMBERS, app: 'default' }, trust: Trust.SEALED, emails: new Set(['ana@x.example', 'bo@x.example', 'pending@x.example']) },
      { group: invited, record: { kind: RecordKind.INVITED, app: 'default', fingerprint: '0123456789ab', day: '2026-11-20' }, trust: Trust.SIGNATURE, emails: new Set(['cy@x.example', 'pending@x.example']) },
      // A group-grant record holds no members: its members are not read.
      { group: grant, record: { kind: RecordKind.GROUP_GRANT, app: 'default', groupId: 'g_analysts' }, trust: Trust.SEALED, emails: new Set() },
    ]);
    expect(rec.legacy).toEqual([]);
    expect(rec.others).toEqual([{ group: billing, record: { kind: RecordKind.MEMBERS, app: 'billing' }, emails: new Set(['ed@x.example']) }]);
    expect(rec.unauthentic).toEqual([
      { group: legacy, record: { kind: 'legacy-collaborators', app: null, fingerprint: 'fedcba987654', day: null }, reason: Distrust.LEGACY_NOT_ENABLED },
      { group: malformed, reason: Distrust.MALFORMED },
    ]);
    // Every group that is not a proven record, by name (the damaged ones included: they are no record).
    expect([...live.groups.entries()]).toEqual([
      ['segment-access:fedcba987654', legacy],
      ['segment-access:default:members:extra', malformed],
      ['Analysts', analysts],
      ['Owners', owners],
    ]);
    expect(live.verification).toEqual({ keyVariable: 'SEGMENT_ACCESS_RECORD_KEY', keyHeld: true, rotating: false });
  });

  test('without the record key nothing under the app\'s name is read as its record', async () => {
    const { live, calls } = await read(world, { useAuditTrail: false });
    expect(live.records.own).toEqual([]);
    expect(live.records.unauthentic.map((u) => [u.group.id, u.reason])).toEqual([
      ['g_members', Distrust.NO_KEY],
      ['g_invited', Distrust.NO_KEY],
      ['g_grant', Distrust.NO_KEY],
      ['g_legacy', Distrust.LEGACY_NOT_ENABLED],
      ['g_bad', Distrust.NO_KEY],
    ]);
    expect(live.verification).toEqual({ keyVariable: 'SEGMENT_ACCESS_RECORD_KEY', keyHeld: false, rotating: false });
    expect(groupReads(calls)).not.toContain('listGroupUsers g_members');
  });

  test('members of plain groups holding Workspace Owner are read, and only of those', async () => {
    const { live, calls } = await read(world, { useAuditTrail: false }, { keys: TEST_KEYS });
    expect(live.ownerGroupMembers).toEqual(new Map([['g_owners', new Set(['boss@acme.example', 'it@acme.example'])]]));
    expect(groupReads(calls)).toEqual([
      'listGroupInvites g_billing',
      'listGroupInvites g_invited',
      'listGroupInvites g_members',
      'listGroupUsers g_billing',
      'listGroupUsers g_invited',
      'listGroupUsers g_members',
      'listGroupUsers g_owners',
    ]);
  });

  test('a record group holding Workspace Owner (damage) is not read as an owner group', async () => {
    const ownerRecord = withMembers(group(signed(membersRecord('default'), 'g_members'), onWs('Workspace Owner'), 'g_members'), 1);
    const { live } = await read({ groups: [ownerRecord], groupUsers: { g_members: ['ana@x.example'] } }, { useAuditTrail: false }, { keys: TEST_KEYS });
    expect(live.ownerGroupMembers).toEqual(new Map());
    expect(live.records.own.map((r) => [r.group.id, [...r.emails]])).toEqual([['g_members', ['ana@x.example']]]);
  });

  test('of two plain groups with one name, the one listed last is the plain group read for owners', async () => {
    const first = withMembers(group('Owners', onWs('Workspace Owner'), 'g_first'), 1);
    const second = withMembers(group('Owners', onWs('Workspace Owner'), 'g_second'), 1);
    const { live, calls } = await read({ groups: [first, second], groupUsers: { g_first: ['a@x.example'], g_second: ['b@x.example'] } }, { useAuditTrail: false });
    expect(live.groups.get('Owners')).toBe(second);
    expect(live.ownerGroupMembers).toEqual(new Map([['g_second', new Set(['b@x.example'])]]));
    expect(groupReads(calls)).toEqual(['listGroupUsers g_second']);
  });

  test('a record with no members and a workspace with no pending invite: nothing left to read', async () => {
    const empty = group(signed(membersRecord('default'), 'g_members'), [], 'g_members');
    const someone = withMembers(group(signed(invitedRecord('default', '0123456789ab', '2026-11-20')), [], 'g_invited'), 1);
    const { live, calls } = await read({ groups: [empty, someone], groupUsers: { g_invited: ['cy@x.example'] } }, { useAuditTrail: false }, { keys: TEST_KEYS });
    expect(groupReads(calls)).toEqual(['listGroupUsers g_invited']);
    expect(live.records.own.map((r) => [r.group.id, [...r.emails]])).toEqual([
      ['g_members', []],
      ['g_invited', ['cy@x.example']],
    ]);
    expect(live.invites).toEqual(new Set());
  });

  test('with a pending invite in the workspace, the invites of a memberless record are still read', async () => {
    const empty = group(signed(membersRecord('default'), 'g_members'), [], 'g_members');
    const { live, calls } = await read({ invites: ['Zoe@X.example'], groups: [empty], groupInvites: { g_members: ['Zoe@X.example'] } }, { useAuditTrail: false }, { keys: TEST_KEYS });
    expect(groupReads(calls)).toEqual(['listGroupInvites g_members']);
    expect(live.records.own[0].emails).toEqual(new Set(['zoe@x.example']));
    expect(live.invites).toEqual(new Set(['zoe@x.example']));
  });

  test('users by normalized email; labels only when asked for', async () => {
    const ana = user('Ana@X.example', 'Workspace Owner');
    const plainRead = await read({ users: [ana] }, { useAuditTrail: false });
    expect(plainRead.live.users).toEqual(new Map([['ana@x.example', ana]]));
    expect(plainRead.live.labels).toBeNull();
    expect(plainRead.calls).not.toContain('listLabels');
    const withLabels = await read({}, { useAuditTrail: false }, { readLabels: true });
    expect(withLabels.live.labels).toEqual(new Set(['environment:prod']));
  });
});

describe('groups renamed away from their record name', () => {
  const membersName = signed(membersRecord('default'), 'g_members');

  test('a group this app named as its record is still its record, with the name it last gave it', async () => {
    const renamed = withMembers(group('Members (renamed)', [], 'g_members'), 1);
    const named = event('User Group Created', 'g_members', membersName, 'token:deploy', 0);
    const byHand = event('User Group Updated', 'g_members', 'Members (renamed)', 'user:ops', 1, 'ops@acme.example');
    const { live } = await read({ groups: [renamed], groupUsers: { g_members: ['ana@x.example'] }, events: [...proofEvents(['token:deploy']), named, byHand] }, {}, { keys: TEST_KEYS, now: TEST_NOW });
    expect(live.records.own).toEqual([
      {
        group: renamed,
        record: { kind: RecordKind.MEMBERS, app: 'default' },
        trust: Trust.TRAIL,
        renamedTo: 'Members (renamed)',
        createdAs: membersName,
        emails: new Set(['ana@x.example']),
      },
    ]);
    expect(live.groups.size).toBe(0);
    expect(live.records.unauthentic).toEqual([]);
  });

  test('one named by a token no signed intent proves is a plain group', async () => {
    const renamed = withMembers(group('Members (renamed)', [], 'g_members'), 1);
    const named = event('User Group Created', 'g_members', membersName, 'token:other', 0);
    const { live, calls } = await read({ groups: [renamed], groupUsers: { g_members: ['ana@x.example'] }, events: [named] }, {}, { keys: TEST_KEYS, now: TEST_NOW });
    expect(live.records.own).toEqual([]);
    expect(live.groups).toEqual(new Map([['Members (renamed)', renamed]]));
    expect(groupReads(calls)).toEqual([]);
  });

  test('without the audit trail a renamed record is just a plain group', async () => {
    const renamed = withMembers(group('Members (renamed)', [], 'g_members'), 1);
    const created = event('User Group Created', 'g_members', membersName, 'token:deploy', 0);
    const { live, calls } = await read({ groups: [renamed], events: [created] }, { useAuditTrail: false }, { keys: TEST_KEYS });
    expect(calls).not.toContain('listAuditEvents');
    expect(live.records.own).toEqual([]);
    expect(live.groups).toEqual(new Map([['Members (renamed)', renamed]]));
  });
});

describe('the audit trail', () => {
  test('read when useAuditTrail is on: evidence for this app, its actors proven by its signed intents', async () => {
    const proof = event('User Group Created', 'g_intent', signedIntentName(), 'token:deploy', 0);
    const other = event('User Group Created', 'g_billing', 'segment-access:billing:members', 'token:billing', 1);
    const invite = event('User Invite Sent', 'inv1', 'ana@x.example', 'token:deploy', 2);
    const { live, calls } = await read({ events: [proof, other, invite] }, {}, { keys: TEST_KEYS, now: TEST_NOW });
    expect(calls.filter((c) => c === 'listAuditEvents')).toHaveLength(1);
    expect(live.auditTrail.state).toBe('read');
    const evidence = evidenceOf(live);
    expect(evidence.events).toEqual([proof, other, invite]);
    expect([...evidence.ourActors]).toEqual(['token:deploy']);
    expect(evidence.latestInvite('ana@x.example')).toMatchObject({ actor: 'token:deploy', ours: true });
  });

  test('SEGMENT_ACCESS_AUDIT_ACTORS narrows the proven actors', async () => {
    const proof = event('User Group Created', 'g_intent', signedIntentName(), 'token:deploy', 0);
    const { live } = await read({ events: [proof] }, {}, { keys: TEST_KEYS, now: TEST_NOW, auditActors: ['token:ci'] });
    expect(evidenceOf(live).ourActors.size).toBe(0);
  });

  test('not read when useAuditTrail is off', async () => {
    const { live, calls } = await read({ events: [event('User Group Created', 'g1', 'segment-access:default:members', 'token:deploy', 0)] }, { useAuditTrail: false });
    expect(live.auditTrail).toEqual({ state: 'off' });
    expect(calls).not.toContain('listAuditEvents');
  });

  test('required but the client cannot list audit events: refused before any group is read', async () => {
    const { api, calls } = fakePort({ events: 'absent' });
    const attempt = readLiveState(api, WORKSPACE, MANAGEMENT);
    await expect(attempt).rejects.toThrow(AuditTrailUnavailableError);
    await expect(attempt).rejects.toMatchObject({
      name: 'AuditTrailUnavailableError',
      message:
        'The audit trail could not be read (this API client cannot list audit events). Nothing was changed. segment-access checks its record of managed users ' +
        'against the audit trail before it removes anyone. Give the token read access to the Audit Trail (a Business-tier feature), ' +
        'or set useAuditTrail: false on the SegmentWorkspace to trust the record alone (weaker: a damaged record is then not detected).',
    });
    expect(groupReads(calls)).toEqual([]);
  });

  test.each([401, 403, 404, 501])('GET /audit-events answering %i is an unavailable audit trail', async (status) => {
    const { api } = fakePort({ events: Object.assign(new Error(`HTTP ${status}`), { status }) });
    const attempt = readLiveState(api, WORKSPACE, MANAGEMENT);
    await expect(attempt).rejects.toThrow(AuditTrailUnavailableError);
    await expect(attempt).rejects.toThrow(`The audit trail could not be read (GET /audit-events answered ${status}). Nothing was changed.`);
  });

  test.each([400, 429, 500, undefined])('any other failure (status %s) is passed on as it is', async (status) => {
    const failure = Object.assign(new Error('boom'), { status });
    const { api } = fakePort({ events: failure });
    await expect(readLiveState(api, WORKSPACE, MANAGEMENT)).rejects.toBe(failure);
  });

  describe('how long an event may take to appear (auditDelayMs)', () => {
    // A finished run of this app started at minute 100 (its intent created and deleted by its token).
    // Someone else edited the members record at minutes 90 and 97: an edit older than the run start
    // minus the delay has been seen and repaired by that run; a later one has not.
    const intent = signedIntentName('default', new Date('2026-11-27T09:40:00Z'));
    const trail = () => [
      event('User Group Created', 'g_members', 'segment-access:default:members', 'token:deploy', 0),
      event('User Group Member Added', 'g_members', 'segment-access:default:members', 'root', 90),
      event('User Group Member Added', 'g_members', 'segment-access:default:members', 'root', 97),
      event('User Group Created', 'g_intent', intent, 'token:deploy', 100),
      event('User Group Deleted', 'g_intent', intent, 'token:deploy', 101),
    ];
    const minutesOfForeign = (live: LiveState) => evidenceOf(live).foreignEvents('g_members').map((e) => (Date.parse(e.at) - Date.parse('2026-11-27T08:00:00Z')) / 60_000);

    test(`defaults to ${DEFAULT_AUDIT_DELAY_MS / 60_000} minutes`, async () => {
      expect(DEFAULT_AUDIT_DELAY_MS).toBe(300_000);
      const { live } = await read({ events: trail() }, {}, { keys: TEST_KEYS, now: TEST_NOW });
      expect(minutesOfForeign(live)).toEqual([97]);
    });

    test('a shorter delay settles more; a longer one less', async () => {
      expect(minutesOfForeign((await read({ events: trail() }, {}, { keys: TEST_KEYS, now: TEST_NOW, auditDelayMs: 60_000 })).live)).toEqual([]);
      expect(minutesOfForeign((await read({ events: trail() }, {}, { keys: TEST_KEYS, now: TEST_NOW, auditDelayMs: 20 * 60_000 })).live)).toEqual([90, 97]);
    });
  });
});

describe('plan tiers', () => {
  test('a Team catalog: no groups and no audit trail are read', async () => {
    const { live, calls } = await read({ roles: TEAM_ROLES, groups: [group('segment-access:default:members')], events: [] });
    expect(live.planTier).toBe(PlanTier.TEAM);
    expect(live.auditTrail).toEqual({ state: 'off' });
    expect(live.records).toEqual({ own: [], legacy: [], others: [], unauthentic: [], deletedByOthers: [] });
    expect(live.groups).toEqual(new Map());
    expect(calls).not.toContain('listGroups');
    expect(calls).not.toContain('listAuditEvents');
  });

  test('code declaring Team on a Business workspace is refused, told to declare Business', async () => {
    const { api, calls } = fakePort({});
    const attempt = readLiveState(api, WORKSPACE, MANAGEMENT, { declaredTier: PlanTier.TEAM });
    await expect(attempt).rejects.toThrow(PlanTierMismatchError);
    await expect(attempt).rejects.toMatchObject({
      name: 'PlanTierMismatchError',
      message:
        'Plan mismatch in workspace Acme Test (ws_test_1): the code declares planTier TEAM, but GET /roles lists 5 role(s) ' +
        '(Minimal Workspace Access, Source Admin, Source Read-only, Tracking Plan Read-only, Workspace Owner), which is a BUSINESS plan. Nothing was changed. ' +
        'Set planTier: PlanTier.BUSINESS on the workspace (or leave it out): it has Business roles.',
    });
    expect(calls).not.toContain('listGroups');
  });

  test('code declaring Business on a Team workspace is refused, told to declare Team', async () => {
    const { api } = fakePort({ roles: TEAM_ROLES });
    await expect(readLiveState(api, WORKSPACE, MANAGEMENT, { declaredTier: PlanTier.BUSINESS })).rejects.toMatchObject({
      name: 'PlanTierMismatchError',
      message:
        'Plan mismatch in workspace Acme Test (ws_test_1): the code declares planTier BUSINESS, but GET /roles lists 2 role(s) (Source Admin, Workspace Owner), ' +
        'which is a TEAM plan. Nothing was changed. Set planTier: PlanTier.TEAM on the workspace (Team plans offer only Workspace Owner and Source Admin and no user groups), ' +
        'or upgrade the workspace to Business.',
    });
  });

  test('the declared tier matching the catalog reads on', async () => {
    const { live } = await read({ roles: TEAM_ROLES }, {}, { declaredTier: PlanTier.TEAM });
    expect(live.planTier).toBe(PlanTier.TEAM);
  });
});
