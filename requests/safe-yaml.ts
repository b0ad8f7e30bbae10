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
}

/** Where a value starts, and its entries: a mapping's by key, a sequence's by index. */
interface Located {
  readonly start: number;
  readonly keys?: Map<string, { readonly keyStart: number; value?: Located }>;
  readonly items?: Located[];
}

/** Offsets to `file:line:column` (1-based), from the line starts found once. */
class Positions {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly file: string,
    source: string,
  ) {
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  public at(offset: number): string {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return `${this.file}:${low + 1}:${offset - this.lineStarts[low] + 1}`;
  }
}

/** Where a node's text starts: its anchor or tag when written before it. */
function startOf(event: { readonly anchorStart: number; readonly tagStart: number }, own: number): number {
  return Math.min(...[own, event.anchorStart, event.tagStart].filter((o) => o >= 0));
}

interface Frame {
  readonly node: Located;
  /** Its key or index in the collection around it (none for the document's root). */
  readonly name?: string;
  /** Values inside, aliases expanded: what building and walking it will cost. */
  expanded: number;
  /** A mapping's key waiting for its value. */
  pendingKey?: string;
  expectKey: boolean;
  readonly anchor?: string;
}

/**
 * One pass over the events: the tree of positions, every tag, forbidden, duplicate or non-text key,
 * every extra document, and how many values the aliases expand to.
 */
function inspect(events: readonly Event[], source: string, positions: Positions, limits: YamlLimits): { root?: Located; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const anchors = new Map<string, number>();
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
  const attach = (node: Located, expanded: number, keyText: string | undefined) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (root === undefined) root = node;
      expandedTotal += expanded;
      return;
    }
    parent.expanded += expanded;
    if (parent.node.items) {
      parent.node.items.push(node);
      return;
    }
    if (parent.expectKey) {
      parent.expectKey = false;
      if (keyText === undefined) {
        problem(node.start, pathHere().join('.'), 'a key that is a list, a mapping or an alias', 'plain text keys', 'write the key as plain text, e.g. `email:`.');
        parent.pendingKey = undefined;
        return;
      }
      if (FORBIDDEN_KEYS.includes(keyText)) {
        problem(node.start, [...pathHere(), keyText].join('.'), keyText, `keys of the documented fields (never ${FORBIDDEN_KEYS.map((k) => `"${k}"`).join(', ')})`, `remove the "${keyText}" key.`);
      } else if (parent.node.keys!.has(keyText)) {
        problem(node.start, [...pathHere(), keyText].join('.'), keyText, 'each key once per mapping', 'remove or rename the second key: YAML would keep only one of them.');
      }
      parent.pendingKey = keyText;
      if (!parent.node.keys!.has(keyText)) parent.node.keys!.set(keyText, { keyStart: node.start });
      return;
    }
    parent.expectKey = true;
    const entry = parent.pendingKey === undefined ? undefined : parent.node.keys!.get(parent.pendingKey);
    if (entry && entry.value === undefined) entry.value = node;
  };

  /** The path segment a new value will have, for messages. */
  const segment = (): string | undefined => {
    const parent = stack[stack.length - 1];
    if (!parent) return undefined;
    if (parent.node.items) return String(parent.node.items.length);
    return parent.expectKey ? undefined : parent.pendingKey;
  };

  const anchorOf = (event: { readonly anchorStart: number; readonly anchorEnd: number }) =>
    event.anchorStart >= 0 ? source.slice(event.anchorStart, event.anchorEnd).replace(/^&/, '') : undefined;

  const refuseTag = (event: { readonly tagStart: number; readonly tagEnd: number }) => {
    if (event.tagStart < 0) return;
    const here = segment();
    const at = [...pathHere(), ...(here === undefined ? [] : [here])].join('.');
    problem(
      event.tagStart,
      at,
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
        const node: Located = event.type === EVENT_ID.MAPPING ? { start: startOf(event, event.start), keys: new Map() } : { start: startOf(event, event.start), items: [] };
        stack.push({ node, name: segment(), expanded: 1, expectKey: true, anchor: anchorOf(event) });
        break;
      }
      case EVENT_ID.SCALAR: {
        refuseTag(event);
        own++;
        const anchor = anchorOf(event);
        if (anchor !== undefined) anchors.set(anchor, 1);
        const parent = stack[stack.length - 1];
        const isKey = parent?.node.keys !== undefined && parent.expectKey;
        // A quoted scalar starts at its quote.
        const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
        attach({ start: startOf(event, event.valueStart - (quoted ? 1 : 0)) }, 1, isKey ? getScalarValue(source, event) : undefined);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = source.slice(event.anchorStart, event.anchorEnd).replace(/^\*/, '');
        attach({ start: event.anchorStart }, anchors.get(name) ?? 1, undefined);
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (!frame) break;
        if (frame.anchor !== undefined) anchors.set(frame.anchor, frame.expanded);
        attach(frame.node, frame.expanded, undefined);
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
  return { root, problems };
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
  const { root, problems } = inspect(events, source, positions, limits);
  if (problems.length) return { problems };
  let value: unknown;
  try {
    // Strict: duplicate keys throw (json: false), no merge tag in the core schema.
    [value] = constructFromEvents(events, { source, filename: file, schema: CORE_SCHEMA, json: false, maxAliases: limits.maxAliases });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    return { problems: [parserProblem(error, source, positions, limits)] };
  }
  return {
    problems: [],
    yaml: { value, locate: (path, key) => positions.at(startAt(root, path, key)) },
  };
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
