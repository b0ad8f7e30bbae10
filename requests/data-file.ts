import { closeSync, fstatSync, openSync, readSync } from 'fs';
import type { z } from 'zod';
import { SegmentAccessValidationError, ValidationProblem, zodProblems } from '../model/validation';
import { DEFAULT_YAML_LIMITS, parseSafeYaml, SafeYaml, tooLarge, YamlLimits } from './safe-yaml';

/**
 * Any YAML data file people edit in a pull request (access requests, review campaigns, reviewer lists,
 * approver mappings): read in safe mode (requests/safe-yaml.ts), validated by a zod schema, every
 * problem located at `file:line:column` with the field, the value, what is allowed and the fix.
 */
export interface DataFileOptions {
  /** How messages name the file, e.g. `review file "reviews/2026-Q4.yaml"`. */
  readonly where: string;
  /** Limits on the YAML (size, aliases, nesting). @default DEFAULT_YAML_LIMITS */
  readonly limits?: Partial<YamlLimits>;
  /** The fix for a field that has none of its own. @default "set <field> to an allowed value in <file>." */
  /** The fix for a field; `value` is the file's parsed data (a fix may depend on a neighbouring field). */
  readonly fixFor?: (field: string, value: unknown) => string;
  /** Problems for keys the schema does not know. @default one "misspelt key" problem per key */
  readonly unknownKey?: (issue: z.core.$ZodIssue & { code: 'unrecognized_keys' }, yaml: SafeYaml) => ValidationProblem[];
}

function defaultUnknownKey(issue: z.core.$ZodIssue & { code: 'unrecognized_keys' }, yaml: SafeYaml): ValidationProblem[] {
  const input = (issue.input ?? {}) as Record<string, unknown>;
  return issue.keys.map((key) => ({
    at: yaml.locate(issue.path, key),
    field: [...issue.path.map(String), key].join('.'),
    received: input[key],
    allowed: 'only the documented fields',
    fix: `remove or correct the misspelt key "${key}".`,
  }));
}

/** `file:line:col` in reading order (zod reports in schema order). */
function byPosition(a: ValidationProblem, b: ValidationProblem): number {
  const key = (p: ValidationProblem) => (p.at ?? '').split(':').slice(-2).map(Number);
  const [la, ca] = key(a);
  const [lb, cb] = key(b);
  return la - lb || ca - cb;
}

/**
 * Parses and validates YAML text. Returns zod's output (defaults filled in) and the located YAML;
 * throws one SegmentAccessValidationError listing every problem. Nothing in the file is run.
 */
export function parseDataFile<S extends z.ZodType>(text: string, file: string, schema: S, options: DataFileOptions): { value: z.output<S>; yaml: SafeYaml } {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const { problems, yaml } = parseSafeYaml(text, file, limits);
  if (!yaml) throw new SegmentAccessValidationError(options.where, problems);
  const result = schema.safeParse(yaml.value, { reportInput: true });
  if (!result.success) {
    const unknownKey = options.unknownKey ?? defaultUnknownKey;
    const fixFor = options.fixFor ?? ((field: string) => `set ${field} to an allowed value in ${file}.`);
    const located = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? unknownKey(issue, yaml) : zodProblems([issue], options.where, (field) => fixFor(field, yaml.value)).map((p) => ({ ...p, at: yaml.locate(issue.path) })),
    );
    throw new SegmentAccessValidationError(options.where, located.sort(byPosition));
  }
  return { value: result.data, yaml };
}

/** Reads a file of at most `maxBytes` (checked before reading it) as strict UTF-8; `missing` is the fix when it does not exist. */
export function readDataFileText(file: string, maxBytes: number, where: string, missing: string, what = 'YAML file'): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SegmentAccessValidationError(where, [
      { field: '(file)', received: code === 'ENOENT' ? 'no such file' : `a file that cannot be read (${code ?? 'unknown error'})`, allowed: `a readable ${what}`, fix: missing },
    ]);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new SegmentAccessValidationError(where, [tooLarge(file, size, maxBytes)]);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, read));
    } catch {
      throw new SegmentAccessValidationError(where, [{ at: `${file}:1:1`, field: '(file)', received: 'bytes that are not UTF-8', allowed: 'text in UTF-8', fix: 'save the file as UTF-8.' }]);
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads, parses and validates a YAML data file (see parseDataFile). */
export function loadDataFile<S extends z.ZodType>(file: string, schema: S, options: DataFileOptions & { readonly missing: string }): { value: z.output<S>; yaml: SafeYaml; text: string } {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const text = readDataFileText(file, limits.maxBytes, options.where, options.missing);
  return { ...parseDataFile(text, file, schema, options), text };
}
