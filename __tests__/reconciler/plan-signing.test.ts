import { planReconcile } from '../../reconciler/plan';
import { Resign, Trust } from '../../reconciler/record-trust';
import { claimsRecord, groupGrantRecord, membersRecord, recordKey } from '../../reconciler/records';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { group, live, onWs, recordGroup, user } from '../support/live';
import { ANA, BO, MEMBERS, NOW, OWNER, READER, dated } from '../support/plan-world';

// The planner's share of the signed record: names brought up to date (adopted, re-signed, sealed),
// people handed over to another app that declares them, and this app's claims.

const withResign = (name: string, resign: Resign, emails: string[] = [], id?: string) => ({ ...recordGroup(name, emails, id ? { id } : {}), trust: Trust.ADOPTED, resign });
const CLAIMS = `segment-access:default:claims:${'0'.repeat(20)}`;
const THEIR_CLAIMS = `segment-access:web-team:claims:${'0'.repeat(20)}`;

describe('record names brought up to date', () => {
  test.each([Resign.ADOPT, Resign.ROTATE, Resign.SEAL])('%s: the group is renamed in place before anything else, even in a run with nothing else to do', (why) => {
    const plan = planReconcile(desiredState([desiredCollaborator(ANA, READER)]), live({ users: [OWNER, user(ANA, 'Minimal Workspace Access', 'Source Read-only')], own: [withResign(MEMBERS, why, [ANA])] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([{ kind: 'sign-record', name: MEMBERS, record: membersRecord('default'), groupId: `g_${MEMBERS}`, from: MEMBERS, why }]);
  });

  test('a 0.1 group-grant record (by group name) is re-signed by the group\'s id; one whose group is gone is deleted', () => {
    const grant = { ...desiredCollaborator('unused@x.example', READER), groupName: 'Eng' } as never;
    const state = live({
      users: [OWNER],
      groups: [group('Eng', onWs('Minimal Workspace Access', 'Source Read-only'))],
      own: [withResign('segment-access:default:group-grant:Eng', Resign.ADOPT), withResign('segment-access:default:group-grant:Gone', Resign.ADOPT)],
    });
    const plan = planReconcile(desiredState([], { groupGrants: [grant] }), state, NOW);
    expect(plan.recordOps).toEqual([
      { kind: 'sign-record', name: recordKey('segment-access', groupGrantRecord('default', 'g_Eng')), record: groupGrantRecord('default', 'g_Eng'), groupId: 'g_segment-access:default:group-grant:Eng', from: 'segment-access:default:group-grant:Eng', why: Resign.ADOPT },
      { kind: 'delete-record', name: 'segment-access:default:group-grant:Gone', groupId: 'g_segment-access:default:group-grant:Gone' },
    ]);
  });

  test('a group about to be folded away is not re-signed first', () => {
    const c = desiredCollaborator(ANA, READER);
    const newcomer = desiredCollaborator(BO, onWorkspace('Minimal Workspace Access'));
    const plan = planReconcile(desiredState([c, newcomer]), live({ users: [OWNER, user(ANA, 'Minimal Workspace Access', 'Source Read-only')], own: [withResign(dated(c.fingerprint), Resign.ROTATE, [ANA])] }), NOW);
    expect(plan.recordOps.filter((op) => op.kind === 'sign-record')).toEqual([]);
    expect(plan.recordOps).toContainEqual({ kind: 'delete-record', name: dated(c.fingerprint), groupId: `g_${dated(c.fingerprint)}` });
  });
});

describe('T7: neighbours', () => {
  test('handed over: dropped from this app\'s record, its access untouched, and said in the plan', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator(ANA, READER)]),
      live({ users: [OWNER, user(ANA, 'Minimal Workspace Access', 'Source Read-only'), user(BO, 'Source Admin')], own: [recordGroup(MEMBERS, [ANA, BO])], others: [recordGroup(THEIR_CLAIMS, [BO])] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.handovers).toEqual([{ email: BO, apps: ['web-team'] }]);
    expect(plan.recordOps).toEqual([{ kind: 'record-remove', name: MEMBERS, groupId: `g_${MEMBERS}`, emails: [BO] }]);
    expect(plan.refusals).toEqual([]);
  });

  test('claims: one this app no longer needs (no longer declared, or no longer contested) is dropped', () => {
    const plan = planReconcile(desiredState([desiredCollaborator(ANA, READER)]), live({ users: [OWNER, user(ANA, 'Minimal Workspace Access', 'Source Read-only')], own: [recordGroup(CLAIMS, [ANA, BO])] }), NOW);
    expect(plan.recordOps).toEqual([
      { kind: 'create-record', name: 'segment-access:default:members', record: membersRecord('default') },
      { kind: 'record-add', name: 'segment-access:default:members', emails: [ANA] },
      { kind: 'record-remove', name: recordKey('segment-access', claimsRecord('default')), groupId: `g_${CLAIMS}`, emails: [ANA, BO] },
    ]);
  });

  test('a contested person stays claimed without a write when already claimed', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator(ANA, READER)]),
      live({ users: [OWNER, user(ANA, 'Source Admin')], own: [recordGroup(CLAIMS, [ANA])], others: [recordGroup('segment-access:web-team:members', [ANA])] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([]);
    expect(plan.conflicts).toEqual([{ email: ANA, apps: ['default', 'web-team'], reason: 'declared by this app, recorded by the other' }]);
  });
});
