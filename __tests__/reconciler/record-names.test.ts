import { APP_ID_PATTERN, MAX_RECORD_NAME_LENGTH, RECORD_NAME_OVERHEAD, RECORD_PREFIX_PATTERN } from '../../model/desired-state';
import { createHmac } from 'crypto';
import { KeyRole, RECORD_KEY_PREFIX, RecordKeyring } from '../../reconciler/record-key';
import {
  claimsRecord,
  compactStamp,
  groupGrantRecord,
  inAppNamespace,
  intentRecord,
  invitedRecord,
  isSealedKind,
  membersRecord,
  parseCompactStamp,
  parseRecordName,
  RecordForm,
  RecordKind,
  recordKey,
  RecordName,
  RecordSigner,
} from '../../reconciler/records';
import { E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT } from '../support/e2e';
import { fc, numRuns } from '../properties/fast-check-config';

const P = 'segment-access';
const FP = '0123456789ab';
const AT = new Date('2026-11-27T12:34:56.789Z');
const KEYS = RecordKeyring.of('SEGMENT_ACCESS_RECORD_KEY', E2E_RECORD_KEY);
const signer = (app = 'web-team', keys = KEYS) => new RecordSigner(P, app, keys);
const GROUP = '2K9xQfPz7bWc1mN4rT8vY3uL0aS';

const RECORDS: RecordName[] = [
  membersRecord('web-team'),
  claimsRecord('web-team'),
  invitedRecord('web-team', FP, '2026-11-27'),
  groupGrantRecord('web-team', GROUP),
  intentRecord('web-team', AT, 'aaaaaaaaaaaa'),
];

