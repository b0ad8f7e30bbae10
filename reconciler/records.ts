import { APP_ID_PATTERN } from '../model/desired-state';

/**
 * The record, kept in Segment itself, of whom an app manages: permission-less user groups whose names
 * say what they record. Every name starts with the record prefix and the app id (a stable identity
 * declared in code), so two apps on one workspace never read each other's record as their own.
 * - `<prefix>:<app>:members`: accepted users the app manages (their permissions are readable).
 * - `<prefix>:<app>:invited:<fingerprint>:<YYYY-MM-DD>`: people the app invited, on that day, with the
 *   permission set of that fingerprint. Segment shows neither a pending invite's permissions nor its age;
 *   this record does. Folded into `members` once everyone in it has accepted.
 * - `<prefix>:<app>:group-grant:<group name>`: a user group whose permissions the app sets (no members).
 * - `<prefix>:<app>:intent:<YYYYMMDDTHHMMSSZ>:<digest>`: write-ahead intent, created before a run sends
 *   invites and deleted when it has recorded them. One left behind marks an interrupted run; the audit
 *   trail says whom it invited (see evidence.ts).
 * Legacy names (before app ids): `<prefix>:<fingerprint>[:<YYYY-MM-DD>]` and `<prefix>:group-grant:<group>`;
 * read, and migrated into the app's own record by the next run that writes.
 */
export enum RecordKind {
  MEMBERS = 'members',
  INVITED = 'invited',
  GROUP_GRANT = 'group-grant',
  INTENT = 'intent',
}

export type RecordName =
  | { readonly kind: RecordKind.MEMBERS; readonly app: string }
  | { readonly kind: RecordKind.INVITED; readonly app: string; readonly fingerprint: string; readonly day: string }
  | { readonly kind: RecordKind.GROUP_GRANT; readonly app: string; readonly groupName: string }
  | { readonly kind: RecordKind.INTENT; readonly app: string; readonly startedAt: string; readonly digest: string }
  /** A record written before app ids: `app` is null, `day` null for the settled form. */
  | { readonly kind: 'legacy-collaborators'; readonly app: null; readonly fingerprint: string; readonly day: string | null }
  | { readonly kind: 'legacy-group-grant'; readonly app: null; readonly groupName: string };

const FINGERPRINT = /^[0-9a-f]{12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const STAMP = /^\d{8}T\d{6}Z$/;
const DIGEST = /^[0-9a-f]{12}$/;
const LEGACY = /^([0-9a-f]{12})(?::(\d{4}-\d{2}-\d{2}))?$/;

export function membersRecordName(prefix: string, app: string): string {
  return `${prefix}:${app}:${RecordKind.MEMBERS}`;
}

export function invitedRecordName(prefix: string, app: string, fingerprint: string, day: string): string {
  return `${prefix}:${app}:${RecordKind.INVITED}:${fingerprint}:${day}`;
}

export function groupGrantRecordName(prefix: string, app: string, groupName: string): string {
  return `${prefix}:${app}:${RecordKind.GROUP_GRANT}:${groupName}`;
}

export function intentRecordName(prefix: string, app: string, at: Date, digest: string): string {
  return `${prefix}:${app}:${RecordKind.INTENT}:${compactStamp(at)}:${digest}`;
}

/**
 * Reads a group name as a record: undefined when it is not one (any group outside the prefix, or a
 * name under the prefix that no version of this code writes).
 */
export function parseRecordName(prefix: string, name: string): RecordName | undefined {
  if (!name.startsWith(`${prefix}:`)) return undefined;
  const rest = name.slice(prefix.length + 1);
  const legacy = LEGACY.exec(rest);
  if (legacy) return { kind: 'legacy-collaborators', app: null, fingerprint: legacy[1], day: legacy[2] ?? null };
  if (rest.startsWith(`${RecordKind.GROUP_GRANT}:`)) {
    const groupName = rest.slice(RecordKind.GROUP_GRANT.length + 1);
    return groupName ? { kind: 'legacy-group-grant', app: null, groupName } : undefined;
  }
  const [app, kind, ...parts] = rest.split(':');
  if (!APP_ID_PATTERN.test(app)) return undefined;
  switch (kind) {
    case RecordKind.MEMBERS:
      return parts.length === 0 ? { kind, app } : undefined;
    case RecordKind.INVITED:
      return parts.length === 2 && FINGERPRINT.test(parts[0]) && DAY.test(parts[1]) ? { kind, app, fingerprint: parts[0], day: parts[1] } : undefined;
    case RecordKind.GROUP_GRANT: {
      const groupName = parts.join(':');
      return groupName ? { kind, app, groupName } : undefined;
    }
    case RecordKind.INTENT:
      return parts.length === 2 && STAMP.test(parts[0]) && DIGEST.test(parts[1]) ? { kind, app, startedAt: parts[0], digest: parts[1] } : undefined;
  }
  return undefined;
}

/** A name under the prefix and this app's id that does not parse: a record group someone renamed or made by hand. */
export function looksLikeOwnRecord(prefix: string, app: string, name: string): boolean {
  return name.startsWith(`${prefix}:${app}:`) && parseRecordName(prefix, name) === undefined;
}

/** The UTC day an instant falls on: the granularity of the invited record. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `20261127T120000Z`: an instant in a group name (no ":" inside). */
export function compactStamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The instant of a compact stamp. */
export function parseCompactStamp(stamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) throw new Error(`Not a record stamp: "${stamp}" (expected YYYYMMDDTHHMMSSZ).`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}
