// How a preset and its SourceAccess entries become a grant body, called directly: catalog lookups,
// the strongest level per source and warehouse, sorted lists, and what a CUSTOM grant adds.
import { AccessLevel, ResourceType, WorkspaceRole } from '../../model/enums';
import { permissionsFingerprint } from '../../model/canonical';
import {
  allowedLevels,
  coversEverySource,
  findSource,
  findWarehouse,
  presetScopesSources,
  resolveGrantBody,
  type SourceAccessSpec,
  type WorkspaceCatalog,
} from '../../model/resolve-grant';
import { DEFAULT_ROLE_PRESETS, SegmentRoleName as R, type RolePreset } from '../../model/role-presets';

const WEB = { id: 'src_web', name: 'web', labels: { team: 'web' } };
const IOS = { id: 'src_ios', name: 'ios', labels: {} };
const AND = { id: 'src_and', name: 'android', labels: {} };
const SNOW = { id: 'wh_snow', name: 'snowflake' };
const BIG = { id: 'wh_big', name: 'bigquery' };
const CATALOG: WorkspaceCatalog = { workspaceId: 'ws1', sources: [WEB, IOS, AND], warehouses: [SNOW, BIG] };
const NO_CATALOG: WorkspaceCatalog = { workspaceId: 'ws1', sources: [], warehouses: [] };
const AUDIT = { ticket: null, requestedBy: null, approvedBy: null, justification: null };
const MEMBER = DEFAULT_ROLE_PRESETS[WorkspaceRole.MEMBER];

function access(overrides: Partial<SourceAccessSpec>): SourceAccessSpec {
  return { level: AccessLevel.READ_ONLY, allSources: false, sources: [], labels: {}, destinations: [], warehouses: [], ...overrides };
}

const body = (accesses: SourceAccessSpec[], preset: RolePreset = MEMBER) => resolveGrantBody(WorkspaceRole.MEMBER, preset, accesses, CATALOG, AUDIT, 'prod/Ws/Ana');

describe('catalog lookups', () => {
  test('by id or by name in a catalog; unknown is undefined', () => {
    expect(findSource(CATALOG, 'web')).toBe(WEB);
    expect(findSource(CATALOG, 'src_ios')).toBe(IOS);
    expect(findSource(CATALOG, 'desktop')).toBeUndefined();
    expect(findWarehouse(CATALOG, 'bigquery')).toBe(BIG);
    expect(findWarehouse(CATALOG, 'wh_snow')).toBe(SNOW);
    expect(findWarehouse(CATALOG, 'redshift')).toBeUndefined();
  });

  test('without a catalog any reference is an id, named after itself, with no labels', () => {
    expect(findSource(NO_CATALOG, 'src_x')).toEqual({ id: 'src_x', name: 'src_x', labels: {} });
    expect(findWarehouse(NO_CATALOG, 'wh_x')).toEqual({ id: 'wh_x', name: 'wh_x' });
  });
});

describe('presets', () => {
  test('a preset scopes sources only when it has a role for at least one level', () => {
    expect(presetScopesSources(MEMBER)).toBe(true);
    expect(presetScopesSources(DEFAULT_ROLE_PRESETS[WorkspaceRole.ADMIN])).toBe(false);
    expect(presetScopesSources({ workspaceRoles: [], sourceRoles: {}, description: 'none' })).toBe(false);
  });

  test('allowed levels are listed sorted, whatever order the preset declares them in', () => {
    const reversed: RolePreset = { workspaceRoles: [], sourceRoles: { [AccessLevel.READ_ONLY]: R.SOURCE_READ_ONLY, [AccessLevel.ADMIN]: R.SOURCE_ADMIN }, description: 'x' };
    expect(allowedLevels(reversed)).toEqual([AccessLevel.ADMIN, AccessLevel.READ_ONLY]);
    expect(allowedLevels({ workspaceRoles: [], description: 'x' })).toEqual([]);
  });
});

