import { test } from '@fast-check/jest';
import { AccessLevel, ResourceType, WorkspaceRole } from '../../model/enums';
import { resolvePermissions, type SourceAccessSpec, type WorkspaceCatalog } from '../../model/resolve-grant';
import { DEFAULT_ROLE_PRESETS } from '../../model/role-presets';
import { fc, numRuns } from '../properties/fast-check-config';

// A READ_ONLY or MEMBER grant narrowed by SourceAccess (labels, sources, or both, in any number of
// entries) holds on the whole workspace only its preset's base roles: every other role it resolves to
// sits on the sources named or on the workspace narrowed by exactly the labels given. Without any
// narrowing, READ_ONLY holds its workspace-wide read-only roles too.

const WEB = { id: 'src_web', name: 'web', labels: { environment: 'prod' } };
const IOS = { id: 'src_ios', name: 'ios', labels: { environment: 'prod' } };
const LAB = { id: 'src_lab', name: 'lab', labels: { environment: 'staging' } };
const CATALOG: WorkspaceCatalog = { workspaceId: 'ws1', sources: [WEB, IOS, LAB], warehouses: [] };

const accessArb = fc
  .record({
    level: fc.constantFrom(AccessLevel.READ_ONLY, AccessLevel.ADMIN),
    sources: fc.subarray([WEB, IOS, LAB]),
    labels: fc.constantFrom<Record<string, string>>({}, { environment: 'prod' }, { environment: 'staging' }),
  })
  .filter((a) => a.sources.length > 0 || Object.keys(a.labels).length > 0)
  .map((a): SourceAccessSpec => ({ ...a, allSources: false, destinations: [], warehouses: [] }));

test('narrowed READ_ONLY and MEMBER grants hold no workspace-wide role beyond their base roles', () => {
  fc.assert(
    fc.property(fc.constantFrom(WorkspaceRole.READ_ONLY, WorkspaceRole.MEMBER), fc.array(accessArb, { maxLength: 3 }), (role, accesses) => {
      const preset = DEFAULT_ROLE_PRESETS[role];
      const usable = role === WorkspaceRole.READ_ONLY ? accesses.map((a) => ({ ...a, level: AccessLevel.READ_ONLY })) : accesses;
      const permissions = resolvePermissions(preset, usable, CATALOG);
      const wide = permissions.filter((p) => p.resources.some((r) => r.type === ResourceType.WORKSPACE && r.labels.length === 0)).map((p) => p.roleName);
      const expectedWide = usable.length ? preset.workspaceRoles : [...preset.workspaceRoles, ...(preset.unscopedRoles ?? [])];
      expect([...wide].sort()).toEqual([...expectedWide].sort());
      const namedIds = new Set(usable.flatMap((a) => a.sources.map((s) => s.id)));
      const labelSets = new Set(usable.map((a) => JSON.stringify(Object.entries(a.labels))).filter((l) => l !== '[]'));
      for (const p of permissions) {
        for (const r of p.resources) {
          if (r.type === ResourceType.SOURCE) expect(namedIds.has(r.id)).toBe(true);
          if (r.type === ResourceType.WORKSPACE && r.labels.length) expect(labelSets.has(JSON.stringify(r.labels.map((l) => [l.key, l.value])))).toBe(true);
        }
      }
    }),
    { numRuns: numRuns(300) },
  );
});
