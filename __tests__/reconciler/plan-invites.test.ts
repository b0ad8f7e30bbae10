import { planReconcile } from '../../reconciler/plan';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { live, recordGroup, user } from '../support/live';
import { NOW, READER, ADMIN, MEMBERS, OWNER, ANA, BO, PERSON, dated, created, invited, addedByHand, createRecord } from '../support/plan-world';

// Pending invites (why each is re-issued), and the refusals and removals around people the record
// does not vouch for (unconfirmed entries, orphaned invites).

const AUTHORITATIVE = { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: true, retain: ['boss@acme.example'] } };

describe('why a pending invite is re-issued', () => {
  const c = desiredCollaborator(BO, READER);

  test('expired (asked to re-send) with the recorded permission set: says the day it was sent; moves to today\'s record', () => {
    const plan = planReconcile(desiredState([c]), live({ users: [OWNER], invites: [BO], own: [recordGroup(dated(c.fingerprint), [BO])] }), { ...NOW, reissueInvites: new Set([BO]) });
    expect(plan.changes).toEqual([
      { kind: 'reinvite', email: BO, role: c.role, fingerprint: c.fingerprint, after: c.permissions, reason: 'invite sent on 2026-11-20 has expired: re-sent', recordName: dated(c.fingerprint, '2026-11-27') },
    ]);
    expect(plan.unchanged).toBe(0);
    expect(plan.recordOps).toEqual([
      createRecord(dated(c.fingerprint, '2026-11-27')),
      { kind: 'record-add', name: dated(c.fingerprint, '2026-11-27'), emails: [BO] },
      { kind: 'delete-record', name: dated(c.fingerprint), groupId: `g_${dated(c.fingerprint)}` },
    ]);
  });

  test('expired, recorded by a legacy record without a day: "an unknown day"', () => {
    const legacy = `segment-access:${c.fingerprint}`;
    const plan = planReconcile(desiredState([c]), live({ users: [OWNER], invites: [BO], legacy: [recordGroup(legacy, [BO])] }), { ...NOW, reissueInvites: new Set([BO]) });
    expect(plan.changes).toEqual([expect.objectContaining({ kind: 'reinvite', email: BO, reason: 'invite sent on an unknown day has expired: re-sent' })]);
  });

  test('a re-send asked for an invite this code did not send: re-issued because its permissions cannot be read', () => {
    const plan = planReconcile(desiredState([c]), live({ users: [OWNER], invites: [BO] }), { ...NOW, reissueInvites: new Set([BO]) });
    expect(plan.changes).toEqual([
      expect.objectContaining({
        kind: 'reinvite',
        email: BO,
        reason: 'pending invite not sent by this code: its permissions cannot be read, so it is re-issued with the declared ones',
      }),
    ]);
  });

  test('a re-send asked for an invite recorded with other permissions: the permissions changed, not expiry', () => {
    const before = desiredCollaborator(BO, ADMIN);
    const plan = planReconcile(desiredState([c]), live({ users: [OWNER], invites: [BO], own: [recordGroup(dated(before.fingerprint), [BO])] }), { ...NOW, reissueInvites: new Set([BO]) });
    expect(plan.changes).toEqual([expect.objectContaining({ kind: 'reinvite', email: BO, reason: 'declared permissions changed while the invite was pending' })]);
  });

  test('an invite recorded without a permission set (members record): not known for certain, re-issued', () => {
    const plan = planReconcile(desiredState([c]), live({ users: [OWNER], invites: [BO], own: [recordGroup(MEMBERS, [BO])] }), NOW);
    expect(plan.changes).toEqual([
      expect.objectContaining({ kind: 'reinvite', email: BO, reason: 'the permissions of this pending invite are not known for certain: re-issued with the declared ones' }),
    ]);
  });

  test('re-sending others leaves a matching recorded invite alone', () => {
    const plan = planReconcile(desiredState([c]), live({ users: [OWNER], invites: [BO], own: [recordGroup(dated(c.fingerprint), [BO])] }), { ...NOW, reissueInvites: new Set([ANA]) });
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged).toBe(1);
    expect(plan.recordOps).toEqual([]);
  });
});

