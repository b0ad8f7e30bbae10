/**
 * A counter bumped on every change to the declared access (a grant, a SourceAccess, a suppression),
 * so values derived from the construct tree can be computed once per synth and cached safely.
 */
let generation = 0;

export function bumpGeneration(): void {
  generation++;
}

export function currentGeneration(): number {
  return generation;
}

/** Caches `compute()` until the generation or the key changes. */
export class GenerationCache<T> {
  private entry?: { readonly generation: number; readonly key: string; readonly value: T };

  public get(key: string, compute: () => T): T {
    if (this.entry && this.entry.generation === generation && this.entry.key === key) return this.entry.value;
    const value = compute();
    this.entry = { generation, key, value };
    return value;
  }
}

/** One GenerationCache per object (e.g. per construct tree root). */
export class KeyedGenerationCache<K extends object, T> {
  private readonly caches = new WeakMap<K, GenerationCache<T>>();

  public get(owner: K, key: string, compute: () => T): T {
    let cache = this.caches.get(owner);
    if (!cache) this.caches.set(owner, (cache = new GenerationCache<T>()));
    return cache.get(key, compute);
  }
}
