import { test } from '@fast-check/jest';
import { dump as stringify } from 'js-yaml';
import { leanAndQuickChecks } from '../../requests/safe-yaml';
import { fc, numRuns } from './fast-check-config';

// safe-yaml's lean check passes plain files without the full bookkeeping of its inspection. It may send
// a file on to the inspection when it need not; it must never pass a file the inspection refuses (a
// tag, an anchor or alias past the bounds, a forbidden or non-text key, a second document), and the
// entry positions it finds (for "declared at file:line") must be the inspection's.

const SCALARS = ['plain', 'two words', '"quoted"', "'single'", '"esc\\u00e9"', '42', 'true', '~', '', '"constructor"', 'prototype', '|\n  block'];
// Mostly ordinary keys (some as long as a forbidden one), sometimes one the inspection refuses.
const key = fc.oneof(
  { arbitrary: fc.constantFrom('a', 'id', 'email', 'collaborators', 'groupGrants', 'displayName', 'requestedBy', 'approvedBy', 'constructo', 'prototypes', 'Constructor', '"a"', "'b'"), weight: 40 },
  { arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '"constructor"', "'__proto__'", '"proto\\u0074ype"', '? [x]', '? {k: v}', '*ref'), weight: 1 },
);
// What may stand before a node: mostly nothing, sometimes a tag or an anchor.
const decoration = fc.oneof({ arbitrary: fc.constant(''), weight: 40 }, { arbitrary: fc.constantFrom('!!str ', '!t ', '&ref '), weight: 1 });

type Node = { scalar: string; deco: string } | { alias: true } | { map: [string, Node][]; deco: string } | { seq: Node[]; deco: string };

const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.record({ scalar: fc.constantFrom(...SCALARS), deco: decoration }), weight: 4 },
    { arbitrary: fc.constant({ alias: true as const }), weight: 1 },
    { arbitrary: fc.record({ map: fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }), deco: decoration }), weight: 3 },
    { arbitrary: fc.record({ seq: fc.array(tie('node'), { maxLength: 4 }), deco: decoration }), weight: 3 },
  ),
}));

/** Block YAML for a node, `indent` spaces deep; a collection's lines follow its key or dash on new lines. */
function print(n: Node, indent: number): string {
  const pad = ' '.repeat(indent);
  if ('alias' in n) return ' *ref';
  if ('scalar' in n) return ` ${n.deco}${n.scalar.replace(/\n/g, `\n${pad}`)}`;
  const items = 'map' in n ? n.map : n.seq;
  if (items.length === 0) return ` ${n.deco}${'map' in n ? '{}' : '[]'}`;
  const lines = 'map' in n ? n.map.map(([k, v]) => `${pad}${k}:${print(v, indent + 2)}`) : n.seq.map((v) => `${pad}-${print(v, indent + 2)}`);
  return ` ${n.deco.trim()}\n${lines.join('\n')}`;
}

/** A top-level list, as `collaborators:` is: where the entries recorded for messages are. */
const topList = fc.record({ seq: fc.array(node, { minLength: 1, maxLength: 4 }), deco: fc.constant('') });

/** A whole file: a mapping at the top (sometimes anything), sometimes a second document after it. */
const file = fc
  .tuple(fc.array(fc.tuple(key, fc.oneof(node, topList)), { maxLength: 4 }), fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: node, weight: 1 }), fc.nat(9).map((n) => n === 0), fc.constantFrom('', '---\n'))
  .map(([top, other, second, start]) => {
    const body = other ? print(other, 0).replace(/^ /, '') : top.map(([k, v]) => `${k}:${print(v, 2)}`).join('\n');
    return `${start}${body}\n${second ? '---\nb: 1\n' : ''}`;
  });

function expectAgreement(source: string): void {
  const checks = leanAndQuickChecks(source);
  if (!checks?.lean) return;
  expect(checks.quick.problems).toBe(0);
  expect(checks.lean).toEqual(checks.quick.entries);
}

describe('the lean check of safe YAML', () => {
  test.prop([file], { numRuns: numRuns(1000) })('passes only what the inspection passes, with the same entry positions', expectAgreement);

  test.prop([fc.jsonValue({ maxDepth: 4 })], { numRuns: numRuns(300) })('any JSON-like document, as YAML: the same', (value) => expectAgreement(stringify(value)));

  test('the generator reaches both outcomes: files the lean check passes and files it sends on', () => {
    const samples = fc.sample(file, { numRuns: 500, seed: 7 }).map(leanAndQuickChecks);
    // Passed with entries in a top-level list, and refused by the inspection.
    expect(samples.filter((c) => c?.lean && [...c.lean.values()].some((list) => list.length > 0)).length).toBeGreaterThan(25);
    expect(samples.filter((c) => c && !c.lean && c.quick.problems > 0).length).toBeGreaterThan(20);
  });

  test('a plain requests file passes it, with each entry where its dash is', () => {
    const source = 'version: 1\ncollaborators:\n  - id: A\n    email: a@x.example\n  - "B"\n  -\n    id: C\ngroupGrants: []\n';
    const checks = leanAndQuickChecks(source)!;
    expect(checks.lean).toEqual(new Map([['version', []], ['collaborators', [source.indexOf('id: A'), source.indexOf('"B"'), source.indexOf('id: C')]], ['groupGrants', []]]));
  });

  test.each([
    ['a tag', 'a: !!str x\n'],
    ['an anchor', 'a: &x 1\nb: 2\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a forbidden key', 'collaborators:\n  - constructor: 1\n'],
    ['a quoted forbidden key', 'a:\n  "__proto__": 1\n'],
    ['an escaped forbidden key', 'a:\n  "proto\\u0074ype": 1\n'],
    ['a list as a key', '? [a]\n: 1\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
  ])('%s sends the file on to the inspection', (_, source) => {
    expect(leanAndQuickChecks(source)!.lean).toBeUndefined();
  });
});
