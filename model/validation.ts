import { z } from 'zod';

/** One thing wrong with an input: which field, what came in, what is allowed, and how to fix it. */
export interface ValidationProblem {
  readonly field: string;
  readonly received: unknown;
  readonly allowed: string;
  readonly fix: string;
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
}

function formatReceived(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function formatProblems(where: string, problems: readonly ValidationProblem[]): string {
  const lines = problems.map(
    (p) => `  - ${p.field}: received ${formatReceived(p.received)}; allowed: ${p.allowed}. Fix: ${p.fix}`,
  );
  return `Invalid input at ${where}:\n${lines.join('\n')}`;
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
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue): ValidationProblem => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(props)';
    return {
      field,
      received: issue.input,
      allowed: allowedFor(issue),
      fix:
        hintFor(field, hints) ??
        (issue.code === 'unrecognized_keys'
          ? `remove or correct the misspelt prop(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}.`
          : `set "${field}" to an allowed value in the props of ${where}.`),
    };
  });
  throw new SegmentAccessValidationError(where, problems);
}

/** Throws a single-problem validation error. */
export function invalid(where: string, problem: ValidationProblem): never {
  throw new SegmentAccessValidationError(where, [problem]);
}
