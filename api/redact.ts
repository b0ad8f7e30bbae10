import { terminalText } from '../model/output-encoding';

/** What replaces the token wherever it might surface. */
export const REDACTED = '[redacted]';

/** Pieces of the token this long or longer are redacted too: a server may echo a cut or a part of it. */
export const MIN_REDACTED_PIECE = 8;

/**
 * Returns a function that blanks out the secret, and every piece of it of MIN_REDACTED_PIECE or more
 * characters, in any text. Used on every message, error and event the client produces, because a
 * server (or a proxy) may echo the Authorization header back, whole, cut or split.
 *
 * The result is printable: control characters are shown escaped (`\x1b`) BEFORE redacting, so no
 * later encoding (a terminal, JSON.stringify) can turn its escapes into letters that rejoin pieces
 * of the secret.
 */
export function secretRedactor(secret: string): (text: string) => string {
  if (secret.length === 0) return terminalText;
  // A secret shorter than a piece is redacted whole.
  const width = Math.min(MIN_REDACTED_PIECE, secret.length);
  const pieces = new Set<string>();
  for (let i = 0; i + width <= secret.length; i++) pieces.add(secret.slice(i, i + width));
  const marker = markerFor(secret, pieces);
  return (text) => {
    let out = terminalText(text);
    // Every substring of the secret of length >= 8 is covered by its windows of exactly 8, so blanking
    // every window that is a piece removes them all. Replacing can join what was around a piece into
    // a new one: repeat until nothing matches. Each round removes at least one character that is not
    // part of a marker (no window of markers alone is a piece, see markerFor), so this ends.
    for (;;) {
      const covered = new Uint8Array(out.length);
      let found = false;
      for (let i = 0; i + width <= out.length; i++) {
        if (pieces.has(out.slice(i, i + width))) {
          covered.fill(1, i, i + width);
          found = true;
        }
      }
      if (!found) return out;
      let next = '';
      for (let i = 0; i < out.length; i++) {
        if (!covered[i]) next += out[i];
        else if (i === 0 || !covered[i - 1]) next += marker;
      }
      out = next;
    }
  };
}

/**
 * REDACTED, unless a run of markers could itself hold a piece of the secret (a secret made of
 * "[redacted]"...): then a single character the secret does not contain.
 */
function markerFor(secret: string, pieces: ReadonlySet<string>): string {
  const doubled = REDACTED + REDACTED;
  if (![...pieces].some((piece) => doubled.includes(piece))) return REDACTED;
  for (let code = 0x2588; ; code++) if (!secret.includes(String.fromCodePoint(code))) return String.fromCodePoint(code); // █, or a neighbour
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

/** A record key's recognisable form (reconciler/record-key.ts): its prefix and 8 or more of its characters, whole or cut. */
const RECORD_KEY_TEXT = /sark_[A-Za-z0-9_-]{8,}/g;

/**
 * Blanks out anything shaped like a record key. Record keys are never sent anywhere and never put in a
 * message by this code; this is the second line, on every line the CLI prints.
 */
export function redactRecordKeys(text: string): string {
  return text.replace(RECORD_KEY_TEXT, REDACTED);
}
