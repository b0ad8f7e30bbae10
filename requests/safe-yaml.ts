import { Alias, CST, Composer, Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Node, Parser, YAMLError } from 'yaml';
import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';
import type { ValidationProblem } from '../model/validation';

/**
 * YAML in its safest mode, for files that people who want access may edit. Everything that could
 * run code, reach a prototype or exhaust memory is refused with a located problem, never resolved:
 *   - the core schema (YAML 1.2) and no tag at all: `!!js/function`, `!foo`, even `!!str` are errors;
 *   - no merge keys (`<<` is an ordinary, unknown key), unique keys, string keys, one document;
 *   - `__proto__`, `constructor` and `prototype` refused as keys anywhere;
 *   - bounded size (checked before parsing), alias expansion ("billion laughs") and nesting depth
 *     (checked while lexing, before the parser's recursion could exhaust the stack or memory).
 * eemeli/yaml documents these options: https://eemeli.org/yaml/#options
 */

/** Limits on a YAML file; the platform team may change them in code, never a requests file. */
export interface YamlLimits {
  /** Largest file, in bytes of UTF-8. */
  readonly maxBytes: number;
  /** yaml's `maxAliasCount`: alias uses times the aliases inside what they name (its anti "billion laughs" measure). */
  readonly maxAliasCount: number;
  /** Deepest nesting of flow collections (`[` and `{`). */
  readonly maxFlowDepth: number;
  /** Largest column at which a block collection entry may start (block nesting needs indentation). */
  readonly maxIndent: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = Object.freeze({
  // 5,000 collaborators with overrides take about 2 MB.
  maxBytes: 8 * 1024 * 1024,
  maxAliasCount: 100,
  maxFlowDepth: 32,
  maxIndent: 100,
});

/** Keys that name a JavaScript object's prototype machinery: never data. */
export const FORBIDDEN_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);

/** A parsed file and where each of its values came from. */
export interface SafeYaml {
  readonly value: unknown;
  /** `file:line:column` of the value at `path` (of its key, when `key` is given), else of the nearest enclosing value. */
  locate(path: readonly PropertyKey[], key?: string): string;
}

/** Thrown inside the token stream to stop before the parser goes deeper. */
class TooDeep extends Error {
  constructor(
    readonly offset: number,
    readonly what: string,
  ) {
    super(what);
  }
}

/** A fresh object per parse: nothing another module holds can change how a file is read. */
function yamlOptions(): DocumentOptions & ParseOptions & SchemaOptions {
  return { version: '1.2', schema: 'core', customTags: [], merge: false, uniqueKeys: true, stringKeys: true, strict: true, prettyErrors: false };
}

/** Lexer tokens of the source, stopping (TooDeep) where nesting would go past the limits. */
function* guardedLexemes(source: string, limits: YamlLimits): Generator<string> {
  let offset = 0;
  let lineStart = 0;
  let flowDepth = 0;
  let firstOnLine = true;
  for (const lexeme of new Lexer().lex(source)) {
    const type = CST.tokenType(lexeme);
    // The lexer's control markers (scalar, document, flow-error) are not source text.
    const sourceText = type === 'scalar' || type === 'doc-mode' || type === 'flow-error-end' ? '' : lexeme;
    const column = offset - lineStart;
    if (type === 'flow-map-start' || type === 'flow-seq-start') {
      if (++flowDepth > limits.maxFlowDepth) throw new TooDeep(offset, `flow collections ("[" and "{") nested more than ${limits.maxFlowDepth} deep`);
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      flowDepth = Math.max(0, flowDepth - 1);
    }
    const structural = type !== 'space' && type !== 'newline' && type !== 'comment' && sourceText !== '';
    if (structural && flowDepth === 0 && (firstOnLine || type === 'seq-item-ind' || type === 'explicit-key-ind') && column > limits.maxIndent) {
      throw new TooDeep(offset, `block entries indented past column ${limits.maxIndent}`);
    }
    if (structural) firstOnLine = false;
    if (type === 'newline') firstOnLine = true;
    offset += sourceText.length;
    const lastNewline = sourceText.lastIndexOf('\n');
    if (lastNewline >= 0) lineStart = offset - sourceText.length + lastNewline + 1;
    yield lexeme;
  }
}

/** The first document of the source, composed from guarded tokens; errors (and a second document) recorded on it. */
function composeDocument(source: string, limits: YamlLimits, lineCounter: LineCounter): Document.Parsed {
  // As yaml's own parseDocument: the first line starts at 0 (the parser reports only later ones).
  lineCounter.addNewLine(0);
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(yamlOptions());
  function* tokens(): Generator<CST.Token> {
    for (const lexeme of guardedLexemes(source, limits)) yield* parser.next(lexeme);
    yield* parser.end();
  }
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens(), true, source.length)) {
    if (!doc) {
      doc = next;
      continue;
    }
    doc.errors.push(new YAMLError('YAMLParseError', [next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'more than one YAML document'));
    break;
  }
  return doc!;
}

/** `file:line:column` of an offset. */
function position(file: string, lineCounter: LineCounter, offset: number): string {
  const { line, col } = lineCounter.linePos(offset);
  return `${file}:${line}:${col}`;
}

