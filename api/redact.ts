/** What replaces the token wherever it might surface. */
export const REDACTED = '[redacted]';

/**
 * Returns a function that blanks out the secret in any text. Used on every message,
 * error and event the client produces, because a server (or a proxy) may echo the
 * Authorization header back in an error body.
 */
export function secretRedactor(secret: string): (text: string) => string {
  return (text) => (secret.length > 0 && text.includes(secret) ? text.split(secret).join(REDACTED) : text);
}

/** Redacts every string inside a JSON-like value (error details carry arbitrary `data`). */
export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactDeep(item, redact)]));
  }
  return value;
}
