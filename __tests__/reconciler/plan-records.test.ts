import { planReconcile } from '../../reconciler/plan';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { live, recordGroup, user } from '../support/live';
import { NOW, READER, ADMIN, MEMBERS, OWNER, ANA, BO, PERSON, dated, created, invited, addedByHand, createRecord } from '../support/plan-world';

// The record book: what the record must hold after a run, and the exact writes that get it there
// (and none in a run that changes nothing).

const del = (name: string) => ({ kind: 'delete-record', name, groupId: `g_${name}` });

const ana = desiredCollaborator(ANA, READER);
const anaUser = () => user(ANA, 'Minimal Workspace Access', 'Source Read-only');
const bo = desiredCollaborator(BO, ADMIN);
/** An own dated record nobody is in any more. */
const EMPTY = dated('eeeeeeeeeeee');

describe('accepted users', () => {
  test('a user recorded in an own dated record and a legacy one stays where it is; only the legacy record goes', () => {
    const legacy = 'segment-access:0123456789ab:2026-11-01';
    const plan = planReconcile(desiredState([ana]), live({ users: [OWNER, anaUser()], own: [recordGroup(dated(ana.fingerprint), [ANA])], legacy: [recordGroup(legacy, [ANA])] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([del(legacy)]);
  });

  test('a user recorded only by a legacy record is copied into members, then the legacy record goes', () => {
    const legacy = 'segment-access:0123456789ab:2026-11-01';
    const plan = planReconcile(desiredState([ana]), live({ users: [OWNER, anaUser()], legacy: [recordGroup(legacy, [ANA])] }), NOW);
    expect(plan).toMatchObject({ changes: [], unchanged: 1, adopted: 0 });
    expect(plan.recordOps).toEqual([createRecord(MEMBERS), { kind: 'record-add', name: MEMBERS, emails: [ANA] }, del(legacy)]);
  });

  test('a user adopted into an existing members record: added to it, not created again', () => {
    const plan = planReconcile(desiredState([ana, desiredCollaborator(BO, onWorkspace('Source Admin'))]), live({ users: [OWNER, anaUser(), user(BO, 'Source Admin')], own: [recordGroup(MEMBERS, [ANA])] }), NOW);
    expect(plan.recordOps).toEqual([{ kind: 'record-add', name: MEMBERS, emails: [BO] }]);
  });
});

describe('pending invites that stay as they are', () => {
  test('recorded in an own dated record: nothing to write (an empty record elsewhere is left for a run that writes)', () => {
    const plan = planReconcile(desiredState([bo]), live({ users: [OWNER], invites: [BO], own: [recordGroup(dated(bo.fingerprint), [BO]), recordGroup(EMPTY)] }), NOW);
    expect(plan).toMatchObject({ changes: [], unchanged: 1 });
    expect(plan.recordOps).toEqual([]);
  });

  test('recorded by a legacy dated record: copied into an own dated record of the same day', () => {
    const legacy = `segment-access:${bo.fingerprint}:2026-11-03`;
    const plan = planReconcile(desiredState([bo]), live({ users: [OWNER], invites: [BO], legacy: [recordGroup(legacy, [BO])] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([createRecord(dated(bo.fingerprint, '2026-11-03')), { kind: 'record-add', name: dated(bo.fingerprint, '2026-11-03'), emails: [BO] }, del(legacy)]);
  });

  test('recorded by a legacy record without a day: copied into an own dated record of today', () => {
    const legacy = `segment-access:${bo.fingerprint}`;
    const plan = planReconcile(desiredState([bo]), live({ users: [OWNER], invites: [BO], legacy: [recordGroup(legacy, [BO])] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([createRecord(dated(bo.fingerprint, '2026-11-27')), { kind: 'record-add', name: dated(bo.fingerprint, '2026-11-27'), emails: [BO] }, del(legacy)]);
  });

  test('recorded in an own dated record renamed away: recorded again under its record name', () => {
    const name = dated(bo.fingerprint);
    const plan = planReconcile(desiredState([bo]), live({ users: [OWNER], invites: [BO], own: [recordGroup(name, [BO], { renamedTo: 'Contractors' })] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([createRecord(name), { kind: 'record-add', name, emails: [BO] }]);
  });

  test('recorded in members and a legacy dated record: gets an own dated record (members holds no permission set)', () => {
    const legacy = `segment-access:${bo.fingerprint}:2026-11-03`;
    const plan = planReconcile(desiredState([bo]), live({ users: [OWNER], invites: [BO], own: [recordGroup(MEMBERS, [BO])], legacy: [recordGroup(legacy, [BO])] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([createRecord(dated(bo.fingerprint, '2026-11-03')), { kind: 'record-add', name: dated(bo.fingerprint, '2026-11-03'), emails: [BO] }, del(legacy)]);
  });
});

describe('emptied records are deleted only in a run that writes anyway', () => {
  test('nothing else to write: the empty dated record stays (zero writes)', () => {
    const plan = planReconcile(desiredState([]), live({ users: [OWNER], own: [recordGroup(EMPTY)] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([]);
  });

  test('a run that only records someone: the empty dated record goes too', () => {
    const plan = planReconcile(desiredState([ana]), live({ users: [OWNER, anaUser()], own: [recordGroup(EMPTY)] }), NOW);
    expect(plan.recordOps).toEqual([createRecord(MEMBERS), { kind: 'record-add', name: MEMBERS, emails: [ANA] }, del(EMPTY)]);
  });

  test('a run that only drops an unconfirmed entry: the empty dated record goes too', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [OWNER, user(BO, 'Source Admin')], own: [recordGroup(MEMBERS, [BO]), recordGroup(EMPTY)], events: [created(MEMBERS, 1), invited(BO, 2, PERSON)] }),
      NOW,
    );
    expect(plan.recordOps).toEqual([{ kind: 'record-remove', name: MEMBERS, groupId: `g_${MEMBERS}`, emails: [BO] }, del(EMPTY)]);
  });

  test('a run that only migrates a legacy record: the empty dated record goes too', () => {
    const legacy = 'segment-access:0123456789ab';
    const plan = planReconcile(desiredState([]), live({ users: [OWNER], own: [recordGroup(EMPTY)], legacy: [recordGroup(legacy)] }), NOW);
    expect(plan.recordOps).toEqual([del(EMPTY), del(legacy)]);
  });

  test('a run that only resolves an interrupted run\'s intent: the empty dated record goes too', () => {
    const intent = 'segment-access:default:intent:20261127T100000Z:aaaaaaaaaaaa';
    const plan = planReconcile(desiredState([]), live({ users: [OWNER], own: [recordGroup(EMPTY), recordGroup(intent)] }), NOW);
    expect(plan.recordOps).toEqual([del(EMPTY), del(intent)]);
  });

  test('an empty members record is kept; a group renamed away is never deleted', () => {
    const plan = planReconcile(desiredState([bo]), live({ users: [OWNER], own: [recordGroup(MEMBERS), recordGroup(EMPTY, [], { renamedTo: 'scratch' })] }), NOW);
    expect(plan.changes.map((c) => c.kind)).toEqual(['invite']);
    expect(plan.recordOps).toEqual([createRecord(dated(bo.fingerprint, '2026-11-27')), { kind: 'record-add', name: dated(bo.fingerprint, '2026-11-27'), emails: [BO] }]);
  });

  test('the members record emptied by a removal goes; a group-grant record holding the same person stays', () => {
    const grantName = 'segment-access:default:group-grant:Eng';
    const { email: _e, displayName: _d, organization: _o, kind: _k, expiresOn: _x, ...body } = desiredCollaborator('unused@x.example', onWorkspace('Source Admin'));
    const plan = planReconcile(
      desiredState([], { groupGrants: [{ ...body, groupName: 'Eng' }] }),
      live({
        users: [OWNER, user('gone@agency.example', 'Minimal Workspace Access')],
        groups: [{ id: 'g_Eng', name: 'Eng', memberCount: 0, permissions: user('x@x.example', 'Source Admin').permissions }],
        own: [recordGroup(MEMBERS, ['gone@agency.example']), recordGroup(grantName, ['gone@agency.example'])],
      }),
      NOW,
    );
    expect(plan.changes).toEqual([{ kind: 'remove-user', email: 'gone@agency.example', userId: 'u_gone', reason: 'not declared' }]);
    expect(plan.recordOps).toEqual([del(MEMBERS)]);
  });

  test('a record this run adds to is not deleted, though everyone it held leaves', () => {
    const plan = planReconcile(
      desiredState([ana]),
      live({ users: [OWNER, anaUser(), user('gone@agency.example', 'Minimal Workspace Access')], own: [recordGroup(MEMBERS, ['gone@agency.example'])] }),
      NOW,
    );
    expect(plan.changes).toEqual([{ kind: 'remove-user', email: 'gone@agency.example', userId: 'u_gone', reason: 'not declared' }]);
    expect(plan.recordOps).toEqual([{ kind: 'record-add', name: MEMBERS, emails: [ANA] }]);
  });
});

describe('folding dated records into members', () => {
  const newcomer = desiredCollaborator('zed@agency.example', ADMIN);
  const invite = dated(newcomer.fingerprint, '2026-11-27');

  test('the members record itself is never folded', () => {
    const plan = planReconcile(desiredState([ana, newcomer]), live({ users: [OWNER, anaUser()], own: [recordGroup(MEMBERS, [ANA])] }), NOW);
    expect(plan.recordOps).toEqual([createRecord(invite), { kind: 'record-add', name: invite, emails: [newcomer.email] }]);
  });

  test('a dated record with someone still pending is not folded', () => {
    const pending = desiredCollaborator(BO, READER);
    const plan = planReconcile(desiredState([ana, pending, newcomer]), live({ users: [OWNER, anaUser()], invites: [BO], own: [recordGroup(dated(ana.fingerprint), [ANA, BO])] }), NOW);
    expect(plan.changes.map((c) => `${c.kind}:${'email' in c ? c.email : ''}`)).toEqual([`invite:${newcomer.email}`]);
    expect(plan.recordOps).toEqual([createRecord(invite), { kind: 'record-add', name: invite, emails: [newcomer.email] }]);
  });

  test('a dated record holding someone who is neither a user nor invited any more is not folded', () => {
    const plan = planReconcile(desiredState([ana, newcomer]), live({ users: [OWNER, anaUser()], own: [recordGroup(dated(ana.fingerprint), [ANA, 'left@agency.example'])] }), NOW);
    expect(plan.recordOps).toEqual([createRecord(invite), { kind: 'record-add', name: invite, emails: [newcomer.email] }]);
  });

  test('a run that only adds to members does not fold (it records no new invite)', () => {
    const plan = planReconcile(
      desiredState([ana, desiredCollaborator(BO, onWorkspace('Source Admin'))]),
      live({ users: [OWNER, anaUser(), user(BO, 'Source Admin')], own: [recordGroup(dated(ana.fingerprint), [ANA])] }),
      NOW,
    );
    expect(plan.recordOps).toEqual([createRecord(MEMBERS), { kind: 'record-add', name: MEMBERS, emails: [BO] }]);
  });

  test('folding carries only confirmed entries: one someone else added by hand is dropped with the folded record, not laundered into members', () => {
    const name = dated(ana.fingerprint);
    const plan = planReconcile(
      desiredState([ana, newcomer]),
      live({
        users: [OWNER, anaUser(), user('walkin@else.example', 'Source Admin')],
        own: [recordGroup(name, [ANA, 'walkin@else.example'])],
        events: [created(name, 1), invited(ANA, 2), addedByHand(name, 4)],
      }),
      NOW,
    );
    expect(plan.changes.map((c) => c.kind)).toEqual(['invite']);
    expect(plan.refusals).toEqual([{ kind: 'unconfirmed', email: 'walkin@else.example', group: name }]);
    expect(plan.recordOps).toEqual([
      createRecord(invite),
      { kind: 'record-add', name: invite, emails: [newcomer.email] },
      createRecord(MEMBERS),
      { kind: 'record-add', name: MEMBERS, emails: [ANA] },
      del(name),
    ]);
  });
});

test('folding keeps a confirmed entry that is also unconfirmed in members: it stays in members', () => {
  const newcomer = desiredCollaborator('zed@agency.example', ADMIN);
  const invite = dated(newcomer.fingerprint, '2026-11-27');
  const name = dated(ana.fingerprint);
  // ANA has no invite in the trail: trusted in the untouched dated record, not in members, which someone edited.
  const plan = planReconcile(
    desiredState([ana, newcomer]),
    live({ users: [OWNER, anaUser()], own: [recordGroup(MEMBERS, [ANA]), recordGroup(name, [ANA])], events: [created(MEMBERS, 1), created(name, 2), addedByHand(MEMBERS, 4)] }),
    NOW,
  );
  expect(plan.refusals).toEqual([]);
  expect(plan.recordOps).toEqual([createRecord(invite), { kind: 'record-add', name: invite, emails: [newcomer.email] }, del(name)]);
});

describe('record writes come in name order', () => {
  const newcomer = desiredCollaborator('zed@agency.example', ADMIN);
  const invite = dated(newcomer.fingerprint, '2026-11-27');
  const expected = [
    createRecord(invite),
    { kind: 'record-add', name: invite, emails: [newcomer.email] },
    createRecord(MEMBERS),
    { kind: 'record-add', name: MEMBERS, emails: [ANA] },
  ];

  test('members recorded first, the invite second', () => {
    expect(planReconcile(desiredState([ana, newcomer]), live({ users: [OWNER, anaUser()] }), NOW).recordOps).toEqual(expected);
  });

  test('the invite recorded first, members second', () => {
    expect(planReconcile(desiredState([newcomer, ana]), live({ users: [OWNER, anaUser()] }), NOW).recordOps).toEqual(expected);
  });
});
