/**
 * Telling the NAME of a token's environment variable from the token itself, so a token pasted where
 * its variable's name belongs is rejected at synth and never printed.
 */

/**
 * Prefixes of well-known secrets. Segment Public API tokens are `sgp_` + 64 letters and digits (the
 * pattern GitLab's secret detection, check 798.169, and gitleaks' `segment-public-api-token` match);
 * `sark_` starts this app's record keys (reconciler/record-key.ts).
 */
const SECRET_PREFIXES = ['sark_', 'sgp_', 'ghp_', 'gho_', 'ghs_', 'ghu_', 'github_pat_', 'glpat-', 'xoxb-', 'xoxp-', 'sk-', 'akia', 'npm_'];

/** The longest variable name accepted; longer names are almost never names. */
export const MAX_ENV_VAR_NAME_LENGTH = 64;

const CONVENTIONAL_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Shannon entropy of the text, in bits per character. */
function entropyPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...text].length;
  let bits = 0;
  for (const c of counts.values()) bits -= (c / n) * Math.log2(c / n);
  return bits;
}

/**
 * Whether a value looks like a secret rather than a name: a known token prefix, a long run of
 * letters mixed with digits (names are words joined by "_"), or a long high-entropy string.
 */
export function looksLikeSecret(value: string): boolean {
  const lower = value.toLowerCase();
  if (SECRET_PREFIXES.some((prefix) => lower.startsWith(prefix))) return true;
  if ([...value].length > MAX_ENV_VAR_NAME_LENGTH) return true;
  const longestWord = Math.max(0, ...value.split(/[_\-.\s]/).map((w) => w.length));
  const wordsMixDigits = value.split(/[_\-.\s]/).some((w) => w.length >= 16 && /[0-9]/.test(w) && /[A-Za-z]/.test(w));
  if (wordsMixDigits) return true;
  if (longestWord >= 24) return true;
  return value.length >= 20 && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value) && entropyPerChar(value) >= 4;
}

/** A conventional environment variable name: upper-case letters, digits and "_", not starting with a digit, of sane length, not secret-like. */
export function isConventionalEnvVarName(value: string): boolean {
  // looksLikeSecret also refuses names longer than MAX_ENV_VAR_NAME_LENGTH.
  return CONVENTIONAL_NAME.test(value) && !looksLikeSecret(value);
}

/** The variable the official Segment Terraform provider reads its token from. */
export const DEFAULT_TOKEN_VARIABLE = 'PUBLIC_API_TOKEN';

/** segment-access's own settings (and a future record key) are never a Public API token. */
const OWN_SETTINGS_PREFIX = 'SEGMENT_ACCESS_';

/** The documented convention for a token variable's name, so a definition cannot name another secret. */
export const TOKEN_VARIABLE_CONVENTION = `${DEFAULT_TOKEN_VARIABLE}, or a name that starts with SEGMENT_ (not ${OWN_SETTINGS_PREFIX}), e.g. SEGMENT_PROD_TOKEN`;

/**
 * Whether a name may hold a Segment Public API token: the official provider's PUBLIC_API_TOKEN, or a
 * conventional name starting with SEGMENT_ (segment-access's own SEGMENT_ACCESS_ settings excepted).
 * Anything else (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN) is another system's secret, which the executor
 * must never send as a bearer token.
 */
export function isTokenVariableName(value: string): boolean {
  if (!isConventionalEnvVarName(value)) return false;
  if (value === DEFAULT_TOKEN_VARIABLE) return true;
  return value.startsWith('SEGMENT_') && value.length > 'SEGMENT_'.length && !value.startsWith(OWN_SETTINGS_PREFIX);
}

/** How a token variable's name may be shown in a message: as itself, unless it looks like a secret. */
export function displayableVariableName(value: string): string {
  return looksLikeSecret(value) ? `a variable whose name looks like a token (${[...value].length} characters, not shown)` : value;
}
