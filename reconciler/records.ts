import { randomBytes } from 'crypto';
import { APP_ID_PATTERN } from '../model/desired-state';
export { MAX_RECORD_NAME_LENGTH, RECORD_NAME_OVERHEAD } from '../model/desired-state';
import { KeyRole, RecordKeyring, SIGNATURE_LENGTH } from './record-key';

/**
 * The record, kept in Segment itself, of whom an app manages: permission-less user groups whose names
 * say what they record, each name signed with the app's record key (record-key.ts). Every name starts
 * with the record prefix and the app id, neither of which may contain ":", so a name splits one way only.
 * - `<prefix>:<app>:members:<sig>`: accepted users the app manages (their permissions are readable).
 * - `<prefix>:<app>:invited:<fingerprint>:<YYYY-MM-DD>:<sig>`: people the app invited, on that day, with the
 *   permission set of that fingerprint. Segment shows neither a pending invite's permissions nor its age;
 *   this record does. Folded into `members` once everyone in it has accepted.
 * - `<prefix>:<app>:group-grant:<group id>:<sig>`: a user group whose permissions the app sets (no members).
 * - `<prefix>:<app>:claims:<sig>`: people the app declares but another app records: neither app touches them
 *   until one of them stops declaring them (so the other can see this app's claim).
 * - `<prefix>:<app>:intent:<YYYYMMDDTHHMMSSZ>:<digest>:<nonce>:<sig>`: write-ahead intent, created first by
 *   every run that writes and deleted last. Its creator in the audit trail is one of the app's actors (see
 *   evidence.ts); one left behind marks an interrupted run.
 * The signature covers the prefix, the app, the kind and its fields, and a binding: the group's own id
 * ("sealed": a copy of the name on another group does not verify) or "new" (a name made before the group
 * had an id: trusted only with the audit trail). Members, claims and group-grant records are sealed right
 * after they are created; invite records when re-signed; intents never (they live for one run).
 * Older forms are read only to adopt them: `<prefix>:<app>:...` without a signature (segment-access 0.1),
 * and `<prefix>:<fingerprint>[:<YYYY-MM-DD>]`, `<prefix>:group-grant:<group name>` (before app ids).
 */
export enum RecordKind {
  MEMBERS = 'members',
  CLAIMS = 'claims',
  INVITED = 'invited',
  GROUP_GRANT = 'group-grant',
  INTENT = 'intent',
}

export type RecordName =
  | { readonly kind: RecordKind.MEMBERS; readonly app: string }
  | { readonly kind: RecordKind.CLAIMS; readonly app: string }
  | { readonly kind: RecordKind.INVITED; readonly app: string; readonly fingerprint: string; readonly day: string }
  | { readonly kind: RecordKind.GROUP_GRANT; readonly app: string; readonly groupId: string }
  | { readonly kind: RecordKind.INTENT; readonly app: string; readonly startedAt: string; readonly digest: string }
  /** A group-grant record of segment-access 0.1: by the granted group's name, never signed. */
  | { readonly kind: 'unsigned-group-grant'; readonly app: string; readonly groupName: string }
  /** A record written before app ids: `app` is null, `day` null for the settled form. */
  | { readonly kind: 'legacy-collaborators'; readonly app: null; readonly fingerprint: string; readonly day: string | null }
  | { readonly kind: 'legacy-group-grant'; readonly app: null; readonly groupName: string };

/** How a record name is written. */
export enum RecordForm {
  /** With the app id and a signature (this version). */
  SIGNED = 'signed',
  /** With the app id, without a signature (segment-access 0.1): adopted once the audit trail vouches for it. */
  UNSIGNED = 'unsigned',
  /** Before app ids: read only with migrateLegacyRecords. */
  LEGACY = 'legacy',
}

export interface ParsedRecordName {
  readonly record: RecordName;
  readonly form: RecordForm;
  readonly signature?: string;
  /** An intent's nonce: random, known to the run that made it until it creates the group. */
  readonly nonce?: string;
}

/** Which signed kinds are sealed to their group's id once created (they live long). */
export function isSealedKind(kind: RecordName['kind']): boolean {
  return kind === RecordKind.MEMBERS || kind === RecordKind.CLAIMS || kind === RecordKind.GROUP_GRANT;
}