describe('resolveGrantBody', () => {
  test('named sources only: no all-sources entry, sources sorted by id with their names', () => {
    const b = body([access({ sources: [WEB, AND, IOS] })]);
    expect(b.allSources).toBeNull();
    expect(b.sources).toEqual([
      { id: 'src_and', level: AccessLevel.READ_ONLY, name: 'android' },
      { id: 'src_ios', level: AccessLevel.READ_ONLY, name: 'ios' },
      { id: 'src_web', level: AccessLevel.READ_ONLY, name: 'web' },
    ]);
    expect(b.path).toBe('prod/Ws/Ana');
    expect(b.role).toBe(WorkspaceRole.MEMBER);
    expect(b.audit).toBe(AUDIT);
  });

  test('all sources: the strongest level among the entries that say so', () => {
    expect(body([access({ allSources: true })]).allSources).toEqual({ level: AccessLevel.READ_ONLY });
    expect(body([access({ allSources: true, level: AccessLevel.ADMIN }), access({ allSources: true })]).allSources).toEqual({ level: AccessLevel.ADMIN });
    // An ADMIN entry on named sources does not raise the all-sources level.
    expect(body([access({ allSources: true }), access({ level: AccessLevel.ADMIN, sources: [WEB] })]).allSources).toEqual({ level: AccessLevel.READ_ONLY });
  });

  test('a source or warehouse named twice keeps its strongest level, in either order', () => {
    for (const levels of [
      [AccessLevel.ADMIN, AccessLevel.READ_ONLY],
      [AccessLevel.READ_ONLY, AccessLevel.ADMIN],
    ]) {
      const b = body(levels.map((level) => access({ level, sources: [WEB], warehouses: [SNOW, BIG] })));
      expect(b.sources).toEqual([{ id: 'src_web', level: AccessLevel.ADMIN, name: 'web' }]);
      expect(b.warehouses).toEqual([
        { id: 'wh_big', level: AccessLevel.ADMIN, name: 'bigquery' },
        { id: 'wh_snow', level: AccessLevel.ADMIN, name: 'snowflake' },
      ]);
    }
    const single = body([access({ level: AccessLevel.ADMIN, sources: [IOS], warehouses: [SNOW] })]);
    expect(single.sources[0].level).toBe(AccessLevel.ADMIN);
    expect(single.warehouses[0].level).toBe(AccessLevel.ADMIN);
    const readOnly = body([access({ sources: [IOS], warehouses: [SNOW] }), access({ sources: [IOS], warehouses: [SNOW] })]);
    expect(readOnly.sources[0].level).toBe(AccessLevel.READ_ONLY);
    expect(readOnly.warehouses[0].level).toBe(AccessLevel.READ_ONLY);
  });

  test('destinations sorted by source id, then name, with both names', () => {
    const src0 = { id: 'a0', name: 'zero', labels: {} };
    const srcA = { id: 'a', name: 'plain', labels: {} };
    // Neither the given order nor its reverse is the sorted one.
    const b = body([
      access({ destinations: [{ name: 'a', source: src0 }, { name: 'b', source: srcA }] }),
      access({ destinations: [{ name: 'b', source: src0 }] }),
    ]);
    // "a/b" < "a0/a" < "a0/b": the "/" keeps the source id apart from the name.
    expect(b.destinations).toEqual([
      { name: 'b', sourceId: 'a', sourceName: 'plain' },
      { name: 'a', sourceId: 'a0', sourceName: 'zero' },
      { name: 'b', sourceId: 'a0', sourceName: 'zero' },
    ]);
  });

  test('source labels: one entry per label, with the level of its entry', () => {
    const b = body([access({ labels: { team: 'web', env: 'prod' } }), access({ level: AccessLevel.ADMIN, labels: { env: 'dev' } })]);
    expect(b.sourceLabels).toEqual([
      { key: 'team', level: AccessLevel.READ_ONLY, value: 'web' },
      { key: 'env', level: AccessLevel.READ_ONLY, value: 'prod' },
      { key: 'env', level: AccessLevel.ADMIN, value: 'dev' },
    ]);
  });

  test('permissions from the preset, and the fingerprint of exactly those', () => {
    const b = body([access({ level: AccessLevel.ADMIN, sources: [WEB] })]);
    expect(b.permissions).toEqual([
      { resources: [{ id: 'ws1', labels: [], type: ResourceType.WORKSPACE }], roleName: R.MINIMAL_WORKSPACE_ACCESS },
      { resources: [{ id: 'src_web', labels: [], type: ResourceType.SOURCE }], roleName: R.SOURCE_ADMIN },
      { resources: [{ id: 'ws1', labels: [], type: ResourceType.WORKSPACE }], roleName: R.TRACKING_PLAN_READ_ONLY },
    ]);
    expect(b.fingerprint).toBe(permissionsFingerprint(b.permissions));
  });

  test("a CUSTOM grant's explicit permissions are merged with the preset's, normalized", () => {
    const custom = [{ roleName: R.SOURCE_ADMIN, resources: [{ type: ResourceType.SOURCE, id: 'src_ios', labels: [] }] }];
    const b = resolveGrantBody(WorkspaceRole.CUSTOM, MEMBER, [access({ level: AccessLevel.ADMIN, sources: [WEB] })], CATALOG, AUDIT, 'p', custom);
    expect(b.permissions.find((p) => p.roleName === R.SOURCE_ADMIN)?.resources.map((r) => r.id)).toEqual(['src_ios', 'src_web']);
    expect(b.fingerprint).toBe(permissionsFingerprint(b.permissions));
  });
});

