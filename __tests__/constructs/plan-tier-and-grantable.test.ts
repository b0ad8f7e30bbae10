import { AccessLevel, PlanTier, ResourceType, WorkspaceRole } from '../../model/enums';
import { DesiredStateSchema } from '../../model/desired-state';
import { SegmentRoleName as R } from '../../model/role-presets';
import { directoryOf, validatePermissions } from '../../emulator/permissions';
import { findRoleByName } from '../../emulator/roles';
import { collaborator, workspace } from '../support/fixtures';
import { testStack } from '../support/synth';
import { errorOf } from '../support/validation';

const TEAM = { planTier: PlanTier.TEAM, authoritative: true, retainEmails: ['owner@acme.example'] };

/** Would the emulator, which follows Segment's published role scopes, accept these permissions? */
function segmentAccepts(permissions: ReturnType<ReturnType<typeof workspace>['desiredState']>['collaborators'][number]['permissions'], tier: 'business' | 'team') {
  const directory = directoryOf({
    id: 'ws_test_1',
    planTier: tier,
    sources: [{ id: 'src_web', labels: { environment: 'prod' } }, { id: 'src_ios', labels: { environment: 'prod' } }, { id: 'src_lab', labels: { environment: 'staging' } }],
    warehouses: [{ id: 'wh_snow' }],
  });
  const inputs = permissions.map((p) => ({ roleId: findRoleByName(p.roleName)!.id, resources: p.resources }));
  return validatePermissions(inputs, directory, 'permissions');
}

describe('every default preset produces only permissions Segment grants', () => {
  const cases: Array<[string, WorkspaceRole, Parameters<ReturnType<typeof workspace>['addGrant']>[1]['sourceAccess']]> = [
    ['OWNER', WorkspaceRole.OWNER, {}],
    ['ADMIN', WorkspaceRole.ADMIN, {}],
    ['ADMIN naming a warehouse (a record only)', WorkspaceRole.ADMIN, { W: { level: AccessLevel.ADMIN, sources: ['web'], warehouses: ['snowflake'] } }],
    ['MEMBER by source', WorkspaceRole.MEMBER, { S: { level: AccessLevel.ADMIN, sources: ['web', 'ios'] } }],
    ['MEMBER by label', WorkspaceRole.MEMBER, { L: { level: AccessLevel.READ_ONLY, labels: { environment: 'prod' } } }],
    ['MEMBER on all sources and every warehouse', WorkspaceRole.MEMBER, { A: { level: AccessLevel.ADMIN, allSources: true, warehouses: ['snowflake'] } }],
    ['READ_ONLY', WorkspaceRole.READ_ONLY, {}],
    ['READ_ONLY narrowed, every warehouse', WorkspaceRole.READ_ONLY, { N: { level: AccessLevel.READ_ONLY, sources: ['lab'], warehouses: ['snowflake'] } }],
  ];
  test.each(cases)('%s', (_name, role, sourceAccess) => {
    const stack = testStack();
    const w = workspace(stack);
    w.addGrant('G', { collaborator: collaborator(stack, 'G'), role, sourceAccess });
    const [grant] = w.desiredState().collaborators;
    expect(grant.permissions.length).toBeGreaterThan(0);
    expect(() => segmentAccepts(grant.permissions, 'business')).not.toThrow();
    // No preset narrows a role Segment scopes to "all" (warehouses, tracking plans, identity, privacy).
    for (const p of grant.permissions.filter((p) => [R.WAREHOUSE_DESTINATION_ADMIN, R.WAREHOUSE_DESTINATION_READ_ONLY, R.TRACKING_PLAN_READ_ONLY, R.TRACKING_PLAN_ADMIN].includes(p.roleName as never))) {
      expect(p.resources.map((r) => r.type)).toEqual([ResourceType.WORKSPACE]);
    }
  });
});

