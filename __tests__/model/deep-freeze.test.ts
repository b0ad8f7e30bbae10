import { deepFreeze } from '../../model/deep-freeze';

// deepFreeze guards the tables the executor uses and the permissions grants share: every object and
// array inside is frozen, whatever its key, and it terminates on shared or cyclic parts.

describe('deepFreeze', () => {
  test('freezes every object and array inside, symbol keys included, and returns the same value', () => {
    const key = Symbol('k');
    const table = { a: { b: [{ c: 'x' }, ['y']] }, [key]: { d: 1 } };
    expect(deepFreeze(table)).toBe(table);
    for (const part of [table, table.a, table.a.b, table.a.b[0], table.a.b[1], table[key]]) expect(Object.isFrozen(part)).toBe(true);
    expect(() => {
      'use strict';
      (table.a.b[0] as { c: string }).c = 'changed';
    }).toThrow(TypeError);
  });

  test('a cycle, or a part frozen already, ends the walk (no endless recursion)', () => {
    const cyclic: { self?: unknown; list: unknown[] } = { list: [] };
    cyclic.self = cyclic;
    cyclic.list.push(cyclic);
    expect(() => deepFreeze(cyclic)).not.toThrow();
    expect(Object.isFrozen(cyclic.list)).toBe(true);

    // A frozen object holding an unfrozen one is a part someone else froze: left as it is.
    const inner = { n: 1 };
    const outer = Object.freeze({ inner });
    const frozenCycle = Object.freeze({ outer, again: outer }) as object;
    deepFreeze({ frozenCycle });
    expect(Object.isFrozen(inner)).toBe(false);
  });

  test('only objects and arrays are frozen: primitives, null and functions pass through as they are', () => {
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze('text')).toBe('text');
    expect(deepFreeze(7)).toBe(7);
    const callback = () => 1;
    const holder = deepFreeze({ callback });
    expect(Object.isFrozen(holder)).toBe(true);
    expect(Object.isFrozen(callback)).toBe(false);
  });
});
