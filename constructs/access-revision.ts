import type { IConstruct } from 'constructs';

/**
 * The revision of the declared access of ONE app (construct tree): every change to it (a workspace,
 * a grant, a SourceAccess, a suppression) bumps it, so values derived from the tree are computed once
 * per revision and never go stale. Kept per root construct, so two apps in one process never share it.
 */
interface AppAccess {
  value: number;
  /** The app's access-managing constructs (its SegmentWorkspaces), in creation order: found without a tree scan. */
  readonly members: IConstruct[];
}

const APPS = new WeakMap<IConstruct, AppAccess>();

function counter(scope: IConstruct): AppAccess {
  const root = scope.node.root;
  let entry = APPS.get(root);
  if (!entry) APPS.set(root, (entry = { value: 0, members: [] }));
  return entry;
}

/** Registers a construct that holds declared access (a SegmentWorkspace) with its app. */
export function registerAccessMember(member: IConstruct): void {
  const entry = counter(member);
  entry.members.push(member);
  entry.value++;
}

/** The registered members of `scope`'s app. */
export function accessMembers(scope: IConstruct): readonly IConstruct[] {
  return counter(scope).members;
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
