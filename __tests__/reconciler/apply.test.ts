import { PlanTier, WorkspaceRole } from '../../model/enums';
import { applyPlan, BATCH_SIZE, type ApplyCounts } from '../../reconciler/apply';
import type { LiveState } from '../../reconciler/live-state';
import { emptyPlan, type AccessChange, type ReconcilePlan, type RecordOp } from '../../reconciler/plan';
import type { LiveGroup, SegmentPort } from '../../reconciler/segment-port';
import { onWorkspace, WS_ID } from '../support/desired';
import { live, recordGroup, signerFor } from '../support/live';
import { MEMBERS } from '../support/plan-world';
import { claimsRecord, groupGrantRecord, intentRecord, membersRecord, parseRecordName, recordKey, type RecordName } from '../../reconciler/records';
import { Resign } from '../../reconciler/record-trust';

// applyPlan in process, against a port that records every call: the exact writes, their order (the
// crash-safety order documented on applyPlan), their batches, the counts and the progress events.

type Call = [method: string, ...args: unknown[]];

/** A SegmentPort that records writes; reads must not happen during apply. */
function recordingPort(options: { failOn?: (method: string, args: unknown[]) => Error | undefined } = {}): { port: SegmentPort; calls: Call[] } {
  const calls: Call[] = [];
  const write = (method: string) => async (...args: unknown[]) => {
    calls.push([method, ...args]);
    const error = options.failOn?.(method, args);
    if (error) throw error;
    if (method === 'createGroup') return { id: `new:${String(args[0])}`, name: String(args[0]), memberCount: 0, permissions: [] } satisfies LiveGroup;
    return undefined;
  };
  const read = (method: string) => async () => {
    throw new Error(`applyPlan must not read (${method})`);
  };
  const port: SegmentPort = {
    getWorkspace: read('getWorkspace'),
    listUsers: read('listUsers'),
    listInvites: read('listInvites'),
    listRoles: read('listRoles'),
    listGroups: read('listGroups'),
    listLabels: read('listLabels'),
    listGroupUsers: read('listGroupUsers'),
    listGroupInvites: read('listGroupInvites'),
    deleteUsers: write('deleteUsers'),
    replaceUserPermissions: write('replaceUserPermissions'),
    createInvites: write('createInvites'),
    deleteInvites: write('deleteInvites'),
    createGroup: write('createGroup') as SegmentPort['createGroup'],
    renameGroup: write('renameGroup'),
    deleteGroup: write('deleteGroup'),
    replaceGroupPermissions: write('replaceGroupPermissions'),
    addGroupMembers: write('addGroupMembers'),
    removeGroupMembers: write('removeGroupMembers'),
  };
  return { port, calls };
}

function plan(parts: Partial<ReconcilePlan> = {}): ReconcilePlan {
  return { ...emptyPlan({ id: WS_ID, name: 'Acme Test' }, 'default'), ...parts };
}

const ZERO: ApplyCounts = { invited: 0, reinvited: 0, repermissioned: 0, removedUsers: 0, cancelledInvites: 0, groupPermissionsSet: 0, recordWrites: 0 };

const INVITED_A = 'segment-access:default:invited:aaaaaaaaaaaa:2026-11-27';
const INVITED_B = 'segment-access:default:invited:bbbbbbbbbbbb:2026-11-27';
const INVITED_C = 'segment-access:default:invited:cccccccccccc:2026-11-27';
const OLD_INVITED = 'segment-access:default:invited:dddddddddddd:2026-10-01';
const INTENT = intentRecord('default', new Date('2026-11-27T12:00:00Z'), '0123456789ab');
/** The intent as created: its fresh nonce and signature follow the record's key. */
const INTENT_NAME = expect.stringMatching(/^segment-access:default:intent:20261127T120000Z:0123456789ab:[0-9a-f]{8}:[0-9a-f]{20}$/);
const INTENT_ID = expect.stringMatching(/^new:segment-access:default:intent:20261127T120000Z:0123456789ab:/);
const SIGNER = signerFor();
const recordOf = (name: string): RecordName => parseRecordName('segment-access', name)!.record;
/** The name a new record group is created with: its key, signed with the "new" binding. */
const created = (name: string) => SIGNER.name(recordOf(name), 'new');
const create = (name: string): RecordOp => ({ kind: 'create-record', name, record: recordOf(name) });
const GRANT = 'segment-access:default:group-grant:Analysts';
const LEGACY = 'segment-access:eeeeeeeeeeee';

