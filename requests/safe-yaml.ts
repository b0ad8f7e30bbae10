import { constructFromEvents, CORE_SCHEMA, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, YAMLException } from 'js-yaml';
import type { Event } from 'js-yaml';
import type { ValidationProblem } from '../model/validation';

/**
 * YAML in its safest mode, for files that people who want access may edit. Everything that could
 * run code, reach a prototype or exhaust memory is refused with a located problem, never resolved:
 *   - the YAML 1.2 core schema and no tag at all: `!!js/function`, `!foo`, even `!!str` are errors;
 *   - no merge keys (`<<` is an ordinary, unknown key), unique keys, plain-text keys, one document;
 *   - `__proto__`, `constructor` and `prototype` refused as keys anywhere;
 *   - bounded size (checked before parsing), nesting depth (the parser's own limit) and alias
 *     expansion ("billion laughs": counted on the event stream, before any value is built).
 * js-yaml 5 parses to a flat event stream with source offsets, then builds values from it: the checks
 * run on the events in between, as its safety notes advise for untrusted input
 * (https://github.com/nodeca/js-yaml/blob/master/docs/safety.md). It is also the fast path: a 2 MB
 * file (5,000 collaborators) reads in about 0.15 s, where eemeli/yaml 2.9 took about 1.4 s (measured
 * here, cold), which alone would have broken the synth targets of `npm run bench`.
 */

/** Limits on a YAML file; the platform team may change them in code, never a requests file. */
export interface YamlLimits {
  /** Largest file, in bytes of UTF-8. */
  readonly maxBytes: number;
  /** Deepest nesting of mappings and sequences (an access requests file is about 9 deep). */
  readonly maxDepth: number;
  /** Most aliases (`*name`) in the file. */
  readonly maxAliases: number;
  /** Most values that aliases may add when expanded (what a "billion laughs" file has too many of). */
  readonly maxAliasExpansion: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = Object.freeze({
  // 5,000 collaborators with overrides take about 2 MB.
  maxBytes: 8 * 1024 * 1024,
  maxDepth: 20,
  maxAliases: 100,
  maxAliasExpansion: 10_000,
});

/** Keys that name a JavaScript object's prototype machinery: never data. */
export const FORBIDDEN_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);

/** A parsed file and where each of its values came from. */
export interface SafeYaml {
  readonly value: unknown;
  /** `file:line:column` of the value at `path` (of its key, when `key` is given), else of the nearest enclosing value. */
  locate(path: readonly PropertyKey[], key?: string): string;
  /** `file:line:column` of entry `index` of a top-level list (`collaborators`, `groupGrants`). */
  entryAt(list: string, index: number): string;
}

/** Where a value starts, and its entries: a mapping's by key, a sequence's by index. */
interface Located {
  readonly start: number;
  readonly keys?: Map<string, { readonly keyStart: number; value?: Located }>;
  readonly items?: Located[];
}

/** Offsets to `file:line:column` (1-based), from the line starts found once, when a position is first asked for. */
class Positions {
  private lineStarts?: number[];

  constructor(
    private readonly file: string,
    private readonly source: string,
  ) {}

  public at(offset: number): string {
    const lineStarts = (this.lineStarts ??= this.findLineStarts());
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return `${this.file}:${low + 1}:${offset - lineStarts[low] + 1}`;
  }

