// What Segment would refuse, refused at synth: the grantable checks called directly on grant bodies,
// each error pinned by field and fix (a mutation run found the paths below unexercised).
import { AccessLevel, PlanTier, ResourceType, WorkspaceRole } from '../../model/enums';
import type { GrantBody } from '../../model/desired-state';
import { assertGrantable } from '../../model/grantable';
import { grantsSourceAdmin, type WorkspaceCatalog } from '../../model/resolve-grant';
import { SegmentRoleName as R } from '../../model/role-presets';
import { SegmentAccessValidationError } from '../../model/validation';

const CATALOG: WorkspaceCatalog = {
  workspaceId: 'ws1',
  sources: [
    { id: 'src_web', name: 'web', labels: { environment: 'prod', team: 'web' } },
    { id: 'src_lab', name: 'lab', labels: { environment: 'dev' } },
  ],
  warehouses: [
    { id: 'wh_a', name: 'snowflake' },
    { id: 'wh_b', name: 'bigquery' },
  ],
};
const onWs = (roleName: string, labels: { key: string; value: string }[] = []) => ({ roleName, resources: [{ type: ResourceType.WORKSPACE, id: 'ws1', labels }] });

function body(overrides: Partial<GrantBody>): GrantBody {
  return {
    role: WorkspaceRole.MEMBER,
    permissions: [onWs(R.MINIMAL_WORKSPACE_ACCESS)],
    fingerprint: '0123456789ab',
    allSources: null,
    sources: [],
    sourceLabels: [],
    destinations: [],
    warehouses: [],
    audit: { ticket: null, requestedBy: null, approvedBy: null, justification: null },
    path: 'prod/Ws/Ana',
    ...overrides,
  } as GrantBody;
}

function problem(b: GrantBody, tier = PlanTier.BUSINESS, catalog = CATALOG) {
  try {
    assertGrantable(b, tier, catalog, 'prod/Ws/Ana');
  } catch (e) {
    expect(e).toBeInstanceOf(SegmentAccessValidationError);
    return (e as SegmentAccessValidationError).problems[0];
  }
  return undefined;
}

const warehouse = (id: string, name: string) => ({ id, name, level: AccessLevel.READ_ONLY });

describe('warehouses', () => {
  test('a grant whose permissions hold no workspace-wide warehouse role may name no warehouse', () => {
    const p = problem(body({ role: WorkspaceRole.CUSTOM, warehouses: [warehouse('wh_a', 'snowflake'), warehouse('wh_b', 'bigquery')] }));
    expect(p).toEqual({
      field: 'sourceAccess.warehouses',
      received: 'snowflake, bigquery',
      allowed: 'no warehouses for a CUSTOM grant: its preset grants no warehouse role',
      fix: 'remove warehouses from the SourceAccess, or use a role whose preset grants warehouse access.',
    });
    // A warehouse role not on the whole workspace does not cover the warehouses either.
    const onSource = { roleName: R.WAREHOUSE_DESTINATION_READ_ONLY, resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] };
    expect(problem(body({ role: WorkspaceRole.CUSTOM, permissions: [onSource], warehouses: [warehouse('wh_a', 'snowflake')] }))?.allowed).toContain('no warehouses');
    // Another role on the workspace, with the warehouse role only on a source, neither.
    expect(problem(body({ role: WorkspaceRole.CUSTOM, permissions: [onWs(R.SOURCE_ADMIN), onSource], warehouses: [warehouse('wh_a', 'snowflake')] }))?.allowed).toContain('no warehouses');
  });

  test('MEMBER and READ_ONLY must name every warehouse; ADMIN may name some', () => {
    const some = [warehouse('wh_a', 'snowflake')];
    const perms = [onWs(R.MINIMAL_WORKSPACE_ACCESS), onWs(R.WAREHOUSE_DESTINATION_READ_ONLY)];
    for (const role of [WorkspaceRole.MEMBER, WorkspaceRole.READ_ONLY]) {
      expect(problem(body({ role, permissions: perms, warehouses: some }))).toEqual({
        field: 'sourceAccess.warehouses',
        received: 'snowflake',
        allowed:
          'every warehouse of the catalog (snowflake, bigquery): Segment grants warehouse roles on all warehouses only (segment-docs iam/roles.md), so naming fewer would grant more than declared',
        fix: 'name every warehouse (snowflake, bigquery), or remove warehouses from the SourceAccess.',
      });
      expect(problem(body({ role, permissions: perms, warehouses: [...some, warehouse('wh_b', 'bigquery')] }))).toBeUndefined();
    }
    expect(problem(body({ role: WorkspaceRole.ADMIN, permissions: [onWs(R.WAREHOUSE_DESTINATION_ADMIN)], warehouses: some }))).toBeUndefined();
  });

  test('naming some of three: every name received is listed', () => {
    const three = { ...CATALOG, warehouses: [...CATALOG.warehouses, { id: 'wh_c', name: 'redshift' }] };
    const named = [warehouse('wh_a', 'snowflake'), warehouse('wh_b', 'bigquery')];
    const p = problem(body({ permissions: [onWs(R.WAREHOUSE_DESTINATION_READ_ONLY)], warehouses: named }), PlanTier.BUSINESS, three);
    expect(p?.received).toBe('snowflake, bigquery');
    expect(p?.fix).toBe('name every warehouse (snowflake, bigquery, redshift), or remove warehouses from the SourceAccess.');
  });

  test('a warehouse role held on the workspace among other resources covers the warehouses', () => {
    // Its source resource is refused next, by the role-on-resource check: not as "no warehouses".
    const mixed = { roleName: R.WAREHOUSE_DESTINATION_READ_ONLY, resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }, { type: ResourceType.WORKSPACE, id: 'ws1', labels: [] }] };
    expect(problem(body({ role: WorkspaceRole.CUSTOM, permissions: [mixed], warehouses: [warehouse('wh_a', 'snowflake')] }))?.field).toBe('rolePresets');
  });

  test('without a warehouses catalog, naming warehouses is refused', () => {
    const p = problem(body({ permissions: [onWs(R.WAREHOUSE_DESTINATION_READ_ONLY)], warehouses: [warehouse('wh_a', 'snowflake')] }), PlanTier.BUSINESS, { ...CATALOG, warehouses: [] });
    expect(p?.allowed).toBe('warehouses only when the workspace declares its warehouses catalog: Segment grants warehouse roles on all warehouses only (segment-docs iam/roles.md)');
    expect(p?.fix).toBe("declare the workspace's warehouses, or remove warehouses from the SourceAccess.");
  });
});