describe('warehouses: Segment grants warehouse roles on all warehouses only', () => {
  test('fails: a MEMBER naming some but not all warehouses, naming the missing ones', () => {
    const stack = testStack();
    const w = workspace(stack, { warehouses: [{ id: 'wh_snow', name: 'snowflake' }, { id: 'wh_bq', name: 'bigquery' }] });
    w.addGrant('G', { collaborator: collaborator(stack, 'G'), role: WorkspaceRole.MEMBER, sourceAccess: { S: { level: AccessLevel.ADMIN, sources: ['web'], warehouses: ['snowflake'] } } });
    const err = errorOf(() => w.desiredState());
    expect(err.message).toContain('WorkspaceGrant "test/Workspace/G"');
    expect(err.problems[0]).toMatchObject({ field: 'sourceAccess.warehouses', received: 'snowflake' });
    expect(err.message).toMatch(/every warehouse of the catalog \(snowflake, bigquery\)/);
    expect(err.message).toMatch(/Fix: name every warehouse \(snowflake, bigquery\)/);
  });

  test('fails: naming a warehouse without a warehouses catalog', () => {
    const stack = testStack();
    const w = workspace(stack, { warehouses: [] });
    w.addGrant('G', { collaborator: collaborator(stack, 'G'), role: WorkspaceRole.MEMBER, sourceAccess: { S: { level: AccessLevel.ADMIN, sources: ['web'], warehouses: ['wh_anything'] } } });
    expect(errorOf(() => w.desiredState()).message).toMatch(/declares its warehouses catalog/);
  });

  test('fails: a preset override granting a workspace-only role per resource', () => {
    const stack = testStack();
    const w = workspace(stack, { rolePresets: { [WorkspaceRole.MEMBER]: { workspaceRoles: [R.MINIMAL_WORKSPACE_ACCESS], sourceRoles: { [AccessLevel.ADMIN]: R.TRACKING_PLAN_ADMIN }, description: 'Tracking plans per source' } } });
    w.addGrant('G', { collaborator: collaborator(stack, 'G'), role: WorkspaceRole.MEMBER, sourceAccess: { S: { level: AccessLevel.ADMIN, sources: ['web'] } } });
    const err = errorOf(() => w.desiredState());
    expect(err.problems[0]).toMatchObject({ field: 'rolePresets', received: '"Tracking Plan Admin" on SOURCE src_web' });
    expect(err.message).toMatch(/allowed: "Tracking Plan Admin" on WORKSPACE only/);
  });
});

