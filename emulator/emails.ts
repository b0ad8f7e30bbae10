/** Email handling shared by invites, users and group membership. */
import { EmailCase } from './behaviours';

// Deliberately simple: one @, no whitespace, a dot in the domain; Segment rejects the obvious typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_EMAIL_LENGTH = 254;

/** One person per address whatever its case (RFC 5321 leaves local parts case-sensitive; no mail system treats them so). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email);
}

/** How the workspace holds emails and how an email in a request finds them (the `emailCase` setting). */
export interface EmailRules {
  /** The string stored for an email first given as `raw`. */
  stored(raw: string): string;
  /** Whether an email given in a call (delete, group membership) addresses this stored one. */
  addresses(stored: string, given: string): boolean;
}

export function emailRules(mode: EmailCase): EmailRules {
  if (mode === EmailCase.PRESERVED) {
    return { stored: (raw) => raw.trim(), addresses: (stored, given) => stored === given.trim() };
  }
  return { stored: normalizeEmail, addresses: (stored, given) => stored === normalizeEmail(given) };
}

/** Whether two stored or given emails are the same person (uniqueness is case-insensitive under every setting). */
export function samePerson(a: string, b: string): boolean {
  return normalizeEmail(a) === normalizeEmail(b);
}

/** "jane.doe+ci@acme.com" -> "Jane Doe": the name a person would most likely type when accepting. */
export function nameFromEmail(email: string): string {
  const localPart = email.split('@')[0].split('+')[0];
  const words = localPart.split(/[._-]+/).filter((word) => word.length > 0);
  if (words.length === 0) return email;
  return words.map((word) => word[0].toUpperCase() + word.slice(1)).join(' ');
}
