/** Email handling shared by invites, users and group membership. */

// Deliberately simple: one @, no whitespace, a dot in the domain; Segment rejects the obvious typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_EMAIL_LENGTH = 254;

/** Segment treats emails case-insensitively; the emulator stores them lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email);
}

/** "jane.doe+ci@acme.com" -> "Jane Doe": the name a person would most likely type when accepting. */
export function nameFromEmail(email: string): string {
  const localPart = email.split('@')[0].split('+')[0];
  const words = localPart.split(/[._-]+/).filter((word) => word.length > 0);
  if (words.length === 0) return email;
  return words.map((word) => word[0].toUpperCase() + word.slice(1)).join(' ');
}