describe('roles on resources and labels', () => {
  test('a role that takes no labels, narrowed by labels', () => {
    expect(problem(body({ role: WorkspaceRole.CUSTOM, permissions: [onWs(R.FUNCTION_ADMIN, [{ key: 'environment', value: 'prod' }, { key: 'team', value: 'web' }])] }))).toEqual({
      field: 'sourceAccess.labels',
      received: '"Function Admin" narrowed by environment=prod, team=web',
      allowed: 'labels narrow only Source Admin, Source Read-only and the Unify/Engage roles (segment-docs iam/labels.md)',
      fix: 'select sources by id instead, or map the level to a Source role in the preset.',
    });
    expect(problem(body({ role: WorkspaceRole.CUSTOM, permissions: [onWs(R.SOURCE_ADMIN, [{ key: 'environment', value: 'prod' }])] }))).toBeUndefined();
  });

  test('a role on a resource type it cannot take names the types it can', () => {
    const p = problem(body({ role: WorkspaceRole.CUSTOM, permissions: [{ roleName: R.FUNCTION_ADMIN, resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] }] }));
    expect(p).toEqual({
      field: 'rolePresets',
      received: '"Function Admin" on SOURCE src_web',
      allowed: '"Function Admin" on WORKSPACE or FUNCTION only (segment-docs iam/roles.md)',
      fix: 'grant the role on the whole workspace (workspaceRoles) in the preset override, or remove it.',
    });
  });
});

describe('Team plan', () => {
  test('no permission at all is refused only on a Team plan', () => {
    expect(problem(body({ permissions: [] }), PlanTier.TEAM)).toEqual({
      field: 'sourceAccess',
      received: 'MEMBER with no SourceAccess',
      allowed: 'on a Team plan, a MEMBER grant with at least one SourceAccess of level ADMIN (the plan has no base or read-only role)',
      fix: 'add a SourceAccess { level: AccessLevel.ADMIN, sources: [...] }, or, if the workspace is on the Business plan, set planTier: PlanTier.BUSINESS.',
    });
    expect(problem(body({ permissions: [] }), PlanTier.BUSINESS)).toBeUndefined();
  });

  test('roles and labels the plan does not have', () => {
    expect(problem(body({}), PlanTier.TEAM)).toEqual({
      field: 'role',
      received: 'MEMBER (Segment role "Minimal Workspace Access")',
      allowed: 'roles a Team plan offers: Workspace Owner, Source Admin (segment-docs iam/membership.md)',
      fix: 'use OWNER, ADMIN or MEMBER with the Team presets, or a rolePresets override naming only those roles, or, if the workspace is on the Business plan, set planTier: PlanTier.BUSINESS.',
    });
    expect(problem(body({ permissions: [onWs(R.SOURCE_ADMIN, [{ key: 'environment', value: 'prod' }, { key: 'team', value: 'web' }])] }), PlanTier.TEAM)).toEqual({
      field: 'sourceAccess.labels',
      received: 'environment=prod, team=web',
      allowed: 'no labels on a Team plan: access by label is a Business-plan feature (segment-docs iam/roles.md "(BT only)")',
      fix: 'name the sources instead of selecting them by label, or, if the workspace is on the Business plan, set planTier: PlanTier.BUSINESS.',
    });
    expect(problem(body({ permissions: [{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] }] }), PlanTier.TEAM)).toBeUndefined();
  });
});

describe('grantsSourceAdmin: which permissions cover a source', () => {
  const web = CATALOG.sources[0];
  test('by id, workspace-wide, or by labels the source carries (all of them)', () => {
    expect(grantsSourceAdmin([{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [] }] }], web, CATALOG)).toBe(true);
    expect(grantsSourceAdmin([{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.SOURCE, id: 'src_lab', labels: [] }] }], web, CATALOG)).toBe(false);
    expect(grantsSourceAdmin([onWs(R.WORKSPACE_OWNER)], web, CATALOG)).toBe(true);
    expect(grantsSourceAdmin([onWs(R.SOURCE_ADMIN, [{ key: 'environment', value: 'prod' }, { key: 'team', value: 'web' }])], web, CATALOG)).toBe(true);
    expect(grantsSourceAdmin([onWs(R.SOURCE_ADMIN, [{ key: 'environment', value: 'prod' }, { key: 'team', value: 'ios' }])], web, CATALOG)).toBe(false);
  });

  test('not a read-only role, not another workspace, not another resource type', () => {
    expect(grantsSourceAdmin([onWs(R.SOURCE_READ_ONLY)], web, CATALOG)).toBe(false);
    expect(grantsSourceAdmin([{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.WORKSPACE, id: 'ws_other', labels: [] }] }], web, CATALOG)).toBe(false);
    expect(grantsSourceAdmin([{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.SPACE, id: 'ws1', labels: [] }] }], web, CATALOG)).toBe(false);
  });
});
