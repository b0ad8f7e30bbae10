import { createRecord } from '../support/plan-world';
import type { DesiredPermission } from '../../model/desired-state';
import { AccessLevel, ResourceType, WorkspaceRole } from '../../model/enums';
import type { ApplyCounts } from '../../reconciler/apply';
import { emptyPlan, type AccessChange, type ReconcilePlan } from '../../reconciler/plan';
import type { RecordDamage } from '../../reconciler/ownership';
import { Distrust } from '../../reconciler/record-trust';
import { membersRecord } from '../../reconciler/records';
import {
  CallStats,
  describeConflict,
  describeDamage,
  describeRefusal,
  planNeedsAttention,
  planToJson,
  renderPlanTable,
  renderSummary,
  resourceNamesOf,
} from '../../reconciler/render';
import { desiredCollaborator, desiredState, onWorkspace, WS_ID } from '../support/desired';

// The reviewer-facing text of a plan (CI logs, `plan --json`, the run summary), checked line by line
// against plans built by hand: every kind of change, damage and refusal, and each branch of the table.

const MINIMAL: DesiredPermission[] = onWorkspace('Minimal Workspace Access');
const WEB_ADMIN: DesiredPermission[] = [{ roleName: 'Source Admin', resources: [{ type: ResourceType.SOURCE, id: 'srcWeb', labels: [] }] }];
const NAMES = new Map([['srcWeb', 'web']]);

function plan(parts: Partial<ReconcilePlan> = {}): ReconcilePlan {
  return { ...emptyPlan({ id: WS_ID, name: 'Acme Test' }, 'default'), ...parts };
}

/** One change of every kind, in the order the planner emits them. */
const EVERY_KIND: AccessChange[] = [
  { kind: 'invite', email: 'ana@x.example', role: WorkspaceRole.MEMBER, fingerprint: 'aaaaaaaaaaaa', after: MINIMAL, recordName: 'r1' },
  { kind: 'reinvite', email: 'bo@x.example', role: WorkspaceRole.READ_ONLY, fingerprint: 'bbbbbbbbbbbb', after: [], reason: 'invite expired', recordName: 'r2' },
  { kind: 'repermission', email: 'cy@x.example', userId: 'u_cy', role: WorkspaceRole.ADMIN, fingerprint: 'cccccccccccc', before: MINIMAL, after: WEB_ADMIN },
  { kind: 'remove-user', email: 'di@x.example', userId: 'u_di', reason: 'not declared' },
  { kind: 'cancel-invite', email: 'ed@x.example', reason: 'expired' },
  { kind: 'set-group-permissions', groupName: 'Analysts', groupId: 'g_an', role: WorkspaceRole.READ_ONLY, before: [], after: MINIMAL },
  { kind: 'clear-group-permissions', groupName: 'Old Team', groupId: 'g_old', before: WEB_ADMIN },
];

/** The table rows for EVERY_KIND: columns padded to the widest cell (21, 16 and 9 characters), two spaces apart. */
const EVERY_KIND_ROWS = [
  '  action               who               role       details',
  '  + invite             ana@x.example     MEMBER     Minimal Workspace Access on workspace',
  '  ~ re-invite          bo@x.example      READ_ONLY  (none) (invite expired)',
  '  ~ re-permission      cy@x.example      ADMIN      was: Minimal Workspace Access on workspace | now: Source Admin on source web (srcWeb)',
  '  - remove user        di@x.example                 not declared',
  '  - cancel invite      ed@x.example                 expired',
  '  ~ group permissions  group "Analysts"  READ_ONLY  was: (none) | now: Minimal Workspace Access on workspace',
  '  - clear group        group "Old Team"             no longer declared; was: Source Admin on source web (srcWeb)',
];

