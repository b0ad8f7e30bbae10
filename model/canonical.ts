import { createHash } from 'crypto';
import type { DesiredPermission, PermissionResource } from './desired-state';

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown, indent?: number): string {
  // A replacer, not a sorted deep copy: objects whose keys are already in order (most of ours) are
  // written as they are, so large desired states are not copied.
  return JSON.stringify(value, sortedKeysReplacer, indent);
}

function sortedKeysReplacer(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  // Stryker disable all: a fast path only; sorting keys already in order writes the same JSON.
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  if (sorted) return value;
  // Stryker restore all
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

/**
 * Canonical JSON with one line per item of the top-level lists (collaborators, group grants...):
 * compact enough at thousands of grants, and a change shows as a one-line diff.
 */
export function canonicalJsonByLine(value: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  const fields = keys.map((key) => {
    const item = value[key];
    const name = JSON.stringify(key);
    if (Array.isArray(item)) {
      return item.length ? `  ${name}: [\n${item.map((entry) => `    ${canonicalJson(entry)}`).join(',\n')}\n  ]` : `  ${name}: []`;
    }
    return `  ${name}: ${canonicalJson(item)}`;
  });
  return `{\n${fields.join(',\n')}\n}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Label = PermissionResource['labels'][number];

/**
 * Each item once, in order. `order` is the sort key as first released: fingerprints, and so record
 * group names, depend on it. `identity` (JSON, so no "=", ":" or "," inside a key, value or id can
 * make two different items one) de-duplicates and breaks ties. Both are computed once per item.
 */
function uniqueSorted<T>(items: readonly T[], order: (item: T) => string, identity: (item: T) => string): T[] {
  const unique = new Map<string, { item: T; order: string }>();
  for (const item of items) unique.set(identity(item), { item, order: order(item) });
  return [...unique]
    .sort(([idA, a], [idB, b]) => compareStrings(a.order, b.order) || compareStrings(idA, idB))
    .map(([, { item }]) => item);
}

const labelOrder = (l: Label) => `${l.key}=${l.value}`;
const labelIdentity = (l: Label) => JSON.stringify([l.key, l.value]);
const resourceOrder = (r: PermissionResource) => `${r.type}:${r.id}:${r.labels.map(labelOrder).join(',')}`;
const resourceIdentity = (r: PermissionResource) => JSON.stringify([r.type, r.id, r.labels.map(labelIdentity)]);

/**
 * Permissions in one order, one entry per role, resources and labels sorted and de-duplicated,
 * so desired and live permissions compare by value.
 */
export function normalizePermissions(permissions: readonly DesiredPermission[]): DesiredPermission[] {
  const byRole = new Map<string, PermissionResource[]>();
  for (const p of permissions) {
    const resources = byRole.get(p.roleName) ?? [];
    for (const r of p.resources) {
      const labels = uniqueSorted(r.labels.map((l) => ({ key: l.key, value: l.value })), labelOrder, labelIdentity);
      // Keys in canonical (sorted) order here and in every desired-state object: canonicalJson then copies nothing.
      resources.push({ id: r.id, labels, type: r.type });
    }
    byRole.set(p.roleName, resources);
  }
  return [...byRole.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([roleName, resources]) => ({ resources: uniqueSorted(resources, resourceOrder, resourceIdentity), roleName }));
}

const FINGERPRINTS = new Map<string, string>();

/** The cached value for `key`, computed once. */
function cached<K, V>(cache: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, compute: () => V): V {
  let value = cache.get(key);
  // Stryker disable next-line ConditionalExpression: recomputing a cached value gives the same value.
  if (value === undefined) cache.set(key, (value = compute()));
  return value;
}

/** Short, stable identity of a permission set (it names record groups in Segment, so it must never change for the same set). */
export function permissionsFingerprint(permissions: readonly DesiredPermission[], alreadyNormalized = false): string {
  const normalized = alreadyNormalized ? permissions : normalizePermissions(permissions);
  // Normalized permissions have one shape, so plain JSON is a faithful cache key; few distinct sets exist.
  const key = JSON.stringify(normalized);
  return cached(FINGERPRINTS, key, () => sha256(canonicalJson(normalized)).slice(0, 12));
}

export function samePermissions(a: readonly DesiredPermission[], b: readonly DesiredPermission[]): boolean {
  return canonicalJson(normalizePermissions(a)) === canonicalJson(normalizePermissions(b));
}

const DESCRIPTIONS = new WeakMap<readonly DesiredPermission[], Map<ReadonlyMap<string, string> | undefined, string>>();
const NO_NAMES = new Map<string, string>();
const DESCRIPTIONS_BY_FINGERPRINT = new WeakMap<ReadonlyMap<string, string>, Map<string, string>>();

/**
 * `describePermissions` of a grant, memoized by its permission fingerprint: thousands of grants share
 * a few permission sets, so each set is described once per catalog of names.
 */
export function describeGrantPermissions(grant: { readonly permissions: readonly DesiredPermission[]; readonly fingerprint: string }, names?: ReadonlyMap<string, string>): string {
  const byFingerprint = cached(DESCRIPTIONS_BY_FINGERPRINT, names ?? NO_NAMES, () => new Map<string, string>());
  return cached(byFingerprint, grant.fingerprint, () => describeUncached(grant.permissions, names));
}

/**
 * One line per role, for plan triggers, tables and reports. Memoized per (permissions, names) pair:
 * a synth needs the same text for the grant's trigger and for every record it appears in.
 */
export function describePermissions(permissions: readonly DesiredPermission[], names?: ReadonlyMap<string, string>): string {
  const byNames = cached(DESCRIPTIONS, permissions, () => new Map<ReadonlyMap<string, string> | undefined, string>());
  return cached(byNames, names, () => describeUncached(permissions, names));
}

function describeUncached(permissions: readonly DesiredPermission[], names?: ReadonlyMap<string, string>): string {
  return normalizePermissions(permissions)
    .map((p) => `${p.roleName} on ${p.resources.map((r) => describeResource(r, names)).join(', ')}`)
    .join('; ');
}

function describeResource(r: PermissionResource, names?: ReadonlyMap<string, string>): string {
  const label = r.labels.length ? ` [${r.labels.map((l) => `${l.key}=${l.value}`).join(', ')}]` : '';
  if (r.type === 'WORKSPACE') return `workspace${label}`;
  const name = names?.get(r.id);
  return `${r.type.toLowerCase()} ${name ? `${name} (${r.id})` : r.id}${label}`;
}

/**
 * An email as addresses are matched: trimmed, ASCII letters in lower case. Only ASCII: toLowerCase()
 * also folds a few other letters into ASCII (the Kelvin sign "\u212A" becomes "k"), which would make a
 * look-alike such as `ana@\u212Aorp.example` the same person as `ana@korp.example`.
 */
export function normalizeEmail(email: string): string {
  return email.trim().replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
