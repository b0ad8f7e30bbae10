// READ_ONLY's unscoped roles (every source, function, warehouse and space, read-only) are granted only
// when no SourceAccess narrows the grant, whatever form the narrowing takes: source ids, labels, or all
// sources. Written for the hand-written mutant model-readonly-label-unscoped (scripts/hand-mutants.js):
// treating a label-only SourceAccess as "no narrowing" gave a label-narrowed READ_ONLY four
// workspace-wide roles, and only another folder's tests noticed.
import { AccessLevel, ResourceType, WorkspaceRole } from '../../model/enums';
import { resolvePermissions, type SourceAccessSpec, type WorkspaceCatalog } from '../../model/resolve-grant';
import { DEFAULT_ROLE_PRESETS, SegmentRoleName as R } from '../../model/role-presets';

const WEB = { id: 'src_web', name: 'web', labels: { team: 'web' } };
const IOS = { id: 'src_ios', name: 'ios', labels: {} };
const CATALOG: WorkspaceCatalog = { workspaceId: 'ws1', sources: [WEB, IOS], warehouses: [{ id: 'wh_snow', name: 'snowflake' }] };
const READ_ONLY = DEFAULT_ROLE_PRESETS[WorkspaceRole.READ_ONLY];
const UNSCOPED = [R.SOURCE_READ_ONLY, R.FUNCTION_READ_ONLY, R.WAREHOUSE_DESTINATION_READ_ONLY, R.UNIFY_AND_ENGAGE_READ_ONLY];

const access = (overrides: Partial<SourceAccessSpec>): SourceAccessSpec => ({
  level: AccessLevel.READ_ONLY, allSources: false, sources: [], labels: {}, destinations: [], warehouses: [], ...overrides,
});

/** The roles granted on the whole workspace, without labels. */
const workspaceWide = (accesses: SourceAccessSpec[]) =>
  resolvePermissions(READ_ONLY, accesses, CATALOG)
    .filter((p) => p.resources.some((r) => r.type === ResourceType.WORKSPACE && r.labels.length === 0))
    .map((p) => p.roleName)
    .sort();

describe('READ_ONLY narrowed by a SourceAccess gets none of its unscoped roles', () => {
  test('without SourceAccess: the base roles and all four unscoped roles, workspace-wide', () => {
    expect(workspaceWide([])).toEqual([R.MINIMAL_WORKSPACE_ACCESS, R.TRACKING_PLAN_READ_ONLY, ...UNSCOPED].sort());
  });

  test('narrowed by a label only: Source Read-only on the label, nothing else workspace-wide', () => {
    const permissions = resolvePermissions(READ_ONLY, [access({ labels: { team: 'web' } })], CATALOG);
    expect(workspaceWide([access({ labels: { team: 'web' } })])).toEqual([R.MINIMAL_WORKSPACE_ACCESS, R.TRACKING_PLAN_READ_ONLY].sort());
    expect(permissions.find((p) => p.roleName === R.SOURCE_READ_ONLY)?.resources).toEqual([{ type: ResourceType.WORKSPACE, id: 'ws1', labels: [{ key: 'team', value: 'web' }] }]);
    for (const role of [R.FUNCTION_READ_ONLY, R.WAREHOUSE_DESTINATION_READ_ONLY, R.UNIFY_AND_ENGAGE_READ_ONLY]) expect(permissions.map((p) => p.roleName)).not.toContain(role);
  });

  test('narrowed by a source id, or by a warehouse only: no unscoped role either', () => {
    expect(workspaceWide([access({ sources: [IOS] })])).toEqual([R.MINIMAL_WORKSPACE_ACCESS, R.TRACKING_PLAN_READ_ONLY].sort());
    expect(workspaceWide([access({ warehouses: CATALOG.warehouses })])).toEqual([R.MINIMAL_WORKSPACE_ACCESS, R.TRACKING_PLAN_READ_ONLY, R.WAREHOUSE_DESTINATION_READ_ONLY].sort());
  });
});