describe('unconfirmed record entries', () => {
  // BO is in this app's members record, but the trail shows someone else invited BO and edited the group.
  const events = [created(MEMBERS, 1), invited(ANA, 2), invited(BO, 3, PERSON), addedByHand(MEMBERS, 4)];

  test('authoritative: an unconfirmed undeclared member is removed like any stranger, so no refusal is reported', () => {
    const plan = planReconcile(
      desiredState([], AUTHORITATIVE),
      live({ users: [OWNER, user(ANA, 'Minimal Workspace Access'), user(BO, 'Source Admin')], own: [recordGroup(MEMBERS, [ANA, BO])], events }),
      NOW,
    );
    expect(plan.changes).toEqual([
      { kind: 'remove-user', email: ANA, userId: 'u_ana', reason: 'not declared' },
      { kind: 'remove-user', email: BO, userId: 'u_bo', reason: 'not declared (authoritative workspace)' },
    ]);
    expect(plan.refusals).toEqual([]);
    // Both leave: the emptied record goes; no separate removal of BO from it.
    expect(plan.recordOps).toEqual([{ kind: 'delete-record', name: MEMBERS, groupId: `g_${MEMBERS}` }]);
  });

  test('authoritative: an unconfirmed member who is removed leaves the record with the removal, not by a record write', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator(ANA, onWorkspace('Minimal Workspace Access'))], AUTHORITATIVE),
      live({ users: [OWNER, user(ANA, 'Minimal Workspace Access'), user(BO, 'Source Admin')], own: [recordGroup(MEMBERS, [ANA, BO])], events }),
      NOW,
    );
    expect(plan.changes).toEqual([{ kind: 'remove-user', email: BO, userId: 'u_bo', reason: 'not declared (authoritative workspace)' }]);
    expect(plan.refusals).toEqual([]);
    expect(plan.recordOps).toEqual([]);
  });

  test('declared: an unconfirmed member is kept in the record, with no refusal and no record write', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator(ANA, onWorkspace('Minimal Workspace Access')), desiredCollaborator(BO, onWorkspace('Source Admin'))]),
      live({ users: [OWNER, user(ANA, 'Minimal Workspace Access'), user(BO, 'Source Admin')], own: [recordGroup(MEMBERS, [ANA, BO])], events }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([]);
    expect(plan).toMatchObject({ unchanged: 2, adopted: 1 });
    expect(plan.recordOps).toEqual([]);
  });

  test('several unconfirmed entries of one group leave it in one write, emails sorted', () => {
    const plan = planReconcile(
      desiredState([]),
      live({
        users: [OWNER, user('zed@agency.example', 'Minimal Workspace Access'), user('amy@agency.example', 'Minimal Workspace Access')],
        own: [recordGroup(MEMBERS, ['zed@agency.example', 'amy@agency.example'])],
        events: [created(MEMBERS, 1), invited('zed@agency.example', 2, PERSON), invited('amy@agency.example', 3, PERSON)],
      }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([
      { kind: 'unconfirmed', email: 'zed@agency.example', group: MEMBERS },
      { kind: 'unconfirmed', email: 'amy@agency.example', group: MEMBERS },
    ]);
    expect(plan.recordOps).toEqual([{ kind: 'record-remove', name: MEMBERS, groupId: `g_${MEMBERS}`, emails: ['amy@agency.example', 'zed@agency.example'] }]);
  });

  test('an unconfirmed entry of a legacy record is not removed from it (the legacy record goes as a whole)', () => {
    const legacy = 'segment-access:0123456789ab:2026-11-01';
    const plan = planReconcile(desiredState([]), live({ users: [OWNER, user(BO, 'Source Admin')], legacy: [recordGroup(legacy, [BO])], events: [invited(BO, 3, PERSON)] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'unconfirmed', email: BO, group: legacy }]);
    expect(plan.recordOps).toEqual([{ kind: 'delete-record', name: legacy, groupId: `g_${legacy}` }]);
  });

  test('an unconfirmed entry of a record group renamed away is not removed from it', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [OWNER, user(BO, 'Source Admin')], own: [recordGroup(MEMBERS, [BO], { renamedTo: 'Contractors' })], events: [invited(BO, 3, PERSON)] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'unconfirmed', email: BO, group: 'Contractors' }]);
    expect(plan.recordOps).toEqual([]);
  });
});