const MINIMAL = onWorkspace('Minimal Workspace Access');
const SOURCE_ADMIN = onWorkspace('Minimal Workspace Access', 'Source Admin');
// The role ids of support/live.ts's catalog: role1 = Minimal Workspace Access, role3 = Source Admin.
const MINIMAL_INPUT = [{ roleId: 'role1', resources: [{ id: WS_ID, type: 'WORKSPACE' }] }];
const SOURCE_ADMIN_INPUT = [...MINIMAL_INPUT, { roleId: 'role3', resources: [{ id: WS_ID, type: 'WORKSPACE' }] }];

const invite = (email: string, recordName: string, after = MINIMAL): AccessChange => ({ kind: 'invite', email, role: WorkspaceRole.MEMBER, fingerprint: 'f', after, recordName });
const reinvite = (email: string, recordName: string, after = MINIMAL): AccessChange => ({ kind: 'reinvite', email, role: WorkspaceRole.MEMBER, fingerprint: 'f', after, reason: 'r', recordName });
const removeUser = (email: string): AccessChange => ({ kind: 'remove-user', email, userId: `u_${email.split('@')[0]}`, reason: 'not declared' });
const cancelInvite = (email: string): AccessChange => ({ kind: 'cancel-invite', email, reason: 'not declared' });

