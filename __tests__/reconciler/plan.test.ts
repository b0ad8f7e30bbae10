import { createRecord } from '../support/plan-world';
import { PlanTier, ResourceType } from '../../model/enums';
import { RoleCatalog } from '../../reconciler/permissions';
import type { LiveState } from '../../reconciler/live-state';
import { AccessChange, FOLD_AT_GROUPS, PlanError, planReconcile, TEAM_REINVITE_REASON } from '../../reconciler/plan';
import { planToJson, renderPlanTable } from '../../reconciler/render';
import type { LiveGroup, LivePermission, LiveUser } from '../../reconciler/segment-port';
import { desiredCollaborator, desiredState, onWorkspace, WS_ID } from '../support/desired';
import { catalog, live as liveState, recordGroup, ROLES, user } from '../support/live';

const idOf = (name: string) => catalog.idOf(name)!;

const NOW = { now: new Date('2026-11-27T12:00:00Z') };
const dated = (fp: string) => `segment-access:default:invited:${fp}:2026-11-20`;
const members = 'segment-access:default:members';

/** Records keyed by fingerprint: people this app invited on 2026-11-20 with that permission set. */
function live(parts: { users?: LiveUser[]; invites?: string[]; records?: Record<string, string[]>; groups?: LiveGroup[] }): LiveState {
  return liveState({ ...parts, own: Object.entries(parts.records ?? {}).map(([fp, emails]) => recordGroup(dated(fp), emails, { id: `g_${fp}` })) });
}

const READER = onWorkspace('Minimal Workspace Access', 'Source Read-only');
const ADMIN = onWorkspace('Minimal Workspace Access', 'Source Admin');

