// model/custom-permissions.ts on its own: each part of a CUSTOM spec becomes exactly the Segment
// permission it stands for (nothing more, nothing dropped), in the same normal form as a preset's.
import fc from 'fast-check';
import { normalizePermissions } from '../../model/canonical';
import { type CustomPermissionSpec, resolveCustomPermissions } from '../../model/custom-permissions';
import { ResourceType } from '../../model/enums';

const WS = 'ws_1';
const spec = (over: Partial<CustomPermissionSpec>): CustomPermissionSpec => ({
  roleName: 'Source Admin',
  workspace: false,
  labels: {},
  sourceIds: [],
  warehouseIds: [],
  functionIds: [],
  spaceIds: [],
  ...over,
});
const resourcesOf = (specs: CustomPermissionSpec[]) => resolveCustomPermissions(specs, WS).flatMap((p) => p.resources.map((r) => ({ role: p.roleName, ...r })));

describe('resolveCustomPermissions', () => {
  test('no specs, no permissions; a spec naming nothing grants nothing', () => {
    expect(resolveCustomPermissions([], WS)).toEqual([]);
    expect(resourcesOf([spec({})])).toEqual([]);
  });

  test('workspace: true is the whole workspace, unlabelled, on the given workspace id', () => {
    expect(resolveCustomPermissions([spec({ roleName: 'Workspace Owner', workspace: true })], WS)).toEqual([
      { roleName: 'Workspace Owner', resources: [{ type: ResourceType.WORKSPACE, id: WS, labels: [] }] },
    ]);
  });

  test('labels narrow a workspace grant to labelled resources: one resource carrying every label, not a whole-workspace one', () => {
    const out = resolveCustomPermissions([spec({ roleName: 'Source Read-only', labels: { env: 'prod', team: 'web' } })], WS);
    expect(out).toEqual([
      {
        roleName: 'Source Read-only',
        resources: [{ type: ResourceType.WORKSPACE, id: WS, labels: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }] }],
      },
    ]);
  });

  test('workspace and labels together give both resources', () => {
    const res = resourcesOf([spec({ workspace: true, labels: { env: 'dev' } })]);
    expect(res).toHaveLength(2);
    expect(res).toContainEqual({ role: 'Source Admin', type: ResourceType.WORKSPACE, id: WS, labels: [] });
    expect(res).toContainEqual({ role: 'Source Admin', type: ResourceType.WORKSPACE, id: WS, labels: [{ key: 'env', value: 'dev' }] });
  });

  test('each id list becomes resources of its own type, unlabelled', () => {
    const res = resourcesOf([spec({ sourceIds: ['s1', 's2'], warehouseIds: ['w1'], functionIds: ['f1'], spaceIds: ['sp1'] })]);
    expect(res).toHaveLength(5);
    for (const [type, id] of [
      [ResourceType.SOURCE, 's1'],
      [ResourceType.SOURCE, 's2'],
      [ResourceType.WAREHOUSE, 'w1'],
      [ResourceType.FUNCTION, 'f1'],
      [ResourceType.SPACE, 'sp1'],
    ] as const)
      expect(res).toContainEqual({ role: 'Source Admin', type, id, labels: [] });
  });

  test('specs with one role merge, duplicates fold, roles come out in normal order', () => {
    const out = resolveCustomPermissions(
      [spec({ roleName: 'Z Role', sourceIds: ['s1'] }), spec({ roleName: 'A Role', spaceIds: ['sp1'] }), spec({ roleName: 'Z Role', sourceIds: ['s1', 's2'] })],
      WS,
    );
    expect(out.map((p) => p.roleName)).toEqual(['A Role', 'Z Role']);
    expect(out[1].resources.map((r) => r.id).sort()).toEqual(['s1', 's2']);
  });

  test('property: the result is in normal form and holds exactly the resources each spec names', () => {
    const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 3 });
    const arbSpec = fc.record({
      roleName: fc.constantFrom('Source Admin', 'Source Read-only', 'Workspace Owner'),
      workspace: fc.boolean(),
      labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), fc.stringMatching(/^[a-z]{1,4}$/), { maxKeys: 2 }),
      sourceIds: ids,
      warehouseIds: ids,
      functionIds: ids,
      spaceIds: ids,
    });
    fc.assert(
      fc.property(fc.array(arbSpec, { maxLength: 4 }), (specs) => {
        const out = resolveCustomPermissions(specs, WS);
        expect(normalizePermissions(out)).toEqual(out);
        const key = (role: string, type: string, id: string, labels: readonly { key: string; value: string }[]) =>
          JSON.stringify([role, type, id, labels.map((l) => `${l.key}=${l.value}`).sort()]);
        const got = new Set(out.flatMap((p) => p.resources.map((r) => key(p.roleName, r.type, r.id, r.labels))));
        const want = new Set<string>();
        for (const s of specs) {
          if (s.workspace) want.add(key(s.roleName, ResourceType.WORKSPACE, WS, []));
          const labels = Object.entries(s.labels).map(([k, value]) => ({ key: k, value }));
          if (labels.length) want.add(key(s.roleName, ResourceType.WORKSPACE, WS, labels));
          for (const id of s.sourceIds) want.add(key(s.roleName, ResourceType.SOURCE, id, []));
          for (const id of s.warehouseIds) want.add(key(s.roleName, ResourceType.WAREHOUSE, id, []));
          for (const id of s.functionIds) want.add(key(s.roleName, ResourceType.FUNCTION, id, []));
          for (const id of s.spaceIds) want.add(key(s.roleName, ResourceType.SPACE, id, []));
        }
        expect([...got].sort()).toEqual([...want].sort());
      }),
    );
  });
});
