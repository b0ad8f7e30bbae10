import { AccessLevel, ResourceType, WorkspaceRole } from '../model/enums';
import type { DesiredPermission, Label } from '../model/desired-state';
import { canonicalJson, samePermissions } from '../model/canonical';
import { resolvePermissions } from '../model/resolve-grant';
import type { CatalogSource, CatalogWarehouse, SourceAccessSpec, WorkspaceCatalog } from '../model/resolve-grant';
import { DEFAULT_ROLE_PRESETS, RolePreset } from '../model/role-presets';
import { CustomPermissionSpec, resolveCustomPermissions } from '../model/custom-permissions';
import type { SourceAccessProps } from '../constructs/source-access';
import type { CustomPermission } from '../constructs/custom-permission';
import { declarableLabelKey } from './catalog';
import { deepFreeze } from '../model/deep-freeze';

/** A grant as an access definition writes it: sources by catalog name, so environments can share it. */
export interface ImportedGrant {
  readonly role: WorkspaceRole;
  /** Present (possibly empty) only on preset grants. */
  readonly sourceAccess?: Readonly<Record<string, SourceAccessProps>>;
  /** Present only on CUSTOM grants. */
  readonly customPermissions?: readonly CustomPermission[];
}

/** Every way the definition can say a live permission set, best first; or why it cannot. */
export type GrantMapping =
  | { readonly ok: true; readonly candidates: readonly ImportedGrant[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Presets tried in this order. Read-only before Member: "Member with read-only source access" and
 * "Read-only narrowed to sources" are the same permissions, and the narrower name reads better
 * (the cross-environment merge still picks Member where the person is Member elsewhere).
 */
export const PRESET_ORDER: readonly WorkspaceRole[] = deepFreeze([WorkspaceRole.OWNER, WorkspaceRole.ADMIN, WorkspaceRole.READ_ONLY, WorkspaceRole.MEMBER]);

const LEVELS: readonly AccessLevel[] = [AccessLevel.ADMIN, AccessLevel.READ_ONLY];
const ACCESS_ID: Readonly<Record<AccessLevel, string>> = { [AccessLevel.ADMIN]: 'Admin', [AccessLevel.READ_ONLY]: 'ReadOnly' };

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The catalog entry a live id refers to; without any catalog, the id itself (as the constructs accept it). */
function sourceOf(catalog: WorkspaceCatalog, id: string): CatalogSource | undefined {
  if (catalog.sources.length === 0) return { id, name: id, labels: {} };
  return catalog.sources.find((s) => s.id === id);
}

function warehouseOf(catalog: WorkspaceCatalog, id: string): CatalogWarehouse | undefined {
  if (catalog.warehouses.length === 0) return { id, name: id };
  return catalog.warehouses.find((w) => w.id === id);
}

/** Resource labels as a definition's `{ key: value }`, or why they cannot be one. */
function labelRecord(labels: readonly Label[]): Record<string, string> | string {
  const out = new Map<string, string>();
  for (const l of labels) {
    if (!declarableLabelKey(l.key)) return `label key "${l.key}" cannot be written in a definition`;
    if (out.has(l.key)) return `one grant carries label key "${l.key}" twice`;
    out.set(l.key, l.value);
  }
  return Object.fromEntries(out);
}

interface LevelScope {
  all: boolean;
  sources: Map<string, CatalogSource>;
  labelSets: Map<string, Record<string, string>>;
  warehouses: Map<string, CatalogWarehouse>;
}

/** The SourceAccess entries that make `preset` give exactly `permissions`, if there are any. */
function scopedPreset(preset: RolePreset, permissions: readonly DesiredPermission[], catalog: WorkspaceCatalog): Record<string, SourceAccessProps> | undefined {
  const levelOf = (roles: RolePreset['sourceRoles'], roleName: string) => LEVELS.find((l) => roles?.[l] === roleName);
  const scopes = new Map<AccessLevel, LevelScope>();
  const scope = (level: AccessLevel) => {
    let s = scopes.get(level);
    if (!s) scopes.set(level, (s = { all: false, sources: new Map(), labelSets: new Map(), warehouses: new Map() }));
    return s;
  };
  for (const p of permissions) {
    const sourceLevel = levelOf(preset.sourceRoles, p.roleName);
    const warehouseLevel = levelOf(preset.warehouseRoles, p.roleName);
    for (const r of p.resources) {
      const onWorkspace = r.type === ResourceType.WORKSPACE && r.id === catalog.workspaceId;
      if (onWorkspace && r.labels.length === 0 && preset.workspaceRoles.includes(p.roleName)) continue;
      // Warehouse roles exist only for all warehouses (segment-docs iam/roles.md): a SourceAccess names them all.
      if (onWorkspace && r.labels.length === 0 && warehouseLevel && !sourceLevel) {
        if (catalog.warehouses.length === 0) return undefined;
        for (const w of catalog.warehouses) scope(warehouseLevel).warehouses.set(w.id, w);
        continue;
      }
      if (onWorkspace && sourceLevel) {
        if (r.labels.length === 0) scope(sourceLevel).all = true;
        else {
          const labels = labelRecord(r.labels);
          if (typeof labels === 'string') return undefined;
          scope(sourceLevel).labelSets.set(canonicalJson(labels), labels);
        }
      } else if (r.type === ResourceType.SOURCE && sourceLevel) {
        const source = sourceOf(catalog, r.id);
        if (!source) return undefined;
        scope(sourceLevel).sources.set(source.id, source);
      } else if (r.type === ResourceType.WAREHOUSE && warehouseLevel) {
        const warehouse = warehouseOf(catalog, r.id);
        if (!warehouse) return undefined;
        scope(warehouseLevel).warehouses.set(warehouse.id, warehouse);
      } else return undefined;
    }
  }
  const accesses: Record<string, SourceAccessProps> = {};
  const specs: SourceAccessSpec[] = [];
  for (const level of LEVELS) {
    const s = scopes.get(level);
    if (!s) continue;
    const byName = <T extends { name: string }>(m: Map<string, T>) => [...m.values()].sort((a, b) => compare(a.name, b.name));
    const sources = byName(s.sources);
    const warehouses = byName(s.warehouses);
    const labelSets = [...s.labelSets.entries()].sort(([a], [b]) => compare(a, b)).map(([, labels]) => labels);
    const entries: { allSources: boolean; sources: CatalogSource[]; labels: Record<string, string> }[] = [];
    if (s.all) entries.push({ allSources: true, sources: [], labels: {} });
    if (sources.length || labelSets.length) entries.push({ allSources: false, sources, labels: labelSets[0] ?? {} });
    for (const labels of labelSets.slice(1)) entries.push({ allSources: false, sources: [], labels });
    // A SourceAccess names sources (or labels, or all of them); warehouses ride on one of its entries.
    if (entries.length === 0) return undefined;
    entries.forEach((e, i) => {
      const w = i === 0 ? warehouses : [];
      accesses[i === 0 ? ACCESS_ID[level] : `${ACCESS_ID[level]}${i + 1}`] = {
        level,
        ...(e.allSources ? { allSources: true } : {}),
        ...(e.sources.length ? { sources: e.sources.map((x) => x.name) } : {}),
        ...(Object.keys(e.labels).length ? { labels: e.labels } : {}),
        ...(w.length ? { warehouses: w.map((x) => x.name) } : {}),
      };
      specs.push({ level, allSources: e.allSources, sources: e.sources, labels: e.labels, destinations: [], warehouses: w });
    });
  }
  if (specs.length === 0) return undefined;
  return samePermissions(resolvePermissions(preset, specs, catalog), permissions) ? accesses : undefined;
}

/** The grants of each preset that give exactly `permissions`: unscoped, or narrowed by SourceAccess. */
export function presetMatches(permissions: readonly DesiredPermission[], catalog: WorkspaceCatalog, presets: Readonly<Record<WorkspaceRole, RolePreset>> = DEFAULT_ROLE_PRESETS): ImportedGrant[] {
  const out: ImportedGrant[] = [];
  if (permissions.length === 0) return out;
  for (const role of PRESET_ORDER) {
    const preset = presets[role];
    if (samePermissions(resolvePermissions(preset, [], catalog), permissions)) out.push({ role, sourceAccess: {} });
    else {
      const sourceAccess = scopedPreset(preset, permissions, catalog);
      if (sourceAccess) out.push({ role, sourceAccess });
    }
  }
  return out;
}

/** The same permissions as explicit `customPermissions`, by catalog name; or why they cannot be written. */
export function customPermissionsOf(permissions: readonly DesiredPermission[], catalog: WorkspaceCatalog): CustomPermission[] | string {
  const out: CustomPermission[] = [];
  const specs: CustomPermissionSpec[] = [];
  for (const p of permissions) {
    let workspace = false;
    const labelSets: Record<string, string>[] = [];
    const sources: CatalogSource[] = [];
    const warehouses: CatalogWarehouse[] = [];
    const functions: string[] = [];
    const spaces: string[] = [];
    for (const r of p.resources) {
      if (r.type === ResourceType.WORKSPACE) {
        if (r.id !== catalog.workspaceId) return `${p.roleName} is granted on another workspace (${r.id})`;
        if (r.labels.length === 0) workspace = true;
        else {
          const labels = labelRecord(r.labels);
          if (typeof labels === 'string') return `${p.roleName}: ${labels}`;
          labelSets.push(labels);
        }
        continue;
      }
      if (r.labels.length) return `${p.roleName} on ${r.type.toLowerCase()} ${r.id} carries labels, which Segment applies to workspace-wide grants only`;
      if (r.type === ResourceType.SOURCE) {
        const source = sourceOf(catalog, r.id);
        if (!source) return `${p.roleName} is granted on source ${r.id}, which GET /sources does not list`;
        sources.push(source);
      } else if (r.type === ResourceType.WAREHOUSE) {
        const warehouse = warehouseOf(catalog, r.id);
        if (!warehouse) return `${p.roleName} is granted on warehouse ${r.id}, which GET /warehouses does not list`;
        warehouses.push(warehouse);
      } else if (r.type === ResourceType.FUNCTION) functions.push(r.id);
      else if (r.type === ResourceType.SPACE) spaces.push(r.id);
      else return `${p.roleName} is granted on an unknown resource type ${String(r.type)}`;
    }
    const byName = <T extends { name: string }>(items: T[]) => [...items].sort((a, b) => compare(a.name, b.name));
    const entries = labelSets.length ? labelSets.map((labels, i) => ({ labels, withTargets: i === 0 })) : [{ labels: {}, withTargets: true }];
    for (const { labels, withTargets } of entries) {
      const s = withTargets ? byName(sources) : [];
      const w = withTargets ? byName(warehouses) : [];
      const f = withTargets ? [...functions].sort(compare) : [];
      const sp = withTargets ? [...spaces].sort(compare) : [];
      const ws = withTargets && workspace;
      out.push({
        role: p.roleName,
        ...(ws ? { workspace: true } : {}),
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(s.length ? { sources: s.map((x) => x.name) } : {}),
        ...(w.length ? { warehouses: w.map((x) => x.name) } : {}),
        ...(f.length ? { functions: f } : {}),
        ...(sp.length ? { spaces: sp } : {}),
      });
      specs.push({ roleName: p.roleName, workspace: ws, labels, sourceIds: s.map((x) => x.id), warehouseIds: w.map((x) => x.id), functionIds: f, spaceIds: sp });
    }
  }
  if (!samePermissions(resolveCustomPermissions(specs, catalog.workspaceId), permissions)) return 'the permissions do not survive being written out (please report this)';
  return out;
}

/** Presets first (best first), then explicit permissions; both reproduce `permissions` exactly. */
export function mapPermissions(permissions: readonly DesiredPermission[], catalog: WorkspaceCatalog): GrantMapping {
  if (permissions.length === 0) return { ok: false, reason: 'no permissions of its own' };
  const presets = presetMatches(permissions, catalog);
  const custom = customPermissionsOf(permissions, catalog);
  if (typeof custom === 'string') return presets.length ? { ok: true, candidates: presets } : { ok: false, reason: custom };
  return { ok: true, candidates: [...presets, { role: WorkspaceRole.CUSTOM, customPermissions: custom }] };
}
