// constructs/schemas.ts emailSchema is one check, for speed. The chain of zod checks it replaced is kept
// here as the reference: for any input, both give the same value or the same issues, in the same order.
import fc from 'fast-check';
import { z } from 'zod';
import { EMAIL_WITHOUT_AT, emailSchema } from '../../constructs/schemas';

const referenceEmailSchema = z
  .string({ error: 'an email address (a string)' })
  .trim()
  .pipe(
    z
      .string()
      .max(254, { error: 'an email address of at most 254 characters (RFC 5321)' })
      .refine((email) => email.includes('@'), { error: EMAIL_WITHOUT_AT, abort: true })
      .pipe(z.email({ error: 'a well-formed email address such as "analytics@agency.example"' }))
      .superRefine((email, ctx) => {
        const at = email.lastIndexOf('@');
        const local = email.slice(0, at);
        if (local.length > 64) ctx.addIssue({ code: 'custom', input: email, message: `an email address whose part before "@" has at most 64 characters (RFC 5321; this one has ${local.length})` });
        const longLabel = email.slice(at + 1).split('.').find((label) => label.length > 63);
        if (longLabel !== undefined) ctx.addIssue({ code: 'custom', input: email, message: `an email address whose domain labels have at most 63 characters each (RFC 1035; one has ${longLabel.length})` });
      }),
  );

/** What a caller can see of a result: the value, or each issue's code, message, input, path and details. */
function outcome(schema: z.ZodType, input: unknown): unknown {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { value: result.data };
  return result.error.issues.map((issue) => {
    const { code, message, input: received, path } = issue;
    const details = issue.code === 'too_big' ? { maximum: issue.maximum, inclusive: issue.inclusive } : issue.code === 'invalid_format' ? { format: issue.format } : {};
    return { code, message, received, path, origin: (issue as { origin?: unknown }).origin, ...details };
  });
}

const repeat = (c: string, n: number) => c.repeat(n);
const emailLike = fc.oneof(
  fc.emailAddress(),
  fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 80 })).map(([local, domain, label]) => `${repeat('a', local)}@${repeat('b', domain)}.${repeat('c', label)}`),
  fc.tuple(fc.string(), fc.constantFrom('@', '@@', ' @ ', '', '.'), fc.string()).map(([a, at, b]) => `${a}${at}${b}`),
  fc.tuple(fc.constantFrom('', ' ', '\t', '\n'), fc.emailAddress(), fc.constantFrom('', ' ', '\u00a0')).map(([a, e, b]) => `${a}${e}${b}`),
  fc.string({ unit: fc.constantFrom('a', '@', '.', '-', '_', '+', "'", ' ', 'Ä'), maxLength: 300 }),
);

describe('emailSchema matches the check chain it replaced', () => {
  test.each([
    ['a valid address', 'analytics@agency.example'],
    ['padding, trimmed', '  analytics@agency.example \n'],
    ['no "@"', 'analytics.agency.example'],
    ['too long without "@" (both issues)', 'a'.repeat(260)],
    ['too long with "@" (length only)', `${'a'.repeat(40)}@${'b'.repeat(250)}.com`],
    ['ill-formed', 'bad@@agency.example'],
    ['local part of 65', `${'a'.repeat(65)}@agency.example`],
    ['local part of 65 and a label of 64', `${'a'.repeat(65)}@${'b'.repeat(64)}.example`],
    ['a label of exactly 63', `a@${'b'.repeat(63)}.example`],
    ['not a string', 42],
    ['undefined', undefined],
  ])('%s', (_name, input) => {
    expect(outcome(emailSchema, input)).toEqual(outcome(referenceEmailSchema, input));
  });

  test('the same outcome for generated addresses and look-alikes', () => {
    fc.assert(
      fc.property(emailLike, (input) => {
        expect(outcome(emailSchema, input)).toEqual(outcome(referenceEmailSchema, input));
      }),
      { numRuns: 2000 },
    );
  });

  test('the boundaries are where the reference has them (a one-off change in a limit is caught)', () => {
    for (const local of [63, 64, 65]) {
      for (const label of [62, 63, 64]) {
        const input = `${'a'.repeat(local)}@${'b'.repeat(label)}.example`;
        expect(outcome(emailSchema, input)).toEqual(outcome(referenceEmailSchema, input));
      }
    }
    // Labels of 60 (each allowed), so only the whole length decides.
    for (const length of [253, 254, 255]) {
      const input = `${'a'.repeat(length - 4 * 61 - 4)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`;
      expect(input.length).toBe(length);
      expect(outcome(emailSchema, input)).toEqual(outcome(referenceEmailSchema, input));
    }
    expect(emailSchema.safeParse(`${'a'.repeat(5)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`).success).toBe(true);
  });
});
