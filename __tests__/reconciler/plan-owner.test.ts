import type { DesiredPermission, DesiredState } from '../../model/desired-state';
import { planReconcile } from '../../reconciler/plan';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { group, live, onWs, recordGroup, user } from '../support/live';

// The last effective Workspace Owner: which changes take ownership away, which one is refused when
// several would, and what keeps an owner an owner.

const NOW = { now: new Date('2026-11-27T12:00:00Z') };
const READER = onWorkspace('Minimal Workspace Access', 'Source Read-only');
const OWNER_PLUS = onWorkspace('Workspace Owner', 'Source Admin');
const MEMBERS = 'segment-access:default:members';
const grantRecord = (groupName: string) => recordGroup(`segment-access:default:group-grant:${groupName}`);
const summary = (plan: ReturnType<typeof planReconcile>) => plan.changes.map((c) => `${c.kind}:${'email' in c ? c.email : c.groupName}`);

function grant(groupName: string, permissions: DesiredPermission[]): DesiredState['groupGrants'][number] {
  const { email: _e, displayName: _d, organization: _o, kind: _k, expiresOn: _x, ...body } = desiredCollaborator('unused@x.example', permissions);
  return { ...body, groupName };
}

describe('who counts as an owner', () => {
  test('a member of an owner group who is not a user of the workspace does not count', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [user('boss@acme.example', 'Workspace Owner')], own: [recordGroup(MEMBERS, ['boss@acme.example'])], ownerGroupMembers: { g_Admins: ['ghost@acme.example'] } }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'boss@acme.example', refused: 'removal' }]);
    expect(plan.warnings).toEqual([
      'boss@acme.example holds the last Workspace Owner role of Acme Test: removal refused. Declare another owner before removing or demoting this one.',
    ]);
  });

  test('a workspace with no owner at all: nothing is refused, not even taking Owner off an empty owner group', () => {
    const plan = planReconcile(
      desiredState([], { groupGrants: [grant('Admins', READER)] }),
      live({ users: [user('ana@agency.example', 'Minimal Workspace Access')], groups: [group('Admins', onWs('Workspace Owner'))], ownerGroupMembers: { g_Admins: [] } }),
      NOW,
    );
    expect(summary(plan)).toEqual(['set-group-permissions:Admins']);
    expect(plan.refusals).toEqual([]);
  });

  test('a direct owner re-permissioned to a set that keeps Owner stays one: the only other owner group may be cleared', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator('boss@acme.example', OWNER_PLUS)]),
      live({
        users: [user('boss@acme.example', 'Workspace Owner'), user('cy@acme.example', 'Minimal Workspace Access')],
        groups: [group('Admins', onWs('Workspace Owner'))],
        own: [recordGroup(MEMBERS, ['boss@acme.example']), grantRecord('Admins')],
        ownerGroupMembers: { g_Admins: ['cy@acme.example'] },
      }),
      NOW,
    );
    expect(summary(plan)).toEqual(['repermission:boss@acme.example', 'clear-group-permissions:Admins']);
    expect(plan.refusals).toEqual([]);
  });

  test('an owner group re-permissioned to a set that keeps Owner keeps its members owners: another owner group may be cleared', () => {
    const plan = planReconcile(
      desiredState([], { groupGrants: [grant('Admins', OWNER_PLUS)] }),
      live({
        users: [user('cy@acme.example', 'Minimal Workspace Access'), user('dee@acme.example', 'Minimal Workspace Access')],
        groups: [group('Admins', onWs('Workspace Owner')), group('Backup', onWs('Workspace Owner'))],
        own: [grantRecord('Admins'), grantRecord('Backup')],
        ownerGroupMembers: { g_Admins: ['cy@acme.example'], g_Backup: ['dee@acme.example'] },
      }),
      NOW,
    );
    expect(summary(plan)).toEqual(['set-group-permissions:Admins', 'clear-group-permissions:Backup']);
    expect(plan.refusals).toEqual([]);
  });

  test('re-permissioning the only owner group without Owner is refused', () => {
    const plan = planReconcile(
      desiredState([], { groupGrants: [grant('Admins', READER)] }),
      live({ users: [user('cy@acme.example', 'Minimal Workspace Access')], groups: [group('Admins', onWs('Workspace Owner'))], own: [grantRecord('Admins')], ownerGroupMembers: { g_Admins: ['cy@acme.example'] } }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'group "Admins"', refused: 'removal of Workspace Owner from the group' }]);
    expect(plan.warnings).toEqual([
      'group "Admins" holds the last Workspace Owner role of Acme Test: removal of Workspace Owner from the group refused. Declare another owner before removing or demoting this one.',
    ]);
  });

  test('a re-permission that grants Owner makes a new owner: the old one may go', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator('ana@agency.example', onWorkspace('Workspace Owner'))]),
      live({
        users: [user('boss@acme.example', 'Workspace Owner'), user('ana@agency.example', 'Minimal Workspace Access')],
        own: [recordGroup(MEMBERS, ['boss@acme.example', 'ana@agency.example'])],
      }),
      NOW,
    );
    expect(summary(plan)).toEqual(['repermission:ana@agency.example', 'remove-user:boss@acme.example']);
    expect(plan.refusals).toEqual([]);
  });
});

