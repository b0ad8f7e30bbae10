import { intentDigest } from '../../reconciler/ownership';
import { PlanError, planReconcile } from '../../reconciler/plan';
import { renderPlanTable } from '../../reconciler/render';
import { desiredCollaborator, desiredState } from '../support/desired';
import { event, group, live, onWs, recordGroup, user, signedIntentName } from '../support/live';
import { NOW, READER, ADMIN, MEMBERS, OWNER, ANA, BO, CY, TOKEN, PERSON, created, invited, addedByHand, createRecord } from '../support/plan-world';

const emails = (plan: ReturnType<typeof planReconcile>, kind: string) => plan.changes.filter((c) => c.kind === kind).map((c) => ('email' in c ? c.email : ''));

describe('the record checked against the audit trail', () => {
  test('a record group nobody else touched is trusted: its undeclared members are removed', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [OWNER, user(ANA, 'Minimal Workspace Access')], own: [recordGroup(MEMBERS, [ANA])], events: [created(MEMBERS, 1), invited(ANA, 2)] }),
      NOW,
    );
    expect(emails(plan, 'remove-user')).toEqual([ANA]);
    expect(plan.damage).toEqual([]);
    expect(plan.refusals).toEqual([]);
  });

  test('an outsider added to a record group by hand is never removed; the record drops it; members this app invited still are', () => {
    const plan = planReconcile(
      desiredState([]),
      live({
        users: [OWNER, user(ANA, 'Minimal Workspace Access'), user(BO, 'Source Admin')],
        own: [recordGroup(MEMBERS, [ANA, BO])],
        events: [created(MEMBERS, 1), invited(ANA, 2), invited(BO, 3, PERSON), addedByHand(MEMBERS, 4)],
      }),
      NOW,
    );
    expect(emails(plan, 'remove-user')).toEqual([ANA]);
    expect(plan.refusals).toEqual([{ kind: 'unconfirmed', email: BO, group: MEMBERS }]);
    expect(plan.recordOps).toContainEqual({ kind: 'record-remove', name: MEMBERS, groupId: `g_${MEMBERS}`, emails: [BO] });
    expect(plan.damage.map((d) => d.kind).sort()).toEqual(['edited', 'unconfirmed-member']);
    const table = renderPlanTable(plan);
    expect(table).toContain(`x refused  ${BO}: not removed, the audit trail does not confirm this app invited it`);
    expect(table).toContain(`record group "${MEMBERS}" (id g_${MEMBERS}) was changed by someone other than this app: Subjects Added to Group by ${PERSON} (${PERSON})`);
  });

  test('a record entry whose latest invite someone else sent is not trusted, even in an untouched group', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [OWNER, user(ANA, 'Minimal Workspace Access')], own: [recordGroup(MEMBERS, [ANA])], events: [created(MEMBERS, 1), invited(ANA, 2), invited(ANA, 5, PERSON)] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'unconfirmed', email: ANA, group: MEMBERS }]);
  });

  test('foreign changes seen by a finished run are settled: the group is trusted again', () => {
    const intent = signedIntentName('default', new Date('2026-11-27T09:00:00Z'), 'aaaaaaaaaaaa');
    const plan = planReconcile(
      desiredState([]),
      live({
        users: [OWNER, user(BO, 'Minimal Workspace Access')],
        own: [recordGroup(MEMBERS, [BO])],
        events: [created(MEMBERS, 1), addedByHand(MEMBERS, 4), created(intent, 10), event('User Group Deleted', `g_${intent}`, intent, TOKEN, 11)],
      }),
      NOW,
    );
    expect(plan.damage).toEqual([]);
    expect(emails(plan, 'remove-user')).toEqual([BO]);
  });

  test('a record group created by a signed-in person does not make that person one of this app\'s actors', () => {
    const plan = planReconcile(
      desiredState([]),
      live({
        users: [OWNER, user(BO, 'Minimal Workspace Access')],
        own: [recordGroup(MEMBERS, [BO])],
        events: [event('User Group Created', `g_${MEMBERS}`, MEMBERS, PERSON, 1, PERSON), invited(BO, 2, PERSON), addedByHand(MEMBERS, 3)],
      }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'unconfirmed', email: BO, group: MEMBERS }]);
  });
});

