/**
 * Where a piece of input data was written (`access.yaml:12:5`), for messages about it raised later
 * (at synth, by the constructs). Kept per object, so it follows the entry and never leaks between apps.
 * A function is asked only when a message needs the place (most entries never do).
 */
const DECLARED_AT = new WeakMap<object, string | (() => string)>();

export function recordDeclaredAt(entry: object, at: string | (() => string)): void {
  DECLARED_AT.set(entry, at);
}

/** Where the entry was declared, when it came from a file. */
export function declaredAt(entry: object): string | undefined {
  const at = DECLARED_AT.get(entry);
  return typeof at === 'function' ? at() : at;
}
