import { AccessLevel, ResourceType, WorkspaceRole } from '../../model/enums';
import type { DesiredPermission } from '../../model/desired-state';
import { normalizePermissions, samePermissions } from '../../model/canonical';
import { findSource, findWarehouse, resolvePermissions } from '../../model/resolve-grant';
import type { SourceAccessSpec, WorkspaceCatalog } from '../../model/resolve-grant';
import { DEFAULT_ROLE_PRESETS, SegmentRoleName as R } from '../../model/role-presets';
import { resolveCustomPermissions } from '../../model/custom-permissions';
import type { SourceAccessProps } from '../../constructs/source-access';
import type { CustomPermission } from '../../constructs/custom-permission';
import { customPermissionsOf, mapPermissions, presetMatches } from '../../importer/preset-detection';
import { importCatalog } from '../../importer/catalog';

const WS = 'ws_import_1';
const CATALOG: WorkspaceCatalog = {
  workspaceId: WS,
  sources: [
    { id: 'src_web', name: 'web', labels: { environment: 'prod', platform: 'web' } },
    { id: 'src_ios', name: 'ios', labels: { environment: 'prod', platform: 'mobile' } },
    { id: 'src_srv', name: 'server', labels: { environment: 'prod' } },
  ],
  warehouses: [{ id: 'wh_snow', name: 'snowflake' }],
};

/** What a SourceAccess (by catalog name) resolves to, as the construct resolves it. */
function spec(props: SourceAccessProps): SourceAccessSpec {
  return {
    level: props.level,
    allSources: props.allSources ?? false,
    sources: (props.sources ?? []).map((s) => findSource(CATALOG, s)!),
    labels: props.labels ?? {},
    destinations: [],
    warehouses: (props.warehouses ?? []).map((w) => findWarehouse(CATALOG, w)!),
  };
}

function permissionsOf(role: WorkspaceRole, sourceAccess: Record<string, SourceAccessProps> = {}): DesiredPermission[] {
  return resolvePermissions(DEFAULT_ROLE_PRESETS[role], Object.values(sourceAccess).map(spec), CATALOG);
}

const ws = (roleName: string, labels: { key: string; value: string }[] = []): DesiredPermission => ({ roleName, resources: [{ type: ResourceType.WORKSPACE, id: WS, labels }] });
const on = (roleName: string, type: ResourceType, ...ids: string[]): DesiredPermission => ({ roleName, resources: ids.map((id) => ({ type, id, labels: [] })) });

describe('preset detection: permissions equal to a preset become that preset', () => {
  const cases: [string, WorkspaceRole, Record<string, SourceAccessProps>][] = [
    ['OWNER', WorkspaceRole.OWNER, {}],
    ['ADMIN', WorkspaceRole.ADMIN, {}],
    ['READ_ONLY, workspace-wide', WorkspaceRole.READ_ONLY, {}],
    ['READ_ONLY narrowed to sources', WorkspaceRole.READ_ONLY, { ReadOnly: { level: AccessLevel.READ_ONLY, sources: ['ios', 'web'] } }],
    ['READ_ONLY narrowed by label', WorkspaceRole.READ_ONLY, { ReadOnly: { level: AccessLevel.READ_ONLY, labels: { environment: 'prod' } } }],
    ['READ_ONLY on all sources', WorkspaceRole.READ_ONLY, { ReadOnly: { level: AccessLevel.READ_ONLY, allSources: true } }],
    ['MEMBER, admin on sources', WorkspaceRole.MEMBER, { Admin: { level: AccessLevel.ADMIN, sources: ['ios', 'web'] } }],
    ['MEMBER, admin by two labels and read-only on a source', WorkspaceRole.MEMBER, {
      Admin: { level: AccessLevel.ADMIN, labels: { environment: 'prod', platform: 'mobile' } },
      ReadOnly: { level: AccessLevel.READ_ONLY, sources: ['web'] },
    }],
    ['MEMBER, admin on a source with its warehouse', WorkspaceRole.MEMBER, { Admin: { level: AccessLevel.ADMIN, sources: ['server'], warehouses: ['snowflake'] } }],
    ['MEMBER, read-only everywhere and admin on one source', WorkspaceRole.MEMBER, {
      Admin: { level: AccessLevel.ADMIN, sources: ['ios'] },
      ReadOnly: { level: AccessLevel.READ_ONLY, allSources: true },
    }],
    ['MEMBER, all sources and named sources at one level', WorkspaceRole.MEMBER, {
      Admin: { level: AccessLevel.ADMIN, allSources: true, warehouses: ['snowflake'] },
      Admin2: { level: AccessLevel.ADMIN, sources: ['web'] },
    }],
    ['MEMBER, two separate label sets at one level', WorkspaceRole.MEMBER, {
      Admin: { level: AccessLevel.ADMIN, labels: { platform: 'mobile' } },
      Admin2: { level: AccessLevel.ADMIN, labels: { platform: 'web' } },
    }],
  ];

  test.each(cases)('%s', (_name, role, sourceAccess) => {
    const live = permissionsOf(role, sourceAccess);
    const matches = presetMatches(live, CATALOG);
    const match = matches.find((m) => m.role === role);
    expect(match).toBeDefined();
    // The same SourceAccess, by catalog name, entry for entry.
    expect(match!.sourceAccess).toEqual(sourceAccess);
    // Every candidate reproduces the live permissions exactly.
    for (const m of matches) expect(samePermissions(permissionsOf(m.role, m.sourceAccess as Record<string, SourceAccessProps>), live)).toBe(true);
  });

  test('MEMBER with read-only sources and READ_ONLY narrowed to them are the same permissions: both are offered, READ_ONLY first', () => {
    const live = permissionsOf(WorkspaceRole.MEMBER, { ReadOnly: { level: AccessLevel.READ_ONLY, sources: ['web'] } });
    expect(presetMatches(live, CATALOG).map((m) => m.role)).toEqual([WorkspaceRole.READ_ONLY, WorkspaceRole.MEMBER]);
    const mapping = mapPermissions(live, CATALOG);
    expect(mapping.ok && mapping.candidates.map((c) => c.role)).toEqual([WorkspaceRole.READ_ONLY, WorkspaceRole.MEMBER, WorkspaceRole.CUSTOM]);
  });

  test('without a source catalog, sources are referred to by id', () => {
    const bare: WorkspaceCatalog = { workspaceId: WS, sources: [], warehouses: [] };
    const live = normalizePermissions([ws(R.MINIMAL_WORKSPACE_ACCESS), ws(R.TRACKING_PLAN_READ_ONLY), on(R.SOURCE_ADMIN, ResourceType.SOURCE, 'src_anything')]);
    expect(presetMatches(live, bare)).toEqual([{ role: WorkspaceRole.MEMBER, sourceAccess: { Admin: { level: AccessLevel.ADMIN, sources: ['src_anything'] } } }]);
  });
});