describe('resourceNamesOf', () => {
  test('maps every source and warehouse id of collaborators and group grants to its name', () => {
    const ana = desiredCollaborator('ana@x.example', MINIMAL, {
      sources: [{ id: 'srcWeb', name: 'web', level: AccessLevel.ADMIN }],
      warehouses: [{ id: 'whMain', name: 'main dw', level: AccessLevel.READ_ONLY }],
    });
    const { email: _email, displayName: _d, organization: _o, kind: _k, expiresOn: _e, ...body } = desiredCollaborator('x@x.example', MINIMAL, {
      sources: [{ id: 'srcIos', name: 'ios', level: AccessLevel.READ_ONLY }],
      warehouses: [{ id: 'whLake', name: 'lake', level: AccessLevel.ADMIN }],
    });
    const names = resourceNamesOf(desiredState([ana], { groupGrants: [{ ...body, groupName: 'Analysts' }] }));
    expect(names).toEqual(
      new Map([
        ['srcWeb', 'web'],
        ['whMain', 'main dw'],
        ['srcIos', 'ios'],
        ['whLake', 'lake'],
      ]),
    );
  });

  test('is empty when nothing declared names a source or warehouse', () => {
    expect(resourceNamesOf(desiredState([desiredCollaborator('ana@x.example', MINIMAL)]))).toEqual(new Map());
  });
});

describe('planNeedsAttention', () => {
  test('false only when there is no damage, no conflict and no refusal', () => {
    expect(planNeedsAttention(plan())).toBe(false);
  });

  test('each of damage, conflicts and refusals alone is enough', () => {
    expect(planNeedsAttention(plan({ damage: [{ kind: 'orphaned', email: 'a@x.example', invitedAt: '2026-11-20' }] }))).toBe(true);
    expect(planNeedsAttention(plan({ conflicts: [{ email: 'a@x.example', apps: ['default', 'billing'], reason: 'both record it' }] }))).toBe(true);
    expect(planNeedsAttention(plan({ refusals: [{ kind: 'orphaned', email: 'a@x.example' }] }))).toBe(true);
  });
});