describe('only changes that take ownership away are refused', () => {
  test('removing a non-owner goes ahead beside the refused removal of the last owner', () => {
    const plan = planReconcile(
      desiredState([]),
      live({
        users: [user('boss@acme.example', 'Workspace Owner'), user('aa@agency.example', 'Minimal Workspace Access')],
        own: [recordGroup(MEMBERS, ['boss@acme.example', 'aa@agency.example'])],
      }),
      NOW,
    );
    expect(plan.changes).toEqual([{ kind: 'remove-user', email: 'aa@agency.example', userId: 'u_aa', reason: 'not declared' }]);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'boss@acme.example', refused: 'removal' }]);
  });

  test('re-permissioning someone who owns only through a group takes nothing away: it goes ahead, clearing the group is refused', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator('ana@agency.example', READER)]),
      live({
        users: [user('ana@agency.example', 'Minimal Workspace Access')],
        groups: [group('Admins', onWs('Workspace Owner'))],
        own: [recordGroup(MEMBERS, ['ana@agency.example']), grantRecord('Admins')],
        ownerGroupMembers: { g_Admins: ['ana@agency.example'] },
      }),
      NOW,
    );
    expect(summary(plan)).toEqual(['repermission:ana@agency.example']);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'group "Admins"', refused: 'removal of Workspace Owner from the group' }]);
  });

  test('re-permissioning a non-owner goes ahead beside the refused demotion of the last owner', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator('boss@acme.example', READER), desiredCollaborator('aa@agency.example', READER)]),
      live({
        users: [user('boss@acme.example', 'Workspace Owner'), user('aa@agency.example', 'Minimal Workspace Access')],
        own: [recordGroup(MEMBERS, ['boss@acme.example', 'aa@agency.example'])],
      }),
      NOW,
    );
    expect(summary(plan)).toEqual(['repermission:aa@agency.example']);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'boss@acme.example', refused: 'demotion (re-permission without Workspace Owner)' }]);
  });

  test('group changes: clearing a non-owner group and keeping Owner on an owner group go ahead; clearing the group of the only owners does not', () => {
    const plan = planReconcile(
      desiredState([], { groupGrants: [grant('Alpha', OWNER_PLUS)] }),
      live({
        users: [user('cy@acme.example', 'Minimal Workspace Access')],
        groups: [group('Alpha', onWs('Workspace Owner')), group('Aardvark', onWs('Source Admin')), group('Zeta', onWs('Workspace Owner'))],
        own: [grantRecord('Alpha'), grantRecord('Aardvark'), grantRecord('Zeta')],
        ownerGroupMembers: { g_Alpha: [], g_Zeta: ['cy@acme.example'] },
      }),
      NOW,
    );
    expect(summary(plan)).toEqual(['set-group-permissions:Alpha', 'clear-group-permissions:Aardvark']);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'group "Zeta"', refused: 'removal of Workspace Owner from the group' }]);
  });
});

describe('which change is refused when several would leave no owner', () => {
  test('a removal before a demotion', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator('ana@agency.example', READER)]),
      live({ users: [user('ana@agency.example', 'Workspace Owner'), user('boss@acme.example', 'Workspace Owner')], own: [recordGroup(MEMBERS, ['ana@agency.example', 'boss@acme.example'])] }),
      NOW,
    );
    expect(summary(plan)).toEqual(['repermission:ana@agency.example']);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'boss@acme.example', refused: 'removal' }]);
  });

  test('a demotion before a group change', () => {
    const plan = planReconcile(
      desiredState([desiredCollaborator('ana@agency.example', READER)]),
      live({
        users: [user('ana@agency.example', 'Workspace Owner'), user('cy@acme.example', 'Minimal Workspace Access')],
        groups: [group('Admins', onWs('Workspace Owner'))],
        own: [recordGroup(MEMBERS, ['ana@agency.example']), grantRecord('Admins')],
        ownerGroupMembers: { g_Admins: ['cy@acme.example'] },
      }),
      NOW,
    );
    expect(summary(plan)).toEqual(['clear-group-permissions:Admins']);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'ana@agency.example', refused: 'demotion (re-permission without Workspace Owner)' }]);
  });

  test('of two removals, the first by email', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [user('boss@acme.example', 'Workspace Owner'), user('aa@acme.example', 'Workspace Owner')], own: [recordGroup(MEMBERS, ['boss@acme.example', 'aa@acme.example'])] }),
      NOW,
    );
    expect(summary(plan)).toEqual(['remove-user:boss@acme.example']);
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'aa@acme.example', refused: 'removal' }]);
  });
});