const YAML_ERROR_TEXT: Readonly<Record<string, { allowed: string; fix: string }>> = Object.freeze({
  DUPLICATE_KEY: { allowed: 'each key once per mapping', fix: 'remove or rename the second key: YAML would silently keep only one of them.' },
  NON_STRING_KEY: { allowed: 'plain text keys', fix: 'write the key as plain text, e.g. `email:`.' },
  MULTIPLE_DOCS: { allowed: 'one YAML document per file', fix: 'remove the `---` line and merge the documents into one.' },
  BAD_ALIAS: { allowed: 'an alias (*name) of an anchor (&name) defined before it', fix: 'define the anchor first, or write the value out.' },
});

function yamlErrorProblem(error: YAMLError, file: string, lineCounter: LineCounter, source: string): ValidationProblem {
  const known = YAML_ERROR_TEXT[error.code];
  const line = source.slice(error.pos[0], error.pos[0] + 60).split(/\r?\n/)[0];
  return {
    at: position(file, lineCounter, error.pos[0]),
    field: '(yaml)',
    received: line === '' ? error.message : line,
    allowed: known?.allowed ?? `well-formed YAML (${error.message.replace(/ at line \d+, column \d+.*$/s, '')})`,
    fix: known?.fix ?? 'correct the YAML at this line (quote text that holds ": ", "#" or starts with a special character).',
  };
}

/**
 * Every tag and every forbidden key in the document, with where it is. One walk over the syntax tree
 * (aliases are not followed: what they name is checked where it is defined).
 */
function unsafeNodes(doc: Document.Parsed, file: string, lineCounter: LineCounter): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const at = (node: Node) => position(file, lineCounter, node.range?.[0] ?? 0);
  const walk = (node: unknown, path: string[]): void => {
    if (!node || isAlias(node)) return;
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.tag) {
      problems.push({
        at: at(node),
        field: path.join('.') || '(file)',
        received: `the tag ${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')}`,
        allowed: 'plain values: text, numbers, true/false, lists and mappings, with no YAML tag (`!name` or `!!type`)',
        fix: 'remove the tag and write the value itself; an access requests file holds data, never typed objects or code.',
      });
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (isScalar(pair.key) && pair.key.tag) walk(pair.key, [...path, key]);
        if (FORBIDDEN_KEYS.includes(key)) {
          problems.push({
            at: at(pair.key as Node),
            field: [...path, key].join('.'),
            received: key,
            allowed: `keys of the documented fields (never ${FORBIDDEN_KEYS.map((k) => `"${k}"`).join(', ')})`,
            fix: `remove the "${key}" key.`,
          });
          continue;
        }
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, String(i)]));
    }
  };
  walk(doc.contents, []);
  return problems;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** The node a path leads to (through aliases), or the nearest one it reaches; with `key`, that key of the map there. */
function nodeAt(doc: Document.Parsed, path: readonly PropertyKey[], key?: string): Node | undefined {
  const resolve = (n: unknown): unknown => (isAlias(n) ? (n as Alias).resolve(doc) ?? n : n);
  let node: unknown = doc.contents;
  let reached = (doc.contents ?? undefined) as Node | undefined;
  for (const segment of path) {
    const current = resolve(node);
    const pair = isMap(current) ? current.items.find((p) => keyText(p.key) === String(segment)) : undefined;
    const next = pair ? pair.value ?? pair.key : isSeq(current) && typeof segment === 'number' ? current.items[segment] : undefined;
    if (next === undefined || next === null) return reached;
    node = next;
    if ((node as Node).range) reached = node as Node;
  }
  if (key === undefined) return reached;
  const current = resolve(node);
  const pair = isMap(current) ? current.items.find((p) => keyText(p.key) === key) : undefined;
  return (pair?.key as Node | undefined) ?? reached;
}

/**
 * Parses YAML text safely into plain data. Throws nothing for bad input: every problem found is
 * returned, located, and no value is returned with them.
 */
export function parseSafeYaml(source: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): { problems: ValidationProblem[]; yaml?: SafeYaml } {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxBytes) return { problems: [tooLarge(file, bytes, limits.maxBytes)] };
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = composeDocument(source, limits, lineCounter);
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    return {
      problems: [
        {
          at: position(file, lineCounter, error.offset),
          field: '(yaml)',
          received: error.what,
          allowed: `at most ${limits.maxFlowDepth} nested "[" / "{" and block entries starting by column ${limits.maxIndent}: an access requests file is a few levels deep`,
          fix: 'write the entries as the documented structure; a file nested this deep is not an access request.',
        },
      ],
    };
  }
  // An unresolved tag is reported below with every other tag.
  const syntax = [...doc.errors, ...doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')].map((e) => yamlErrorProblem(e, file, lineCounter, source));
  const problems = [...syntax, ...unsafeNodes(doc, file, lineCounter)];
  if (problems.length) return { problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    return {
      problems: [
        {
          at: `${file}:1:1`,
          field: '(yaml)',
          received: `aliases that expand past the limit (${error instanceof Error ? error.message : 'unreadable document'})`,
          allowed: `aliases (*name) that expand to at most ${limits.maxAliasCount} copies`,
          fix: 'write the repeated values out instead of nesting anchors and aliases.',
        },
      ],
    };
  }
  return {
    problems: [],
    yaml: {
      value,
      locate: (path, key) => {
        const node = nodeAt(doc, path, key);
        return position(file, lineCounter, node?.range?.[0] ?? 0);
      },
    },
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