function emails(n: number, tag: string): string[] {
  return Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(3, '0')}@agency.example`);
}

describe('applyPlan: a full plan, in crash-safe order', () => {
  // Live: this app's members record, an old invited record and a group-grant record; a legacy record.
  const state = live({
    own: [recordGroup(MEMBERS, ['kept@agency.example', 'gone@agency.example']), recordGroup(INVITED_B), recordGroup(OLD_INVITED), recordGroup(GRANT)],
    legacy: [recordGroup(LEGACY, ['legacy@agency.example'])],
  });
  const recordOps: RecordOp[] = [
    create(INVITED_A),
    // rei@ is re-invited by this run: recorded only after the invite is sent, not ahead of it.
    { kind: 'record-add', name: MEMBERS, emails: ['kept@agency.example', 'rei@agency.example', 'legacy@agency.example'] },
    { kind: 'record-remove', name: MEMBERS, groupId: `g_${MEMBERS}`, emails: ['gone@agency.example'] },
    { kind: 'record-remove', name: LEGACY, groupId: `g_${LEGACY}`, emails: ['legacy@agency.example'] },
    { kind: 'delete-record', name: OLD_INVITED, groupId: `g_${OLD_INVITED}` },
  ];
  const changes: AccessChange[] = [
    invite('new-b@agency.example', INVITED_B),
    reinvite('rei@agency.example', INVITED_A, SOURCE_ADMIN),
    { kind: 'set-group-permissions', groupName: 'Analysts', groupId: 'g_analysts', role: WorkspaceRole.MEMBER, before: [], after: SOURCE_ADMIN },
    { kind: 'repermission', email: 'rep@agency.example', userId: 'u_rep', role: WorkspaceRole.MEMBER, fingerprint: 'f', before: MINIMAL, after: SOURCE_ADMIN },
    removeUser('gone@agency.example'),
    cancelInvite('cancelled@agency.example'),
    { kind: 'clear-group-permissions', groupName: 'Old', groupId: 'g_old', before: MINIMAL },
    invite('new-a@agency.example', INVITED_A),
  ];

  test('every write, exactly, in the documented order', async () => {
    const { port, calls } = recordingPort();
    const events: unknown[] = [];
    const counts = await applyPlan(port, plan({ changes, recordOps, intent: INTENT }), state, { signer: SIGNER, progress: (e) => events.push(e) });
    expect(calls).toEqual([
      // 1. the write-ahead intent
      ['createGroup', INTENT_NAME],
      // 2. record groups and entries for people who already have access
      ['createGroup', created(INVITED_A)],
      ['addGroupMembers', `g_${MEMBERS}`, ['kept@agency.example', 'legacy@agency.example']],
      // 3. removals, cleared group permissions, re-permissions
      ['deleteUsers', ['u_gone']],
      ['deleteInvites', ['cancelled@agency.example']],
      ['replaceGroupPermissions', 'g_old', []],
      ['replaceUserPermissions', 'u_rep', SOURCE_ADMIN_INPUT],
      // 4. re-invites are deleted, then all invites are sent sorted by record, and recorded
      ['deleteInvites', ['rei@agency.example']],
      [
        'createInvites',
        [
          { email: 'rei@agency.example', permissions: SOURCE_ADMIN_INPUT },
          { email: 'new-a@agency.example', permissions: MINIMAL_INPUT },
          { email: 'new-b@agency.example', permissions: MINIMAL_INPUT },
        ],
      ],
      ['addGroupMembers', `new:${created(INVITED_A)}`, ['rei@agency.example', 'new-a@agency.example']],
      ['addGroupMembers', `g_${INVITED_B}`, ['new-b@agency.example']],
      // 5. group permissions set
      ['replaceGroupPermissions', 'g_analysts', SOURCE_ADMIN_INPUT],
      // 6. shrinking record writes, last the intent
      ['removeGroupMembers', `g_${MEMBERS}`, ['gone@agency.example']],
      ['removeGroupMembers', `g_${LEGACY}`, ['legacy@agency.example']],
      ['deleteGroup', `g_${OLD_INVITED}`],
      ['deleteGroup', INTENT_ID],
    ]);
    // recordWrites: intent, create, add, 2 invite records, 2 removes, delete, intent delete = 9
    expect(counts).toEqual({ invited: 2, reinvited: 1, repermissioned: 1, removedUsers: 1, cancelledInvites: 1, groupPermissionsSet: 2, recordWrites: 9 });
    expect(events).toEqual([
      { step: 'removed users', done: 1, total: 1 },
      { step: 'cancelled invites', done: 1, total: 1 },
      { step: 're-permissioned users', done: 1, total: 1 },
      { step: 'invited', done: 3, total: 3 },
    ]);
  });

  test('a kill after the invites leaves the intent and the invite records in place (nothing shrinks first)', async () => {
    const { port, calls } = recordingPort({ failOn: (method) => (method === 'replaceGroupPermissions' && calls.length > 8 ? new Error('killed') : undefined) });
    await expect(applyPlan(port, plan({ changes, recordOps, intent: INTENT }), state, { signer: SIGNER })).rejects.toThrow('killed');
    const methods = calls.map((c) => c[0]);
    expect(methods).not.toContain('removeGroupMembers');
    expect(methods).not.toContain('deleteGroup');
    expect(methods.indexOf('createInvites')).toBeGreaterThan(methods.indexOf('deleteUsers'));
  });
});

describe('applyPlan: the intent', () => {
  test('an empty plan without an intent writes nothing', async () => {
    const { port, calls } = recordingPort();
    const events: unknown[] = [];
    expect(await applyPlan(port, plan({}), live({}), { signer: SIGNER, progress: (e) => events.push(e) })).toEqual(ZERO);
    expect(calls).toEqual([]);
    expect(events).toEqual([]);
  });

  test('an intent is created first and deleted last, each counted as a record write', async () => {
    const { port, calls } = recordingPort();
    const counts = await applyPlan(port, plan({ intent: INTENT, changes: [removeUser('x@agency.example')] }), live({}), { signer: SIGNER });
    expect(calls).toEqual([['createGroup', INTENT_NAME], ['deleteUsers', ['u_x']], ['deleteGroup', INTENT_ID]]);
    expect(counts).toEqual({ ...ZERO, removedUsers: 1, recordWrites: 2 });
  });

  test('an intent this run already created (to prove its actor) is reused, not created again, and deleted once even when the plan deletes it too', async () => {
    const { port, calls } = recordingPort();
    const state = live({ own: [recordGroup(OLD_INVITED)] });
    const counts = await applyPlan(
      port,
      plan({
        intent: INTENT,
        recordOps: [
          { kind: 'delete-record', name: recordKey('segment-access', INTENT), groupId: 'g_intent' },
          { kind: 'delete-record', name: OLD_INVITED, groupId: `g_${OLD_INVITED}` },
        ],
      }),
      state,
      { signer: SIGNER, runIntentId: 'g_intent' },
    );
    expect(calls).toEqual([['deleteGroup', `g_${OLD_INVITED}`], ['deleteGroup', 'g_intent']]);
    expect(counts).toEqual({ ...ZERO, recordWrites: 2 });
  });

  test('a delete-record without an intent deletes the group', async () => {
    const { port, calls } = recordingPort();
    const counts = await applyPlan(port, plan({ recordOps: [{ kind: 'delete-record', name: OLD_INVITED, groupId: `g_${OLD_INVITED}` }] }), live({}), { signer: SIGNER });
    expect(calls).toEqual([['deleteGroup', `g_${OLD_INVITED}`]]);
    expect(counts).toEqual({ ...ZERO, recordWrites: 1 });
  });

  test('a group renamed away from a record name is not that record: the record is created', async () => {
    const { port, calls } = recordingPort();
    const renamed = recordGroup(INVITED_A, [], { id: 'g_renamed', renamedTo: 'Renamed by hand' });
    await applyPlan(port, plan({ recordOps: [create(INVITED_A)], changes: [invite('a@agency.example', INVITED_A)] }), live({ own: [renamed] }), { signer: SIGNER });
    expect(calls).toEqual([
      ['createGroup', created(INVITED_A)],
      ['createInvites', [{ email: 'a@agency.example', permissions: MINIMAL_INPUT }]],
      ['addGroupMembers', `new:${created(INVITED_A)}`, ['a@agency.example']],
    ]);
  });
});

describe('applyPlan: record entries', () => {
  test('record-add for members only: record-remove and delete-record ops add no one ahead of the changes', async () => {
    const { port, calls } = recordingPort();
    const counts = await applyPlan(
      port,
      plan({
        recordOps: [
          { kind: 'record-remove', name: MEMBERS, groupId: `g_${MEMBERS}`, emails: ['x@agency.example'] },
          { kind: 'delete-record', name: OLD_INVITED, groupId: `g_${OLD_INVITED}` },
          { kind: 'record-add', name: MEMBERS, emails: ['y@agency.example'] },
        ],
      }),
      live({ own: [recordGroup(MEMBERS, ['x@agency.example']), recordGroup(OLD_INVITED)] }),
      { signer: SIGNER },
    );
    expect(calls).toEqual([
      ['addGroupMembers', `g_${MEMBERS}`, ['y@agency.example']],
      ['removeGroupMembers', `g_${MEMBERS}`, ['x@agency.example']],
      ['deleteGroup', `g_${OLD_INVITED}`],
    ]);
    expect(counts).toEqual({ ...ZERO, recordWrites: 3 });
  });

  test('a record-add whose emails are all being invited writes nothing ahead of the invites', async () => {
    const { port, calls } = recordingPort();
    await applyPlan(
      port,
      plan({ recordOps: [{ kind: 'record-add', name: MEMBERS, emails: ['a@agency.example', 'b@agency.example'] }], changes: [invite('a@agency.example', INVITED_A), reinvite('b@agency.example', INVITED_A)] }),
      live({ own: [recordGroup(MEMBERS), recordGroup(INVITED_A)] }),
      { signer: SIGNER },
    );
    expect(calls.map((c) => c[0])).toEqual(['deleteInvites', 'createInvites', 'addGroupMembers']);
    expect(calls[2]).toEqual(['addGroupMembers', `g_${INVITED_A}`, ['b@agency.example', 'a@agency.example']]);
  });

  test('a record neither found nor created stops the run before anything is added', async () => {
    const { port, calls } = recordingPort();
    await expect(applyPlan(port, plan({ recordOps: [{ kind: 'record-add', name: MEMBERS, emails: ['a@agency.example'] }] }), live({}), { signer: SIGNER })).rejects.toThrow(
      `Internal error: record group "${MEMBERS}" was neither found nor created.`,
    );
    expect(calls).toEqual([]);
  });

  test('an invite whose record is missing is sent, then the run stops before recording it anywhere', async () => {
    const { port, calls } = recordingPort();
    await expect(applyPlan(port, plan({ changes: [invite('a@agency.example', INVITED_C)] }), live({}), { signer: SIGNER })).rejects.toThrow(
      `Internal error: record group "${INVITED_C}" was neither found nor created.`,
    );
    expect(calls).toEqual([['createInvites', [{ email: 'a@agency.example', permissions: MINIMAL_INPUT }]]]);
  });

  test('on a Team plan invites are sent but not recorded', async () => {
    const { port, calls } = recordingPort();
    const team: LiveState = { ...live({}), planTier: PlanTier.TEAM };
    const counts = await applyPlan(port, plan({ changes: [invite('a@agency.example', INVITED_A), reinvite('b@agency.example', INVITED_A)] }), team);
    expect(calls).toEqual([
      ['deleteInvites', ['b@agency.example']],
      ['createInvites', [{ email: 'b@agency.example', permissions: MINIMAL_INPUT }, { email: 'a@agency.example', permissions: MINIMAL_INPUT }]],
    ]);
    expect(counts).toEqual({ ...ZERO, invited: 1, reinvited: 1 });
  });
});

describe('applyPlan: ordering of invites by record group', () => {
  test('invites are grouped by record name (stable within a record), and each record is written once per batch', async () => {
    const { port, calls } = recordingPort();
    const state = live({ own: [recordGroup(INVITED_A), recordGroup(INVITED_B), recordGroup(INVITED_C)] });
    const order = [
      invite('b1@agency.example', INVITED_B),
      invite('a1@agency.example', INVITED_A),
      reinvite('b2@agency.example', INVITED_B),
      invite('c1@agency.example', INVITED_C),
      invite('a2@agency.example', INVITED_A),
    ];
    const counts = await applyPlan(port, plan({ changes: order }), state, { signer: SIGNER });
    const sent = calls.find((c) => c[0] === 'createInvites')![1] as { email: string }[];
    // re-invites come first in the unsorted list; the sort keeps that order within a record.
    expect(sent.map((i) => i.email)).toEqual(['a1@agency.example', 'a2@agency.example', 'b2@agency.example', 'b1@agency.example', 'c1@agency.example']);
    expect(calls.filter((c) => c[0] === 'addGroupMembers')).toEqual([
      ['addGroupMembers', `g_${INVITED_A}`, ['a1@agency.example', 'a2@agency.example']],
      ['addGroupMembers', `g_${INVITED_B}`, ['b2@agency.example', 'b1@agency.example']],
      ['addGroupMembers', `g_${INVITED_C}`, ['c1@agency.example']],
    ]);
    expect(counts).toEqual({ ...ZERO, invited: 4, reinvited: 1, recordWrites: 3 });
  });
});

describe('applyPlan: batches of BATCH_SIZE', () => {
  test('BATCH_SIZE is 200 (Segment accepts about 200 items per call)', () => {
    expect(BATCH_SIZE).toBe(200);
  });

  test('401 removals: three calls of 200, 200 and 1, with progress after each', async () => {
    const { port, calls } = recordingPort();
    const gone = emails(401, 'gone');
    const events: unknown[] = [];
    const counts = await applyPlan(port, plan({ changes: gone.map(removeUser) }), live({}), { signer: SIGNER, progress: (e) => events.push(e) });
    expect(calls.map((c) => [c[0], (c[1] as string[]).length])).toEqual([['deleteUsers', 200], ['deleteUsers', 200], ['deleteUsers', 1]]);
    expect((calls[0][1] as string[])[0]).toBe('u_gone000');
    expect((calls[1][1] as string[])[0]).toBe('u_gone200');
    expect(calls[2][1]).toEqual(['u_gone400']);
    expect(counts).toEqual({ ...ZERO, removedUsers: 401 });
    expect(events).toEqual([
      { step: 'removed users', done: 200, total: 401 },
      { step: 'removed users', done: 400, total: 401 },
      { step: 'removed users', done: 401, total: 401 },
    ]);
  });

  test('exactly 400 cancellations: two calls, no empty third one', async () => {
    const { port, calls } = recordingPort();
    const events: unknown[] = [];
    const counts = await applyPlan(port, plan({ changes: emails(400, 'c').map(cancelInvite) }), live({}), { signer: SIGNER, progress: (e) => events.push(e) });
    expect(calls.map((c) => [c[0], (c[1] as string[]).length])).toEqual([['deleteInvites', 200], ['deleteInvites', 200]]);
    expect(counts).toEqual({ ...ZERO, cancelledInvites: 400 });
    expect(events).toEqual([
      { step: 'cancelled invites', done: 200, total: 400 },
      { step: 'cancelled invites', done: 400, total: 400 },
    ]);
  });

  test('201 invites to two records: batches of 200 and 1, each batch recorded right after it is sent', async () => {
    const { port, calls } = recordingPort();
    const a = emails(150, 'a');
    const b = emails(51, 'b');
    const events: unknown[] = [];
    const state = live({ own: [recordGroup(INVITED_A), recordGroup(INVITED_B)] });
    const counts = await applyPlan(port, plan({ changes: [...b.map((e) => invite(e, INVITED_B)), ...a.map((e) => invite(e, INVITED_A))] }), state, { signer: SIGNER, progress: (e) => events.push(e) });
    expect(calls.map((c) => [c[0], c[0] === 'createInvites' ? (c[1] as unknown[]).length : c[1]])).toEqual([
      ['createInvites', 200],
      ['addGroupMembers', `g_${INVITED_A}`],
      ['addGroupMembers', `g_${INVITED_B}`],
      ['createInvites', 1],
      ['addGroupMembers', `g_${INVITED_B}`],
    ]);
    expect((calls[0][1] as { email: string }[]).map((i) => i.email)).toEqual([...a, ...b.slice(0, 50)]);
    expect(calls[1][2]).toEqual(a);
    expect(calls[2][2]).toEqual(b.slice(0, 50));
    expect(calls[3][1]).toEqual([{ email: b[50], permissions: MINIMAL_INPUT }]);
    expect(calls[4][2]).toEqual([b[50]]);
    expect(counts).toEqual({ ...ZERO, invited: 201, recordWrites: 3 });
    expect(events).toEqual([
      { step: 'invited', done: 200, total: 201 },
      { step: 'invited', done: 201, total: 201 },
    ]);
  });

  test('record entries and removals are batched too', async () => {
    const { port, calls } = recordingPort();
    const add = emails(201, 'm');
    const remove = emails(201, 'r');
    const counts = await applyPlan(
      port,
      plan({
        recordOps: [
          { kind: 'record-add', name: MEMBERS, emails: add },
          { kind: 'record-remove', name: MEMBERS, groupId: `g_${MEMBERS}`, emails: remove },
        ],
      }),
      live({ own: [recordGroup(MEMBERS, remove)] }),
      { signer: SIGNER },
    );
    expect(calls).toEqual([
      ['addGroupMembers', `g_${MEMBERS}`, add.slice(0, 200)],
      ['addGroupMembers', `g_${MEMBERS}`, add.slice(200)],
      ['removeGroupMembers', `g_${MEMBERS}`, remove.slice(0, 200)],
      ['removeGroupMembers', `g_${MEMBERS}`, remove.slice(200)],
    ]);
    expect(counts).toEqual({ ...ZERO, recordWrites: 4 });
  });

  test('re-permissions report progress one by one', async () => {
    const { port, calls } = recordingPort();
    const events: unknown[] = [];
    const rep = (id: string): AccessChange => ({ kind: 'repermission', email: `${id}@x.example`, userId: id, role: WorkspaceRole.MEMBER, fingerprint: 'f', before: SOURCE_ADMIN, after: MINIMAL });
    const counts = await applyPlan(port, plan({ changes: [rep('u1'), rep('u2')] }), live({}), { signer: SIGNER, progress: (e) => events.push(e) });
    expect(calls).toEqual([['replaceUserPermissions', 'u1', MINIMAL_INPUT], ['replaceUserPermissions', 'u2', MINIMAL_INPUT]]);
    expect(counts).toEqual({ ...ZERO, repermissioned: 2 });
    expect(events).toEqual([
      { step: 're-permissioned users', done: 1, total: 2 },
      { step: 're-permissioned users', done: 2, total: 2 },
    ]);
  });

  // Found by __tests__/properties/seats-and-last-owner.test.ts: the last-owner rule counted a promotion
  // as keeping an owner, but the apply removed the old owners first, and Segment refused (or, killed
  // there, the workspace was left without an owner).
  test('a re-permission that gives Workspace Owner is made before any removal, cancellation or demotion', async () => {
    const { port, calls } = recordingPort();
    const OWNER_ROLE = onWorkspace('Workspace Owner');
    const OWNER_INPUT = [{ roleId: 'role0', resources: [{ id: WS_ID, type: 'WORKSPACE' }] }];
    const changes: AccessChange[] = [
      removeUser('old-owner@agency.example'),
      { kind: 'repermission', email: 'demoted@agency.example', userId: 'u_demoted', role: WorkspaceRole.MEMBER, fingerprint: 'f', before: OWNER_ROLE, after: MINIMAL },
      { kind: 'clear-group-permissions', groupName: 'Owners', groupId: 'g_owners', before: OWNER_ROLE },
      { kind: 'repermission', email: 'new-owner@agency.example', userId: 'u_new', role: WorkspaceRole.OWNER, fingerprint: 'f', before: MINIMAL, after: OWNER_ROLE },
      { kind: 'repermission', email: 'still-owner@agency.example', userId: 'u_still', role: WorkspaceRole.OWNER, fingerprint: 'f', before: OWNER_ROLE, after: [...OWNER_ROLE, ...MINIMAL] },
    ];
    const counts = await applyPlan(port, plan({ changes }), live({}), { signer: SIGNER });
    expect(calls).toEqual([
      ['replaceUserPermissions', 'u_new', OWNER_INPUT],
      ['deleteUsers', ['u_old-owner']],
      ['replaceGroupPermissions', 'g_owners', []],
      ['replaceUserPermissions', 'u_demoted', MINIMAL_INPUT],
      ['replaceUserPermissions', 'u_still', [...OWNER_INPUT, ...MINIMAL_INPUT]],
    ]);
    expect(counts).toEqual({ ...ZERO, repermissioned: 3, removedUsers: 1, groupPermissionsSet: 1 });
  });

  test('group permissions: cleared with an empty list early, set after the invites, both counted', async () => {
    const { port, calls } = recordingPort();
    const counts = await applyPlan(
      port,
      plan({
        changes: [
          { kind: 'set-group-permissions', groupName: 'A', groupId: 'g_a', role: WorkspaceRole.MEMBER, before: [], after: MINIMAL },
          { kind: 'clear-group-permissions', groupName: 'B', groupId: 'g_b', before: MINIMAL },
          { kind: 'clear-group-permissions', groupName: 'C', groupId: 'g_c', before: MINIMAL },
        ],
      }),
      live({}),
      { signer: SIGNER },
    );
    expect(calls).toEqual([
      ['replaceGroupPermissions', 'g_b', []],
      ['replaceGroupPermissions', 'g_c', []],
      ['replaceGroupPermissions', 'g_a', MINIMAL_INPUT],
    ]);
    expect(counts).toEqual({ ...ZERO, groupPermissionsSet: 3 });
  });
});

describe('applyPlan: signed record names', () => {
  test('a sign-record renames the group in place to its name signed with the current key and sealed to its id, with the record grown', async () => {
    const { port, calls } = recordingPort();
    const members = membersRecord('default');
    const counts = await applyPlan(
      port,
      plan({ intent: INTENT, recordOps: [{ kind: 'sign-record', name: MEMBERS, record: members, groupId: 'g_m', from: MEMBERS, why: Resign.ADOPT }], changes: [removeUser('x@agency.example')] }),
      live({}),
      { signer: SIGNER },
    );
    expect(calls).toEqual([['createGroup', INTENT_NAME], ['renameGroup', 'g_m', SIGNER.name(members, { groupId: 'g_m' })], ['deleteUsers', ['u_x']], ['deleteGroup', INTENT_ID]]);
    expect(counts).toEqual({ ...ZERO, removedUsers: 1, recordWrites: 3 });
  });

  test('a long-lived record (members, claims, group grant) is sealed right after it is created; an invite record keeps its "new" name', async () => {
    const { port, calls } = recordingPort();
    const records = [membersRecord('default'), claimsRecord('default'), groupGrantRecord('default', 'g_eng'), recordOf(INVITED_A)];
    const counts = await applyPlan(port, plan({ recordOps: records.map((record) => ({ kind: 'create-record', name: recordKey('segment-access', record), record })) }), live({}), { signer: SIGNER });
    const sealed = (record: RecordName) => {
      const fresh = SIGNER.name(record, 'new');
      return [['createGroup', fresh], ['renameGroup', `new:${fresh}`, SIGNER.name(record, { groupId: `new:${fresh}` })]];
    };
    expect(calls).toEqual([...sealed(records[0]), ...sealed(records[1]), ...sealed(records[2]), ['createGroup', created(INVITED_A)]]);
    expect(counts).toEqual({ ...ZERO, recordWrites: 7 });
  });

  test('fails: a plan that writes a record without the key stops before any call', async () => {
    const { port, calls } = recordingPort();
    await expect(applyPlan(port, plan({ intent: INTENT, changes: [removeUser('x@agency.example')] }), live({}))).rejects.toThrow(
      'Internal error: a record write without the record key (the run should have stopped before any write).',
    );
    expect(calls).toEqual([]);
  });
});
