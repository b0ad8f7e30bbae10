import { AccessLevel, ResourceType, WorkspaceRole } from './enums';
import type { DesiredPermission, GrantBody, PermissionResource } from './desired-state';
import { normalizePermissions, permissionsFingerprint } from './canonical';
import type { RolePreset } from './role-presets';
import { SegmentRoleName } from './role-presets';
import { deepFreeze } from './deep-freeze';

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

/**
 * What of one SourceAccess decides the permissions a preset gives: its level, whether it covers every
 * source, the ids and labels it names, and whether it names warehouses. Its destinations and names do not.
 */
interface AccessScope {
  readonly level: AccessLevel;
  readonly allSources: boolean;
  readonly sourceIds: readonly string[];
  readonly labels: readonly (readonly [string, string])[];
  readonly warehouses: boolean;
}

function scopeOf(access: SourceAccessSpec): AccessScope {
  return {
    level: access.level,
    allSources: access.allSources,
    sourceIds: access.sources.map((s) => s.id),
    labels: Object.entries(access.labels),
    warehouses: access.warehouses.length > 0,
  };
}

/** The permissions of a preset narrowed by scopes; reads nothing else (so the scopes can key a cache). */
function permissionsOf(preset: RolePreset, scopes: readonly AccessScope[], catalog: WorkspaceCatalog): DesiredPermission[] {
  const permissions = preset.workspaceRoles.map((role) => onWorkspace(catalog, role));
  if (scopes.length === 0) permissions.push(...(preset.unscopedRoles ?? []).map((role) => onWorkspace(catalog, role)));
  for (const scope of scopes) {
    const sourceRole = preset.sourceRoles?.[scope.level];
    if (sourceRole) {
      if (scope.allSources) permissions.push(onWorkspace(catalog, sourceRole));
      for (const id of scope.sourceIds) permissions.push(on(ResourceType.SOURCE, id, sourceRole));
      if (scope.labels.length) permissions.push(onWorkspace(catalog, sourceRole, Object.fromEntries(scope.labels)));
    }
    // Warehouse roles exist only for all warehouses (segment-docs iam/roles.md): workspace-wide.
    const warehouseRole = preset.warehouseRoles?.[scope.level];
    if (warehouseRole && scope.warehouses) permissions.push(onWorkspace(catalog, warehouseRole));
  }
  return normalizePermissions(permissions);
}

/** The Segment permissions a preset plus its SourceAccess entries stand for (design.md section 4). */
export function resolvePermissions(
  preset: RolePreset,
  accesses: readonly SourceAccessSpec[],
  catalog: WorkspaceCatalog,
): DesiredPermission[] {
  return permissionsOf(preset, accesses.map(scopeOf), catalog);
}

/** Normalized permissions and their fingerprint. */
export interface ResolvedPermissions {
  readonly permissions: readonly DesiredPermission[];
  readonly fingerprint: string;
}

/**
 * resolvePermissions for the grants of one workspace: thousands of grants share a few presets and
 * scopes, so each distinct pair is resolved, normalized and fingerprinted once. What is returned is
 * frozen (grants share it). Presets key by identity: a workspace's presets are frozen tables.
 */
export class PermissionsResolver {
  private readonly byPreset = new WeakMap<RolePreset, Map<string, ResolvedPermissions>>();

  constructor(private readonly catalog: WorkspaceCatalog) {}

  public resolve(preset: RolePreset, accesses: readonly SourceAccessSpec[]): ResolvedPermissions {
    let byScopes = this.byPreset.get(preset);
    if (!byScopes) this.byPreset.set(preset, (byScopes = new Map()));
    const scopes = accesses.map(scopeOf);
    // JSON of the scopes: exactly what permissionsOf reads (besides the preset and the workspace id).
    const key = JSON.stringify(scopes);
    let resolved = byScopes.get(key);
    if (!resolved) {
      const permissions = deepFreeze(permissionsOf(preset, scopes, this.catalog));
      // Stryker disable next-line BooleanLiteral: permissionsOf normalizes already; normalizing again changes nothing.
      resolved = Object.freeze({ permissions, fingerprint: permissionsFingerprint(permissions, true) });
      byScopes.set(key, resolved);
    }
    return resolved;
  }
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
  /** The workspace's shared resolver. @default - one for this grant alone */
  resolver: PermissionsResolver = new PermissionsResolver(catalog),
): GrantBody {
  const fromPreset = resolver.resolve(preset, accesses);
  const permissions = custom.length ? normalizePermissions([...fromPreset.permissions, ...custom]) : fromPreset.permissions;
  const all = accesses.filter((a) => a.allSources);
  // Keys in sorted order, as the desired state is written (canonicalJson copies nothing then).
  return {
    allSources: all.length ? { level: all.map((a) => a.level).reduce((before, level) => stronger(level, before)) } : null,
    audit,
    destinations: accesses
      .flatMap((a) => a.destinations.map((d) => ({ name: d.name, sourceId: d.source.id, sourceName: d.source.name })))
      .sort((a, b) => (`${a.sourceId}/${a.name}` < `${b.sourceId}/${b.name}` ? -1 : 1)),
    // Stryker disable next-line BooleanLiteral: permissions are normalized already; normalizing again changes nothing.
    fingerprint: custom.length ? permissionsFingerprint(permissions, true) : fromPreset.fingerprint,
    path,
    // Shared and frozen when they come from the resolver: nothing writes to a grant's body.
    permissions: permissions as DesiredPermission[],
    role,
    sourceLabels: accesses.flatMap((a) => Object.entries(a.labels).map(([key, value]) => ({ key, level: a.level, value }))),
    sources: strongestById(accesses.flatMap((a) => a.sources.map((s) => ({ id: s.id, level: a.level, name: s.name })))),
    warehouses: strongestById(accesses.flatMap((a) => a.warehouses.map((w) => ({ id: w.id, level: a.level, name: w.name })))),
  };
}