describe('an interrupted run (write-ahead intent + audit trail)', () => {
  const a = desiredCollaborator(ANA, READER);
  const b = desiredCollaborator(BO, ADMIN);
  const intentFor = (declared: { email: string; fingerprint: string }[]) => `segment-access:default:intent:20261127T120000Z:${intentDigest(declared)}`;

  test('invites it sent but never recorded are removed when the code no longer declares them', () => {
    const intent = intentFor([a, b]);
    const plan = planReconcile(
      desiredState([a]),
      live({
        users: [OWNER],
        invites: [ANA, BO, 'walk-in@else.example'],
        own: [recordGroup(intent)],
        events: [created(intent, 1), invited(ANA, 2), invited(BO, 2), invited('walk-in@else.example', 3, PERSON)],
      }),
      NOW,
    );
    expect(emails(plan, 'cancel-invite')).toEqual([BO]);
    // ANA was invited with other grants than declared now (the digest differs): re-issued to be sure.
    expect(plan.changes).toContainEqual(expect.objectContaining({ kind: 'reinvite', email: ANA }));
    expect(plan.recordOps).toContainEqual({ kind: 'delete-record', name: intent, groupId: `g_${intent}` });
    expect(plan.damage).toEqual([{ kind: 'interrupted-run', intent, recovered: [ANA, BO], unattributed: [] }]);
  });

  test('with the same declared grants, its invites are recorded as they are: no re-invite', () => {
    const intent = intentFor([a, b]);
    const plan = planReconcile(desiredState([a, b]), live({ users: [OWNER], invites: [ANA, BO], own: [recordGroup(intent)], events: [created(intent, 1), invited(ANA, 2), invited(BO, 2)] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual(
      expect.arrayContaining([
        { kind: 'record-add', name: `segment-access:default:invited:${a.fingerprint}:2026-11-27`, emails: [ANA] },
        { kind: 'record-add', name: `segment-access:default:invited:${b.fingerprint}:2026-11-27`, emails: [BO] },
      ]),
    );
  });

  test('without the audit trail an interrupted run cannot be attributed: reported, nothing removed', () => {
    const intent = intentFor([a, b]);
    const plan = planReconcile(desiredState([a]), live({ users: [OWNER], invites: [ANA, BO], own: [recordGroup(intent)] }), NOW);
    expect(emails(plan, 'cancel-invite')).toEqual([]);
    expect(plan.damage).toEqual([{ kind: 'interrupted-run', intent, recovered: [], unattributed: [ANA, BO] }]);
  });
});

describe('damage found in the audit trail', () => {
  test('a record group deleted by hand: declared people are recorded again, undeclared ones are reported, not removed', () => {
    const invitedGroup = `segment-access:default:invited:${desiredCollaborator(ANA, READER).fingerprint}:2026-11-20`;
    const plan = planReconcile(
      desiredState([desiredCollaborator(ANA, READER)]),
      live({
        users: [OWNER, user(ANA, 'Minimal Workspace Access', 'Source Read-only'), user(BO, 'Minimal Workspace Access')],
        events: [created(invitedGroup, 1), invited(ANA, 2), invited(BO, 2), event('User Group Deleted', `g_${invitedGroup}`, invitedGroup, PERSON, 5, PERSON)],
      }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([
      createRecord(MEMBERS),
      { kind: 'record-add', name: MEMBERS, emails: [ANA] },
    ]);
    expect(plan.refusals).toEqual([{ kind: 'orphaned', email: BO }]);
    expect(plan.damage.map((d) => d.kind).sort()).toEqual(['deleted', 'orphaned', 'orphaned']);
  });

  test('a record group renamed by hand still records its people, who are copied back into the record', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator(ANA, READER)]),
      live({
        users: [OWNER, user(ANA, 'Minimal Workspace Access', 'Source Read-only')],
        own: [recordGroup(MEMBERS, [ANA], { renamedTo: 'Contractors' })],
        events: [created(MEMBERS, 1), invited(ANA, 2), event('User Group Updated', `g_${MEMBERS}`, 'Contractors', PERSON, 4, PERSON)],
      }),
      NOW,
    );
    expect(plan.damage).toContainEqual(expect.objectContaining({ kind: 'renamed', recordName: MEMBERS, now: 'Contractors' }));
    expect(plan.recordOps).toEqual([
      createRecord(MEMBERS),
      { kind: 'record-add', name: MEMBERS, emails: [ANA] },
    ]);
  });
});

describe('two apps on one workspace', () => {
  const theirs = (emails: string[]) => recordGroup('segment-access:billing:members', emails);

  test('people another app records are never removed, not even by an authoritative workspace', () => {
    const plan = planReconcile(
      desiredState([], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: false, authoritative: true, retain: [] } }),
      live({ users: [OWNER, user(CY, 'Minimal Workspace Access')], others: [theirs([CY])] }),
      NOW,
    );
    expect(emails(plan, 'remove-user')).not.toContain(CY);
  });

  test('an email both apps claim is a conflict: neither removed nor re-permissioned, and named with both apps', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator(BO, ADMIN)]),
      live({ users: [OWNER, user(ANA, 'Minimal Workspace Access'), user(BO, 'Minimal Workspace Access')], own: [recordGroup(MEMBERS, [ANA])], others: [theirs([ANA, BO])] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.conflicts).toEqual([
      { email: ANA, apps: ['default', 'billing'], reason: 'recorded by both apps, declared by neither' },
      { email: BO, apps: ['default', 'billing'], reason: 'declared by this app, recorded by the other' },
    ]);
    expect(renderPlanTable(plan)).toContain(`conflict: ${BO} is claimed by apps "default" and "billing"`);
    // This app claims BO (declared here) in its claims record, so the other app leaves BO alone too.
    expect(plan.recordOps).toEqual([
      { kind: 'create-record', name: 'segment-access:default:claims', record: { kind: 'claims', app: 'default' } },
      { kind: 'record-add', name: 'segment-access:default:claims', emails: [BO] },
    ]);
  });
});

