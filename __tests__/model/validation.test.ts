// The validation layer on its own: how any received value is shown (total, bounded, single line),
// what each zod issue says is allowed, and which fix a problem carries.
import { Construct } from 'constructs';
import { z } from 'zod';
import { CONCEAL_INPUT, ConcealedValue, SET_TO_UNDEFINED, formatReceived, invalid, parseInput, zodProblems } from '../../model/validation';
import { errorOf as problemsOf } from '../support/validation';


describe('formatReceived shows any value, never throwing', () => {
  test('scalars', () => {
    expect(formatReceived(undefined)).toBe('nothing (the field is missing)');
    expect(formatReceived('a')).toBe('"a"');
    expect(formatReceived(5)).toBe('5');
    expect(formatReceived(false)).toBe('false');
    expect(formatReceived(10n)).toBe('10n');
    expect(formatReceived(Symbol('s'))).toBe('Symbol(s)');
    expect(formatReceived(null)).toBe('null');
    expect(formatReceived(function named() {})).toBe('[function named]');
    expect(formatReceived([() => 1][0])).toBe('[function (anonymous)]');
  });

  test('objects: concealed values, constructs, dates, regular expressions', () => {
    expect(formatReceived(ConcealedValue.token('sgp_abc'))).toBe('a value that looks like a token (7 characters, not shown)');
    expect(formatReceived({ node: { path: 'prod/Ws' } })).toBe('<construct "prod/Ws">');
    expect(formatReceived({ node: { path: 5 } })).toBe('{"node":{"path":5}}');
    expect(formatReceived({ node: 'x' })).toBe('{"node":"x"}');
    expect(formatReceived({ node: null })).toBe('{"node":null}');
    expect(formatReceived(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(formatReceived(new Date('nope'))).toBe('[invalid Date]');
    expect(formatReceived(/a.b/g)).toBe('/a.b/g');
  });

  test('cycles, depth and width are bounded; an object seen twice is not a cycle', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(formatReceived(cyclic)).toBe('{"a":1,"self":[circular]}');
    const shared = {};
    expect(formatReceived([shared, shared])).toBe('[{},{}]');
    expect(formatReceived({ a: { b: { c: { d: 1 } } } })).toBe('{"a":{"b":{"c":{...}}}}');
    expect(formatReceived([[[[1]]]])).toBe('[[[[...]]]]');
    expect(formatReceived([1, 2, 3, 4, 5, 6, 7, 8])).toBe('[1,2,3,4,5,6,7,8]');
    expect(formatReceived([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe('[1,2,3,4,5,6,7,8,...]');
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(formatReceived(keys(8))).toBe('{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7}');
    expect(formatReceived(keys(9))).toBe('{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,...}');
  });

  test('undefined inside a value, and a concealed value in JSON', () => {
    expect(formatReceived([undefined, 1])).toBe('[undefined,1]');
    expect(formatReceived({ a: undefined })).toBe('{"a":undefined}');
    expect(JSON.stringify({ received: ConcealedValue.token('sgp_abc') })).toBe('{"received":"a value that looks like a token (7 characters, not shown)"}');
  });

  test('a getter that throws is an unreadable value', () => {
    expect(
      formatReceived({
        get x(): never {
          throw new Error('boom');
        },
      }),
    ).toBe('[unreadable value]');
  });

  test('at most 120 characters, cut after escaping', () => {
    const exactly = 'x'.repeat(118); // quoted: 120
    expect(formatReceived(exactly)).toBe(`"${exactly}"`);
    const longer = 'x'.repeat(119);
    expect(formatReceived(longer)).toBe(`"${'x'.repeat(116)}...`);
    expect([...formatReceived(longer)]).toHaveLength(120);
    expect(formatReceived('a\u001bb')).not.toContain('\u001b');
  });
});

describe('the error names the place, each field, the value, what is allowed and the fix', () => {
  test('message and JSON form', () => {
    const e = problemsOf(() => invalid('prod/Ws', { field: 'slug', received: 'Bad Slug', allowed: 'lower case', fix: 'use "acme".' }));
    expect(e.name).toBe('SegmentAccessValidationError');
    expect(e.message).toBe('Invalid input at prod/Ws:\n  - slug: received "Bad Slug"; allowed: lower case. Fix: use "acme".');
    expect(e.toJSON()).toEqual({
      name: 'SegmentAccessValidationError',
      message: e.message,
      where: 'prod/Ws',
      problems: [{ field: 'slug', received: '"Bad Slug"', allowed: 'lower case', fix: 'use "acme".' }],
    });
  });

  test('several problems, one line each', () => {
    const schema = z.object({ a: z.string(), b: z.number() });
    const e = problemsOf(() => parseInput(schema, { a: 1, b: 'x' }, 'W'));
    expect(e.message.split('\n')).toEqual([
      'Invalid input at W:',
      '  - a: received 1; allowed: a value of type string. Fix: set "a" to an allowed value in the props of W.',
      '  - b: received "x"; allowed: a value of type number. Fix: set "b" to an allowed value in the props of W.',
    ]);
  });
});

describe('what each kind of zod issue says is allowed', () => {
  const allowed = (schema: z.ZodType, input: unknown) => problemsOf(() => parseInput(schema, input, 'W')).problems[0].allowed;

  test('enums, types, string lengths, other sizes, formats, custom refinements', () => {
    expect(allowed(z.enum(['A', 'B']), 'C')).toBe('one of "A", "B"');
    expect(allowed(z.string(), 1)).toBe('a value of type string');
    expect(allowed(z.string().min(3), 'ab')).toBe('a string of at least 3 characters');
    expect(allowed(z.string().max(2), 'abc')).toBe('a string of at most 2 characters');
    expect(allowed(z.number().min(3), 1)).toBe(z.number().min(3).safeParse(1).error!.issues[0].message);
    expect(allowed(z.number().max(3), 5)).toBe(z.number().max(3).safeParse(5).error!.issues[0].message);
    expect(allowed(z.email(), 'nope')).toBe('a valid email value');
    expect(allowed(z.string().regex(/^a/, 'must start with a'), 'b')).toBe('must start with a');
    expect(allowed(z.string().refine(() => false, 'never good'), 'b')).toBe('never good');
  });

  test('misspelt props: only the unknown keys, shown and named in the fix', () => {
    const schema = z.strictObject({ name: z.string() });
    const [p] = problemsOf(() => parseInput(schema, { name: 'a', expiresIn: 3, groupname: 'g' }, 'W')).problems;
    expect(p.field).toBe('(props)');
    expect(p.allowed).toBe('only the documented props (unknown: expiresIn, groupname)');
    expect(p.received).toEqual({ expiresIn: 3, groupname: 'g' });
    expect(p.fix).toBe('remove or correct the misspelt prop(s) "expiresIn", "groupname".');
  });
});

describe('fixes: the refinement\'s own, else a hint by field (with * for one segment), else a default', () => {
  const schema = z.object({
    email: z.string().min(3),
    items: z.array(z.object({ id: z.string() })),
    token: z.string().refine((v) => !v.startsWith('sgp_'), { message: 'not a token', params: { ...CONCEAL_INPUT, fix: 'name the variable, not its value.' } }),
  });
  const fixOf = (input: unknown, hints: Record<string, string>) =>
    Object.fromEntries(problemsOf(() => parseInput(schema, input, 'W', hints)).problems.map((p) => [p.field, p.fix]));

  test('exact and wildcard hints; a pattern of another length does not match', () => {
    const input = { email: 'a', items: [{ id: 1 }], token: 'X' };
    expect(fixOf(input, { email: 'use a real address.', 'items.*.id': 'ids are strings.' })).toEqual({ email: 'use a real address.', 'items.0.id': 'ids are strings.' });
    expect(fixOf(input, { 'items.*': 'not this one.', '*.*.*.*': 'nor this.' })).toEqual({
      email: 'set "email" to an allowed value in the props of W.',
      'items.0.id': 'set "items.0.id" to an allowed value in the props of W.',
    });
  });

  test('an exact hint wins over a wildcard listed before it; a wildcard needs every other segment to match', () => {
    const input = { email: 'a', items: [{ id: 1 }], token: 'X' };
    expect(fixOf(input, { '*': 'wildcard.', email: 'exact.' }).email).toBe('exact.');
    expect(fixOf(input, { 'items.*.name': 'another field.', 'other.*.id': 'another list.' })['items.0.id']).toBe('set "items.0.id" to an allowed value in the props of W.');
  });

  test('only a string fix counts, and only a custom issue can conceal its input', () => {
    const oddFix = z.string().refine(() => false, { message: 'no', params: { fix: 42 } });
    expect(problemsOf(() => parseInput(oddFix, 'v', 'W')).problems[0].fix).toBe('set "(props)" to an allowed value in the props of W.');
    const [p] = problemsOf(() => parseInput(z.object({ token: z.number() }), { token: 'sgp_visible' }, 'W')).problems;
    expect(p.received).toBe('sgp_visible');
  });

  test('a refinement\'s fix wins, and a concealed input is never shown', () => {
    const [p] = problemsOf(() => parseInput(schema, { email: 'abc', items: [], token: 'sgp_secret_value' }, 'W', { token: 'a hint' })).problems;
    expect(p.fix).toBe('name the variable, not its value.');
    expect(p.received).toBeInstanceOf(ConcealedValue);
    expect(formatReceived(p.received)).toBe('a value that looks like a token (16 characters, not shown)');
    const conceal = z.unknown().refine(() => false, { params: CONCEAL_INPUT });
    expect(formatReceived(problemsOf(() => parseInput(conceal, 12345, 'W')).problems[0].received)).toBe('a value that looks like a token (5 characters, not shown)');
  });
});

describe('input zod cannot read, and text that is not well-formed Unicode', () => {
  test('a proxy that throws is a validation error naming the props', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('no reading'); } });
    const [p] = problemsOf(() => parseInput(z.object({ a: z.string() }), hostile, 'W')).problems;
    expect(p).toMatchObject({ field: '(props)', received: 'a value that could not be read (no reading)', fix: 'pass plain values in the props of W.' });
    expect(p.allowed).toContain('plain data');
    const strange = new Proxy({}, { get: () => { throw 'not an error'; } });
    expect(problemsOf(() => parseInput(z.object({ a: z.string() }), strange, 'W')).problems[0].received).toBe('a value that could not be read (not an error)');
  });

  test('lone surrogates in values and keys, at any depth, by field', () => {
    const schema = z.record(z.string(), z.unknown());
    const e = problemsOf(() => parseInput(schema, { ok: 'fine', a: { b: ['x', 'half \ud83d'] }, ['k\udc00']: 1 }, 'W'));
    expect(e.problems.map((p) => [p.field, p.received])).toEqual([
      ['a.b.1', 'half \ud83d'],
      ['k\udc00', 'k\udc00'],
    ]);
    expect(e.problems[0].allowed).toContain('well-formed Unicode');
    expect(e.problems[0].fix).toContain('half a character');
    expect(problemsOf(() => parseInput(z.string(), '\ud800', 'W')).problems[0].field).toBe('(props)');
    expect(parseInput(z.string(), '\ud83d\ude00 ok', 'W')).toBe('\ud83d\ude00 ok');
  });

  test('null, undefined and numbers are walked past; null-prototype objects are plain data and are checked', () => {
    const schema = z.unknown();
    expect(parseInput(schema, { a: null, b: undefined, c: [1, true, null] }, 'W')).toEqual({ a: null, b: undefined, c: [1, true, null] });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { text: 'half \ud83d' });
    expect(problemsOf(() => parseInput(schema, { bare }, 'W')).problems.map((p) => p.field)).toEqual(['bare.text']);
  });

  test('an object shared by two fields is reported once, at its first path', () => {
    const shared = { text: '\udc00' };
    expect(problemsOf(() => parseInput(z.unknown(), { a: shared, b: shared }, 'W')).problems.map((p) => p.field)).toEqual(['a.text']);
  });

  test('constructs and class instances are not entered; a cycle is walked once', () => {
    const schema = z.unknown();
    class Holder {
      text = '\ud800';
    }
    const construct = new Construct(new Construct(undefined as never, 'root'), 'X');
    (construct as unknown as { text: string }).text = '\ud800';
    expect(parseInput(schema, { grantee: construct }, 'W')).toEqual({ grantee: construct });
    expect(parseInput(schema, new Holder(), 'W')).toBeInstanceOf(Holder);
    // Plain data that only looks like a construct is text the definition holds: it is checked.
    expect(problemsOf(() => parseInput(schema, { node: { path: 'prod/X' }, text: '\ud800' }, 'W')).problems.map((p) => p.field)).toEqual(['text']);
    const cyclic: Record<string, unknown> = { a: 'ok' };
    cyclic.self = cyclic;
    expect(parseInput(schema, cyclic, 'W')).toBe(cyclic);
    const brokenInCycle: Record<string, unknown> = { a: '\udc00' };
    brokenInCycle.self = brokenInCycle;
    expect(problemsOf(() => parseInput(schema, brokenInCycle, 'W')).problems.map((p) => p.field)).toEqual(['a']);
  });
});

