import { test } from '@fast-check/jest';
import { AccessLevel, ResourceType, WorkspaceRole } from '../../model/enums';
import { canonicalJson, normalizePermissions, permissionsFingerprint } from '../../model/canonical';
import { PermissionsResolver, resolveGrantBody, type SourceAccessSpec, type WorkspaceCatalog } from '../../model/resolve-grant';
import { DEFAULT_ROLE_PRESETS, SegmentRoleName, TEAM_ROLE_PRESETS } from '../../model/role-presets';
import type { DesiredPermission } from '../../model/desired-state';
import type { RolePreset } from '../../model/role-presets';
import { fc, numRuns } from '../properties/fast-check-config';

// PermissionsResolver shares one resolution between the grants of a workspace that have the same
// preset and SourceAccess scope. Sharing must never hand one grant another's permissions: whatever
// order grants come in, each gets exactly what resolving it alone gives.

const WEB = { id: 'src_web', name: 'web', labels: { environment: 'prod', team: 'growth' } };
const IOS = { id: 'src_ios', name: 'ios', labels: { environment: 'prod' } };
const LAB = { id: 'src_lab', name: 'lab', labels: { environment: 'staging' } };
const DWH = { id: 'wh_main', name: 'main' };
const CATALOG: WorkspaceCatalog = { workspaceId: 'ws1', sources: [WEB, IOS, LAB], warehouses: [DWH] };

const PRESETS: RolePreset[] = [...Object.values(DEFAULT_ROLE_PRESETS), ...Object.values(TEAM_ROLE_PRESETS)].filter((p): p is RolePreset => p !== undefined);

const accessArb = fc
  .record({
    level: fc.constantFrom(AccessLevel.READ_ONLY, AccessLevel.ADMIN),
    allSources: fc.boolean(),
    sources: fc.subarray([WEB, IOS, LAB]),
    // Look-alike label sets: the same keys with other values, one pair or two, in either order.
    labels: fc.constantFrom<Record<string, string>>({}, { environment: 'prod' }, { environment: 'staging' }, { environment: 'prod', team: 'growth' }, { team: 'growth', environment: 'prod' }),
    warehouses: fc.constantFrom([], [DWH]),
    // Destinations never change permissions: a grant with them may share a resolution with one without.
    destinations: fc.constantFrom([], [{ name: 'Amplitude', source: WEB }]),
  })
  .map((a): SourceAccessSpec => a);

const grantArb = fc.record({ preset: fc.constantFrom(...PRESETS), accesses: fc.array(accessArb, { maxLength: 3 }) });

/** resolvePermissions as it was before sharing: every access read directly, nothing cached. */
function resolvedAlone(preset: RolePreset, accesses: readonly SourceAccessSpec[]): DesiredPermission[] {
  const onWorkspace = (roleName: string, labels: Record<string, string> = {}): DesiredPermission => ({
    roleName,
    resources: [{ type: ResourceType.WORKSPACE, id: CATALOG.workspaceId, labels: Object.entries(labels).map(([key, value]) => ({ key, value })) }],
  });
  const permissions = preset.workspaceRoles.map((role) => onWorkspace(role));
  if (accesses.length === 0) permissions.push(...(preset.unscopedRoles ?? []).map((role) => onWorkspace(role)));
  for (const a of accesses) {
    const sourceRole = preset.sourceRoles?.[a.level];
    if (sourceRole) {
      if (a.allSources) permissions.push(onWorkspace(sourceRole));
      for (const s of a.sources) permissions.push({ roleName: sourceRole, resources: [{ type: ResourceType.SOURCE, id: s.id, labels: [] }] });
      if (Object.keys(a.labels).length) permissions.push(onWorkspace(sourceRole, a.labels));
    }
    const warehouseRole = preset.warehouseRoles?.[a.level];
    if (warehouseRole && a.warehouses.length) permissions.push(onWorkspace(warehouseRole));
  }
  return normalizePermissions(permissions);
}

test('a shared resolver gives each grant what resolving it alone gives, in any order', () => {
  fc.assert(
    fc.property(fc.array(grantArb, { minLength: 1, maxLength: 12 }), (grants) => {
      const resolver = new PermissionsResolver(CATALOG);
      for (const { preset, accesses } of grants) {
        const shared = resolver.resolve(preset, accesses);
        const alone = resolvedAlone(preset, accesses);
        expect(canonicalJson(shared.permissions)).toBe(canonicalJson(alone));
        expect(shared.fingerprint).toBe(permissionsFingerprint(alone));
      }
    }),
    { numRuns: numRuns(300) },
  );
});

/** A grant and a neighbour that differs in one thing a SourceAccess says (the look-alike a cache key could miss). */
const neighboursArb = grantArb
  .filter((g) => g.accesses.length > 0)
  .chain((g) =>
    fc.tuple(fc.constant(g), fc.nat(g.accesses.length - 1), fc.constantFrom('level', 'allSources', 'sources', 'labels', 'warehouses' as const), accessArb).map(([grant, index, field, other]) => {
      const accesses = grant.accesses.map((a, i) => (i === index ? { ...a, [field]: other[field] } : a));
      return [grant, { preset: grant.preset, accesses }] as const;
    }),
  );