  private findLineStarts(): number[] {
    const starts = [0];
    for (let i = this.source.indexOf('\n'); i !== -1; i = this.source.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
}

/** Where a node's text starts: its anchor or tag when written before it (offsets are -1 when absent). */
function startOf(event: { readonly anchorStart: number; readonly tagStart: number }, own: number): number {
  let start = own;
  if (event.anchorStart >= 0 && event.anchorStart < start) start = event.anchorStart;
  if (event.tagStart >= 0 && event.tagStart < start) start = event.tagStart;
  return start;
}

/** First characters of the forbidden keys: a plain key starting otherwise needs no decoding. */
const FORBIDDEN_FIRST = new Set(FORBIDDEN_KEYS.map((key) => key[0]));

/**
 * Whether a key scalar could decode to a forbidden key, so only those are decoded in the quick pass: a
 * plain key is its own text (9 or 11 characters for these, starting as one of them does); any other
 * style (quoted, escaped, block) is always decoded.
 */
function mayBeForbidden(event: { readonly valueStart: number; readonly valueEnd: number; readonly style: number }, source: string): boolean {
  if (event.style !== SCALAR_STYLE.PLAIN) return true;
  const length = event.valueEnd - event.valueStart;
  return length >= 9 && length <= 11 && FORBIDDEN_FIRST.has(source[event.valueStart]);
}

interface Frame {
  readonly start: number;
  /** With `tree`: its position entries. */
  readonly node?: Located;
  readonly isMap: boolean;
  /** Its key or index in the collection around it (none for the document's root). */
  readonly name?: string;
  /** Values inside, aliases expanded: what building and walking it will cost. */
  expanded: number;
  /** Entries so far (a sequence's next index). */
  count: number;
  /** A mapping's key waiting for its value. */
  pendingKey?: string;
  expectKey: boolean;
  readonly anchor?: string;
}

interface Inspection {
  readonly problems: ValidationProblem[];
  /** With `tree`: every value's position. */
  readonly root?: Located;
  /** Where each entry of the top-level lists starts (`collaborators`, `groupGrants`). */
  readonly entries: Map<string, number[]>;
}

/**
 * One pass over the events: every tag, forbidden or non-text key, every extra document, how many values
 * the aliases expand to, and where the top-level entries start. With `tree` (only when a problem must
 * be located), also every value's position and duplicate keys (otherwise js-yaml refuses those).
 */
function inspect(events: readonly Event[], source: string, positions: Positions, limits: YamlLimits, tree: boolean): Inspection {
  const problems: ValidationProblem[] = [];
  const anchors = new Map<string, number>();
  const entries = new Map<string, number[]>();
  const stack: Frame[] = [];
  const pathHere = () => stack.map((f) => f.name).filter((n): n is string => n !== undefined);
  let root: Located | undefined;
  let documents = 0;
  /** A second document is reported where its first value starts. */
  let secondDocument = false;
  let own = 0;
  let expandedTotal = 0;
  const problem = (offset: number, field: string, received: unknown, allowed: string, fix: string) =>
    problems.push({ at: positions.at(offset), field: field || '(yaml)', received, allowed, fix });

  /** Adds a finished value (or a key) to the open collection. */
  const attach = (start: number, node: Located | undefined, expanded: number, keyText: string | undefined, isKey: boolean) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (root === undefined) root = node;
      expandedTotal += expanded;
      return;
    }
    parent.expanded += expanded;
    if (!parent.isMap) {
      if (stack.length === 2 && stack[0].pendingKey !== undefined) entries.get(stack[0].pendingKey)?.push(start);
      parent.count++;
      if (node) parent.node!.items!.push(node);
      return;
    }
    if (isKey) {
      parent.expectKey = false;
      parent.pendingKey = keyText;
      if (keyText === undefined) {
        problem(start, pathHere().join('.'), 'a key that is a list, a mapping or an alias', 'plain text keys', 'write the key as plain text, e.g. `email:`.');
        return;
      }
      if (FORBIDDEN_KEYS.includes(keyText)) {
        problem(start, [...pathHere(), keyText].join('.'), keyText, `keys of the documented fields (never ${FORBIDDEN_KEYS.map((k) => `"${k}"`).join(', ')})`, `remove the "${keyText}" key.`);
      }
      if (stack.length === 1 && !entries.has(keyText)) entries.set(keyText, []);
      if (!tree) return;
      if (parent.node!.keys!.has(keyText)) {
        problem(start, [...pathHere(), keyText].join('.'), keyText, 'each key once per mapping', 'remove or rename the second key: YAML would keep only one of them.');
      } else {
        parent.node!.keys!.set(keyText, { keyStart: start });
      }
      return;
    }
    parent.expectKey = true;
    if (!tree || parent.pendingKey === undefined) return;
    const entry = parent.node!.keys!.get(parent.pendingKey);
    if (entry && entry.value === undefined) entry.value = node;
  };