describe('describeDamage', () => {
  const twoEvents = [
    { type: 'User Group Renamed', actor: 'root@acme.example (user_1)', at: '2026-11-20T10:00:00.000Z', groupName: 'x' },
    { type: 'User Group Member Added', actor: 'token:other', at: '2026-11-21T11:00:00.000Z', groupName: 'x' },
  ];
  const cases: [string, RecordDamage, string][] = [
    [
      'unauthentic: a malformed name, creator unknown',
      { kind: 'unauthentic', groupId: 'g1', group: 'segment-access:default:oops', reason: Distrust.MALFORMED },
      'group "segment-access:default:oops" (id g1; its creator is not in the audit trail) has a name under this app\'s that no version of segment-access writes (edited by hand?): it is ignored. Rename or delete it.',
    ],
    [
      'unauthentic: a forged group-grant record, naming its creator',
      { kind: 'unauthentic', groupId: 'g9', group: 'segment-access:default:group-grant:Owners', reason: Distrust.UNSIGNED_FOREIGN, creator: { actor: 'token:other', at: '2026-11-27T09:00:00.000Z' } },
      'group "segment-access:default:group-grant:Owners" (id g9; created or last named by token:other at 2026-11-27T09:00:00.000Z) has an unsigned record name (segment-access 0.1), and someone other than this app\'s proven actors created or named it: never adopted. Declare the people who should stay managed, then delete the group.',
    ],
    [
      'unauthentic: no key, naming the variable',
      { kind: 'unauthentic', groupId: 'g8', group: 'segment-access:default:members:0123456789abcdef0123', reason: Distrust.NO_KEY },
      'group "segment-access:default:members:0123456789abcdef0123" (id g8; its creator is not in the audit trail) cannot be verified: SEGMENT_ACCESS_RECORD_KEY is not set, so it is not read as this app\'s record. Set SEGMENT_ACCESS_RECORD_KEY (segment-access keygen) where this runs.',
    ],
    [
      'renamed, with the events that did it',
      { kind: 'renamed', groupId: 'g2', recordName: 'segment-access:default:members', now: 'Members', events: twoEvents },
      'record group "segment-access:default:members" (id g2) was renamed to "Members" (User Group Renamed by root@acme.example (user_1) at 2026-11-20T10:00:00.000Z; ' +
        "User Group Member Added by token:other at 2026-11-21T11:00:00.000Z); its members are still read as this app's and copied back into the record by the next deploy.",
    ],
    [
      'renamed, no event on the trail',
      { kind: 'renamed', groupId: 'g2', recordName: 'segment-access:default:members', now: 'Members', events: [] },
      'record group "segment-access:default:members" (id g2) was renamed to "Members"; its members are still read as this app\'s and copied back into the record by the next deploy.',
    ],
    [
      'deleted',
      { kind: 'deleted', groupId: 'g3', recordName: 'segment-access:default:members', by: 'root@acme.example (user_1)', at: '2026-11-22T09:00:00.000Z' },
      'record group "segment-access:default:members" (id g3) was deleted by root@acme.example (user_1) at 2026-11-22T09:00:00.000Z; people it recorded are restored from the audit trail when declared, and reported as orphaned when not.',
    ],
    [
      'edited',
      { kind: 'edited', groupId: 'g4', group: 'segment-access:default:members', events: twoEvents },
      'record group "segment-access:default:members" (id g4) was changed by someone other than this app: User Group Renamed by root@acme.example (user_1) at 2026-11-20T10:00:00.000Z; ' +
        'User Group Member Added by token:other at 2026-11-21T11:00:00.000Z. Only members the audit trail shows this app invited stay managed.',
    ],
    [
      'unconfirmed-member',
      { kind: 'unconfirmed-member', email: 'eve@x.example', group: 'segment-access:default:members', why: 'the audit trail shows no invite by this app' },
      'eve@x.example is in record group "segment-access:default:members", but the audit trail shows no invite by this app: never removed by this app; dropped from the record by the next deploy (unless declared).',
    ],
    [
      'orphaned',
      { kind: 'orphaned', email: 'fay@x.example', invitedAt: '2026-11-20T08:00:00.000Z' },
      "fay@x.example was invited by this app (audit trail, 2026-11-20T08:00:00.000Z) but is in no record: not removed on the audit trail's word alone. " +
        "Declare it, or add it back to this app's members record group so the next deploy removes it, or remove it by hand.",
    ],
    [
      'interrupted run, invites not attributable',
      { kind: 'interrupted-run', intent: 'segment-access:default:intent:20261127T120000Z:0123456789ab', recovered: ['a@x.example'], unattributed: ['b@x.example', 'c@x.example'] },
      'an interrupted run left intent "segment-access:default:intent:20261127T120000Z:0123456789ab"; the audit trail cannot tell its invites from others\' (no trail, an intent it cannot prove, or another app\'s run on the same token): review b@x.example, c@x.example.',
    ],
    [
      'interrupted run that invited people',
      { kind: 'interrupted-run', intent: 'segment-access:default:intent:20261127T120000Z:0123456789ab', recovered: ['a@x.example', 'b@x.example'], unattributed: [] },
      'an interrupted run left intent "segment-access:default:intent:20261127T120000Z:0123456789ab"; it invited a@x.example, b@x.example, which the next deploy records (declared) or removes (not declared).',
    ],
    [
      'interrupted run that invited no one',
      { kind: 'interrupted-run', intent: 'segment-access:default:intent:20261127T120000Z:0123456789ab', recovered: [], unattributed: [] },
      'an interrupted run left intent "segment-access:default:intent:20261127T120000Z:0123456789ab"; it sent no invite the audit trail shows.',
    ],
    [
      'permissions-on-renamed-record',
      { kind: 'permissions-on-renamed-record', groupId: 'g5', recordName: 'segment-access:default:members', now: 'Admins' },
      'group "Admins" (id g5), created as record group "segment-access:default:members", now holds permissions: this app never adds anyone to it.',
    ],
  ];
  test.each(cases)('%s', (_name, damage, text) => {
    expect(describeDamage(damage)).toBe(text);
  });
});

