import { PlanTier, ResourceType } from '../../model/enums';
import { fromLive, holdsOwnerRole, RoleCatalog, toInvitePermissions, toPermissionInputs } from '../../reconciler/permissions';
import { compactStamp, parseCompactStamp, parseRecordName, RecordForm, RecordKind } from '../../reconciler/records';
import { onWorkspace, WS_ID } from '../support/desired';
import { catalog, PREFIX } from '../support/live';

describe('record names: exactly the parts each kind has', () => {
  test('an invited record with anything after its day is not a record', () => {
    expect(parseRecordName(PREFIX, 'segment-access:web-team:invited:0123456789ab:2026-11-27')).toEqual({ record: { kind: RecordKind.INVITED, app: 'web-team', fingerprint: '0123456789ab', day: '2026-11-27' }, form: RecordForm.UNSIGNED });
    expect(parseRecordName(PREFIX, 'segment-access:web-team:invited:0123456789ab:2026-11-27:extra')).toBeUndefined();
  });

  test('an intent with anything after its digest is not a record', () => {
    expect(parseRecordName(PREFIX, 'segment-access:web-team:intent:20261127T120000Z:aaaaaaaaaaaa')).toEqual({ record: { kind: RecordKind.INTENT, app: 'web-team', startedAt: '20261127T120000Z', digest: 'aaaaaaaaaaaa' }, form: RecordForm.UNSIGNED });
    expect(parseRecordName(PREFIX, 'segment-access:web-team:intent:20261127T120000Z:aaaaaaaaaaaa:extra')).toBeUndefined();
    expect(parseRecordName(PREFIX, 'segment-access:web-team:intent:20261127T120000Z')).toBeUndefined();
  });

  test('an unknown kind under a valid app id is not a record', () => {
    expect(parseRecordName(PREFIX, 'segment-access:web-team:admins:0123456789ab')).toBeUndefined();
  });
});

describe('record stamps', () => {
  test('a stamp reads back as the instant, to the second', () => {
    expect(parseCompactStamp('20261127T235959Z').toISOString()).toBe('2026-11-27T23:59:59.000Z');
    expect(compactStamp(new Date('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
  });

  test.each(['x20261127T120000Z', '20261127T120000Zx', '2026-11-27T12:00:00Z', ''])('%j is refused with the expected form named', (stamp) => {
    expect(() => parseCompactStamp(stamp)).toThrow(new Error(`Not a record stamp: "${stamp}" (expected YYYYMMDDTHHMMSSZ).`));
  });
});

describe('the role catalog', () => {
  const unsorted = new RoleCatalog([
    { id: 'r2', name: 'Source Admin' },
    { id: 'r1', name: 'Workspace Owner' },
    { id: 'r3', name: 'Minimal Workspace Access' },
  ]);

  test('looks roles up both ways, and lists names sorted', () => {
    expect(unsorted.idOf('Source Admin')).toBe('r2');
    expect(unsorted.nameOf('r1')).toBe('Workspace Owner');
    expect(unsorted.nameOf('r9')).toBeUndefined();
    expect(unsorted.idOf('Nope')).toBeUndefined();
    expect(unsorted.names).toEqual(['Minimal Workspace Access', 'Source Admin', 'Workspace Owner']);
  });

  test('a catalog with a Business-tier role is Business; Workspace Owner and Source Admin alone is Team', () => {
    expect(new RoleCatalog([{ id: 'r1', name: 'Workspace Owner' }, { id: 'r2', name: 'Source Admin' }]).planTier).toBe(PlanTier.TEAM);
    expect(new RoleCatalog([{ id: 'r1', name: 'Workspace Owner' }, { id: 'r2', name: 'Source Read-only' }]).planTier).toBe(PlanTier.BUSINESS);
  });

  test('an undeclared role is refused, naming the role and the sorted catalog', () => {
    const message = 'Role "Nope" is not in this workspace\'s role catalog (GET /roles lists: Minimal Workspace Access, Source Admin, Workspace Owner).';
    const wanted = [{ roleName: 'Nope', resources: [{ type: ResourceType.WORKSPACE, id: WS_ID, labels: [] }] }];
    expect(() => toPermissionInputs(wanted, unsorted)).toThrow(new Error(message));
    expect(() => toInvitePermissions(wanted, unsorted)).toThrow(new Error(message));
  });
});

describe('live permissions read into the desired form', () => {
  test('the catalog names the role, over the name the permission carries; without either, the id is named', () => {
    const read = fromLive(
      [
        { roleId: 'role3', roleName: 'stale name', resources: [{ id: WS_ID, type: 'WORKSPACE' }] },
        { roleId: 'role-gone', roleName: 'Legacy Role', resources: [{ id: WS_ID, type: 'WORKSPACE' }] },
        { roleId: 'role-x', resources: [{ id: WS_ID, type: 'WORKSPACE' }] },
      ],
      catalog,
    );
    expect(read).toEqual([
      { roleName: 'Legacy Role', resources: [{ id: WS_ID, labels: [], type: 'WORKSPACE' }] },
      { roleName: 'Source Admin', resources: [{ id: WS_ID, labels: [], type: 'WORKSPACE' }] },
      { roleName: 'unknown role role-x', resources: [{ id: WS_ID, labels: [], type: 'WORKSPACE' }] },
    ]);
  });

  test('labels on the resource and on the permission both narrow the grant', () => {
    const read = fromLive(
      [{ roleId: 'role3', resources: [{ id: WS_ID, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'prod' }] }], labels: [{ key: 'team', value: 'web' }] }],
      catalog,
    );
    expect(read).toEqual([
      {
        roleName: 'Source Admin',
        resources: [
          {
            id: WS_ID,
            type: 'WORKSPACE',
            labels: [
              { key: 'environment', value: 'prod' },
              { key: 'team', value: 'web' },
            ],
          },
        ],
      },
    ]);
  });
});

describe('holding Workspace Owner', () => {
  test('any one permission with Workspace Owner is enough; none is not', () => {
    expect(holdsOwnerRole(onWorkspace('Minimal Workspace Access', 'Workspace Owner'))).toBe(true);
    expect(holdsOwnerRole(onWorkspace('Minimal Workspace Access', 'Source Admin'))).toBe(false);
    expect(holdsOwnerRole([])).toBe(false);
  });
});