  /** The path segment a new value will have, for messages. */
  const segment = (): string | undefined => {
    const parent = stack[stack.length - 1];
    if (!parent) return undefined;
    if (!parent.isMap) return String(parent.count);
    return parent.expectKey ? undefined : parent.pendingKey;
  };

  /** Whether the next value is a mapping's key. */
  const nextIsKey = () => {
    const parent = stack[stack.length - 1];
    return parent !== undefined && parent.isMap && parent.expectKey;
  };

  const anchorOf = (event: { readonly anchorStart: number; readonly anchorEnd: number }) =>
    event.anchorStart >= 0 ? source.slice(event.anchorStart, event.anchorEnd).replace(/^&/, '') : undefined;

  const refuseTag = (event: { readonly tagStart: number; readonly tagEnd: number }) => {
    if (event.tagStart < 0) return;
    const here = segment();
    problem(
      event.tagStart,
      [...pathHere(), ...(here === undefined ? [] : [here])].join('.'),
      `the tag ${source.slice(event.tagStart, event.tagEnd)}`,
      'plain values: text, numbers, true/false, lists and mappings, with no YAML tag (`!name` or `!!type`)',
      'remove the tag and write the value itself; an access requests file holds data, never typed objects or code.',
    );
  };

  for (const event of events) {
    if (secondDocument && event.type !== EVENT_ID.DOCUMENT && event.type !== EVENT_ID.POP) {
      secondDocument = false;
      const start = event.type === EVENT_ID.SCALAR ? event.valueStart : event.type === EVENT_ID.ALIAS ? event.anchorStart : event.start;
      problem(start, '', 'a second YAML document (after ---)', 'one YAML document per file', 'remove the `---` line and merge the documents into one.');
    }
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        secondDocument = ++documents === 2;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        refuseTag(event);
        own++;
        const isMap = event.type === EVENT_ID.MAPPING;
        const start = startOf(event, event.start);
        const node: Located | undefined = tree ? (isMap ? { start, keys: new Map() } : { start, items: [] }) : undefined;
        // A collection as a key is refused when it is attached (at its end).
        stack.push({ start, node, isMap, name: segment(), expanded: 1, count: 0, expectKey: true, anchor: anchorOf(event) });
        break;
      }
      case EVENT_ID.SCALAR: {
        refuseTag(event);
        own++;
        const anchor = anchorOf(event);
        if (anchor !== undefined) anchors.set(anchor, 1);
        // A quoted scalar starts at its quote.
        const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
        const start = startOf(event, event.valueStart - (quoted ? 1 : 0));
        const isKey = nextIsKey();
        // Key text is decoded where it matters: forbidden keys, the top level, and for the position tree.
        const keyText = isKey && (tree || stack.length === 1 || mayBeForbidden(event, source)) ? getScalarValue(source, event) : undefined;
        attach(start, tree ? { start } : undefined, 1, isKey ? keyText ?? '' : undefined, isKey);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = source.slice(event.anchorStart, event.anchorEnd).replace(/^\*/, '');
        const isKey = nextIsKey();
        attach(event.anchorStart, tree ? { start: event.anchorStart } : undefined, anchors.get(name) ?? 1, undefined, isKey);
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (!frame) break;
        if (frame.anchor !== undefined) anchors.set(frame.anchor, frame.expanded);
        attach(frame.start, frame.node, frame.expanded, undefined, nextIsKey());
        break;
      }
    }
  }
  if (expandedTotal - own > limits.maxAliasExpansion) {
    problem(
      0,
      '(yaml)',
      `aliases that expand to ${expandedTotal - own > 1e12 ? 'more than a trillion' : expandedTotal - own} more values`,
      `aliases (*name) that add at most ${limits.maxAliasExpansion} values when expanded`,
      'write the repeated values out instead of nesting anchors and aliases.',
    );
  }
  return { problems, root, entries };
}