describe('describeConflict and describeRefusal', () => {
  test('a conflict names every app claiming the email, quoted, and the reason', () => {
    expect(describeConflict({ email: 'bo@x.example', apps: ['default', 'billing'], reason: 'in both records' })).toBe(
      'bo@x.example is claimed by apps "default" and "billing" (in both records): neither removes nor re-permissions it. ' +
        'Declare it in one app only (the other then hands it over), or run `segment-access disown --email bo@x.example` in the app that should let go.',
    );
  });

  test('each kind of refusal says what was not done and why', () => {
    expect(describeRefusal({ kind: 'last-owner', email: 'ana@x.example', refused: 'removal' })).toBe(
      'ana@x.example: removal refused, it would leave the workspace without a Workspace Owner',
    );
    expect(describeRefusal({ kind: 'unconfirmed', email: 'bo@x.example', group: 'segment-access:default:members' })).toBe(
      'bo@x.example: not removed, the audit trail does not confirm this app invited it (record group "segment-access:default:members" was changed by someone else)',
    );
    expect(describeRefusal({ kind: 'orphaned', email: 'cy@x.example' })).toBe('cy@x.example: not removed, only the audit trail says this app invited it (it is in no record)');
    expect(describeRefusal({ kind: 'conflict', email: 'di@x.example', apps: ['default', 'billing', 'hr'] })).toBe(
      'di@x.example: not touched, claimed by apps "default" and "billing" and "hr"',
    );
  });
});

