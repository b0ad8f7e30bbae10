import type { DesiredPermission, DesiredState } from '../../model/desired-state';
import { WorkspaceRole } from '../../model/enums';
import { planReconcile } from '../../reconciler/plan';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { group, live, onWs, recordGroup, signerFor, user } from '../support/live';
import { groupGrantRecord, recordKey } from '../../reconciler/records';
import type { RecordOp } from '../../reconciler/plan';

// Group grants: the permissions set on declared user groups, the ones cleared when a group is no
// longer declared, and the group-grant records that say which groups this app manages.

const NOW = { now: new Date('2026-11-27T12:00:00Z') };
const READER = onWorkspace('Minimal Workspace Access', 'Source Read-only');
const OWNER = user('boss@acme.example', 'Workspace Owner');
/** This app's (signed) group-grant record of the group whose id is g_<name>, as support/live's group() makes it. */
const grantOf = (groupName: string) => groupGrantRecord('default', `g_${groupName}`);
const ownKey = (groupName: string) => recordKey('segment-access', grantOf(groupName));
const ownGrant = (groupName: string, options: Parameters<typeof recordGroup>[2] = {}) =>
  recordGroup(signerFor().name(grantOf(groupName), { groupId: `g_grant_${groupName}` }), [], { id: `g_grant_${groupName}`, ...options });
const createGrant = (groupName: string): RecordOp => ({ kind: 'create-record', name: ownKey(groupName), record: grantOf(groupName) });
const deleteGrant = (groupName: string): RecordOp => ({ kind: 'delete-record', name: ownKey(groupName), groupId: `g_grant_${groupName}` });
const legacyGrant = (groupName: string) => `segment-access:group-grant:${groupName}`;

function grant(groupName: string, permissions: DesiredPermission[]): DesiredState['groupGrants'][number] {
  const { email: _e, displayName: _d, organization: _o, kind: _k, expiresOn: _x, ...body } = desiredCollaborator('unused@x.example', permissions);
  return { ...body, groupName };
}

describe('declared group grants', () => {
  test('a group whose permissions differ is set to the declared ones, and its record is created', () => {
    const plan = planReconcile(desiredState([], { groupGrants: [grant('Eng', READER)] }), live({ users: [OWNER], groups: [group('Eng', onWs('Minimal Workspace Access'))] }), NOW);
    expect(plan.changes).toEqual([
      { kind: 'set-group-permissions', groupName: 'Eng', groupId: 'g_Eng', role: WorkspaceRole.READ_ONLY, before: onWorkspace('Minimal Workspace Access'), after: READER },
    ]);
    expect(plan).toMatchObject({ unchanged: 0, adopted: 0 });
    expect(plan.recordOps).toEqual([createGrant('Eng')]);
  });

  test('already as declared and recorded: unchanged, not adopted, no writes', () => {
    const plan = planReconcile(
      desiredState([], { groupGrants: [grant('Eng', READER)] }),
      live({ users: [OWNER], groups: [group('Eng', onWs('Minimal Workspace Access', 'Source Read-only'))], own: [ownGrant('Eng')] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan).toMatchObject({ unchanged: 1, adopted: 0 });
    expect(plan.recordOps).toEqual([]);
  });

  test('recorded only by a legacy record: counts as recorded; the record migrates (own one created, legacy one deleted once)', () => {
    const plan = planReconcile(
      desiredState([], { groupGrants: [grant('Eng', READER)] }),
      live({ users: [OWNER], groups: [group('Eng', onWs('Minimal Workspace Access', 'Source Read-only'))], legacy: [recordGroup(legacyGrant('Eng'))] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan).toMatchObject({ unchanged: 1, adopted: 0 });
    expect(plan.recordOps).toEqual([
      createGrant('Eng'),
      { kind: 'delete-record', name: legacyGrant('Eng'), groupId: `g_${legacyGrant('Eng')}` },
    ]);
  });

  test('a group other apps also set is a conflict naming every app, sorted after this one; it is not recorded', () => {
    const plan = planReconcile(
      desiredState([], { groupGrants: [grant('Eng', READER)] }),
      live({
        users: [OWNER],
        groups: [group('Eng', onWs('Source Admin'))],
        others: [recordGroup('segment-access:zeta:group-grant:Eng'), recordGroup('segment-access:zeta:members'), recordGroup('segment-access:beta:group-grant:Eng')],
      }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.conflicts).toEqual([{ email: 'group "Eng"', apps: ['default', 'beta', 'zeta'], reason: 'both apps set its permissions' }]);
    expect(plan.refusals).toEqual([{ kind: 'conflict', email: 'group "Eng"', apps: ['default', 'beta', 'zeta'] }]);
    expect(plan.recordOps).toEqual([]);
  });
});

describe('groups no longer declared', () => {
  test('a recorded group that holds permissions is cleared, and its record deleted', () => {
    const plan = planReconcile(desiredState([]), live({ users: [OWNER], groups: [group('Ops', onWs('Source Admin'))], own: [ownGrant('Ops')] }), NOW);
    expect(plan.changes).toEqual([{ kind: 'clear-group-permissions', groupName: 'Ops', groupId: 'g_Ops', before: onWorkspace('Source Admin') }]);
    expect(plan.recordOps).toEqual([deleteGrant('Ops')]);
  });

  test('a recorded group that already holds nothing: no change, only the record goes', () => {
    const plan = planReconcile(desiredState([]), live({ users: [OWNER], groups: [group('Ops')], own: [ownGrant('Ops')] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([deleteGrant('Ops')]);
  });

  test('a recorded group that no longer exists: no change, only the record goes', () => {
    const plan = planReconcile(desiredState([]), live({ users: [OWNER], own: [ownGrant('Ops')] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([deleteGrant('Ops')]);
  });

  test('a group-grant record renamed away no longer records the group: the group is left alone', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [OWNER], groups: [group('Ops', onWs('Source Admin'))], own: [ownGrant('Ops', { renamedTo: 'Ops (old)' })] }),
      NOW,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([]);
  });

  test('recorded twice (own and legacy record): cleared once, both records deleted', () => {
    const plan = planReconcile(
      desiredState([]),
      live({ users: [OWNER], groups: [group('Ops', onWs('Source Admin'))], own: [ownGrant('Ops')], legacy: [recordGroup(legacyGrant('Ops'))] }),
      NOW,
    );
    expect(plan.changes).toEqual([{ kind: 'clear-group-permissions', groupName: 'Ops', groupId: 'g_Ops', before: onWorkspace('Source Admin') }]);
    expect(plan.recordOps).toEqual([
      deleteGrant('Ops'),
      { kind: 'delete-record', name: legacyGrant('Ops'), groupId: `g_${legacyGrant('Ops')}` },
    ]);
  });
});