describe('where a problem is in a file, and a value concealed in JSON', () => {
  test('a problem with a place shows it before the field, in the message and the JSON form', () => {
    const e = problemsOf(() => invalid('access.yaml', { at: 'access.yaml:12:7', field: 'role', received: 'GOD', allowed: 'a role', fix: 'pick one.' }));
    expect(e.message).toBe('Invalid input at access.yaml:\n  - access.yaml:12:7 role: received "GOD"; allowed: a role. Fix: pick one.');
    expect(e.toJSON()).toMatchObject({ problems: [{ at: 'access.yaml:12:7', field: 'role', received: '"GOD"' }] });
  });

  test('a concealed value serialises as its description only', () => {
    const token = `sgp_${'x'.repeat(64)}`;
    expect(JSON.stringify({ received: ConcealedValue.token(token) })).toBe('{"received":"a value that looks like a token (68 characters, not shown)"}');
  });
});

describe('a field set to undefined is not called missing', () => {
  const schema = z.object({ tier: z.enum(['TEAM', 'BUSINESS']), nested: z.object({ role: z.string() }).optional(), list: z.array(z.string()).optional() });

  test('a top-level field present with the value undefined', () => {
    const e = problemsOf(() => parseInput(schema, { tier: undefined }, 'W'));
    expect(e.message).toContain(`tier: received ${SET_TO_UNDEFINED};`);
    expect(e.toJSON()).toMatchObject({ problems: [{ field: 'tier', received: SET_TO_UNDEFINED }] });
  });

  test('a field left out is missing', () => {
    const e = problemsOf(() => parseInput(schema, {}, 'W'));
    expect(e.message).toContain('tier: received nothing (the field is missing);');
  });

  test('nested: present-and-undefined vs left out, in objects and arrays', () => {
    expect(problemsOf(() => parseInput(schema, { tier: 'TEAM', nested: { role: undefined } }, 'W')).message).toContain(`nested.role: received ${SET_TO_UNDEFINED};`);
    expect(problemsOf(() => parseInput(schema, { tier: 'TEAM', nested: {} }, 'W')).message).toContain('nested.role: received nothing (the field is missing);');
    expect(problemsOf(() => parseInput(schema, { tier: 'TEAM', list: ['a', undefined] }, 'W')).message).toContain(`list.1: received ${SET_TO_UNDEFINED};`);
  });

  test('without the input, or where the path cannot be followed, undefined reads as missing', () => {
    const issue = { code: 'invalid_type', expected: 'string', path: ['a', 'b'], input: undefined, message: 'x' } as unknown as z.core.$ZodIssue;
    const received = (input?: unknown) => formatReceived(zodProblems([issue], 'W', {}, input)[0].received);
    expect(received({ a: { b: undefined } })).toBe(SET_TO_UNDEFINED);
    expect(received()).toBe('nothing (the field is missing)');
    expect(received({ a: null })).toBe('nothing (the field is missing)');
    expect(received({ a: 'text' })).toBe('nothing (the field is missing)');
    expect(received(null)).toBe('nothing (the field is missing)');
    expect(received({ a: {} })).toBe('nothing (the field is missing)');
    const root = { code: 'invalid_type', expected: 'string', path: [], input: undefined, message: 'x' } as unknown as z.core.$ZodIssue;
    expect(formatReceived(zodProblems([root], 'W', {}, undefined)[0].received)).toBe('nothing (the field is missing)');
  });

  test('a value received that is not undefined is shown as itself even where the input holds undefined', () => {
    const issue = { code: 'invalid_type', expected: 'string', path: ['a'], input: 5, message: 'x' } as unknown as z.core.$ZodIssue;
    expect(zodProblems([issue], 'W', {}, { a: undefined })[0].received).toBe(5);
  });
});

describe('hints given as a function', () => {
  test('the function is asked with the field, and its answer is the fix; undefined falls back to the default', () => {
    const schema = z.object({ a: z.string(), b: z.string() });
    const result = schema.safeParse({ a: 1, b: 2 }, { reportInput: true });
    if (result.success) throw new Error('expected a failure');
    const asked: string[] = [];
    const problems = zodProblems(result.error.issues, 'W', (field) => {
      asked.push(field);
      return field === 'a' ? 'give a a string.' : undefined;
    });
    expect(asked).toEqual(['a', 'b']);
    expect(problems.map((p) => p.fix)).toEqual(['give a a string.', 'set "b" to an allowed value in the props of W.']);
  });
});
