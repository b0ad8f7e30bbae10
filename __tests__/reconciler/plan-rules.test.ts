import { ResourceType } from '../../model/enums';
import type { DesiredPermission, DesiredState } from '../../model/desired-state';
import type { LiveState } from '../../reconciler/live-state';
import { intentDigest } from '../../reconciler/ownership';
import { RoleCatalog } from '../../reconciler/permissions';
import {
  blockingRefusals,
  checkRecordGroupsHoldNoPermissions,
  describeRecordGroupPermissions,
  expiredGrants,
  isExpiredAt,
  PlanError,
  planReconcile,
  RECORD_GROUP_PERMISSIONS_FIX,
  recordGroupsWithPermissions,
  Refusal,
  TEAM_REINVITE_REASON,
} from '../../reconciler/plan';
import { desiredCollaborator, desiredState, onWorkspace, WS_ID } from '../support/desired';
import { group, live, onWs, recordGroup, user } from '../support/live';

// Rules of the planner that sit outside its record keeping: the exported helpers, the checks that
// abort a plan (exact messages: an operator acts on them), seats, and the plan's summary fields.

const NOW = new Date('2026-11-27T12:00:00Z');
const OPTS = { now: NOW };
const READER = onWorkspace('Minimal Workspace Access', 'Source Read-only');
const ADMIN = onWorkspace('Minimal Workspace Access', 'Source Admin');
const MEMBERS = 'segment-access:default:members';
const OWNER = user('boss@acme.example', 'Workspace Owner');