describe('renderPlanTable', () => {
  test('every kind of change as an aligned row; refusals, damage, conflicts, warnings, record writes, seats and counts below', () => {
    const full = plan({
      changes: EVERY_KIND,
      recordOps: [
        createRecord('segment-access:default:members'),
        { kind: 'record-add', name: 'segment-access:default:members', emails: ['ana@x.example'] },
      ],
      unchanged: 4,
      warnings: ['zed@x.example is the only Workspace Owner left', 'seat limit nearly reached'],
      refusals: [{ kind: 'last-owner', email: 'zed@x.example', refused: 'removal' }],
      damage: [{ kind: 'orphaned', email: 'fay@x.example', invitedAt: '2026-11-20' }],
      conflicts: [{ email: 'gus@x.example', apps: ['default', 'billing'], reason: 'in both records' }],
      seats: { before: 10, after: 9, limit: 12 },
    });
    expect(renderPlanTable(full, NAMES).split('\n')).toEqual([
      'Segment access plan for Acme Test (ws_test_1)',
      ...EVERY_KIND_ROWS,
      '  x refused  zed@x.example: removal refused, it would leave the workspace without a Workspace Owner',
      "  ! record damaged: fay@x.example was invited by this app (audit trail, 2026-11-20) but is in no record: not removed on the audit trail's word alone. " +
        "Declare it, or add it back to this app's members record group so the next deploy removes it, or remove it by hand.",
      '  ! conflict: gus@x.example is claimed by apps "default" and "billing" (in both records): neither removes nor re-permissions it. ' +
        'Declare it in one app only (the other then hands it over), or run `segment-access disown --email gus@x.example` in the app that should let go.',
      // The last-owner warning is said by the refusal line already; the other warning is shown.
      '  ! seat limit nearly reached',
      '  (2 record-keeping write(s) to the segment-access record groups)',
      '  Seats: 10 -> 9 (limit 12)',
      'Plan: 1 to invite, 1 to re-invite, 1 to re-permission, 2 to remove, 2 group change(s); 4 unchanged.',
    ]);
  });

  test('without resource names, sources are shown by id; every data row starts each column where the header does', () => {
    const table = renderPlanTable(plan({ changes: EVERY_KIND.slice(2, 3) }));
    const [, header, row] = table.split('\n');
    expect(header).toBe('  action           who           role   details');
    expect(row).toBe('  ~ re-permission  cy@x.example  ADMIN  was: Minimal Workspace Access on workspace | now: Source Admin on source srcWeb');
    expect(row.indexOf('cy@x.example')).toBe(header.indexOf('who'));
    expect(row.indexOf('ADMIN')).toBe(header.indexOf('role'));
    expect(row.indexOf('was:')).toBe(header.indexOf('details'));
  });

  test('the widest cell of a column sets its width, not the narrowest', () => {
    const table = renderPlanTable(
      plan({
        changes: [
          { kind: 'cancel-invite', email: 'a@x.example', reason: 'expired' },
          { kind: 'cancel-invite', email: 'a-much-longer-address@x.example', reason: 'not declared' },
        ],
      }),
    );
    expect(table.split('\n').slice(1, 4)).toEqual([
      '  action           who                              role  details',
      '  - cancel invite  a@x.example                            expired',
      '  - cancel invite  a-much-longer-address@x.example        not declared',
    ]);
  });

  test('no change and nothing wrong: says the workspace matches; no record-write line; no declared limit', () => {
    expect(renderPlanTable(plan({ unchanged: 2, seats: { before: 3, after: 3, limit: null } }))).toBe(
      [
        'Segment access plan for Acme Test (ws_test_1)',
        '  No access changes: the workspace matches the code.',
        '  Seats: 3 -> 3 (no limit declared)',
        'Plan: 0 to invite, 0 to re-invite, 0 to re-permission, 0 to remove, 0 group change(s); 2 unchanged.',
      ].join('\n'),
    );
  });

  test('no change but a refusal: says the workspace does NOT match; warnings are shown unless they open with a last-owner refusal email', () => {
    const text = renderPlanTable(
      plan({
        refusals: [
          { kind: 'orphaned', email: 'cy@x.example' },
          { kind: 'last-owner', email: 'zed@x.example', refused: 'removal' },
        ],
        warnings: [
          // Opens with the email of a refusal that is not a last-owner one: still shown.
          'cy@x.example was invited by this app but is in no record',
          // Ends with the last-owner email, does not open with it: still shown.
          'the only Workspace Owner left is zed@x.example',
          // Opens with the last-owner email: said by the refusal line already.
          'zed@x.example is the only Workspace Owner left',
        ],
        seats: { before: 1, after: 1, limit: 5 },
      }),
    );
    expect(text.split('\n')).toEqual([
      'Segment access plan for Acme Test (ws_test_1)',
      '  No access changes to make; the workspace does NOT match the code, see below.',
      '  x refused  cy@x.example: not removed, only the audit trail says this app invited it (it is in no record)',
      '  x refused  zed@x.example: removal refused, it would leave the workspace without a Workspace Owner',
      '  ! cy@x.example was invited by this app but is in no record',
      '  ! the only Workspace Owner left is zed@x.example',
      '  Seats: 1 -> 1 (limit 5)',
      'Plan: 0 to invite, 0 to re-invite, 0 to re-permission, 0 to remove, 0 group change(s); 0 unchanged.',
    ]);
  });

  test('warnings are all shown when no refusal is a last-owner one', () => {
    const text = renderPlanTable(plan({ warnings: ['zed@x.example: first', 'second'], refusals: [{ kind: 'orphaned', email: 'zed@x.example' }] }));
    expect(text).toContain('\n  ! zed@x.example: first\n  ! second\n');
  });

  test('an adopting plan says in one line how many were adopted, invited, re-permissioned and removed', () => {
    const text = renderPlanTable(plan({ changes: EVERY_KIND, adopted: 3, unchanged: 5 }), NAMES);
    const lines = text.split('\n');
    expect(lines.slice(-2)).toEqual([
      '  Adoption: 3 adopted, 1 invited, 1 re-permissioned, 2 removed (adopted: access already as declared, now recorded as managed).',
      'Plan: 1 to invite, 1 to re-invite, 1 to re-permission, 2 to remove, 2 group change(s); 5 unchanged.',
    ]);
    expect(lines.slice(1, 9)).toEqual(EVERY_KIND_ROWS);
  });

  test('counts each kind separately', () => {
    const two = <T>(x: T) => [x, x];
    const changes: AccessChange[] = [
      ...two(EVERY_KIND[0]),
      ...EVERY_KIND.slice(1, 3),
      ...two(EVERY_KIND[2]),
      ...two(EVERY_KIND[3]),
      EVERY_KIND[4],
      EVERY_KIND[5],
      ...two(EVERY_KIND[6]),
      ...two(EVERY_KIND[6]),
    ];
    const last = renderPlanTable(plan({ changes, adopted: 1 }), NAMES).split('\n').slice(-2);
    expect(last).toEqual([
      '  Adoption: 1 adopted, 2 invited, 3 re-permissioned, 3 removed (adopted: access already as declared, now recorded as managed).',
      'Plan: 2 to invite, 1 to re-invite, 3 to re-permission, 3 to remove, 5 group change(s); 0 unchanged.',
    ]);
  });
});

