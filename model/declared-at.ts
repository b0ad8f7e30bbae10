/**
 * Where a piece of input data was written (`access.yaml:12:5`), for messages about it raised later
 * (at synth, by the constructs). Kept per object, so it follows the entry and never leaks between apps.
 */
const DECLARED_AT = new WeakMap<object, string>();

export function recordDeclaredAt(entry: object, at: string): void {
  DECLARED_AT.set(entry, at);
}

/** Where the entry was declared, when it came from a file. */
export function declaredAt(entry: object): string | undefined {
  return DECLARED_AT.get(entry);
}