/**
 * The common case in one lean pass, before any of `inspect`'s bookkeeping: a file with no tag, anchor,
 * alias, second document, non-text key or forbidden key cannot have a problem `inspect` reports, and
 * this finds where its top-level entries start. It answers `undefined` on the first node that might
 * need more (it may over-ask, never under-ask); `inspect` then decides, exactly as before. On a cold
 * 1,000-collaborator file it takes about half of `inspect`'s time (no closures, frames or path names per node).
 */
function cleanEntries(events: readonly Event[], source: string): Map<string, number[]> | undefined {
  const entries = new Map<string, number[]>();
  // Per open collection: is it a mapping, and does it wait for a key (else for a value)?
  const isMap: boolean[] = [];
  const expectKey: boolean[] = [];
  let documents = 0;
  let list: number[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const depth = isMap.length;
    const inMap = depth > 0 && isMap[depth - 1];
    const isKey = inMap && expectKey[depth - 1];
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1) return undefined;
        break;
      case EVENT_ID.ALIAS:
        return undefined;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (event.tagStart >= 0 || event.anchorStart >= 0 || isKey) return undefined;
        if (depth === 2 && !inMap && list) list.push(event.start);
        isMap.push(event.type === EVENT_ID.MAPPING);
        expectKey.push(true);
        break;
      case EVENT_ID.SCALAR: {
        if (event.tagStart >= 0 || event.anchorStart >= 0) return undefined;
        if (isKey) {
          if (depth === 1 || mayBeForbidden(event, source)) {
            const key = getScalarValue(source, event);
            if (FORBIDDEN_KEYS.includes(key)) return undefined;
            if (depth === 1) {
              if (!entries.has(key)) entries.set(key, []);
              list = entries.get(key);
            }
          }
        } else if (depth === 2 && !inMap && list) {
          // A quoted scalar starts at its quote.
          const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
          list.push(event.valueStart - (quoted ? 1 : 0));
        }
        if (inMap) expectKey[depth - 1] = !isKey;
        break;
      }
      case EVENT_ID.POP:
        // The end of a collection (a value: keys that are collections were refused above), or of the document.
        if (depth === 0) break;
        isMap.pop();
        expectKey.pop();
        if (depth > 1 && isMap[depth - 2]) expectKey[depth - 2] = true;
        break;
    }
  }
  return entries;
}

/** What the parser's own refusals mean, in the file's terms. */
const PARSER_REFUSALS: readonly (readonly [RegExp, string, string])[] = [
  [/maxDepth/, 'nesting at most {depth} deep: an access requests file is about 9 deep', 'write the entries as the documented structure; a file nested this deep is not an access request.'],
  [/maxAliases|alias/i, 'at most {aliases} aliases (*name)', 'write the repeated values out instead of using anchors and aliases.'],
  [/duplicated mapping key/, 'each key once per mapping', 'remove or rename the second key: YAML would keep only one of them.'],
  [/complex keys/, 'plain text keys', 'write the key as plain text, e.g. `email:`.'],
];

function parserProblem(error: YAMLException, source: string, positions: Positions, limits: YamlLimits): ValidationProblem {
  const offset = Math.max(0, Math.min(error.mark?.position ?? 0, source.length));
  const known = PARSER_REFUSALS.find(([pattern]) => pattern.test(error.reason));
  const fill = (text: string) => text.replace('{depth}', String(limits.maxDepth)).replace('{aliases}', String(limits.maxAliases));
  return {
    at: positions.at(offset),
    field: '(yaml)',
    received: error.reason,
    allowed: known ? fill(known[1]) : 'well-formed YAML',
    fix: known ? known[2] : 'correct the YAML at this line (quote text that holds ": ", "#" or starts with a special character).',
  };
}

