import { z } from 'zod';

/** Shared zod pieces for construct props, with messages that say what is allowed. */
export const emailSchema = z
  .string({ error: 'an email address (a string)' })
  .trim()
  .pipe(z.email({ error: 'a well-formed email address such as "analytics@agency.example"' }));

export const isoDateSchema = z.iso.date({ error: 'a calendar date written YYYY-MM-DD, e.g. "2027-03-31"' });

export const nonEmpty = (what: string) => z.string({ error: `${what} (a non-empty string)` }).trim().min(1, { error: `${what} (a non-empty string)` });

export const optionalText = (what: string) => nonEmpty(what).optional();

export const envVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'an environment variable NAME such as "SEGMENT_PROD_TOKEN" (letters, digits, underscores), never the token itself' });

export const labelsSchema = z.record(
  z.string().min(1, { error: 'a label key' }),
  z.string().min(1, { error: 'a label value' }),
);