describe('record group names', () => {
  test('every signed name this version writes parses back to what it records, with its signature (and an intent\'s nonce)', () => {
    for (const record of RECORDS) {
      const name = record.kind === RecordKind.INTENT ? signer().intentName(record) : signer().name(record, isSealedKind(record.kind) ? { groupId: 'g1' } : 'new');
      const parsed = parseRecordName(P, name)!;
      expect(parsed.record).toEqual(record);
      expect(parsed.form).toBe(RecordForm.SIGNED);
      expect(parsed.signature).toMatch(/^[0-9a-f]{20}$/);
      expect(name.startsWith(`${recordKey(P, record)}:`)).toBe(true);
      if (record.kind === RecordKind.INTENT) expect(parsed.nonce).toMatch(/^[0-9a-f]{8}$/);
      else expect(parsed.nonce).toBeUndefined();
    }
    expect(recordKey(P, intentRecord('web-team', AT, 'aaaaaaaaaaaa'))).toBe('segment-access:web-team:intent:20261127T123456Z:aaaaaaaaaaaa');
    expect(parseCompactStamp(compactStamp(AT)).toISOString()).toBe('2026-11-27T12:34:56.000Z');
  });

  test('names of segment-access 0.1 (app ids, no signature) are read as unsigned', () => {
    expect(parseRecordName(P, `${P}:web-team:members`)).toEqual({ record: membersRecord('web-team'), form: RecordForm.UNSIGNED });
    expect(parseRecordName(P, `${P}:web-team:invited:${FP}:2026-11-20`)).toEqual({ record: invitedRecord('web-team', FP, '2026-11-20'), form: RecordForm.UNSIGNED });
    expect(parseRecordName(P, `${P}:web-team:group-grant:Eng: Analytics`)).toEqual({ record: { kind: 'unsigned-group-grant', app: 'web-team', groupName: 'Eng: Analytics' }, form: RecordForm.UNSIGNED });
    expect(parseRecordName(P, `${P}:web-team:intent:20261127T123456Z:aaaaaaaaaaaa`)).toEqual({ record: { kind: RecordKind.INTENT, app: 'web-team', startedAt: '20261127T123456Z', digest: 'aaaaaaaaaaaa' }, form: RecordForm.UNSIGNED });
  });

  test('names written before app ids are read as legacy records', () => {
    expect(parseRecordName(P, `${P}:${FP}:2026-11-20`)).toEqual({ record: { kind: 'legacy-collaborators', app: null, fingerprint: FP, day: '2026-11-20' }, form: RecordForm.LEGACY });
    expect(parseRecordName(P, `${P}:${FP}`)).toEqual({ record: { kind: 'legacy-collaborators', app: null, fingerprint: FP, day: null }, form: RecordForm.LEGACY });
    expect(parseRecordName(P, `${P}:group-grant:Admins`)).toEqual({ record: { kind: 'legacy-group-grant', app: null, groupName: 'Admins' }, form: RecordForm.LEGACY });
  });

  test.each([
    'segment-access',
    'segment-access:',
    'Segment-Access:web-team:members',
    'other-prefix:web-team:members',
    'segment-access:web-team',
    'segment-access:web-team:members:extra',
    'segment-access:web-team:members:0123456789abcdef012',
    'segment-access:web-team:claims',
    'segment-access:web-team:invited:0123456789ab',
    'segment-access:web-team:invited:nothex123456:2026-11-20',
    'segment-access:web-team:invited:0123456789ab:20261120',
    'segment-access:web-team:intent:2026-11-27:aaaaaaaaaaaa',
    'segment-access:web-team:intent:20261127T123456Z:aaaaaaaaaaaa:0123abcd',
    'segment-access:web-team:intent:20261127T123456Z:aaaaaaaaaaaa:nonce:0123456789abcdef0123',
    'segment-access:web-team:group-grant:',
    'segment-access:Web-Team:members',
    'segment-access:web-team:owners',
    'segment-access:0123456789ab:2026-1-20',
  ])('%j is not a record name', (name) => {
    expect(parseRecordName(P, name)).toBeUndefined();
  });

  test('a signed name parses to exactly its record, form and signature: only an intent carries a nonce', () => {
    const name = signer().name(membersRecord('web-team'), { groupId: 'g1' });
    expect(parseRecordName(P, name)).toStrictEqual({ record: membersRecord('web-team'), form: RecordForm.SIGNED, signature: name.slice(-20) });
  });

  test('nothing follows a signature: a genuine signed name with one more field is not a record name', () => {
    const more = ':0123456789abcdef0123';
    for (const record of [membersRecord('web-team'), claimsRecord('web-team'), invitedRecord('web-team', FP, '2026-11-27')]) {
      expect(parseRecordName(P, signer().name(record, 'new') + more)).toBeUndefined();
    }
    expect(parseRecordName(P, signer().intentName(intentRecord('web-team', AT, 'aaaaaaaaaaaa')) + more)).toBeUndefined();
  });

  test('a group-grant name is signed only as exactly "<group id>:<signature>"; anything else is a 0.1 record of the group by that name', () => {
    const sig = '0123456789abcdef0123';
    const unsigned = (groupName: string) => ({ record: { kind: 'unsigned-group-grant', app: 'web-team', groupName }, form: RecordForm.UNSIGNED });
    expect(parseRecordName(P, `${P}:web-team:group-grant:${GROUP}:${sig}`)).toEqual({ record: groupGrantRecord('web-team', GROUP), form: RecordForm.SIGNED, signature: sig });
    expect(parseRecordName(P, `${P}:web-team:group-grant:${GROUP}:${sig}:x`)).toEqual(unsigned(`${GROUP}:${sig}:x`));
    expect(parseRecordName(P, `${P}:web-team:group-grant:Eng Analytics:${sig}`)).toEqual(unsigned(`Eng Analytics:${sig}`));
    expect(parseRecordName(P, `${P}:web-team:group-grant:${GROUP}:Analysts`)).toEqual(unsigned(`${GROUP}:Analysts`));
  });

  test('a name under the app\'s namespace is the app\'s to account for, parsed or not', () => {
    expect(inAppNamespace(P, 'web-team', 'segment-access:web-team:invited:oops')).toBe(true);
    expect(inAppNamespace(P, 'web-team', 'segment-access:web-team:members')).toBe(true);
    expect(inAppNamespace(P, 'web-team', 'segment-access:web-team-2:members')).toBe(false);
    expect(inAppNamespace(P, 'web-team', 'segment-access:data-team:oops')).toBe(false);
  });
});

