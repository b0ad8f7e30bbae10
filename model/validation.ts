import { z } from 'zod';
import { terminalText } from './output-encoding';
import { deepFreeze } from './deep-freeze';

/** One thing wrong with an input: which field, what came in, what is allowed, and how to fix it. */
export interface ValidationProblem {
  /** Where in a file the problem is, e.g. `access.yaml:12:7`, when the input came from one. @default - none */
  readonly at?: string;
  readonly field: string;
  readonly received: unknown;
  readonly allowed: string;
  readonly fix: string;
}

/**
 * A received value that must not be shown (it looks like a secret): messages say what it looks like
 * and how long it is, never what it is.
 */
export class ConcealedValue {
  constructor(readonly description: string) {}

  /** For a value that looks like a token: "a value that looks like a token (68 characters, not shown)". */
  static token(value: string): ConcealedValue {
    return new ConcealedValue(`a value that looks like a token (${[...value].length} characters, not shown)`);
  }

  toJSON(): string {
    return this.description;
  }
}

/**
 * A field that is there but holds `undefined`: under `ts-node --transpile-only` (cdktf's default app
 * command) a misspelt enum member such as `PlanTier.BUSNESS` is not a compile error, it is `undefined`.
 * Messages must not call that field "missing".
 */
export const SET_TO_UNDEFINED = 'undefined (the field is set, to nothing: a misspelt enum member, e.g. PlanTier.BUSNESS?)';

class SetToUndefined {
  toJSON(): string {
    return SET_TO_UNDEFINED;
  }
}

/** Whether `path` names a key its parent object holds, with the value undefined. */
function isSetToUndefined(input: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false;
  let parent = input;
  for (const key of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return false;
    parent = (parent as Record<PropertyKey, unknown>)[key];
  }
  const last = path[path.length - 1];
  return parent !== null && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, last) && (parent as Record<PropertyKey, unknown>)[last] === undefined;
}

/** Thrown at construct creation, so `cdktf synth` stops before anything could reach Segment. */
export class SegmentAccessValidationError extends Error {
  constructor(
    readonly where: string,
    readonly problems: readonly ValidationProblem[],
  ) {
    super(formatProblems(where, problems));
    this.name = 'SegmentAccessValidationError';
  }

  /** Serialisable whatever was received (constructs, cycles, bigints): `received` as the message shows it. */
  toJSON(): object {
    return {
      name: this.name,
      message: this.message,
      where: this.where,
      problems: this.problems.map((p) => ({ ...(p.at ? { at: p.at } : {}), field: p.field, received: formatReceived(p.received), allowed: p.allowed, fix: p.fix })),
    };
  }
}

const MAX_RECEIVED_LENGTH = 120;
const MAX_DEPTH = 3;
const MAX_ENTRIES = 8;

/** A construct (duck-typed: constructs from another copy of the library fail instanceof) shown as its path. */
function constructPath(value: object): string | undefined {
  const path = (value as { node?: { path?: unknown } }).node?.path;
  return typeof path === 'string' ? path : undefined;
}

/** JSON-like text of any value, total: never throws, whatever the value (cycles, getters that throw, proxies). */
function describeValue(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'undefined':
      return 'undefined';
    case 'function':
      return `[function ${value.name || '(anonymous)'}]`;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (obj instanceof ConcealedValue) return obj.description;
  if (obj instanceof SetToUndefined) return SET_TO_UNDEFINED;
  if (seen.has(obj)) return '[circular]';
  const path = constructPath(obj);
  if (path !== undefined) return `<construct ${JSON.stringify(path)}>`;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? '[invalid Date]' : obj.toISOString();
  if (obj instanceof RegExp) return obj.toString();
  if (depth >= MAX_DEPTH) return Array.isArray(obj) ? '[...]' : '{...}';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items = obj.slice(0, MAX_ENTRIES).map((item) => describeValue(item, depth + 1, seen));
      return `[${items.join(',')}${obj.length > MAX_ENTRIES ? ',...' : ''}]`;
    }
    const keys = Object.keys(obj);
    const entries = keys.slice(0, MAX_ENTRIES).map((key) => `${JSON.stringify(key)}:${describeValue((obj as Record<string, unknown>)[key], depth + 1, seen)}`);
    return `{${entries.join(',')}${keys.length > MAX_ENTRIES ? ',...' : ''}}`;
  } catch {
    return '[unreadable value]';
  } finally {
    seen.delete(obj);
  }
}

/** The received value as messages show it: single line, control characters visible, bounded. */
export function formatReceived(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  // Escape first, then cut: a cut never splits an escape, and nothing invisible survives.
  const text = terminalText(describeValue(value, 0, new Set()));
  const chars = [...text];
  return chars.length > MAX_RECEIVED_LENGTH ? `${chars.slice(0, MAX_RECEIVED_LENGTH - 3).join('')}...` : text;
}

function formatProblems(where: string, problems: readonly ValidationProblem[]): string {
  const lines = problems.map(
    (p) => `  - ${p.at ? `${terminalText(p.at)} ` : ''}${terminalText(p.field)}: received ${formatReceived(p.received)}; allowed: ${terminalText(p.allowed)}. Fix: ${terminalText(p.fix)}`,
  );
  return `Invalid input at ${terminalText(where)}:\n${lines.join('\n')}`;
}

/** Per-field advice; keys are dotted field paths, `*` matches any single segment. */
export type FixHints = Readonly<Record<string, string>>;