test('a grant and its one-field neighbour, resolved by one resolver in either order, each get their own', () => {
  fc.assert(
    fc.property(neighboursArb, fc.boolean(), ([a, b], reversed) => {
      const resolver = new PermissionsResolver(CATALOG);
      for (const { preset, accesses } of reversed ? [b, a] : [a, b]) {
        expect(canonicalJson(resolver.resolve(preset, accesses).permissions)).toBe(canonicalJson(resolvedAlone(preset, accesses)));
      }
    }),
    { numRuns: numRuns(500) },
  );
});

test('grants whose scopes differ only in one label value, one source or the level get different permissions', () => {
  const resolver = new PermissionsResolver(CATALOG);
  const preset = DEFAULT_ROLE_PRESETS[WorkspaceRole.MEMBER];
  const base: SourceAccessSpec = { level: AccessLevel.READ_ONLY, allSources: false, sources: [WEB], labels: { environment: 'prod' }, destinations: [], warehouses: [] };
  const variants: SourceAccessSpec[] = [
    base,
    { ...base, labels: { environment: 'staging' } },
    { ...base, sources: [IOS] },
    { ...base, level: AccessLevel.ADMIN },
    { ...base, allSources: true },
    { ...base, warehouses: [DWH] },
  ];
  const fingerprints = variants.map((a) => resolver.resolve(preset, [a]).fingerprint);
  expect(new Set(fingerprints).size).toBe(variants.length);
  // Asked again, each gets its own again (not the last one cached).
  expect(variants.map((a) => resolver.resolve(preset, [a]).fingerprint)).toEqual(fingerprints);
});

test('two presets with the same scopes are resolved apart', () => {
  const resolver = new PermissionsResolver(CATALOG);
  const readOnly = resolver.resolve(DEFAULT_ROLE_PRESETS[WorkspaceRole.READ_ONLY], []);
  const admin = resolver.resolve(DEFAULT_ROLE_PRESETS[WorkspaceRole.ADMIN], []);
  expect(admin.permissions.map((p) => p.roleName)).toContain(SegmentRoleName.SOURCE_ADMIN);
  expect(readOnly.permissions.map((p) => p.roleName)).not.toContain(SegmentRoleName.SOURCE_ADMIN);
});

test('shared permissions are frozen, and a CUSTOM grant adds its own without touching them', () => {
  const resolver = new PermissionsResolver(CATALOG);
  const preset = DEFAULT_ROLE_PRESETS[WorkspaceRole.MEMBER];
  const shared = resolver.resolve(preset, []);
  expect(Object.isFrozen(shared.permissions)).toBe(true);
  expect(Object.isFrozen(shared.permissions[0].resources[0].labels)).toBe(true);
  expect(() => (shared.permissions as DesiredPermission[]).push(shared.permissions[0])).toThrow(TypeError);
  const before = canonicalJson(shared.permissions);
  const custom: DesiredPermission[] = [{ roleName: SegmentRoleName.SOURCE_ADMIN, resources: [{ type: ResourceType.SOURCE, id: 'src_lab', labels: [] }] }];
  const audit = { approvedBy: null, justification: null, requestedBy: null, ticket: null };
  const withCustom = resolveGrantBody(WorkspaceRole.MEMBER, preset, [], CATALOG, audit, 'App/prod/x', custom, resolver);
  expect(withCustom.permissions.map((p) => p.roleName)).toContain(SegmentRoleName.SOURCE_ADMIN);
  expect(withCustom.fingerprint).toBe(permissionsFingerprint(withCustom.permissions));
  expect(withCustom.fingerprint).not.toBe(shared.fingerprint);
  expect(canonicalJson(resolver.resolve(preset, []).permissions)).toBe(before);
});

test('one (preset, scope) pair is one shared object: asked again, the same frozen permissions, not a copy', () => {
  const resolver = new PermissionsResolver(CATALOG);
  const member = DEFAULT_ROLE_PRESETS[WorkspaceRole.MEMBER];
  const access: SourceAccessSpec = { level: AccessLevel.READ_ONLY, allSources: false, sources: [WEB], labels: {}, destinations: [], warehouses: [] };
  const first = resolver.resolve(member, [access]);
  // An equal scope from another grant (a new object with the same content) shares it too.
  expect(resolver.resolve(member, [{ ...access, sources: [WEB], destinations: [{ name: 'Amplitude', source: WEB }] }])).toBe(first);
  // Another preset first, then the first again: still the first's.
  resolver.resolve(DEFAULT_ROLE_PRESETS[WorkspaceRole.READ_ONLY], [access]);
  expect(resolver.resolve(member, [access])).toBe(first);
  expect(Object.isFrozen(first)).toBe(true);
});