describe('planToJson', () => {
  test('carries the plan through, with hasChanges false when there is nothing to write', () => {
    const p = plan({ unchanged: 2, adopted: 1, warnings: ['w'], seats: { before: 2, after: 2, limit: 4 } });
    expect(planToJson(p)).toEqual({
      workspace: { id: WS_ID, name: 'Acme Test' },
      hasChanges: false,
      changes: [],
      recordOps: [],
      unchanged: 2,
      adopted: 1,
      warnings: ['w'],
      refusals: [],
      recordDamage: [],
      conflicts: [],
      handovers: [],
      pendingAdoption: [],
      trust: { recordKept: false, keyVariable: 'SEGMENT_ACCESS_RECORD_KEY', keyHeld: false, rotating: false, actors: null },
      seats: { before: 2, after: 2, limit: 4 },
    });
  });

  test('hasChanges is true for an access change alone, and for a record write alone', () => {
    expect(planToJson(plan({ changes: EVERY_KIND.slice(0, 1) }))).toMatchObject({ hasChanges: true, changes: EVERY_KIND.slice(0, 1), recordOps: [] });
    const ops = [{ kind: 'create-record' as const, name: 'segment-access:default:members', record: membersRecord('default') }];
    expect(planToJson(plan({ recordOps: ops }))).toMatchObject({ hasChanges: true, changes: [], recordOps: ops });
  });
});

describe('renderSummary', () => {
  test('one line with every count, removals as users plus invites', () => {
    const counts: ApplyCounts = { invited: 1, reinvited: 2, repermissioned: 3, removedUsers: 4, cancelledInvites: 5, groupPermissionsSet: 6, recordWrites: 7 };
    const stats: CallStats = { calls: 20, reads: 12, writes: 8, retries: 2, rateLimited: 1 };
    expect(renderSummary(plan({ unchanged: 9, adopted: 8 }), counts, stats)).toBe(
      'Summary for Acme Test (ws_test_1): invited 1, re-invited 2, re-permissioned 3, removed 9 (4 users, 5 invites), ' +
        'group permissions set 6, unchanged 9 (adopted 8); record writes 7; API calls 20 (12 reads, 8 writes, 2 retries, 1 rate-limited)',
    );
  });

  test('control characters in the workspace name are shown, not obeyed', () => {
    const text = renderSummary(plan({ workspace: { id: WS_ID, name: 'Acme\u001b[31m' } }), { invited: 0, reinvited: 0, repermissioned: 0, removedUsers: 0, cancelledInvites: 0, groupPermissionsSet: 0, recordWrites: 0 }, { calls: 0, reads: 0, writes: 0, retries: 0, rateLimited: 0 });
    expect(text).not.toContain('\u001b');
    expect(text.startsWith('Summary for Acme')).toBe(true);
  });
});
