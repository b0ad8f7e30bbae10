import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { inspect } from 'util';

/**
 * The record key: a secret only this app holds, from the environment like the API token. It signs the
 * names of the record groups (HMAC-SHA256, RFC 2104, via node:crypto), so nobody without it can make a
 * group the app will act on. `<variable>` signs and verifies; `<variable>_PREVIOUS`, set during a key
 * rotation, only verifies (docs/record-of-managed-users.md, "Key rotation").
 */
export const PREVIOUS_KEY_SUFFIX = '_PREVIOUS';

/** `sark_` + 32 random bytes in base64url (43 characters): recognisable, so scanners and our checks can spot one. */
export const RECORD_KEY_PREFIX = 'sark_';
const KEY_BYTES = 32;
const KEY_PATTERN = /^sark_[A-Za-z0-9_-]{43}$/;

/** Hex characters of a signature in a group name: 80 bits, enough against online guessing, short in a name. */
export const SIGNATURE_LENGTH = 20;
const DOMAIN = 'segment-access record v2';

export enum KeyRole {
  CURRENT = 'current',
  PREVIOUS = 'previous',
}

/** A new record key, as `segment-access keygen` prints it. */
export function generateRecordKey(): string {
  return `${RECORD_KEY_PREFIX}${randomBytes(KEY_BYTES).toString('base64url')}`;
}

/** The record key is required (a run that writes) and missing: nothing was changed. */
export class RecordKeyMissingError extends Error {
  constructor(variable: string, workspaceLabel: string) {
    super(
      `${variable} is not set, so the record of managed users of ${workspaceLabel} can be neither verified nor signed. Nothing was changed. ` +
        `Generate a key once with \`segment-access keygen\`, store it as a secret of the deploy job, and export it as ${variable} ` +
        '(docs/record-of-managed-users.md, "Setting up the key").',
    );
    this.name = 'RecordKeyMissingError';
  }
}

/** A variable holds something that is not a record key. The value is never shown. */
export class RecordKeyInvalidError extends Error {
  constructor(variable: string, length: number) {
    super(
      `${variable} does not hold a record key (it holds ${length} characters, not shown): a key is "${RECORD_KEY_PREFIX}" followed by 43 base64url characters. ` +
        `Nothing was changed. Set ${variable} to the output of \`segment-access keygen\`.`,
    );
    this.name = 'RecordKeyInvalidError';
  }
}

function parseKey(variable: string, raw: string): Buffer {
  const value = raw.trim();
  if (!KEY_PATTERN.test(value)) throw new RecordKeyInvalidError(variable, [...value].length);
  return Buffer.from(value.slice(RECORD_KEY_PREFIX.length), 'base64url');
}

/**
 * The keys a run holds. Never printed: `toString`, `toJSON` and `util.inspect` show only the variable
 * name, so a key cannot reach a log or a file by accident.
 */
export class RecordKeyring {
  private readonly keys: readonly { readonly role: KeyRole; readonly secret: Buffer }[];
  /** The raw values, for redaction of anything printed. */
  public readonly secrets: readonly string[];

  private constructor(
    public readonly variable: string,
    keys: readonly { readonly role: KeyRole; readonly secret: Buffer; readonly raw: string }[],
  ) {
    this.keys = keys.map(({ role, secret }) => ({ role, secret }));
    this.secrets = keys.map((k) => k.raw);
  }

  /**
   * The keys from `<variable>` (and `<variable>_PREVIOUS`); undefined when `<variable>` is unset.
   * A malformed value is refused without being shown.
   */
  public static fromEnv(variable: string, env: NodeJS.ProcessEnv): RecordKeyring | undefined {
    const current = env[variable];
    if (current === undefined || current.trim() === '') return undefined;
    const previousVariable = `${variable}${PREVIOUS_KEY_SUFFIX}`;
    const previous = env[previousVariable];
    const keys = [{ role: KeyRole.CURRENT, secret: parseKey(variable, current), raw: current.trim() }];
    if (previous !== undefined && previous.trim() !== '' && previous.trim() !== current.trim()) {
      keys.push({ role: KeyRole.PREVIOUS, secret: parseKey(previousVariable, previous), raw: previous.trim() });
    }
    return new RecordKeyring(variable, keys);
  }

  /** A keyring from key strings (tests, the demo): the first signs, the others only verify. */
  public static of(variable: string, current: string, ...previous: string[]): RecordKeyring {
    return new RecordKeyring(variable, [
      { role: KeyRole.CURRENT, secret: parseKey(variable, current), raw: current },
      ...previous.map((raw) => ({ role: KeyRole.PREVIOUS, secret: parseKey(`${variable}${PREVIOUS_KEY_SUFFIX}`, raw), raw })),
    ]);
  }

  /** Whether a previous key is held (a rotation is under way). */
  public get rotating(): boolean {
    return this.keys.length > 1;
  }

  /** The signature of `fields` with the current key. */
  public sign(fields: readonly string[]): string {
    return signature(this.keys[0].secret, fields);
  }

  /** Which key signed `fields` with `tag`, if any (compared in constant time). */
  public verify(fields: readonly string[], tag: string): KeyRole | undefined {
    if (tag.length !== SIGNATURE_LENGTH) return undefined;
    const given = Buffer.from(tag, 'utf8');
    for (const key of this.keys) {
      if (timingSafeEqual(Buffer.from(signature(key.secret, fields), 'utf8'), given)) return key.role;
    }
    return undefined;
  }

  public toString(): string {
    return `[record key from ${this.variable}]`;
  }

  public toJSON(): string {
    return this.toString();
  }

  public [inspect.custom](): string {
    return this.toString();
  }
}

/** HMAC-SHA256 over the fields, each on its own line after a domain label, truncated to SIGNATURE_LENGTH hex characters. */
function signature(secret: Buffer, fields: readonly string[]): string {
  return createHmac('sha256', secret).update([DOMAIN, ...fields].join('\n')).digest('hex').slice(0, SIGNATURE_LENGTH);
}