test('a group whose permissions another app sets is a conflict: left alone, not recorded', () => {
  const grant = { ...desiredCollaborator('x@acme.example', READER), groupName: 'Analysts' } as never;
  const plan = planReconcile(
    desiredState([], { groupGrants: [grant] }),
    live({ users: [OWNER], groups: [group('Analysts', onWs('Source Admin'))], others: [recordGroup('segment-access:billing:group-grant:Analysts')] }),
    NOW,
  );
  expect(plan.changes).toEqual([]);
  expect(plan.recordOps).toEqual([]);
  expect(plan.conflicts).toEqual([{ email: 'group "Analysts"', apps: ['default', 'billing'], reason: 'both apps set its permissions' }]);
  expect(plan.refusals).toEqual([{ kind: 'conflict', email: 'group "Analysts"', apps: ['default', 'billing'] }]);
});

describe('integrity: record groups hold no permissions', () => {
  test('fails: a record group with Workspace Owner aborts the plan before any write, naming the group and the fix', () => {
    const owned = recordGroup(MEMBERS, [ANA], { permissions: onWs('Workspace Owner') });
    expect(() => planReconcile(desiredState([desiredCollaborator(BO, READER)]), live({ users: [OWNER, user(ANA)], own: [owned] }), NOW)).toThrow(PlanError);
    expect(() => planReconcile(desiredState([]), live({ users: [OWNER], own: [owned] }), NOW)).toThrow(
      /"segment-access:default:members" \(id g_segment-access:default:members\) holds Workspace Owner\. Nothing was changed, and no one is added to such a group\..*PUT \/groups\/\{id\}\/permissions with an empty list/,
    );
  });
});

describe('the last Workspace Owner, held directly or through a group', () => {
  test('owner only through a group: removing them is refused, and the plan says so', () => {
    const viaGroup = { ...user(ANA, 'Minimal Workspace Access') };
    const plan = planReconcile(
      desiredState([]),
      live({ users: [viaGroup], own: [recordGroup(MEMBERS, [ANA])], groups: [group('Admins', onWs('Workspace Owner'))], ownerGroupMembers: { g_Admins: [ANA] } }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: ANA, refused: 'removal' }]);
    expect(renderPlanTable(plan)).toContain(`x refused  ${ANA}: removal refused, it would leave the workspace without a Workspace Owner`);
  });

  test('another owner through a group lets the direct one go', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [user(ANA, 'Workspace Owner'), user(BO, 'Minimal Workspace Access')], own: [recordGroup(MEMBERS, [ANA])], ownerGroupMembers: { g_Admins: [BO] } }),
      NOW,
    );
    expect(emails(plan, 'remove-user')).toEqual([ANA]);
  });

  test('demoting the last owner is refused, also on an authoritative workspace', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator(ANA, READER)], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: false, authoritative: true, retain: [] } }),
      live({ users: [user(ANA, 'Workspace Owner')], own: [recordGroup(MEMBERS, [ANA])] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: ANA, refused: 'demotion (re-permission without Workspace Owner)' }]);
  });

  test('taking Workspace Owner off the group that holds the only owners is refused', () => {
    const plan = planReconcile(
      desiredState([]),
      live({
        users: [user(ANA, 'Minimal Workspace Access')],
        groups: [group('Admins', onWs('Workspace Owner'))],
        own: [recordGroup('segment-access:default:group-grant:Admins')],
        ownerGroupMembers: { g_Admins: [ANA] },
      }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'group "Admins"', refused: 'removal of Workspace Owner from the group' }]);
  });
});
