/**
 * TypeScript source text for values that came from a live workspace. Every string is written as a
 * single-quoted literal in which nothing can end the literal, the line or a comment early, or change
 * how the text reads: backslash and quote are escaped, and so is every control, line-separator,
 * bidirectional or other format character (the "Trojan Source" class), and any lone surrogate.
 */

const ESCAPED: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\0': '\\x00' };

// C0/C1 controls and DEL, line/paragraph separators, format characters (Cf: bidi controls, zero-width
// characters, BOM...), and unpaired surrogates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

function unicodeEscape(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A single-quoted TypeScript string literal with exactly the value `text`. */
export function stringLiteral(text: string): string {
  let out = '';
  for (const part of text.split(/(\\|')/)) out += part === '\\' || part === "'" ? ESCAPED[part] : part.replace(UNSAFE, (ch) => ESCAPED[ch] ?? unicodeEscape(ch));
  return `'${out}'`;
}

/** Text safe inside a `//` comment: the same escaping, without quotes (nothing can end the comment line). */
export function commentText(text: string): string {
  return stringLiteral(text).slice(1, -1).replace(/\\'/g, "'");
}

/** Text for the terminal: every line escaped like comment text, so no live string becomes a control sequence. */
export function terminalText(text: string): string {
  return text.split('\n').map(commentText).join('\n');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * An object-literal key. `__proto__` is written computed: as a plain key it would set the object's
 * prototype instead of a property.
 */
export function propertyKey(key: string): string {
  if (key === '__proto__') return `[${stringLiteral(key)}]`;
  return IDENTIFIER.test(key) ? key : stringLiteral(key);
}

/** Trusted code spliced in as is: enum members and constants the importer itself names. */
export class Code {
  constructor(readonly text: string) {}
}

export type TsValue = string | number | boolean | Code | TsObject | TsArray;

export interface TsEntry {
  /** A property name, or Code for a computed key such as `[Environment.PROD]`. */
  readonly key: string | Code;
  readonly value: TsValue;
  /** Comment lines written above the entry. */
  readonly comments?: readonly string[];
  /** A comment written after the entry on its line (multi-line layout only). */
  readonly trailing?: string;
}

/** A value written commented out (e.g. an entry to confirm), followed by a comma. */
export class CommentedOut {
  constructor(readonly value: TsValue) {}
}

/** After the last entry: comment text, or values written commented out. */
export type ClosingComment = string | CommentedOut;

export class TsObject {
  constructor(
    readonly entries: readonly TsEntry[],
    readonly closingComments: readonly ClosingComment[] = [],
  ) {}
}

export interface TsItem {
  readonly value: TsValue;
  readonly comments?: readonly string[];
}

export class TsArray {
  constructor(
    readonly items: readonly TsItem[],
    readonly closingComments: readonly ClosingComment[] = [],
  ) {}
}

const INDENT = '  ';
const MAX_WIDTH = 120;

function hasComments(value: TsValue): boolean {
  if (value instanceof TsObject) return value.closingComments.length > 0 || value.entries.some((e) => e.comments?.length || e.trailing || hasComments(e.value));
  if (value instanceof TsArray) return value.closingComments.length > 0 || value.items.some((i) => i.comments?.length || hasComments(i.value));
  return false;
}

function keyText(key: string | Code): string {
  return key instanceof Code ? `[${key.text}]` : propertyKey(key);
}

function inline(value: TsValue): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a TypeScript literal`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Code) return value.text;
  if (value instanceof TsArray) return `[${value.items.map((i) => inline(i.value)).join(', ')}]`;
  return value.entries.length ? `{ ${value.entries.map((e) => `${keyText(e.key)}: ${inline(e.value)}`).join(', ')} }` : '{}';
}

function commentLines(lines: readonly string[] | undefined, indent: string): string[] {
  return (lines ?? []).map((line) => (line === '' ? `${indent}//` : `${indent}// ${commentText(line)}`));
}

/**
 * Writes a value: on one line when it fits and holds no comments, otherwise one entry per line.
 * `prefix` is the text before the value on its first line (for the width check).
 */
export function printValue(value: TsValue, indent = '', prefix = ''): string {
  const one = inline(value);
  const composite = value instanceof TsObject || value instanceof TsArray;
  if (!composite || (!hasComments(value) && indent.length + prefix.length + one.length <= MAX_WIDTH)) return one;
  const inner = indent + INDENT;
  const lines: string[] = [];
  if (value instanceof TsObject) {
    for (const e of value.entries) {
      lines.push(...commentLines(e.comments, inner));
      const head = `${keyText(e.key)}: `;
      lines.push(`${inner}${head}${printValue(e.value, inner, head)},${e.trailing ? ` // ${commentText(e.trailing)}` : ''}`);
    }
  } else {
    for (const item of value.items) {
      lines.push(...commentLines(item.comments, inner));
      lines.push(`${inner}${printValue(item.value, inner)},`);
    }
  }
  for (const closing of value.closingComments) {
    if (typeof closing === 'string') lines.push(...commentLines([closing], inner));
    // Printed code holds user text only as escaped literals, so no line of it can end the comment.
    else lines.push(...`${printValue(closing.value, inner)},`.split('\n').map((line, i) => `${inner}// ${i === 0 ? line : line.slice(inner.length)}`));
  }
  const [open, close] = value instanceof TsObject ? ['{', '}'] : ['[', ']'];
  return `${open}\n${lines.join('\n')}\n${indent}${close}`;
}