describe('near misses never map to a preset: they become explicit permissions that reproduce them', () => {
  const admin = permissionsOf(WorkspaceRole.ADMIN);
  const member = permissionsOf(WorkspaceRole.MEMBER, { Admin: { level: AccessLevel.ADMIN, sources: ['web'] } });
  const readOnly = permissionsOf(WorkspaceRole.READ_ONLY);
  const cases: [string, DesiredPermission[]][] = [
    ['ADMIN without Function Admin', admin.filter((p) => p.roleName !== R.FUNCTION_ADMIN)],
    ['ADMIN plus Identity Admin', [...admin, ws(R.IDENTITY_ADMIN)]],
    ['ADMIN with Source Admin narrowed to one source', [...admin.filter((p) => p.roleName !== R.SOURCE_ADMIN), on(R.SOURCE_ADMIN, ResourceType.SOURCE, 'src_web')]],
    ['OWNER plus Minimal Workspace Access', [ws(R.WORKSPACE_OWNER), ws(R.MINIMAL_WORKSPACE_ACCESS)]],
    ['Workspace Owner narrowed by a label', [ws(R.WORKSPACE_OWNER, [{ key: 'environment', value: 'prod' }])]],
    ['MEMBER without Tracking Plan Read-only', member.filter((p) => p.roleName !== R.TRACKING_PLAN_READ_ONLY)],
    ['MEMBER plus Function Read-only', [...member, ws(R.FUNCTION_READ_ONLY)]],
    ['MEMBER with Source Admin on a function', [...member.filter((p) => p.roleName !== R.SOURCE_ADMIN), on(R.FUNCTION_ADMIN, ResourceType.FUNCTION, 'fn_1')]],
    ['READ_ONLY without Unify and Engage Read-only', readOnly.filter((p) => p.roleName !== R.UNIFY_AND_ENGAGE_READ_ONLY)],
    ['READ_ONLY (narrowed) with Source Admin', [ws(R.MINIMAL_WORKSPACE_ACCESS), ws(R.TRACKING_PLAN_READ_ONLY), on(R.SOURCE_ADMIN, ResourceType.SOURCE, 'src_web'), ws(R.FUNCTION_READ_ONLY)]],
    ['a warehouse role with no source access', [ws(R.MINIMAL_WORKSPACE_ACCESS), ws(R.TRACKING_PLAN_READ_ONLY), on(R.WAREHOUSE_DESTINATION_ADMIN, ResourceType.WAREHOUSE, 'wh_snow')]],
    ['Minimal Workspace Access alone', [ws(R.MINIMAL_WORKSPACE_ACCESS)]],
    ['a Unify space grant', [ws(R.MINIMAL_WORKSPACE_ACCESS), on(R.UNIFY_AND_ENGAGE_ADMIN, ResourceType.SPACE, 'spa_1')]],
  ];

  test.each(cases)('%s', (_name, permissions) => {
    const live = normalizePermissions(permissions);
    expect(presetMatches(live, CATALOG)).toEqual([]);
    const mapping = mapPermissions(live, CATALOG);
    expect(mapping.ok).toBe(true);
    if (!mapping.ok) return;
    expect(mapping.candidates.map((c) => c.role)).toEqual([WorkspaceRole.CUSTOM]);
    expect(reproduce(mapping.candidates[0].customPermissions!)).toEqual(live);
  });
});

