import type { IConstruct } from 'constructs';

/**
 * The revision of the declared access of ONE app (construct tree): every change to it (a workspace,
 * a grant, a SourceAccess, a suppression) bumps it, so values derived from the tree are computed once
 * per revision and never go stale. Kept per root construct, so two apps in one process never share it.
 */
const REVISIONS = new WeakMap<IConstruct, { value: number }>();

function counter(scope: IConstruct): { value: number } {
  const root = scope.node.root;
  let entry = REVISIONS.get(root);
  if (!entry) REVISIONS.set(root, (entry = { value: 0 }));
  return entry;
}

export function accessRevision(scope: IConstruct): number {
  return counter(scope).value;
}

/** Call on every change to the declared access below `scope`'s root. */
export function markAccessChanged(scope: IConstruct): void {
  counter(scope).value++;
}

/** Caches one derived value of a construct tree until its revision or the key changes. */
export class RevisionCache<T> {
  private entry?: { readonly revision: number; readonly key: string; readonly value: T };

  public get(scope: IConstruct, key: string, compute: () => T): T {
    const revision = accessRevision(scope);
    if (this.entry && this.entry.revision === revision && this.entry.key === key) return this.entry.value;
    const value = compute();
    this.entry = { revision, key, value };
    return value;
  }
}

/** One RevisionCache per owner object (e.g. per root construct). */
export class KeyedRevisionCache<K extends IConstruct, T> {
  private readonly caches = new WeakMap<K, RevisionCache<T>>();

  public get(owner: K, key: string, compute: () => T): T {
    let cache = this.caches.get(owner);
    if (!cache) this.caches.set(owner, (cache = new RevisionCache<T>()));
    return cache.get(owner, key, compute);
  }
}
