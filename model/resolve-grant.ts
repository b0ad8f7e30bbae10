import { AccessLevel, ResourceType, WorkspaceRole } from './enums';
import type { DesiredPermission, GrantBody, PermissionResource } from './desired-state';
import { normalizePermissions, permissionsFingerprint } from './canonical';
import type { RolePreset } from './role-presets';
import { SegmentRoleName } from './role-presets';

/** A source the workspace knows: from its declared catalog, or just an id when it declares none. */
export interface CatalogSource {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface CatalogWarehouse {
  readonly id: string;
  readonly name: string;
}

/** What a workspace declares about itself that grants refer to. */
export interface WorkspaceCatalog {
  readonly workspaceId: string;
  readonly sources: readonly CatalogSource[];
  readonly warehouses: readonly CatalogWarehouse[];
}

/** One SourceAccess, validated. */
export interface SourceAccessSpec {
  readonly level: AccessLevel;
  readonly allSources: boolean;
  readonly sources: readonly CatalogSource[];
  readonly labels: Readonly<Record<string, string>>;
  readonly destinations: readonly { readonly name: string; readonly source: CatalogSource }[];
  readonly warehouses: readonly CatalogWarehouse[];
}

/** Finds an entry by id or catalog name. Without a catalog, any reference is taken as an id. */
function findInCatalog<T extends { readonly id: string; readonly name: string }>(entries: readonly T[], ref: string, uncatalogued: T): T | undefined {
  if (entries.length === 0) return uncatalogued;
  return entries.find((e) => e.id === ref || e.name === ref);
}

export function findSource(catalog: WorkspaceCatalog, ref: string): CatalogSource | undefined {
  return findInCatalog(catalog.sources, ref, { id: ref, name: ref, labels: {} });
}

export function findWarehouse(catalog: WorkspaceCatalog, ref: string): CatalogWarehouse | undefined {
  return findInCatalog(catalog.warehouses, ref, { id: ref, name: ref });
}

function onWorkspace(catalog: WorkspaceCatalog, roleName: string, labels: Readonly<Record<string, string>> = {}): DesiredPermission {
  const labelList = Object.entries(labels).map(([key, value]) => ({ key, value }));
  return { roleName, resources: [{ type: ResourceType.WORKSPACE, id: catalog.workspaceId, labels: labelList }] };
}

function on(type: ResourceType, id: string, roleName: string): DesiredPermission {
  return { roleName, resources: [{ type, id, labels: [] }] };
}

/** Whether a permission set lets its holder administer a given source (needed to configure its destinations). */
export function grantsSourceAdmin(permissions: readonly DesiredPermission[], source: CatalogSource, catalog: WorkspaceCatalog): boolean {
  const adminRoles: string[] = [SegmentRoleName.SOURCE_ADMIN, SegmentRoleName.WORKSPACE_OWNER];
  return permissions
    .filter((p) => adminRoles.includes(p.roleName))
    .some((p) => p.resources.some((r: PermissionResource) => coversSource(r, source, catalog)));
}

/**
 * Whether these permissions give `roleName` over every source of the workspace: on the whole
 * workspace, or by labels or ids that together select every source of the catalog. Without a source
 * catalog, a label-scoped grant cannot be shown to be narrower, so it counts as every source.
 */
export function coversEverySource(permissions: readonly DesiredPermission[], roleName: string, catalog: WorkspaceCatalog): boolean {
  const held = permissions.filter((p) => p.roleName === roleName);
  const onWorkspace = (labelled: boolean) =>
    held.some((p) => p.resources.some((r) => r.type === ResourceType.WORKSPACE && r.id === catalog.workspaceId && r.labels.length > 0 === labelled));
  if (onWorkspace(false)) return true;
  if (catalog.sources.length === 0) return onWorkspace(true);
  return catalog.sources.every((s) => held.some((p) => p.resources.some((r) => coversSource(r, s, catalog))));
}

function coversSource(r: PermissionResource, source: CatalogSource, catalog: WorkspaceCatalog): boolean {
  if (r.type === ResourceType.SOURCE) return r.id === source.id;
  if (r.type !== ResourceType.WORKSPACE || r.id !== catalog.workspaceId) return false;
  return r.labels.every((l) => source.labels[l.key] === l.value);
}

/** The Segment permissions a preset plus its SourceAccess entries stand for (design.md section 4). */
export function resolvePermissions(
  preset: RolePreset,
  accesses: readonly SourceAccessSpec[],
  catalog: WorkspaceCatalog,
): DesiredPermission[] {
  const permissions = preset.workspaceRoles.map((role) => onWorkspace(catalog, role));
  if (accesses.length === 0) permissions.push(...(preset.unscopedRoles ?? []).map((role) => onWorkspace(catalog, role)));
  for (const access of accesses) {
    const sourceRole = preset.sourceRoles?.[access.level];
    if (sourceRole) {
      if (access.allSources) permissions.push(onWorkspace(catalog, sourceRole));
      for (const s of access.sources) permissions.push(on(ResourceType.SOURCE, s.id, sourceRole));
      if (Object.keys(access.labels).length) permissions.push(onWorkspace(catalog, sourceRole, access.labels));
    }
    // Warehouse roles exist only for all warehouses (segment-docs iam/roles.md): workspace-wide.
    const warehouseRole = preset.warehouseRoles?.[access.level];
    if (warehouseRole && access.warehouses.length) permissions.push(onWorkspace(catalog, warehouseRole));
  }
  return normalizePermissions(permissions);
}

/** A preset whose roles already cover every source takes SourceAccess as a record only. */
export function presetScopesSources(preset: RolePreset): boolean {
  return preset.sourceRoles !== undefined && Object.keys(preset.sourceRoles).length > 0;
}

export function allowedLevels(preset: RolePreset): AccessLevel[] {
  return (Object.keys(preset.sourceRoles ?? {}) as AccessLevel[]).sort();
}

function stronger(level: AccessLevel, before?: AccessLevel): AccessLevel {
  return before === AccessLevel.ADMIN ? before : level;
}

/** A source or warehouse a grant names, at a level (keys in sorted order, as the desired state is written). */
interface LeveledEntry {
  readonly id: string;
  readonly level: AccessLevel;
  readonly name: string;
}

/** One entry per id (named as its last mention), at the strongest level any entry gives it, sorted by id. */
function strongestById(entries: readonly LeveledEntry[]): LeveledEntry[] {
  const byId = new Map<string, LeveledEntry>();
  for (const e of entries) byId.set(e.id, { id: e.id, level: stronger(e.level, byId.get(e.id)?.level), name: e.name });
  // Map keys: ids are unique, so two never compare equal.
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Builds the shared body of an individual or group grant; `custom` are a CUSTOM grant's explicit permissions. */
export function resolveGrantBody(
  role: WorkspaceRole,
  preset: RolePreset,
  accesses: readonly SourceAccessSpec[],
  catalog: WorkspaceCatalog,
  audit: GrantBody['audit'],
  path: string,
  custom: readonly DesiredPermission[] = [],
): GrantBody {
  const fromPreset = resolvePermissions(preset, accesses, catalog);
  const permissions = custom.length ? normalizePermissions([...fromPreset, ...custom]) : fromPreset;
  const all = accesses.filter((a) => a.allSources);
  // Keys in sorted order, as the desired state is written (canonicalJson copies nothing then).
  return {
    allSources: all.length ? { level: all.map((a) => a.level).reduce((before, level) => stronger(level, before)) } : null,
    audit,
    destinations: accesses
      .flatMap((a) => a.destinations.map((d) => ({ name: d.name, sourceId: d.source.id, sourceName: d.source.name })))
      .sort((a, b) => (`${a.sourceId}/${a.name}` < `${b.sourceId}/${b.name}` ? -1 : 1)),
    // Stryker disable next-line BooleanLiteral: permissions are normalized already; normalizing again changes nothing.
    fingerprint: permissionsFingerprint(permissions, true),
    path,
    permissions,
    role,
    sourceLabels: accesses.flatMap((a) => Object.entries(a.labels).map(([key, value]) => ({ key, level: a.level, value }))),
    sources: strongestById(accesses.flatMap((a) => a.sources.map((s) => ({ id: s.id, level: a.level, name: s.name })))),
    warehouses: strongestById(accesses.flatMap((a) => a.warehouses.map((w) => ({ id: w.id, level: a.level, name: w.name })))),
  };
}