function grant(groupName: string, permissions: DesiredPermission[]): DesiredState['groupGrants'][number] {
  const { email: _e, displayName: _d, organization: _o, kind: _k, expiresOn: _x, ...body } = desiredCollaborator('unused@x.example', permissions);
  return { ...body, groupName };
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('blockingRefusals', () => {
  test('keeps only conflicts, orphans and expired grants it cannot prove, in order: last-owner and unconfirmed refusals do not block', () => {
    const refusals: Refusal[] = [
      { kind: 'last-owner', email: 'boss@acme.example', refused: 'removal' },
      { kind: 'orphaned', email: 'o@x.example' },
      { kind: 'unconfirmed', email: 'u@x.example', group: MEMBERS },
      { kind: 'expired-unproven', email: 'e@x.example', expiresOn: '2026-11-27' },
      { kind: 'conflict', email: 'c@x.example', apps: ['default', 'other'] },
    ];
    expect(blockingRefusals({ refusals })).toEqual([
      { kind: 'orphaned', email: 'o@x.example' },
      { kind: 'expired-unproven', email: 'e@x.example', expiresOn: '2026-11-27' },
      { kind: 'conflict', email: 'c@x.example', apps: ['default', 'other'] },
    ]);
    expect(blockingRefusals({ refusals: refusals.filter((r) => r.kind === 'last-owner' || r.kind === 'unconfirmed') })).toEqual([]);
  });
});

describe('PlanError', () => {
  test('is an Error named PlanError carrying its message', () => {
    const e = new PlanError('nope');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('PlanError');
    expect(e.message).toBe('nope');
  });
});

describe('expiry', () => {
  test('a grant ends at 00:00 UTC of its expiry day: expired from that instant on, not a millisecond before', () => {
    const c = { expiresOn: '2026-11-27' };
    expect(isExpiredAt(c, new Date('2026-11-27T00:00:00Z'))).toBe(true);
    expect(isExpiredAt(c, new Date('2026-11-26T23:59:59.999Z'))).toBe(false);
    expect(isExpiredAt({ expiresOn: '2026-12-01' }, NOW)).toBe(false);
  });

  test('no expiry day never expires', () => {
    expect(isExpiredAt({ expiresOn: null }, NOW)).toBe(false);
    expect(isExpiredAt({ expiresOn: null }, new Date('2999-01-01T00:00:00Z'))).toBe(false);
  });

  test('expiredGrants: grants left out at synth and declared ones expired since, email -> day', () => {
    const since = desiredCollaborator('temp@agency.example', READER, { expiresOn: '2026-11-20' });
    const later = desiredCollaborator('later@agency.example', READER, { expiresOn: '2026-12-20' });
    const forever = desiredCollaborator('ana@agency.example', READER);
    const desired = desiredState([since, later, forever], { expired: [{ email: 'old@agency.example', expiresOn: '2026-10-01', path: 'test/old' }] });
    expect([...expiredGrants(desired, NOW)]).toEqual([
      ['old@agency.example', '2026-10-01'],
      ['temp@agency.example', '2026-11-20'],
    ]);
  });

  test('a grant left out at synth is removed as expired, not as undeclared', () => {
    const plan = planReconcile(
      desiredState([], { expired: [{ email: 'old@agency.example', expiresOn: '2026-10-01', path: 'test/old' }] }),
      live({ users: [OWNER, user('old@agency.example', 'Minimal Workspace Access')], own: [recordGroup(MEMBERS, ['old@agency.example'])] }),
      OPTS,
    );
    expect(plan.changes).toEqual([{ kind: 'remove-user', email: 'old@agency.example', userId: 'u_old', reason: 'expired' }]);
  });
});

describe('record groups must hold no permissions', () => {
  const owning = recordGroup(MEMBERS, [], { permissions: onWs('Workspace Owner', 'Source Admin'), id: 'g_m' });
  const legacy = recordGroup('segment-access:0123456789ab', [], { permissions: onWs('Source Read-only'), id: 'g_l' });
  const renamed = recordGroup('segment-access:default:invited:aaaaaaaaaaaa:2026-11-20', [], { permissions: onWs('Workspace Owner'), id: 'g_r', renamedTo: 'ops-team' });
  const others = recordGroup('segment-access:other:members', [], { permissions: onWs('Tracking Plan Read-only'), id: 'g_o' });
  const clean = recordGroup('segment-access:default:invited:bbbbbbbbbbbb:2026-11-20', [], { id: 'g_c' });

  test('own, legacy and other apps\' record groups count; a group renamed away no longer is a record group', () => {
    const state = live({ own: [owning, renamed, clean], legacy: [legacy], others: [others] });
    expect(recordGroupsWithPermissions(state)).toEqual([owning, legacy, others]);
  });

  test('describes a group by name, id and every role it holds', () => {
    expect(describeRecordGroupPermissions(live({}), owning)).toBe(`"${MEMBERS}" (id g_m) holds Source Admin, Workspace Owner`);
  });

  test('aborts naming every offending group, before any write', () => {
    const state = live({ users: [OWNER], own: [owning, clean], legacy: [legacy] });
    expect(() => checkRecordGroupsHoldNoPermissions(live({ own: [clean, renamed] }))).not.toThrow();
    const e = thrown(() => planReconcile(desiredState([]), state, OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(
      `Record group(s) with permissions in workspace Acme Test (${WS_ID}): "${MEMBERS}" (id g_m) holds Source Admin, Workspace Owner; ` +
        '"segment-access:0123456789ab" (id g_l) holds Source Read-only. Nothing was changed, and no one is added to such a group. ' +
        RECORD_GROUP_PERMISSIONS_FIX,
    );
    expect(RECORD_GROUP_PERMISSIONS_FIX).toBe(
      'Record groups must hold no permissions: everyone recorded in one would inherit them. Remove the permissions ' +
        '(Settings > Access Management > User Groups > the group > Permissions, or PUT /groups/{id}/permissions with an empty list), then deploy again.',
    );
  });
});

describe('checks that abort a plan', () => {
  test('unknown roles: every missing name, sorted and quoted, with the roles the workspace has', () => {
    const desired = desiredState([desiredCollaborator('a@agency.example', onWorkspace('Zeta Role', 'Minimal Workspace Access'))], { groupGrants: [grant('Eng', onWorkspace('Alpha Role'))] });
    const e = thrown(() => planReconcile(desired, live({ groups: [group('Eng')] }), OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(
      `Role(s) "Alpha Role", "Zeta Role" do not exist in workspace ${WS_ID} (GET /roles lists: Minimal Workspace Access, Source Admin, Source Read-only, Tracking Plan Read-only, Workspace Owner). ` +
        "Nothing was changed. Fix the role names in the workspace's rolePresets.",
    );
  });

  const labelled = (...labels: string[]): DesiredPermission[] => [
    { roleName: 'Source Read-only', resources: [{ type: ResourceType.WORKSPACE, id: WS_ID, labels: labels.map((l) => ({ key: l.split(':')[0], value: l.split(':')[1] })) }] },
  ];

  test('unknown labels: every missing one, sorted, with the labels the workspace has (sorted)', () => {
    const desired = desiredState([desiredCollaborator('a@agency.example', labelled('zone:z', 'env:a'))], { groupGrants: [grant('Eng', labelled('area:x'))] });
    const state: LiveState = { ...live({ groups: [group('Eng')] }), labels: new Set(['team:b', 'env:a']) };
    const e = thrown(() => planReconcile(desired, state, OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(
      `Label(s) "area:x", "zone:z" do not exist in workspace Acme Test (${WS_ID}) (GET /labels lists: env:a, team:b). Nothing was changed. ` +
        'Create the label in Segment (Settings > Admin > Labels) and assign it to the sources, or fix the SourceAccess labels.',
    );
  });

  test('unknown labels in a workspace without any: the list reads "none"', () => {
    const desired = desiredState([desiredCollaborator('a@agency.example', labelled('env:a'))]);
    expect(() => planReconcile(desired, { ...live({}), labels: new Set<string>() }, OPTS)).toThrow(
      `Label(s) "env:a" do not exist in workspace Acme Test (${WS_ID}) (GET /labels lists: none). Nothing was changed. `,
    );
  });

  test('missing user groups: every one named, quoted', () => {
    const desired = desiredState([], { groupGrants: [grant('Eng', READER), grant('Present', READER), grant('Ops', ADMIN)] });
    const e = thrown(() => planReconcile(desired, live({ groups: [group('Present', onWs('Minimal Workspace Access', 'Source Read-only'))] }), OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(
      `User group(s) "Eng", "Ops" not found in workspace Acme Test (${WS_ID}). ` +
        'Nothing was changed. Provision the group in your identity provider (SCIM) first, then deploy again; check the name matches exactly.',
    );
  });

  test('user groups whose id this code cannot record: every one named with its id, before any write; a recordable one is not named', () => {
    const desired = desiredState([], { groupGrants: [grant('Eng', READER), grant('Ops', READER), grant('Web', ADMIN)] });
    const long = 'x'.repeat(33);
    const state = live({ users: [OWNER], groups: [group('Eng', [], 'g_Eng-1'), group('Ops', [], 'ops id'), group('Web', [], long)] });
    const e = thrown(() => planReconcile(desired, state, OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(
      `User group(s) "Ops" (id ops id), "Web" (id ${long}) have an id this code cannot record ` +
        '(expected up to 32 letters, digits, "_" or "-", as Segment\'s ids are). Nothing was changed. Report this with the id; grant the group by hand meanwhile.',
    );
    expect(() => planReconcile(desiredState([], { groupGrants: [grant('Eng', READER)] }), state, OPTS)).not.toThrow();
  });

  test('a Team workspace: both problems are named, joined by "and"', () => {
    const team = new RoleCatalog([
      { id: 'r_owner', name: 'Workspace Owner' },
      { id: 'r_source_admin', name: 'Source Admin' },
    ]);
    const state: LiveState = { ...live({}), roles: team, planTier: team.planTier };
    const sourceAdmin = [{ roleName: 'Source Admin', resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] }];
    const e = thrown(() => planReconcile(desiredState([], { groupGrants: [grant('Eng', sourceAdmin)] }), state, OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(
      `Workspace Acme Test (${WS_ID}) is on a Team plan, but it is not authoritative (set authoritative: true and list members to keep in retainEmails) ` +
        'and it declares 1 group grant(s) (user groups are a Business-plan feature). Nothing was changed. ' +
        'Declare planTier: PlanTier.TEAM on the workspace and fix the definition (synth then checks it).',
    );
  });
});

describe('seats', () => {
  const a = desiredCollaborator('a@agency.example', READER);
  const b = desiredCollaborator('b@agency.example', READER);

  test('seats in use count users and pending invites, a pending invite of an existing user once', () => {
    // Users boss, old (managed, undeclared); invites: old (again), p1 (managed, undeclared), p2 (stranger).
    const state = live({
      users: [OWNER, user('old@agency.example', 'Minimal Workspace Access')],
      invites: ['old@agency.example', 'p1@agency.example', 'p2@else.example'],
      own: [recordGroup(MEMBERS, ['old@agency.example', 'p1@agency.example'])],
    });
    const plan = planReconcile(desiredState([a, b], {}, 10), state, OPTS);
    expect(plan.changes.map((c) => `${c.kind}:${'email' in c ? c.email : ''}`)).toEqual([
      'invite:a@agency.example',
      'invite:b@agency.example',
      'remove-user:old@agency.example',
      'cancel-invite:p1@agency.example',
    ]);
    // 2 users + 2 invites of non-users = 4; 2 freed, 2 invited.
    expect(plan.seats).toEqual({ before: 4, after: 4, limit: 10 });
  });

  test('a re-permission or re-invite neither takes nor frees a seat', () => {
    const pending = desiredCollaborator('p@agency.example', ADMIN);
    const plan = planReconcile(
      desiredState([desiredCollaborator('ana@agency.example', ADMIN), pending], {}, 3),
      live({ users: [OWNER, user('ana@agency.example', 'Minimal Workspace Access')], invites: [pending.email], own: [recordGroup(MEMBERS, ['ana@agency.example'])] }),
      OPTS,
    );
    expect(plan.changes.map((c) => c.kind)).toEqual(['repermission', 'reinvite']);
    expect(plan.seats).toEqual({ before: 3, after: 3, limit: 3 });
  });

  test('over the limit with invites: aborts with the exact arithmetic', () => {
    const state = live({ users: [OWNER, user('old@agency.example', 'Minimal Workspace Access')], own: [recordGroup(MEMBERS, ['old@agency.example'])] });
    const e = thrown(() => planReconcile(desiredState([a, b], {}, 2), state, OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(
      `Seat limit exceeded in workspace Acme Test (${WS_ID}): 2 seats in use, 2 to invite, 1 to free = 3, above the limit of 2. Nothing was changed. ` +
        'Remove collaborators from the definition, let temporary access expire, or raise seatLimit after buying seats.',
    );
  });

  // Found by __tests__/properties/seats-and-last-owner.test.ts (FC_NUM_RUNS=200 FC_SEED=26638): a
  // workspace already over its limit, a pending invite whose permissions changed; the apply deleted the
  // invite, and a seat-enforcing Segment refused to send it again.
  test('over the limit with only an invite to re-send: aborts before deleting it', () => {
    const pending = desiredCollaborator('p@agency.example', ADMIN);
    const state = live({ users: [OWNER, user('x@else.example', 'Minimal Workspace Access')], invites: [pending.email], own: [recordGroup(MEMBERS, ['p@agency.example'])] });
    const e = thrown(() => planReconcile(desiredState([pending], {}, 2), state, OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toContain('3 seats in use, 0 to invite, 1 to re-send (each takes its seat again), 0 to free = 3, above the limit of 2. Nothing was changed.');
  });

  test('over the limit: the note names the removals this run refuses and the invites an interrupted run may have sent, not conflicts', () => {
    // boss: the last owner, recorded and undeclared (removal refused); p: a pending invite nobody records,
    // left by an interrupted run (its intent still there, no trail); Eng: a group another app also grants
    // (a conflict, which frees no seat either way); a renamed dated record (other damage, names no one).
    const intent = 'segment-access:default:intent:20261127T100000Z:aaaaaaaaaaaa';
    const state = live({
      users: [OWNER],
      invites: ['p@else.example'],
      groups: [group('Eng', onWs('Source Admin'))],
      own: [
        recordGroup(MEMBERS, [OWNER.email]),
        recordGroup(intent),
        recordGroup('segment-access:default:invited:eeeeeeeeeeee:2026-11-20', [], { renamedTo: 'scratch' }),
      ],
      others: [recordGroup('segment-access:zeta:group-grant:Eng')],
    });
    const e = thrown(() => planReconcile(desiredState([a], { groupGrants: [grant('Eng', READER)] }, 2), state, OPTS));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(
      `Seat limit exceeded in workspace Acme Test (${WS_ID}): 2 seats in use, 1 to invite, 0 to free = 3, above the limit of 2. ` +
        'Not freed, because this run refuses to remove them: boss@acme.example (last-owner), p@else.example (unattributed); ' +
        'remove them in Segment by hand if their access should end. Nothing was changed. ' +
        'Remove collaborators from the definition, let temporary access expire, or raise seatLimit after buying seats.',
    );
  });

  test('exactly at the limit is allowed', () => {
    const plan = planReconcile(desiredState([a], {}, 2), live({ users: [OWNER] }), OPTS);
    expect(plan.seats).toEqual({ before: 1, after: 2, limit: 2 });
  });

  test('already over the limit but inviting no one: not refused (removals and re-permissions still go ahead)', () => {
    const state = live({ users: [OWNER, user('x@else.example', 'Minimal Workspace Access'), user('y@else.example', 'Minimal Workspace Access')] });
    const plan = planReconcile(desiredState([desiredCollaborator('x@else.example', READER)], {}, 1), state, OPTS);
    expect(plan.changes.map((c) => c.kind)).toEqual(['repermission']);
    expect(plan.seats).toEqual({ before: 3, after: 3, limit: 1 });
  });

  test('under the limit after inviting: allowed', () => {
    const plan = planReconcile(desiredState([a], {}, 5), live({ users: [OWNER] }), OPTS);
    expect(plan.seats).toEqual({ before: 1, after: 2, limit: 5 });
  });
});

describe('the plan\'s summary fields', () => {
  test('workspace, app and intent: named from the declared collaborators in force', () => {
    const c = desiredCollaborator('ana@agency.example', READER);
    const temp = desiredCollaborator('temp@agency.example', READER, { expiresOn: '2026-11-01' });
    const desired = desiredState([c, temp], { management: { recordPrefix: 'segment-access', appId: 'billing', useAuditTrail: true, authoritative: false, retain: [] } });
    const plan = planReconcile(desired, live({ users: [OWNER] }), OPTS);
    expect(plan.workspace).toEqual({ id: WS_ID, name: 'Acme Test' });
    expect(plan.app).toBe('billing');
    const digest = intentDigest([c]);
    expect(digest).not.toBe(intentDigest([]));
    expect(plan.intent).toEqual({ kind: 'intent', app: 'billing', startedAt: '20261127T120000Z', digest });
  });

  test('pending intents: own, unrenamed intents that this run does not resolve (younger than the audit delay)', () => {
    const young = 'segment-access:default:intent:20261127T115500Z:aaaaaaaaaaaa';
    const old = 'segment-access:default:intent:20261127T100000Z:bbbbbbbbbbbb';
    const renamed = 'segment-access:default:intent:20261127T115800Z:cccccccccccc';
    const plan = planReconcile(
      desiredState([]),
      live({ users: [OWNER], own: [recordGroup(MEMBERS, []), recordGroup(young), recordGroup(old), recordGroup(renamed, [], { renamedTo: 'scratch' })] }),
      { now: NOW, auditDelayMs: 30 * 60_000 },
    );
    expect(plan.pendingIntents).toEqual([young]);
    expect(plan.recordOps).toEqual([{ kind: 'delete-record', name: old, groupId: `g_${old}` }]);
  });

  test('trust: a Business workspace keeps a record; with the audit trail read, the actors it proves are named', () => {
    const state = live({ users: [OWNER], events: [], actors: ['token:deploy'] });
    const plan = planReconcile(desiredState([]), state, OPTS);
    const proven = state.auditTrail.state === 'read' ? state.auditTrail.evidence.provenActors : null;
    expect(proven).toEqual([expect.objectContaining({ actor: 'token:deploy' })]);
    expect(plan.trust).toEqual({ recordKept: true, keyVariable: 'SEGMENT_ACCESS_RECORD_KEY', keyHeld: true, rotating: false, actors: proven });
  });

  test('trust: with the audit trail off, no actor is proven (null, not an empty list)', () => {
    expect(planReconcile(desiredState([]), live({ users: [OWNER] }), OPTS).trust).toEqual({
      recordKept: true,
      keyVariable: 'SEGMENT_ACCESS_RECORD_KEY',
      keyHeld: true,
      rotating: false,
      actors: null,
    });
  });

  test('no pending intents: an empty list', () => {
    expect(planReconcile(desiredState([]), live({ users: [OWNER], own: [recordGroup(MEMBERS, [])] }), OPTS).pendingIntents).toEqual([]);
  });
});

describe('Team plan warnings', () => {
  const team = new RoleCatalog([
    { id: 'r_owner', name: 'Workspace Owner' },
    { id: 'r_source_admin', name: 'Source Admin' },
  ]);
  const sourceAdmin = [{ roleName: 'Source Admin', resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] }];
  const authoritative = { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: true, retain: ['boss@acme.example'] } };
  const teamLive = (invites: string[]): LiveState => ({
    ...live({ users: [{ id: 'u_boss', name: 'Boss', email: 'boss@acme.example', permissions: [{ roleId: 'r_owner', roleName: 'Workspace Owner', resources: [{ id: WS_ID, type: 'WORKSPACE' }] }] }], invites }),
    roles: team,
    planTier: team.planTier,
  });

  test('a Team run with only new invites warns of nothing, and has no intent', () => {
    const plan = planReconcile(desiredState([desiredCollaborator('ana@agency.example', sourceAdmin)], authoritative), teamLive([]), OPTS);
    expect(plan.changes.map((c) => c.kind)).toEqual(['invite']);
    expect(plan.warnings).toEqual([]);
    expect(plan.intent).toBeNull();
    expect(plan.recordOps).toEqual([]);
  });

  test('a Team run that re-issues an invite warns once, with the exact text', () => {
    const pending = desiredCollaborator('bo@agency.example', sourceAdmin);
    const plan = planReconcile(desiredState([pending], authoritative), teamLive([pending.email]), OPTS);
    expect(plan.changes).toEqual([expect.objectContaining({ kind: 'reinvite', email: pending.email, reason: TEAM_REINVITE_REASON })]);
    expect(plan.warnings).toEqual([
      'Team plan: pending invites are re-issued on every run that writes, because without user groups their permissions cannot be recorded; they are unchanged once accepted.',
    ]);
  });

  test('a Team workspace keeps no record: the plan\'s trust says so', () => {
    const plan = planReconcile(desiredState([desiredCollaborator('ana@agency.example', sourceAdmin)], authoritative), teamLive([]), OPTS);
    expect(plan.trust.recordKept).toBe(false);
  });

  test('a Business run that re-issues an invite carries no Team warning', () => {
    const pending = desiredCollaborator('bo@agency.example', READER);
    const plan = planReconcile(desiredState([pending]), live({ users: [OWNER], invites: [pending.email] }), OPTS);
    expect(plan.changes.map((c) => c.kind)).toEqual(['reinvite']);
    expect(plan.warnings).toEqual([]);
  });
});