function hintFor(field: string, hints: FixHints): string | undefined {
  if (hints[field]) return hints[field];
  const parts = field.split('.');
  for (const [pattern, hint] of Object.entries(hints)) {
    const p = pattern.split('.');
    if (p.length === parts.length && p.every((seg, i) => seg === '*' || seg === parts[i])) return hint;
  }
  return undefined;
}

function allowedFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `a value of type ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' ? `a string of at least ${String(issue.minimum)} characters` : issue.message;
    case 'too_big':
      return issue.origin === 'string' ? `a string of at most ${String(issue.maximum)} characters` : issue.message;
    case 'unrecognized_keys':
      return `only the documented props (unknown: ${issue.keys.join(', ')})`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `a valid ${issue.format} value` : issue.message;
    default:
      return issue.message;
  }
}

/**
 * Validates props with zod. On failure throws one error listing every problem, each naming the
 * field, the value received, what is allowed and how to fix it.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string, hints: FixHints = {}): z.output<S> {
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    result = schema.safeParse(input, { reportInput: true });
  } catch (error) {
    // A value zod cannot even read (a getter or proxy that throws): still a validation error, not a crash.
    return invalid(where, {
      field: '(props)',
      received: `a value that could not be read (${error instanceof Error ? error.message : String(error)})`,
      allowed: 'plain data: strings, numbers, booleans, arrays and objects, and the constructs the props name',
      fix: `pass plain values in the props of ${where}.`,
    });
  }
  if (result.success) {
    const broken = illFormedProblems(input);
    if (broken.length) throw new SegmentAccessValidationError(where, broken);
    return result.data;
  }
  throw new SegmentAccessValidationError(where, zodProblems(result.error.issues, where, hints, input));
}

/** Each zod issue as a problem: the field, the value received, what is allowed and how to fix it. */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  where: string,
  hints: FixHints | ((field: string) => string | undefined) = {},
  /** The validated input: tells a field set to undefined from one left out. @default - every undefined reads as missing */
  input?: unknown,
): ValidationProblem[] {
  const hint = typeof hints === 'function' ? hints : (field: string) => hintFor(field, hints);
  return issues.map((issue): ValidationProblem => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(props)';
    return {
      field,
      received: issue.input === undefined && isSetToUndefined(input, issue.path) ? new SetToUndefined() : receivedOf(issue),
      allowed: allowedFor(issue),
      fix:
        fixOf(issue) ??
        hint(field) ??
        (issue.code === 'unrecognized_keys'
          ? `remove or correct the misspelt prop(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}.`
          : `set "${field}" to an allowed value in the props of ${where}.`),
    };
  });
}

/**
 * Whether a string has a UTF-8 form: an unpaired UTF-16 surrogate (half an emoji) has none, so no
 * file could hold it as written. `isWellFormed` is ES2024, in every Node this package supports (>= 20).
 */
export function wellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** A problem for every string (keys included) in plain data that is not well-formed Unicode. */
export function illFormedProblems(input: unknown): ValidationProblem[] {
  const broken: ValidationProblem[] = [];
  collectIllFormed(input, [], new Set(), broken);
  return broken;
}

/**
 * Every string (keys included) in plain-data props that is not well-formed Unicode. One walk that
 * allocates only for a problem found (props are checked by the thousand); `path` is its stack.
 * Class instances (constructs among them) are not entered: they are not text the definition holds.
 */
function collectIllFormed(value: unknown, path: string[], seen: Set<object>, found: ValidationProblem[]): void {
  if (typeof value === 'string') {
    if (!wellFormed(value)) found.push(illFormedProblem(path, value));
    return;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return;
  seen.add(value);
  for (const key of Object.keys(value)) {
    path.push(key);
    if (!wellFormed(key)) found.push(illFormedProblem(path, key));
    collectIllFormed((value as Record<string, unknown>)[key], path, seen, found);
    path.pop();
  }
}

function illFormedProblem(path: readonly string[], received: string): ValidationProblem {
  return {
    field: path.join('.') || '(props)',
    received,
    allowed: 'well-formed Unicode text (no unpaired surrogate, e.g. half of an emoji)',
    fix: 'retype the text: it holds half a character, usually from cutting an emoji or copying from a broken source.',
  };
}

/** Marks a zod issue whose input must never be shown (it looks like a secret): `{ params: CONCEAL_INPUT }`. */
export const CONCEAL_INPUT = deepFreeze({ concealInput: true } as const);

/** Only custom issues carry params (zod's `ctx.addIssue({ ..., params })`). */
function paramsOf(issue: z.core.$ZodIssue): Record<string, unknown> | undefined {
  return (issue as { params?: Record<string, unknown> }).params;
}

/** A fix a refinement attached to its issue: `ctx.addIssue({ ..., params: { fix } })`. */
function fixOf(issue: z.core.$ZodIssue): string | undefined {
  const fix = paramsOf(issue)?.fix;
  return typeof fix === 'string' ? fix : undefined;
}

function receivedOf(issue: z.core.$ZodIssue): unknown {
  if (paramsOf(issue)?.concealInput === true) return ConcealedValue.token(String(issue.input));
  if (issue.code === 'unrecognized_keys') {
    // Only the misspelt props: the rest of the props (constructs among them) says nothing useful.
    const input = (issue.input ?? {}) as Record<string, unknown>;
    return Object.fromEntries(issue.keys.map((key) => [key, input[key]]));
  }
  return issue.input;
}

/** Throws a single-problem validation error. */
export function invalid(where: string, problem: ValidationProblem): never {
  throw new SegmentAccessValidationError(where, [problem]);
}