describe('T6: namespaces that cannot collide', () => {
  test('prefixes and app ids have no ":" (the separator)', () => {
    expect(RECORD_PREFIX_PATTERN.test('segment-access:cteam')).toBe(false);
    expect(RECORD_PREFIX_PATTERN.test('acme.sa_2-x')).toBe(true);
    expect(APP_ID_PATTERN.test('c:team')).toBe(false);
  });

  test('another app\'s group-grant record is never this prefix\'s older-format record: a prefix has no ":" to absorb the app id', () => {
    // Before: app A with prefix "segment-access:cteam" read "segment-access:cteam:group-grant:Analysts" (app C's) as its own legacy record.
    const cs = parseRecordName(P, 'segment-access:cteam:group-grant:Analysts')!;
    expect(cs.record).toEqual({ kind: 'unsigned-group-grant', app: 'cteam', groupName: 'Analysts' });
  });

  test('property: no name is both one app\'s current record and another\'s older-format record, under any two valid prefixes', () => {
    const prefix = fc.stringMatching(RECORD_PREFIX_PATTERN);
    const app = fc.stringMatching(APP_ID_PATTERN).filter((a) => a !== 'group-grant');
    fc.assert(
      fc.property(prefix, app, fc.constantFrom(...RECORDS), prefix, (p, a, template, other) => {
        const record = { ...template, app: a } as RecordName;
        const s = new RecordSigner(p, a, KEYS);
        const name = record.kind === RecordKind.INTENT ? s.intentName(record) : s.name(record, 'new');
        const read = parseRecordName(p, name)!;
        expect(read.record.app).toBe(a);
        const elsewhere = parseRecordName(other, name);
        // Under any other prefix it is either nothing, or read with the same app, never a legacy record.
        if (elsewhere) {
          expect(other).toBe(p);
          expect(elsewhere.form).not.toBe(RecordForm.LEGACY);
        }
      }),
      { numRuns: numRuns(200) },
    );
  });
});