describe('orphaned invites (sent by this app, in no record)', () => {
  // ANA is recorded and undeclared (removed); BO was invited by this app's token but is in no record.
  const events = [created(MEMBERS, 1), invited(ANA, 2), invited(BO, 3)];
  const state = () => live({ users: [OWNER, user(ANA, 'Minimal Workspace Access'), user(BO, 'Source Admin')], own: [recordGroup(MEMBERS, [ANA])], events });

  test('never removed on the trail\'s word alone: refused, while a recorded undeclared member is removed', () => {
    const plan = planReconcile(desiredState([]), state(), NOW);
    expect(plan.changes).toEqual([{ kind: 'remove-user', email: ANA, userId: 'u_ana', reason: 'not declared' }]);
    expect(plan.refusals).toEqual([{ kind: 'orphaned', email: BO }]);
  });

  test('retained: no refusal', () => {
    const plan = planReconcile(
      desiredState([], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: false, retain: [BO] } }),
      state(),
      NOW,
    );
    expect(plan.refusals).toEqual([]);
  });

  test('an orphaned invite whose grant has expired is named once, as orphaned (not again as an expired grant)', () => {
    const plan = planReconcile(desiredState([], { expired: [{ email: BO, expiresOn: '2026-11-01', path: 'test/bo' }] }), state(), NOW);
    expect(plan.changes).toEqual([{ kind: 'remove-user', email: ANA, userId: 'u_ana', reason: 'not declared' }]);
    expect(plan.refusals).toEqual([{ kind: 'orphaned', email: BO }]);
  });

  test('authoritative: removed as undeclared, so not reported as orphaned', () => {
    const plan = planReconcile(desiredState([], AUTHORITATIVE), state(), NOW);
    expect(plan.changes).toEqual([
      { kind: 'remove-user', email: ANA, userId: 'u_ana', reason: 'not declared' },
      { kind: 'remove-user', email: BO, userId: 'u_bo', reason: 'not declared (authoritative workspace)' },
    ]);
    expect(plan.refusals).toEqual([]);
  });
});

describe('a removal refused to keep the last owner', () => {
  test('the owner stays recorded: a legacy entry is migrated into this app\'s members record', () => {
    const legacy = 'segment-access:0123456789ab:2026-11-01';
    const plan = planReconcile(desiredState([]), live({ users: [OWNER], legacy: [recordGroup(legacy, [OWNER.email])] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: OWNER.email, refused: 'removal' }]);
    expect(plan.recordOps).toEqual([
      createRecord(MEMBERS),
      { kind: 'record-add', name: MEMBERS, emails: [OWNER.email] },
      { kind: 'delete-record', name: legacy, groupId: `g_${legacy}` },
    ]);
  });

  test('an unconfirmed owner whose removal is refused is not treated as leaving: only its unconfirmed entry is dropped', () => {
    const plan = planReconcile(
      desiredState([], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: true, retain: [] } }),
      live({ users: [OWNER], own: [recordGroup(MEMBERS, [OWNER.email])], events: [created(MEMBERS, 1), invited(OWNER.email, 2, PERSON)] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: OWNER.email, refused: 'removal' }]);
    expect(plan.recordOps).toEqual([{ kind: 'record-remove', name: MEMBERS, groupId: `g_${MEMBERS}`, emails: [OWNER.email] }]);
  });
});
