/**
 * Freezes a table and everything in it, so no module that imports it (a TypeScript definition runs
 * code) can change what the tool sends or decides: assigning to it throws in strict mode.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