describe('signatures', () => {
  test('a sealed signature verifies only on the group it was made for; a "new" one on any group', () => {
    const sealed = parseRecordName(P, signer().name(membersRecord('web-team'), { groupId: 'g1' }))!;
    expect(signer().verify(sealed, 'g1')).toEqual({ key: KeyRole.CURRENT, sealed: true });
    expect(signer().verify(sealed, 'g2')).toBeUndefined();
    const fresh = parseRecordName(P, signer().name(invitedRecord('web-team', FP, '2026-11-27'), 'new'))!;
    expect(signer().verify(fresh, 'g2')).toEqual({ key: KeyRole.CURRENT, sealed: false });
  });

  test('the signature covers the prefix, the app, the kind and every field: change one and it fails', () => {
    const name = signer().name(invitedRecord('web-team', FP, '2026-11-27'), 'new');
    const sig = parseRecordName(P, name)!.signature!;
    const forged = (record: RecordName, prefix = P, app = 'web-team') => new RecordSigner(prefix, app, KEYS).verify({ record, form: RecordForm.SIGNED, signature: sig }, 'g1');
    expect(forged(invitedRecord('web-team', 'ffffffffffff', '2026-11-27'))).toBeUndefined();
    expect(forged(invitedRecord('web-team', FP, '2026-11-28'))).toBeUndefined();
    expect(forged(invitedRecord('other', FP, '2026-11-27'), P, 'other')).toBeUndefined();
    expect(new RecordSigner('acme-sa', 'web-team', KEYS).verify({ record: invitedRecord('web-team', FP, '2026-11-27'), form: RecordForm.SIGNED, signature: sig }, 'g1')).toBeUndefined();
    expect(forged(invitedRecord('web-team', FP, '2026-11-27'))).toEqual({ key: KeyRole.CURRENT, sealed: false });
  });

  test('an intent\'s nonce is signed: another nonce with the same signature fails', () => {
    const parsed = parseRecordName(P, signer().intentName(intentRecord('web-team', AT, 'aaaaaaaaaaaa')))!;
    expect(signer().verify(parsed, 'g')).toEqual({ key: KeyRole.CURRENT, sealed: false });
    expect(signer().verify({ ...parsed, nonce: parsed.nonce === '00000000' ? '00000001' : '00000000' }, 'g')).toBeUndefined();
    // Two intents of one run's stamp and digest differ by their nonces.
    expect(signer().intentName(intentRecord('web-team', AT, 'aaaaaaaaaaaa'))).not.toBe(signer().intentName(intentRecord('web-team', AT, 'aaaaaaaaaaaa')));
  });

  test('names already in Segment keep verifying: a signature is HMAC-SHA256 of the domain label, prefix, app, kind, fields, nonce and binding, one a line', () => {
    const secret = Buffer.from(E2E_RECORD_KEY.slice(RECORD_KEY_PREFIX.length), 'base64url');
    const sig = (...fields: string[]) => createHmac('sha256', secret).update(['segment-access record v2', ...fields].join('\n')).digest('hex').slice(0, 20);
    expect(signer().name(membersRecord('web-team'), { groupId: GROUP })).toBe(`${P}:web-team:members:${sig(P, 'web-team', 'members', `group ${GROUP}`)}`);
    expect(signer().name(invitedRecord('web-team', FP, '2026-11-27'), 'new')).toBe(`${P}:web-team:invited:${FP}:2026-11-27:${sig(P, 'web-team', 'invited', FP, '2026-11-27', 'new')}`);
    expect(signer().name(intentRecord('web-team', AT, 'aaaaaaaaaaaa'), 'new', '0123abcd')).toBe(
      `${P}:web-team:intent:20261127T123456Z:aaaaaaaaaaaa:0123abcd:${sig(P, 'web-team', 'intent', '20261127T123456Z', 'aaaaaaaaaaaa', '0123abcd', 'new')}`,
    );
  });

  test('only a name in the signed form, with its signature, verifies', () => {
    const parsed = parseRecordName(P, signer().name(membersRecord('web-team'), { groupId: 'g1' }))!;
    expect(signer().verify({ ...parsed, form: RecordForm.UNSIGNED }, 'g1')).toBeUndefined();
    expect(signer().verify({ record: parsed.record, form: RecordForm.SIGNED }, 'g1')).toBeUndefined();
  });

  test('an intent is never sealed: an intent name bound to a group id does not verify, even on that group', () => {
    const bound = parseRecordName(P, signer().name(intentRecord('web-team', AT, 'aaaaaaaaaaaa'), { groupId: 'g1' }, '0123abcd'))!;
    expect(bound.form).toBe(RecordForm.SIGNED);
    expect(signer().verify(bound, 'g1')).toBeUndefined();
  });

  test('another key does not verify; during a rotation the previous key verifies and says so', () => {
    const old = new RecordSigner(P, 'web-team', RecordKeyring.of('V', E2E_RECORD_KEY_NEXT));
    const parsed = parseRecordName(P, old.name(membersRecord('web-team'), { groupId: 'g1' }))!;
    expect(signer().verify(parsed, 'g1')).toBeUndefined();
    const rotating = signer('web-team', RecordKeyring.of('V', E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT));
    expect(rotating.verify(parsed, 'g1')).toEqual({ key: KeyRole.PREVIOUS, sealed: true });
  });

  test('unsigned, legacy and other apps\' names never verify as this app\'s', () => {
    expect(signer().verify(parseRecordName(P, `${P}:web-team:members`)!, 'g1')).toBeUndefined();
    expect(signer().verify(parseRecordName(P, `${P}:${FP}`)!, 'g1')).toBeUndefined();
    const theirs = parseRecordName(P, signer('data-team').name(membersRecord('data-team'), { groupId: 'g1' }))!;
    expect(signer().verify(theirs, 'g1')).toBeUndefined();
  });
});

describe('length', () => {
  test(`the longest name is the prefix and app id plus ${RECORD_NAME_OVERHEAD}: within ${MAX_RECORD_NAME_LENGTH} for the longest prefix and app id synth allows`, () => {
    const app = 'a'.repeat(40);
    const prefix = 'p'.repeat(MAX_RECORD_NAME_LENGTH - RECORD_NAME_OVERHEAD - app.length);
    const s = new RecordSigner(prefix, app, KEYS);
    const names = [
      s.intentName(intentRecord(app, AT, 'aaaaaaaaaaaa')),
      s.name(groupGrantRecord(app, 'x'.repeat(32)), { groupId: 'x'.repeat(32) }),
      s.name(invitedRecord(app, FP, '2026-11-27'), { groupId: 'g' }),
      s.name(claimsRecord(app), { groupId: 'g' }),
    ];
    expect(Math.max(...names.map((n) => n.length))).toBe(MAX_RECORD_NAME_LENGTH);
    expect(names[0].length).toBe(prefix.length + app.length + RECORD_NAME_OVERHEAD);
  });
});