describe('planReconcile', () => {
  test('a user whose permissions already match is unchanged; no writes planned', () => {
    const c = desiredCollaborator('ana@agency.example', READER);
    const plan = planReconcile(desiredState([c]), live({ users: [user(c.email, 'Minimal Workspace Access', 'Source Read-only')], records: { [c.fingerprint]: [c.email] } }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([]);
    expect(plan.unchanged).toBe(1);
  });

  test('a role change is an in-place re-permission of the same user id; the record does not move (users are recorded without a permission set)', () => {
    const old = desiredCollaborator('ana@agency.example', READER);
    const c = desiredCollaborator('ana@agency.example', ADMIN);
    const plan = planReconcile(desiredState([c]), live({ users: [user(c.email, 'Minimal Workspace Access', 'Source Read-only')], records: { [old.fingerprint]: [c.email] } }), NOW);
    expect(plan.changes).toEqual([expect.objectContaining({ kind: 'repermission', userId: 'u_ana', email: c.email })]);
    expect(plan.recordOps).toEqual([]);
  });

  test('a pending invite recorded with other permissions is re-issued; one recorded with the same is left alone', () => {
    const before = desiredCollaborator('bo@agency.example', READER);
    const changed = desiredCollaborator('bo@agency.example', ADMIN);
    const same = desiredCollaborator('cy@agency.example', READER);
    const plan = planReconcile(
      desiredState([changed, same]),
      live({ invites: [changed.email, same.email], records: { [before.fingerprint]: [changed.email, same.email] } }),
      NOW,
    );
    expect(plan.changes).toEqual([expect.objectContaining({ kind: 'reinvite', email: changed.email, reason: 'declared permissions changed while the invite was pending' })]);
    expect(plan.unchanged).toBe(1);
  });

  test('managed but undeclared, or expired, is removed; unmanaged users are never touched', () => {
    const gone = desiredCollaborator('gone@agency.example', READER);
    const expired = desiredCollaborator('temp@agency.example', READER, { expiresOn: '2026-11-27' });
    const plan = planReconcile(
      desiredState([expired]),
      live({
        users: [user(gone.email, 'Minimal Workspace Access'), user(expired.email, 'Minimal Workspace Access'), user('boss@acme.example', 'Workspace Owner')],
        invites: ['pending@agency.example', 'stranger@else.example'],
        records: { [gone.fingerprint]: [gone.email, expired.email, 'pending@agency.example'] },
      }),
      NOW,
    );
    expect(plan.changes).toEqual([
      { kind: 'remove-user', email: gone.email, userId: 'u_gone', reason: 'not declared' },
      { kind: 'remove-user', email: expired.email, userId: 'u_temp', reason: 'expired' },
      { kind: 'cancel-invite', email: 'pending@agency.example', reason: 'not declared' },
    ]);
    expect(plan.recordOps).toEqual([{ kind: 'delete-record', name: dated(gone.fingerprint), groupId: `g_${gone.fingerprint}` }]);
  });

  test('authoritative removes everyone undeclared except the retained and the last owner', () => {
    const plan = planReconcile(
      desiredState([], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: true, retain: ['breakglass@acme.example'] } }),
      live({ users: [user('boss@acme.example', 'Workspace Owner'), user('breakglass@acme.example', 'Workspace Owner'), user('x@else.example', 'Minimal Workspace Access')] }),
      NOW,
    );
    expect(plan.changes.every((c) => c.kind === 'remove-user' && c.reason === 'not declared (authoritative workspace)')).toBe(true);
    expect(plan.changes.map((c) => ('email' in c ? c.email : '')).sort()).toEqual(['boss@acme.example', 'x@else.example']);
  });

  test('the last Workspace Owner is never removed, with a warning', () => {
    const owner = desiredCollaborator('boss@acme.example', onWorkspace('Workspace Owner'));
    const plan = planReconcile(desiredState([]), live({ users: [user(owner.email, 'Workspace Owner')], records: { [owner.fingerprint]: [owner.email] } }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.warnings[0]).toContain('boss@acme.example holds the last Workspace Owner role');
    expect(plan.refusals).toEqual([{ kind: 'last-owner', email: 'boss@acme.example', refused: 'removal' }]);
  });

  test('fails: a seat limit that would be exceeded aborts the plan', () => {
    const a = desiredCollaborator('a@agency.example', READER);
    const b = desiredCollaborator('b@agency.example', READER);
    expect(() => planReconcile(desiredState([a, b], {}, 2), live({ users: [user('boss@acme.example', 'Workspace Owner')] }), NOW)).toThrow(
      /Seat limit exceeded .*1 seats in use, 2 to invite, 0 to free = 3, above the limit of 2\. Nothing was changed/,
    );
  });

  test('fails: a role name missing from the workspace catalog aborts before any write', () => {
    const c = desiredCollaborator('a@agency.example', onWorkspace('Galaxy Admin'));
    expect(() => planReconcile(desiredState([c]), live({}), NOW)).toThrow(PlanError);
  });

  test('a declared user not yet recorded is adopted: recorded, and permissions fixed if they differ', () => {
    const c = desiredCollaborator('ana@agency.example', READER);
    const plan = planReconcile(desiredState([c]), live({ users: [user(c.email, 'Minimal Workspace Access', 'Source Read-only')] }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.recordOps).toEqual([
      createRecord(members),
      { kind: 'record-add', name: members, emails: [c.email] },
    ]);
  });
});

describe('record compaction', () => {
  const c = desiredCollaborator('ana@agency.example', READER);
  const accepted = live({ users: [user(c.email, 'Minimal Workspace Access', 'Source Read-only')], records: { [c.fingerprint]: [c.email] } });

  test('a no-change run leaves dated records alone: zero writes', () => {
    const plan = planReconcile(desiredState([c]), accepted, NOW);
    expect(plan.recordOps).toEqual([]);
  });

  test('a run that writes only re-permissions does not fold (writes are what Segment limits)', () => {
    const plan = planReconcile(desiredState([desiredCollaborator(c.email, ADMIN)]), accepted, NOW);
    expect(plan.changes.map((x) => x.kind)).toEqual(['repermission']);
    expect(plan.recordOps).toEqual([]);
  });

  test(`once ${FOLD_AT_GROUPS} dated records hold only accepted people, a run that writes anyway folds them`, () => {
    const people = Array.from({ length: FOLD_AT_GROUPS }, (_, i) => desiredCollaborator(`p${i}@agency.example`, onWorkspace('Minimal Workspace Access', i % 2 ? 'Source Read-only' : 'Source Admin')));
    const many = liveState({
      users: people.map((p) => user(p.email, 'Minimal Workspace Access')),
      own: people.map((p, i) => recordGroup(`segment-access:default:invited:${p.fingerprint}:2026-11-${String(i + 1).padStart(2, '0')}`, [p.email])),
    });
    const plan = planReconcile(desiredState(people), many, NOW);
    expect(plan.recordOps.filter((o) => o.kind === 'delete-record')).toHaveLength(FOLD_AT_GROUPS);
    expect(plan.recordOps).toContainEqual({ kind: 'record-add', name: members, emails: people.map((p) => p.email).sort() });
  });

  test('a run that records new invites folds a dated record whose members all accepted into the members record', () => {
    const newcomer = desiredCollaborator('bo@agency.example', ADMIN);
    const plan = planReconcile(desiredState([c, newcomer]), accepted, NOW);
    expect(plan.recordOps).toEqual(
      expect.arrayContaining([
        createRecord(members),
        { kind: 'record-add', name: members, emails: [c.email] },
        { kind: 'delete-record', name: dated(c.fingerprint), groupId: `g_${c.fingerprint}` },
      ]),
    );
  });

  test('a dated record with a pending invite keeps its day (invite age is read from it)', () => {
    const pending = live({ invites: [c.email], records: { [c.fingerprint]: [c.email] } });
    const plan = planReconcile(desiredState([c, desiredCollaborator('bo@agency.example', ADMIN)]), pending, NOW);
    expect(plan.recordOps.some((op) => op.kind === 'delete-record')).toBe(false);
  });
});

describe('adoption (the first deploy of an imported definition)', () => {
  const c = desiredCollaborator('ana@agency.example', READER);
  const other = desiredCollaborator('bo@agency.example', ADMIN);
  const liveUsers = [user(c.email, 'Minimal Workspace Access', 'Source Read-only'), user(other.email, 'Minimal Workspace Access', 'Source Read-only')];

  test('a member already as declared but not yet recorded is adopted: no access change, only the record is written', () => {
    const plan = planReconcile(desiredState([c]), live({ users: liveUsers }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan).toMatchObject({ unchanged: 1, adopted: 1 });
    expect(plan.recordOps).toEqual([
      createRecord('segment-access:default:members'),
      { kind: 'record-add', name: 'segment-access:default:members', emails: [c.email] },
    ]);
    const table = renderPlanTable(plan);
    expect(table).toContain('Adoption: 1 adopted, 0 invited, 0 re-permissioned, 0 removed');
    expect(table).toContain('No access changes');
    expect(planToJson(plan)).toMatchObject({ adopted: 1, hasChanges: true });
  });

  test('once recorded it is merely unchanged; a member whose permissions differ is re-permissioned, not adopted', () => {
    const recorded = planReconcile(desiredState([c]), live({ users: liveUsers, records: { [c.fingerprint]: [c.email] } }), NOW);
    expect(recorded).toMatchObject({ unchanged: 1, adopted: 0 });
    expect(renderPlanTable(recorded)).not.toContain('Adoption:');
    const differs = planReconcile(desiredState([c, other]), live({ users: liveUsers }), NOW);
    expect(differs).toMatchObject({ unchanged: 1, adopted: 1 });
    expect(differs.changes.map((x) => `${x.kind}:${'email' in x ? x.email : ''}`)).toEqual([`repermission:${other.email}`]);
    expect(renderPlanTable(differs)).toContain('Adoption: 1 adopted, 0 invited, 1 re-permissioned, 0 removed');
  });

  test('a group grant already as declared is adopted until its record exists', () => {
    const group: LiveGroup = { id: 'g_eng', name: 'Engineers', memberCount: 3, permissions: user('x@y.example', 'Minimal Workspace Access', 'Source Read-only').permissions };
    const grant = { ...desiredCollaborator('unused@x.example', READER), groupName: 'Engineers' };
    const { email: _e, displayName: _d, organization: _o, kind: _k, expiresOn: _x, ...body } = grant;
    const plan = planReconcile(desiredState([], { groupGrants: [body] }), live({ groups: [group] }), NOW);
    expect(plan).toMatchObject({ unchanged: 1, adopted: 1, changes: [] });
    // Recorded by the group's id (not its name), signed when written.
    expect(plan.recordOps).toEqual([{ kind: 'create-record', name: 'segment-access:default:group-grant:g_eng', record: { kind: 'group-grant', app: 'default', groupId: 'g_eng' } }]);
  });
});

describe('label-scoped permissions', () => {
  const scoped = (labels: { key: string; value: string }[]) => [
    { roleName: 'Minimal Workspace Access', resources: [{ type: ResourceType.WORKSPACE, id: WS_ID, labels: [] }] },
    { roleName: 'Source Read-only', resources: [{ type: ResourceType.WORKSPACE, id: WS_ID, labels }] },
  ];
  const PROD = [{ key: 'environment', value: 'prod' }];

  function liveUser(email: string, sourceRead: Partial<LivePermission>): LiveUser {
    return {
      id: 'u_ana',
      name: email,
      email,
      permissions: [
        { roleId: idOf('Minimal Workspace Access'), roleName: 'Minimal Workspace Access', resources: [{ id: WS_ID, type: 'WORKSPACE' }] },
        { roleId: idOf('Source Read-only'), roleName: 'Source Read-only', resources: [{ id: WS_ID, type: 'WORKSPACE' }], ...sourceRead },
      ],
    };
  }

  test('a live label-scoped permission differs from a workspace-wide one, wherever Segment puts the labels', () => {
    const wide = desiredCollaborator('ana@agency.example', scoped([]));
    const onResource = liveUser(wide.email, { resources: [{ id: WS_ID, type: 'WORKSPACE', labels: PROD }] });
    const onPermission = liveUser(wide.email, { labels: PROD });
    for (const user of [onResource, onPermission]) {
      const plan = planReconcile(desiredState([wide]), live({ users: [user], records: { [wide.fingerprint]: [wide.email] } }), NOW);
      expect(plan.changes).toEqual([expect.objectContaining({ kind: 'repermission', email: wide.email })]);
      const change = plan.changes[0] as Extract<AccessChange, { kind: 'repermission' }>;
      expect(change.before.find((p) => p.roleName === 'Source Read-only')!.resources[0].labels).toEqual(PROD);
      expect(renderPlanTable(plan)).toContain('was: Minimal Workspace Access on workspace; Source Read-only on workspace [environment=prod] | now: Minimal Workspace Access on workspace; Source Read-only on workspace');
    }
  });

  test('a declared label-scoped permission matches the same live one and differs from another label', () => {
    const c = desiredCollaborator('ana@agency.example', scoped(PROD));
    const same = planReconcile(desiredState([c]), live({ users: [liveUser(c.email, { labels: PROD })], records: { [c.fingerprint]: [c.email] } }), NOW);
    expect(same.changes).toEqual([]);
    const other = liveUser(c.email, { labels: [{ key: 'environment', value: 'staging' }] });
    expect(planReconcile(desiredState([c]), live({ users: [other], records: { [c.fingerprint]: [c.email] } }), NOW).changes).toHaveLength(1);
  });

  test('fails: a declared label the workspace does not have (GET /labels), before any write', () => {
    const c = desiredCollaborator('ana@agency.example', scoped(PROD));
    const state = { ...live({}), labels: new Set(['environment:staging']) };
    expect(() => planReconcile(desiredState([c]), state, NOW)).toThrow(PlanError);
    expect(() => planReconcile(desiredState([c]), state, NOW)).toThrow(/Label\(s\) "environment:prod" do not exist .*GET \/labels lists: environment:staging\)\. Nothing was changed\./);
    expect(planReconcile(desiredState([c]), { ...state, labels: new Set(['environment:prod']) }, NOW).changes).toHaveLength(1);
  });
});

describe('Team plan', () => {
  const TEAM_CATALOG = new RoleCatalog([
    { id: 'r_owner', name: 'Workspace Owner' },
    { id: 'r_source_admin', name: 'Source Admin' },
  ]);
  const SOURCE_ADMIN = [{ roleName: 'Source Admin', resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] }];
  const teamLive = (parts: Parameters<typeof live>[0]): LiveState => ({ ...live(parts), roles: TEAM_CATALOG, planTier: TEAM_CATALOG.planTier });
  const authoritative = { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: true, authoritative: true, retain: ['boss@acme.example'] } };

  test('the catalog tells the plan: only Workspace Owner and Source Admin is Team; a Business-tier role is Business', () => {
    expect(TEAM_CATALOG.planTier).toBe(PlanTier.TEAM);
    expect(new RoleCatalog([...ROLES, { id: 'x', name: 'Workspace Member' }]).planTier).toBe(PlanTier.BUSINESS);
    // Docs disagree on whether Team lists Workspace Member or Function roles: they do not make it Business.
    expect(new RoleCatalog([{ id: 'a', name: 'Workspace Owner' }, { id: 'b', name: 'Source Admin' }, { id: 'c', name: 'Workspace Member' }, { id: 'd', name: 'Function Admin' }]).planTier).toBe(PlanTier.TEAM);
  });

  test('invites with no record writes, re-issues pending invites (their permissions cannot be read) and removes the undeclared', () => {
    const c = desiredCollaborator('ana@agency.example', SOURCE_ADMIN);
    const pending = desiredCollaborator('bo@agency.example', SOURCE_ADMIN);
    const plan = planReconcile(
      desiredState([c, pending], authoritative),
      teamLive({ users: [{ id: 'u_boss', name: 'Boss', email: 'boss@acme.example', permissions: [{ roleId: 'r_owner', roleName: 'Workspace Owner', resources: [{ id: WS_ID, type: 'WORKSPACE' }] }] }, { id: 'u_x', name: 'X', email: 'x@else.example', permissions: [] }], invites: [pending.email] }),
      NOW,
    );
    expect(plan.recordOps).toEqual([]);
    expect(plan.changes).toEqual([
      expect.objectContaining({ kind: 'invite', email: c.email }),
      expect.objectContaining({ kind: 'reinvite', email: pending.email, reason: TEAM_REINVITE_REASON }),
      { kind: 'remove-user', email: 'x@else.example', userId: 'u_x', reason: 'not declared (authoritative workspace)' },
    ]);
    expect(plan.warnings.join('\n')).toMatch(/Team plan: pending invites are re-issued/);
  });

  test('fails: a Team workspace declared non-authoritative or with group grants', () => {
    expect(() => planReconcile(desiredState([]), teamLive({}), NOW)).toThrow(/is on a Team plan, but it is not authoritative .* Nothing was changed\./);
    const withGroup = desiredState([], { ...authoritative, groupGrants: [{ ...desiredCollaborator('x@y.example', SOURCE_ADMIN), groupName: 'Eng' } as never] });
    expect(() => planReconcile(withGroup, teamLive({}), NOW)).toThrow(/declares 1 group grant\(s\) \(user groups are a Business-plan feature\)/);
  });
});
