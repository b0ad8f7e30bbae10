import { Testing } from '../../framework';
import { AccessLevel, ResourceType, WorkspaceRole } from '../../model/enums';
import { DesiredStateSchema } from '../../model/desired-state';
import { SegmentRoleName as R } from '../../model/role-presets';
import { collaborator, workspace } from '../support/fixtures';
import { testStack } from '../support/synth';

const ws = (id = 'ws_test_1') => ({ type: ResourceType.WORKSPACE, id, labels: [] });

describe('role presets resolve to real Segment permissions', () => {
  test('MEMBER with two ADMIN sources and a destination', () => {
    const stack = testStack();
    const w = workspace(stack);
    const grant = w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER });
    grant.addSourceAccess('Tracking', { level: AccessLevel.ADMIN, sources: ['web', 'src_ios'], destinations: [{ name: 'Amplitude', source: 'web' }] });
    const body = grant.body();
    expect(body.permissions).toEqual([
      { roleName: R.MINIMAL_WORKSPACE_ACCESS, resources: [ws()] },
      {
        roleName: R.SOURCE_ADMIN,
        resources: [
          { type: ResourceType.SOURCE, id: 'src_ios', labels: [] },
          { type: ResourceType.SOURCE, id: 'src_web', labels: [] },
        ],
      },
      { roleName: R.TRACKING_PLAN_READ_ONLY, resources: [ws()] },
    ]);
    expect(body.destinations).toEqual([{ name: 'Amplitude', sourceId: 'src_web', sourceName: 'web' }]);
    expect(body.sources.map((s) => `${s.name}:${s.level}`)).toEqual(['ios:ADMIN', 'web:ADMIN']);
  });

  test('READ_ONLY without SourceAccess is read-only everywhere; with it, narrowed to its sources', () => {
    const stack = testStack();
    const w = workspace(stack);
    const wide = w.addGrant('Wide', { collaborator: collaborator(stack, 'Wide'), role: WorkspaceRole.READ_ONLY });
    expect(wide.body().permissions.map((p) => p.roleName)).toEqual([
      R.FUNCTION_READ_ONLY,
      R.MINIMAL_WORKSPACE_ACCESS,
      R.SOURCE_READ_ONLY,
      R.TRACKING_PLAN_READ_ONLY,
      R.UNIFY_AND_ENGAGE_READ_ONLY,
      R.WAREHOUSE_DESTINATION_READ_ONLY,
    ]);
    const narrow = w.addGrant('Narrow', { collaborator: collaborator(stack, 'Narrow'), role: WorkspaceRole.READ_ONLY });
    narrow.addSourceAccess('Web', { level: AccessLevel.READ_ONLY, sources: ['web'], warehouses: ['snowflake'] });
    expect(narrow.body().permissions).toEqual([
      { roleName: R.MINIMAL_WORKSPACE_ACCESS, resources: [ws()] },
      { roleName: R.SOURCE_READ_ONLY, resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] },
      { roleName: R.TRACKING_PLAN_READ_ONLY, resources: [ws()] },
      // Segment grants warehouse roles on all warehouses only (iam/roles.md): the catalog's one warehouse is all of them.
      { roleName: R.WAREHOUSE_DESTINATION_READ_ONLY, resources: [ws()] },
    ]);
  });

  test('sources by label become a labelled workspace resource; all sources the whole workspace', () => {
    const stack = testStack();
    const w = workspace(stack);
    const byLabel = w.addGrant('Label', { collaborator: collaborator(stack, 'Label'), role: WorkspaceRole.MEMBER });
    byLabel.addSourceAccess('Prod', { level: AccessLevel.READ_ONLY, labels: { environment: 'prod' } });
    expect(byLabel.body().permissions.find((p) => p.roleName === R.SOURCE_READ_ONLY)!.resources).toEqual([
      { type: ResourceType.WORKSPACE, id: 'ws_test_1', labels: [{ key: 'environment', value: 'prod' }] },
    ]);
    const all = w.addGrant('All', { collaborator: collaborator(stack, 'All'), role: WorkspaceRole.MEMBER });
    all.addSourceAccess('All', { level: AccessLevel.ADMIN, allSources: true });
    expect(all.body().permissions.find((p) => p.roleName === R.SOURCE_ADMIN)!.resources).toEqual([ws()]);
    expect(all.body().allSources).toEqual({ level: AccessLevel.ADMIN });
  });

  test('OWNER is Workspace Owner only; ADMIN the admin roles workspace-wide', () => {
    const stack = testStack();
    const w = workspace(stack);
    const owner = w.addGrant('Owner', { collaborator: collaborator(stack, 'Owner'), role: WorkspaceRole.OWNER });
    expect(owner.body().permissions).toEqual([{ roleName: R.WORKSPACE_OWNER, resources: [ws()] }]);
    const admin = w.addGrant('Admin', { collaborator: collaborator(stack, 'Admin'), role: WorkspaceRole.ADMIN });
    admin.addSourceAccess('Web', { level: AccessLevel.READ_ONLY, sources: ['web'] });
    // ADMIN already covers every source: SourceAccess is a record, it adds no permission.
    expect(admin.body().permissions.map((p) => p.roleName)).toEqual([
      R.FUNCTION_ADMIN,
      R.MINIMAL_WORKSPACE_ACCESS,
      R.SOURCE_ADMIN,
      R.TRACKING_PLAN_ADMIN,
      R.UNIFY_AND_ENGAGE_ADMIN,
      R.WAREHOUSE_DESTINATION_ADMIN,
    ]);
    expect(admin.body().sources).toEqual([{ id: 'src_web', name: 'web', level: AccessLevel.READ_ONLY }]);
  });

  test('a workspace can override a preset (data, not code)', () => {
    const stack = testStack();
    const w = workspace(stack, {
      rolePresets: { [WorkspaceRole.READ_ONLY]: { workspaceRoles: [R.MINIMAL_WORKSPACE_ACCESS, R.SOURCE_READ_ONLY], description: 'Sources only' } },
    });
    const g = w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expect(g.body().permissions.map((p) => p.roleName)).toEqual([R.MINIMAL_WORKSPACE_ACCESS, R.SOURCE_READ_ONLY]);
  });

  test('the desired state is valid against the exported schema and leaves expired grants out', () => {
    const stack = testStack();
    const w = workspace(stack);
    w.addGrant('Current', { collaborator: collaborator(stack, 'Current'), role: WorkspaceRole.READ_ONLY, expiresOn: '2026-11-28' });
    w.addGrant('Expired', { collaborator: collaborator(stack, 'Expired'), role: WorkspaceRole.READ_ONLY, expiresOn: '2026-11-27' });
    const state = w.desiredState();
    expect(() => DesiredStateSchema.parse(state)).not.toThrow();
    expect(state.collaborators.map((c) => c.email)).toEqual(['current@agency.example']);
    expect(state.workspace.tokenEnvVar).toBe('SEGMENT_TEST_TOKEN');
    expect(state.collaborators[0].audit).toEqual({ ticket: 'ACCESS-1', requestedBy: 'lead@acme.example', approvedBy: 'cto@acme.example', justification: null });
  });

  test('each grant reads in the reconciler triggers, keyed by email, as a plan reviewer needs it', () => {
    const stack = testStack();
    const w = workspace(stack);
    const g = w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.MEMBER, expiresOn: '2027-01-31' });
    g.addSourceAccess('Web', { level: AccessLevel.ADMIN, sources: ['web'], destinations: [{ name: 'Amplitude', source: 'web' }] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties({ tfResourceType: 'terraform_data' }, {
      triggers_replace: expect.objectContaining({
        workspace: 'Acme Test (ws_test_1)',
        collaborators: {
          'ana@agency.example': {
            kind: 'SERVICE_ACCOUNT',
            role: 'MEMBER',
            permissions: 'Minimal Workspace Access on workspace; Source Admin on source web (src_web); Tracking Plan Read-only on workspace',
            destinations: 'Amplitude via web',
            expires: '2027-01-31',
            ticket: 'ACCESS-1',
          },
        },
      }),
    });
  });
});