// coversEverySource decides when label- or id-scoped Source Admin amounts to ADMIN (policy/rule.ts
// effectiveRole). Measured with only __tests__/model, Stryker found it covered by no test of this
// folder (reports/mutation/own-tests.md): its rules are pinned here, where it lives.
describe('coversEverySource: a role over every source of the catalog, however it is scoped', () => {
  const perm = (roleName: string, ...resources: { type: ResourceType; id: string; labels?: { key: string; value: string }[] }[]) => ({
    roleName,
    resources: resources.map((r) => ({ type: r.type, id: r.id, labels: r.labels ?? [] })),
  });
  const ws = (labels: { key: string; value: string }[] = [], id = 'ws1') => ({ type: ResourceType.WORKSPACE, id, labels });
  const src = (s: { id: string }) => ({ type: ResourceType.SOURCE, id: s.id });

  test('the role on the whole workspace covers every source; another role, or another workspace, does not', () => {
    expect(coversEverySource([perm(R.SOURCE_ADMIN, ws())], R.SOURCE_ADMIN, CATALOG)).toBe(true);
    expect(coversEverySource([perm(R.SOURCE_READ_ONLY, ws())], R.SOURCE_ADMIN, CATALOG)).toBe(false);
    expect(coversEverySource([perm(R.SOURCE_ADMIN, ws([], 'ws2'))], R.SOURCE_ADMIN, CATALOG)).toBe(false);
  });

  test('ids and labels together naming every catalog source cover them all; one source left out does not', () => {
    expect(coversEverySource([perm(R.SOURCE_ADMIN, src(WEB), src(IOS), src(AND))], R.SOURCE_ADMIN, CATALOG)).toBe(true);
    expect(coversEverySource([perm(R.SOURCE_ADMIN, src(WEB), src(IOS))], R.SOURCE_ADMIN, CATALOG)).toBe(false);
    expect(coversEverySource([perm(R.SOURCE_ADMIN, ws([{ key: 'team', value: 'web' }])), perm(R.SOURCE_ADMIN, src(IOS), src(AND))], R.SOURCE_ADMIN, CATALOG)).toBe(true);
    expect(coversEverySource([perm(R.SOURCE_ADMIN, ws([{ key: 'team', value: 'web' }]))], R.SOURCE_ADMIN, CATALOG)).toBe(false);
  });

  test('a label scope covers a source only when every one of its labels matches', () => {
    const both = ws([{ key: 'team', value: 'web' }, { key: 'env', value: 'prod' }]);
    expect(coversEverySource([perm(R.SOURCE_ADMIN, both, src(IOS), src(AND))], R.SOURCE_ADMIN, CATALOG)).toBe(false);
    const tagged: WorkspaceCatalog = { ...CATALOG, sources: [{ ...WEB, labels: { team: 'web', env: 'prod' } }, IOS, AND] };
    expect(coversEverySource([perm(R.SOURCE_ADMIN, both, src(IOS), src(AND))], R.SOURCE_ADMIN, tagged)).toBe(true);
  });

  test('without a source catalog a label-scoped role counts as every source (it cannot be shown narrower); source ids do not', () => {
    expect(coversEverySource([perm(R.SOURCE_ADMIN, ws([{ key: 'team', value: 'web' }]))], R.SOURCE_ADMIN, NO_CATALOG)).toBe(true);
    expect(coversEverySource([perm(R.SOURCE_ADMIN, src(WEB))], R.SOURCE_ADMIN, NO_CATALOG)).toBe(false);
    expect(coversEverySource([], R.SOURCE_ADMIN, NO_CATALOG)).toBe(false);
  });
});