const FINGERPRINT = /^[0-9a-f]{12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const STAMP = /^\d{8}T\d{6}Z$/;
const DIGEST = /^[0-9a-f]{12}$/;
const NONCE = /^[0-9a-f]{8}$/;
const SIGNATURE = new RegExp(`^[0-9a-f]{${SIGNATURE_LENGTH}}$`);
/** Segment's group ids are 27 base62 characters (KSUIDs); anything else cannot be named in a record. */
export const GROUP_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const LEGACY = /^([0-9a-f]{12})(?::(\d{4}-\d{2}-\d{2}))?$/;

/**
 * The record's name without signature or nonce: what the planner works with. Unique per record: one
 * members group, one claims group, one invite record per permission set and day, one group-grant record
 * per group, one intent per run (stamp and digest; two runs in one second with one digest share it).
 */
export function recordKey(prefix: string, record: RecordName): string {
  switch (record.kind) {
    case RecordKind.MEMBERS:
    case RecordKind.CLAIMS:
      return `${prefix}:${record.app}:${record.kind}`;
    case RecordKind.INVITED:
      return `${prefix}:${record.app}:${record.kind}:${record.fingerprint}:${record.day}`;
    case RecordKind.GROUP_GRANT:
      return `${prefix}:${record.app}:${record.kind}:${record.groupId}`;
    case RecordKind.INTENT:
      return `${prefix}:${record.app}:${record.kind}:${record.startedAt}:${record.digest}`;
    case 'unsigned-group-grant':
      return `${prefix}:${record.app}:${RecordKind.GROUP_GRANT}:${record.groupName}`;
    case 'legacy-collaborators':
      return `${prefix}:${record.fingerprint}${record.day ? `:${record.day}` : ''}`;
    case 'legacy-group-grant':
      return `${prefix}:${RecordKind.GROUP_GRANT}:${record.groupName}`;
  }
}

export const membersRecord = (app: string): RecordName => ({ kind: RecordKind.MEMBERS, app });
export const claimsRecord = (app: string): RecordName => ({ kind: RecordKind.CLAIMS, app });
export const invitedRecord = (app: string, fingerprint: string, day: string): RecordName => ({ kind: RecordKind.INVITED, app, fingerprint, day });
export const groupGrantRecord = (app: string, groupId: string): RecordName => ({ kind: RecordKind.GROUP_GRANT, app, groupId });
export const intentRecord = (app: string, at: Date, digest: string): RecordName => ({ kind: RecordKind.INTENT, app, startedAt: compactStamp(at), digest });

/**
 * Reads a group name as a record: undefined when it is not one (outside the prefix, an app id no version
 * writes, an unknown kind or fields of the wrong shape; see `inAppNamespace` for damage of this app's).
 */
export function parseRecordName(prefix: string, name: string): ParsedRecordName | undefined {
  if (!name.startsWith(`${prefix}:`)) return undefined;
  const rest = name.slice(prefix.length + 1);
  const legacy = LEGACY.exec(rest);
  if (legacy) return { record: { kind: 'legacy-collaborators', app: null, fingerprint: legacy[1], day: legacy[2] ?? null }, form: RecordForm.LEGACY };
  if (rest.startsWith(`${RecordKind.GROUP_GRANT}:`)) {
    const groupName = rest.slice(RecordKind.GROUP_GRANT.length + 1);
    return groupName ? { record: { kind: 'legacy-group-grant', app: null, groupName }, form: RecordForm.LEGACY } : undefined;
  }
  const [app, kind, ...parts] = rest.split(':');
  if (!APP_ID_PATTERN.test(app)) return undefined;
  const signed = (record: RecordName, signature: string, nonce?: string): ParsedRecordName | undefined =>
    SIGNATURE.test(signature) ? { record, form: RecordForm.SIGNED, signature, ...(nonce !== undefined ? { nonce } : {}) } : undefined;
  const unsigned = (record: RecordName): ParsedRecordName => ({ record, form: RecordForm.UNSIGNED });
  switch (kind) {
    case RecordKind.MEMBERS:
      if (parts.length === 0) return unsigned({ kind, app });
      return parts.length === 1 ? signed({ kind, app }, parts[0]) : undefined;
    case RecordKind.CLAIMS:
      return parts.length === 1 ? signed({ kind, app }, parts[0]) : undefined;
    case RecordKind.INVITED: {
      const [fingerprint, day, signature] = parts;
      if (parts.length < 2 || parts.length > 3 || !FINGERPRINT.test(fingerprint) || !DAY.test(day)) return undefined;
      return parts.length === 2 ? unsigned({ kind, app, fingerprint, day }) : signed({ kind, app, fingerprint, day }, signature);
    }
    case RecordKind.GROUP_GRANT: {
      // The signed form wins: a 0.1 record of a group literally named "<id>:<signature>" reads as signed (and fails).
      if (parts.length === 2 && GROUP_ID_PATTERN.test(parts[0]) && SIGNATURE.test(parts[1])) return signed({ kind, app, groupId: parts[0] }, parts[1]);
      const groupName = parts.join(':');
      return groupName ? unsigned({ kind: 'unsigned-group-grant', app, groupName }) : undefined;
    }
    case RecordKind.INTENT: {
      const [startedAt, digest, nonce, signature] = parts;
      if ((parts.length !== 2 && parts.length !== 4) || !STAMP.test(startedAt) || !DIGEST.test(digest)) return undefined;
      if (parts.length === 2) return unsigned({ kind, app, startedAt, digest });
      return NONCE.test(nonce) ? signed({ kind, app, startedAt, digest }, signature, nonce) : undefined;
    }
  }
  return undefined;
}

/** A name under this app's namespace: if it does not parse or verify, it is damage, never ignored. */
export function inAppNamespace(prefix: string, app: string, name: string): boolean {
  return name.startsWith(`${prefix}:${app}:`);
}

/** What a signature is bound to: the group's own id once it exists, or "new" for a name made before. */
export type SignatureBinding = { readonly groupId: string } | 'new';

function signedFields(prefix: string, record: RecordName, nonce: string | undefined, binding: SignatureBinding): string[] {
  const key = recordKey(prefix, record).split(':').slice(1);
  return [prefix, ...key, ...(nonce !== undefined ? [nonce] : []), binding === 'new' ? 'new' : `group ${binding.groupId}`];
}

/** How a record group's signature checked out. */
export interface VerifiedSignature {
  readonly key: KeyRole;
  /** Bound to the group's own id (a copy elsewhere does not verify). */
  readonly sealed: boolean;
}

/** Signs and verifies this app's record names with its keys. */
export class RecordSigner {
  constructor(
    public readonly prefix: string,
    public readonly app: string,
    public readonly keys: RecordKeyring,
  ) {}

  /** The name of a new group ("new" binding), or of an existing one sealed to its id. */
  public name(record: RecordName, binding: SignatureBinding, nonce?: string): string {
    const signature = this.keys.sign(signedFields(this.prefix, record, nonce, binding));
    return `${recordKey(this.prefix, record)}${nonce !== undefined ? `:${nonce}` : ''}:${signature}`;
  }

  /** A fresh intent name: its nonce is random, so nobody can create it before this run does. */
  public intentName(record: RecordName): string {
    return this.name(record, 'new', randomBytes(4).toString('hex'));
  }

  /**
   * Whether this app's key signed the name (sealed to `groupId` or, where a kind allows, "new").
   * Members, claims and group-grant records must be sealed unless the audit trail vouches for the group.
   */
  public verify(parsed: ParsedRecordName, groupId: string): VerifiedSignature | undefined {
    if (parsed.form !== RecordForm.SIGNED || parsed.record.app !== this.app || parsed.signature === undefined) return undefined;
    if (parsed.record.kind !== RecordKind.INTENT) {
      const key = this.keys.verify(signedFields(this.prefix, parsed.record, parsed.nonce, { groupId }), parsed.signature);
      if (key) return { key, sealed: true };
    }
    const key = this.keys.verify(signedFields(this.prefix, parsed.record, parsed.nonce, 'new'), parsed.signature);
    return key ? { key, sealed: false } : undefined;
  }
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
