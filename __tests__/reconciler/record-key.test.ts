import { inspect } from 'util';
import { redactRecordKeys, REDACTED } from '../../api/redact';
import { generateRecordKey, KeyRole, RecordKeyInvalidError, RecordKeyMissingError, RecordKeyring, SIGNATURE_LENGTH } from '../../reconciler/record-key';
import { looksLikeSecret } from '../../model/token-variable-names';
import { fc, numRuns } from '../properties/fast-check-config';
import { E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT } from '../support/e2e';

const VAR = 'SEGMENT_ACCESS_RECORD_KEY';

describe('record keys', () => {
  test('keygen: "sark_" and 32 random bytes in base64url, new every time', () => {
    const keys = new Set(Array.from({ length: 20 }, generateRecordKey));
    expect(keys.size).toBe(20);
    for (const key of keys) {
      expect(key).toMatch(/^sark_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(5), 'base64url')).toHaveLength(32);
      expect(RecordKeyring.of(VAR, key).sign(['x'])).toMatch(new RegExp(`^[0-9a-f]{${SIGNATURE_LENGTH}}$`));
    }
  });

  test('read from the variable (and <variable>_PREVIOUS); unset or blank means no key', () => {
    expect(RecordKeyring.fromEnv(VAR, {})).toBeUndefined();
    expect(RecordKeyring.fromEnv(VAR, { [VAR]: '  ' })).toBeUndefined();
    const one = RecordKeyring.fromEnv(VAR, { [VAR]: ` ${E2E_RECORD_KEY}\n` })!;
    expect(one.rotating).toBe(false);
    const two = RecordKeyring.fromEnv(VAR, { [VAR]: E2E_RECORD_KEY_NEXT, [`${VAR}_PREVIOUS`]: E2E_RECORD_KEY })!;
    expect(two.rotating).toBe(true);
    // A previous key equal to the current one is no rotation.
    expect(RecordKeyring.fromEnv(VAR, { [VAR]: E2E_RECORD_KEY, [`${VAR}_PREVIOUS`]: E2E_RECORD_KEY })!.rotating).toBe(false);
    const signed = one.sign(['a', 'b']);
    expect(two.verify(['a', 'b'], signed)).toBe(KeyRole.PREVIOUS);
    expect(two.verify(['a', 'b'], two.sign(['a', 'b']))).toBe(KeyRole.CURRENT);
    expect(one.verify(['a', 'b'], two.sign(['a', 'b']))).toBeUndefined();
  });

  test.each(['not-a-key', 'sark_short', `${E2E_RECORD_KEY}x`, E2E_RECORD_KEY.replace('sark_', 'sgp_'), 'sark_' + '!'.repeat(43)])('fails: %j is refused without being shown', (value) => {
    const attempt = () => RecordKeyring.fromEnv(VAR, { [VAR]: value });
    expect(attempt).toThrow(RecordKeyInvalidError);
    expect(attempt).toThrow(`${VAR} does not hold a record key (it holds ${value.length} characters, not shown)`);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  test('fails: a malformed previous key names the _PREVIOUS variable', () => {
    expect(() => RecordKeyring.fromEnv(VAR, { [VAR]: E2E_RECORD_KEY, [`${VAR}_PREVIOUS`]: 'oops' })).toThrow(`${VAR}_PREVIOUS does not hold a record key`);
  });

  test('a keyring never prints its keys: String, JSON and util.inspect show the variable name only', () => {
    const keys = RecordKeyring.of(VAR, E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT);
    const shown = [String(keys), JSON.stringify({ keys }), inspect(keys), inspect({ nested: { keys } }, { depth: 5 })].join('\n');
    expect(shown).toContain(`[record key from ${VAR}]`);
    for (const key of [E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT]) expect(shown).not.toContain(key.slice(5, 20));
  });

  test('a missing key: the message names the variable, the workspace and the fix', () => {
    expect(new RecordKeyMissingError('SEGMENT_PROD_RECORD_KEY', 'workspace Acme (ws1)').message).toBe(
      'SEGMENT_PROD_RECORD_KEY is not set, so the record of managed users of workspace Acme (ws1) can be neither verified nor signed. Nothing was changed. ' +
        'Generate a key once with `segment-access keygen`, store it as a secret of the deploy job, and export it as SEGMENT_PROD_RECORD_KEY ' +
        '(docs/record-of-managed-users.md, "Setting up the key").',
    );
  });

  test('a key pasted where a variable name belongs is recognised as a secret', () => {
    expect(looksLikeSecret(E2E_RECORD_KEY)).toBe(true);
    expect(looksLikeSecret(VAR)).toBe(false);
  });

  test('a value read from the environment is used trimmed, and kept trimmed for redaction', () => {
    const padded = RecordKeyring.fromEnv(VAR, { [VAR]: ` ${E2E_RECORD_KEY}\n`, [`${VAR}_PREVIOUS`]: `\t${E2E_RECORD_KEY_NEXT} ` })!;
    expect(padded.secrets).toEqual([E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT]);
    // Trimming changes nothing the key signs with.
    expect(padded.sign(['a'])).toBe(RecordKeyring.of(VAR, E2E_RECORD_KEY).sign(['a']));
    expect(RecordKeyring.of(VAR, E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT).secrets).toEqual([E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT]);
  });

  test('a blank previous key, or the current key again with other padding, is no rotation and no error', () => {
    for (const previous of ['', '   ', '\n', ` ${E2E_RECORD_KEY}`, `${E2E_RECORD_KEY}\n`]) {
      const keys = RecordKeyring.fromEnv(VAR, { [VAR]: E2E_RECORD_KEY, [`${VAR}_PREVIOUS`]: previous })!;
      expect(keys.rotating).toBe(false);
      expect(keys.secrets).toEqual([E2E_RECORD_KEY]);
    }
  });

  test('a malformed previous key given in code names the _PREVIOUS variable too', () => {
    expect(() => RecordKeyring.of(VAR, E2E_RECORD_KEY, 'oops')).toThrow(`${VAR}_PREVIOUS does not hold a record key (it holds 4 characters, not shown)`);
  });

  test('the errors say what to do and carry their own names', () => {
    const invalid = new RecordKeyInvalidError(VAR, 7);
    expect(invalid.name).toBe('RecordKeyInvalidError');
    expect(invalid.message).toBe(
      `${VAR} does not hold a record key (it holds 7 characters, not shown): a key is "sark_" followed by 43 base64url characters. ` +
        `Nothing was changed. Set ${VAR} to the output of \`segment-access keygen\`.`,
    );
    expect(new RecordKeyMissingError(VAR, 'workspace w').name).toBe('RecordKeyMissingError');
  });

  test('a keyring serialises to its variable name only: JSON and util.inspect give exactly that', () => {
    const keys = RecordKeyring.of(VAR, E2E_RECORD_KEY);
    expect(JSON.stringify({ keys })).toBe(`{"keys":"[record key from ${VAR}]"}`);
    expect(inspect(keys)).toBe(`[record key from ${VAR}]`);
  });

  // Records signed by an earlier run must still verify after an upgrade: the scheme is fixed
  // (docs/record-of-managed-users.md, "The signature": HMAC-SHA256 with the key's 32 bytes over a domain
  // label and the fields, one per line, first 80 bits in hex). A known answer, computed once with
  // Node's crypto from that description, pins it.
  test('known answer: the signature scheme does not drift', () => {
    const fields = ['segment-access', 'default', 'members', 'group g1'];
    expect(RecordKeyring.of(VAR, E2E_RECORD_KEY).sign(fields)).toBe('6c1a77d263db30a9d4b7');
    expect(RecordKeyring.of(VAR, E2E_RECORD_KEY).verify(fields, '6c1a77d263db30a9d4b7')).toBe(KeyRole.CURRENT);
  });

  test('a signature is bound to every field and their order', () => {
    const keys = RecordKeyring.of(VAR, E2E_RECORD_KEY);
    const sig = keys.sign(['segment-access', 'default', 'members', 'group g1']);
    expect(keys.verify(['segment-access', 'default', 'members', 'group g1'], sig)).toBe(KeyRole.CURRENT);
    expect(keys.verify(['segment-access', 'default', 'members', 'group g2'], sig)).toBeUndefined();
    expect(keys.verify(['default', 'segment-access', 'members', 'group g1'], sig)).toBeUndefined();
    expect(keys.verify(['segment-access', 'default', 'members', 'group g1'], sig.slice(1))).toBeUndefined();
  });
});

describe('redaction of record keys (the second line: keys are never put in a message)', () => {
  test('property: a key, whole or cut to 8 or more of its characters after the prefix, is blanked wherever it appears', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 8, max: 43 }), (before, after, keep) => {
        const key = generateRecordKey();
        const piece = key.slice(0, 5 + keep);
        const out = redactRecordKeys(`${before}${piece}${after}`);
        expect(out).not.toContain(piece);
        expect(out).toContain(REDACTED);
      }),
      { numRuns: numRuns(200) },
    );
  });

  test('the prefix alone (as in the help text) is left as written', () => {
    expect(redactRecordKeys('a key is "sark_" followed by 43 characters')).toBe('a key is "sark_" followed by 43 characters');
  });
});