/** Explicit permissions back to Segment permissions, resolving catalog names as the construct does. */
function reproduce(custom: readonly CustomPermission[]): DesiredPermission[] {
  return resolveCustomPermissions(
    custom.map((c) => ({
      roleName: c.role,
      workspace: c.workspace ?? false,
      labels: c.labels ?? {},
      sourceIds: (c.sources ?? []).map((s) => findSource(CATALOG, s)!.id),
      warehouseIds: (c.warehouses ?? []).map((w) => findWarehouse(CATALOG, w)!.id),
      functionIds: c.functions ?? [],
      spaceIds: c.spaces ?? [],
    })),
    WS,
  );
}

describe('explicit permissions', () => {
  test('by catalog name, one entry per role and label set, sorted', () => {
    const live = normalizePermissions([
      ws(R.SOURCE_READ_ONLY, [{ key: 'platform', value: 'web' }]),
      { roleName: R.SOURCE_READ_ONLY, resources: [{ type: ResourceType.WORKSPACE, id: WS, labels: [{ key: 'platform', value: 'mobile' }] }, { type: ResourceType.SOURCE, id: 'src_srv', labels: [] }] },
      ws(R.MINIMAL_WORKSPACE_ACCESS),
    ]);
    const custom = customPermissionsOf(live, CATALOG);
    expect(custom).toEqual([
      { role: 'Minimal Workspace Access', workspace: true },
      { role: 'Source Read-only', labels: { platform: 'mobile' }, sources: ['server'] },
      { role: 'Source Read-only', labels: { platform: 'web' } },
    ]);
    expect(reproduce(custom as CustomPermission[])).toEqual(live);
  });

  test('what a definition cannot say is reported, not guessed', () => {
    const dupKeys = [{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.WORKSPACE, id: WS, labels: [{ key: 'env', value: 'a' }, { key: 'env', value: 'b' }] }] }];
    expect(mapPermissions(dupKeys, CATALOG)).toEqual({ ok: false, reason: expect.stringContaining('label key "env" twice') });
    const proto = [ws(R.SOURCE_ADMIN, [{ key: '__proto__', value: 'x' }])];
    expect(mapPermissions(proto, CATALOG)).toEqual({ ok: false, reason: expect.stringContaining('__proto__') });
    const unknownSource = [on(R.SOURCE_ADMIN, ResourceType.SOURCE, 'src_deleted')];
    expect(mapPermissions(unknownSource, CATALOG)).toEqual({ ok: false, reason: expect.stringContaining('source src_deleted, which GET /sources does not list') });
    const labelledSource = [{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.SOURCE, id: 'src_web', labels: [{ key: 'a', value: 'b' }] }] }];
    expect(mapPermissions(labelledSource, CATALOG)).toEqual({ ok: false, reason: expect.stringContaining('carries labels') });
    expect(mapPermissions([], CATALOG)).toEqual({ ok: false, reason: 'no permissions of its own' });
  });
});

describe('catalog names', () => {
  test('the live name when it identifies one entry; else the slug; else the id', () => {
    const { catalog } = importCatalog(
      WS,
      [
        { id: 's1', slug: 'web_prod', name: 'Web', labels: [] },
        { id: 's2', slug: 'web_eu', name: 'Web', labels: [] },
        { id: 's3', slug: 'ios', name: null, labels: [] },
        { id: 's4', slug: 's5', name: '  ', labels: [{ key: 'environment', value: 'prod' }] },
        { id: 's5', slug: 'server', name: 'snowflake', labels: [] },
      ],
      [{ id: 'w1', name: 'snowflake' }, { id: 'w2', name: null }],
    );
    expect(catalog.sources.map((s) => [s.id, s.name])).toEqual([['s1', 'web_prod'], ['s2', 'web_eu'], ['s3', 'ios'], ['s4', 's4'], ['s5', 'server']]);
    expect(catalog.warehouses.map((w) => [w.id, w.name])).toEqual([['w1', 'w1'], ['w2', 'w2']]);
    expect(catalog.sources[3].labels).toEqual({ environment: 'prod' });
  });

  test('a label key a definition cannot hold is left out, with a note', () => {
    const { catalog, notes } = importCatalog(WS, [{ id: 's1', slug: 'web', name: 'web', labels: [{ key: '__proto__', value: 'x' }, { key: 'a', value: '1' }, { key: 'a', value: '2' }] }], []);
    expect(Object.keys(catalog.sources[0].labels)).toEqual(['a']);
    expect(notes).toEqual([expect.stringContaining('"__proto__=x"'), expect.stringContaining('label key "a" twice')]);
  });
});