/** The located value at a path (through aliases, which locate where they are written), or the nearest one reached. */
function startAt(root: Located | undefined, path: readonly PropertyKey[], key?: string): number {
  let node = root;
  for (const segment of path) {
    if (node?.keys) {
      const entry = node.keys.get(String(segment));
      if (!entry) break;
      // A key with no value yet (`grant:` and nothing after it) locates at the key.
      if (!entry.value) return entry.keyStart;
      node = entry.value;
    } else {
      const item = typeof segment === 'number' ? node?.items?.[segment] : undefined;
      if (!item) break;
      node = item;
    }
  }
  const entry = key === undefined ? undefined : node?.keys?.get(key);
  return entry?.keyStart ?? node?.start ?? 0;
}

/**
 * Parses YAML text safely into plain data. Throws nothing for bad input: every problem found is
 * returned, located, and no value is returned with them.
 */
export function parseSafeYaml(source: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): { problems: ValidationProblem[]; yaml?: SafeYaml } {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxBytes) return { problems: [tooLarge(file, bytes, limits.maxBytes)] };
  const positions = new Positions(file, source);
  let events: Event[];
  try {
    events = parseEvents(source, { filename: file, maxDepth: limits.maxDepth });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    return { problems: [parserProblem(error, source, positions, limits)] };
  }
  // A plain file passes the lean check; any other, the quick inspection decides. The full one (every
  // value's position, duplicate keys) only words the problems.
  let entries = cleanEntries(events, source);
  if (!entries) {
    const check = inspect(events, source, positions, limits, false);
    if (check.problems.length) return { problems: inspect(events, source, positions, limits, true).problems };
    entries = check.entries;
  }
  let value: unknown;
  try {
    // Strict: duplicate keys throw (json: false), no merge tag in the core schema.
    [value] = constructFromEvents(events, { source, filename: file, schema: CORE_SCHEMA, json: false, maxAliases: limits.maxAliases });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const located = inspect(events, source, positions, limits, true).problems;
    return { problems: located.length ? located : [parserProblem(error, source, positions, limits)] };
  }
  return { problems: [], yaml: locatedYaml(value, source, file, limits, positions, entries) };
}

/**
 * The parsed value with its positions. Every value's position is needed only for a message about it, so
 * the file is parsed again then: the events (many times the value's size) are not kept meanwhile.
 */
function locatedYaml(value: unknown, source: string, file: string, limits: YamlLimits, positions: Positions, entries: Map<string, number[]>): SafeYaml {
  let root: Located | undefined;
  const tree = () => (root ??= inspect(parseEvents(source, { filename: file, maxDepth: limits.maxDepth }), source, positions, limits, true).root);
  return {
    value,
    locate: (path, key) => positions.at(startAt(tree(), path, key)),
    entryAt: (list, index) => positions.at(entries.get(list)?.[index] ?? 0),
  };
}

/**
 * For tests, on a text that parses: the lean check's answer beside the quick inspection's. The lean one
 * may send a file on to the inspection needlessly, but never pass one the inspection refuses, and its
 * entries are the inspection's.
 */
export function leanAndQuickChecks(source: string): { lean?: Map<string, number[]>; quick: { problems: number; entries: Map<string, number[]> } } | undefined {
  let events: Event[];
  try {
    events = parseEvents(source, { maxDepth: DEFAULT_YAML_LIMITS.maxDepth });
  } catch {
    return undefined;
  }
  const quick = inspect(events, source, new Positions('', source), DEFAULT_YAML_LIMITS, false);
  return { lean: cleanEntries(events, source), quick: { problems: quick.problems.length, entries: quick.entries } };
}

export function tooLarge(file: string, bytes: number, maxBytes: number): ValidationProblem {
  return {
    at: `${file}:1:1`,
    field: '(file)',
    received: `${bytes} bytes`,
    allowed: `at most ${maxBytes} bytes`,
    fix: 'split the requests over fewer, shorter entries, or raise maxBytes in the code that loads the file (the platform team decides).',
  };
}