describe('plan tier', () => {
  test('BUSINESS is the default and leaves the desired state as it was; TEAM is recorded', () => {
    const stack = testStack();
    const business = workspace(stack, {}, 'Business');
    expect(business.planTier).toBe(PlanTier.BUSINESS);
    expect('planTier' in business.desiredState().workspace).toBe(false);
    const team = workspace(stack, { ...TEAM, workspaceId: 'ws_team_1' }, 'Team');
    expect(team.planTier).toBe(PlanTier.TEAM);
    expect(DesiredStateSchema.parse(team.desiredState()).workspace.planTier).toBe(PlanTier.TEAM);
  });

  test('fails: an unknown tier names the allowed values', () => {
    const err = errorOf(() => workspace(testStack(), { planTier: 'FREE' as PlanTier }));
    expect(err.problems[0]).toMatchObject({ field: 'planTier', received: 'FREE' });
    expect(err.message).toMatch(/PlanTier.BUSINESS or PlanTier.TEAM/);
  });

  test('fails: a Team workspace that is not authoritative (no user groups, so no record of managed users)', () => {
    const err = errorOf(() => workspace(testStack(), { planTier: PlanTier.TEAM }));
    expect(err.problems[0]).toMatchObject({ field: 'authoritative', received: false });
    expect(err.message).toMatch(/Fix: set authoritative: true and list every member .* in retainEmails/);
  });

  test('Team presets: OWNER, ADMIN (Source Admin on every source), MEMBER (Source Admin on its sources), all grantable on Team', () => {
    const stack = testStack();
    const w = workspace(stack, TEAM);
    w.addGrant('Owner', { collaborator: collaborator(stack, 'Owner'), role: WorkspaceRole.OWNER, justification: 'Break-glass owner for the Team workspace.' });
    w.addGrant('Admin', { collaborator: collaborator(stack, 'Admin'), role: WorkspaceRole.ADMIN, justification: 'Runs every source.' });
    w.addGrant('Member', { collaborator: collaborator(stack, 'Member'), role: WorkspaceRole.MEMBER, sourceAccess: { S: { level: AccessLevel.ADMIN, sources: ['web'] } } });
    const byEmail = new Map(w.desiredState().collaborators.map((c) => [c.email, c.permissions]));
    expect(byEmail.get('owner@agency.example')).toEqual([{ roleName: R.WORKSPACE_OWNER, resources: [{ type: ResourceType.WORKSPACE, id: 'ws_test_1', labels: [] }] }]);
    expect(byEmail.get('admin@agency.example')).toEqual([{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.WORKSPACE, id: 'ws_test_1', labels: [] }] }]);
    expect(byEmail.get('member@agency.example')).toEqual([{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] }]);
    for (const permissions of byEmail.values()) expect(() => segmentAccepts(permissions, 'team')).not.toThrow();
  });

  test('fails: READ_ONLY on a Team plan, naming the roles the plan has and the fix', () => {
    const stack = testStack();
    const w = workspace(stack, TEAM);
    const err = errorOf(() => w.addGrant('Reader', { collaborator: collaborator(stack, 'Reader'), role: WorkspaceRole.READ_ONLY }).body());
    expect(err.problems[0]).toMatchObject({ field: 'role', received: WorkspaceRole.READ_ONLY });
    expect(err.message).toMatch(/allowed: OWNER, ADMIN, MEMBER on a TEAM plan/);
    expect(err.message).toMatch(/Fix: use MEMBER with a SourceAccess of level ADMIN/);
  });

  test('fails: a Team MEMBER by label, with READ_ONLY level, or without any SourceAccess', () => {
    const labelled = (() => {
      const stack = testStack();
      const w = workspace(stack, TEAM);
      w.addGrant('M', { collaborator: collaborator(stack, 'M'), role: WorkspaceRole.MEMBER, sourceAccess: { L: { level: AccessLevel.ADMIN, labels: { environment: 'prod' } } } });
      return errorOf(() => w.desiredState());
    })();
    expect(labelled.problems[0]).toMatchObject({ field: 'sourceAccess.labels', received: 'environment=prod' });
    expect(labelled.message).toMatch(/Business-plan feature/);

    const stack = testStack();
    const w = workspace(stack, TEAM);
    const readOnly = errorOf(() => w.addGrant('R', { collaborator: collaborator(stack, 'R'), role: WorkspaceRole.MEMBER, sourceAccess: { S: { level: AccessLevel.READ_ONLY, sources: ['web'] } } }));
    expect(readOnly.problems[0]).toMatchObject({ field: 'level', received: AccessLevel.READ_ONLY });

    const bare = (() => {
      const s = testStack();
      const team = workspace(s, TEAM);
      team.addGrant('B', { collaborator: collaborator(s, 'B'), role: WorkspaceRole.MEMBER });
      return errorOf(() => team.desiredState());
    })();
    expect(bare.problems[0]).toMatchObject({ field: 'sourceAccess' });
    expect(bare.message).toMatch(/at least one SourceAccess of level ADMIN/);
  });

  test('fails: a Team rolePresets override naming a Business role', () => {
    const stack = testStack();
    const w = workspace(stack, { ...TEAM, rolePresets: { [WorkspaceRole.MEMBER]: { workspaceRoles: [R.MINIMAL_WORKSPACE_ACCESS], sourceRoles: { [AccessLevel.ADMIN]: R.SOURCE_ADMIN }, description: 'Business-style member' } } });
    w.addGrant('M', { collaborator: collaborator(stack, 'M'), role: WorkspaceRole.MEMBER, sourceAccess: { S: { level: AccessLevel.ADMIN, sources: ['web'] } } });
    const err = errorOf(() => w.desiredState());
    expect(err.problems[0]).toMatchObject({ field: 'role', received: 'MEMBER (Segment role "Minimal Workspace Access")' });
    expect(err.message).toMatch(/allowed: roles a Team plan offers: Workspace Owner, Source Admin/);
  });

  test('fails: a group grant on a Team plan, at once', () => {
    const w = workspace(testStack(), TEAM);
    const err = errorOf(() => w.addGroupGrant('Engineers', { groupName: 'engineers', role: WorkspaceRole.MEMBER, ticket: 'T-1', requestedBy: 'a@acme.example' }));
    expect(err.problems[0]).toMatchObject({ field: 'groupName', received: 'engineers' });
    expect(err.message).toMatch(/user groups are a Business-plan feature/);
    expect(err.message).toMatch(/Fix: grant the group's members individually with addGrant\(\)/);
  });
});
