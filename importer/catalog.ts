import type { WorkspaceCatalog } from '../model/resolve-grant';

export interface LiveSource {
  readonly id: string;
  readonly slug: string;
  readonly name: string | null;
  readonly labels: readonly { readonly key: string; readonly value: string }[];
}

export interface LiveWarehouse {
  readonly id: string;
  readonly name: string | null;
}

/** The catalog an imported workspace declares, and what could not be carried over exactly. */
export interface ImportedCatalog {
  readonly catalog: WorkspaceCatalog;
  readonly notes: readonly string[];
}

/**
 * Names grants use for sources and warehouses: the live name where it identifies one entry, else
 * the source's slug (unique in a workspace), else the id. A name may not be another entry's id or
 * name (the construct checks this too). Entries are visited by id, so the result is stable.
 */
export function importCatalog(workspaceId: string, sources: readonly LiveSource[], warehouses: readonly LiveWarehouse[]): ImportedCatalog {
  const byId = <T extends { id: string }>(items: readonly T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const entries = [
    ...byId(sources).map((s) => ({ id: s.id, candidates: [s.name?.trim(), s.slug.trim()] })),
    ...byId(warehouses).map((w) => ({ id: w.id, candidates: [w.name?.trim()] })),
  ];
  const ids = new Set(entries.map((e) => e.id));
  // A candidate several entries want (duplicate live names) is given to none of them.
  const wanted = new Map<string, number>();
  for (const e of entries) for (const c of new Set(e.candidates)) if (c) wanted.set(c, (wanted.get(c) ?? 0) + 1);
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const e of entries) {
    const name = e.candidates.find((c): c is string => Boolean(c) && wanted.get(c!) === 1 && !taken.has(c!) && (!ids.has(c!) || c === e.id)) ?? e.id;
    taken.add(name);
    names.set(e.id, name);
  }
  const notes: string[] = [];
  const catalogSources = byId(sources).map((s) => {
    const labels = new Map<string, string>();
    for (const l of s.labels) {
      if (!declarableLabelKey(l.key)) notes.push(`source ${s.id} carries label "${l.key}=${l.value}", which a definition cannot hold (the key is "__proto__"); it is left out`);
      else if (labels.has(l.key) && labels.get(l.key) !== l.value) notes.push(`source ${s.id} carries label key "${l.key}" twice; only "${l.key}=${labels.get(l.key)}" is declared`);
      else labels.set(l.key, l.value);
    }
    // fromEntries defines own properties, whatever the keys.
    return { id: s.id, name: names.get(s.id)!, labels: Object.fromEntries(labels) };
  });
  return {
    catalog: { workspaceId, sources: catalogSources, warehouses: byId(warehouses).map((w) => ({ id: w.id, name: names.get(w.id)! })) },
    notes,
  };
}

/** A label key an access definition can carry: zod (rightly) drops `__proto__` from records. */
export function declarableLabelKey(key: string): boolean {
  return key !== '__proto__';
}
