import { AuditEvidence } from '../../reconciler/evidence';
import { RecordKeyring } from '../../reconciler/record-key';
import { classifyGroup, Distrust, ownName, Resign, Trust, TrustContext } from '../../reconciler/record-trust';
import { claimsRecord, groupGrantRecord, intentRecord, invitedRecord, membersRecord, parseRecordName, RecordSigner } from '../../reconciler/records';
import type { LiveAuditEvent, LiveGroup } from '../../reconciler/segment-port';
import { E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT } from '../support/e2e';
import { event, group, PREFIX, signedIntentName, signerFor, TEST_KEYS, TEST_NOW } from '../support/live';

// classifyGroup read directly: which groups are this app's record, why, and what is wrong with every
// other group shaped like it. Each rule is pinned with one group and the trail it needs.

const TOKEN = 'token:deploy';
const OTHER = 'token:other';
const PERSON = ['user:ops', 'ops@acme.example'] as const;
const SIGNER = signerFor();
const FP = '0123456789ab';
const invited = invitedRecord('default', FP, '2026-11-20');

const created = (id: string, name: string, actor = TOKEN, m = 1, email?: string) => event('User Group Created', id, name, actor, m, email);
const renamed = (id: string, name: string, actor = TOKEN, m = 2, email?: string) => event('User Group Updated', id, name, actor, m, email);
/** TOKEN proven: the first creation of a fresh signed intent. */
const proof = () => created('g_proof', signedIntentName(), TOKEN, 0);

function ctx(events: LiveAuditEvent[] | null, extra: Partial<TrustContext> = {}): TrustContext {
  const evidence = events === null ? undefined : new AuditEvidence(events, { prefix: PREFIX, app: 'default', signer: SIGNER, delayMs: 0, now: TEST_NOW });
  return { prefix: PREFIX, app: 'default', signer: SIGNER, evidence, migrateLegacyRecords: false, otherAppsPresent: false, ...extra };
}
const g = (name: string, id = 'g1'): LiveGroup => group(name, [], id);

describe('signed records of this app', () => {
  test('sealed to its own id: trusted on the signature alone, whatever the trail says', () => {
    const members = g(SIGNER.name(membersRecord('default'), { groupId: 'g1' }));
    expect(classifyGroup(members, ctx([]))).toEqual({ as: 'own', record: membersRecord('default'), trust: Trust.SEALED });
    expect(classifyGroup(members, ctx(null))).toEqual({ as: 'own', record: membersRecord('default'), trust: Trust.SEALED });
    // A person renaming it away and back changes nothing: the name is still bound to this id.
    expect(classifyGroup(members, ctx([created('g1', 'x', OTHER), renamed('g1', members.name, PERSON[0], 2, PERSON[1])]))).toMatchObject({ as: 'own', trust: Trust.SEALED });
  });

  test('a sealed name copied onto another group does not verify', () => {
    const copy = g(SIGNER.name(groupGrantRecord('default', 'g_owners'), { groupId: 'g1' }), 'g2');
    expect(classifyGroup(copy, ctx([proof(), created('g2', copy.name, OTHER)]))).toEqual({ as: 'unauthentic', record: groupGrantRecord('default', 'g_owners'), reason: Distrust.BAD_SIGNATURE });
  });

  test('an unsealed (new) invite record is trusted when its naming by the app is in the trail, and when it is older than the trail', () => {
    const name = SIGNER.name(invited, 'new');
    expect(classifyGroup(g(name), ctx([proof(), created('g1', name)]))).toEqual({ as: 'own', record: invited, trust: Trust.TRAIL });
    expect(classifyGroup(g(name), ctx([proof()]))).toEqual({ as: 'own', record: invited, trust: Trust.BEFORE_TRAIL });
    expect(classifyGroup(g(name), ctx(null))).toEqual({ as: 'own', record: invited, trust: Trust.SIGNATURE });
  });

  test('an unsealed name the trail shows the app gave the group only under another name is a copy: the app did not give it this one', () => {
    const name = SIGNER.name(invited, 'new');
    expect(classifyGroup(g(name), ctx([proof(), created('g1', 'Finance')]))).toEqual({ as: 'unauthentic', record: invited, reason: Distrust.COPY });
  });

  test('a copy of an unsealed name, created or renamed to it by someone else, is a copy', () => {
    const name = SIGNER.name(invited, 'new');
    expect(classifyGroup(g(name, 'g2'), ctx([proof(), created('g1', name), created('g2', name, OTHER)]))).toEqual({ as: 'unauthentic', record: invited, reason: Distrust.COPY });
    expect(classifyGroup(g(name, 'g2'), ctx([proof(), created('g2', 'Finance', PERSON[0], 1, PERSON[1]), renamed('g2', name, PERSON[0], 3, PERSON[1])]))).toMatchObject({ reason: Distrust.COPY });
  });

  test('a kind that must be sealed, unsealed: trusted only on the trail (and sealed by the next run), else unconfirmed', () => {
    for (const record of [membersRecord('default'), claimsRecord('default'), groupGrantRecord('default', 'g_x')]) {
      const name = SIGNER.name(record, 'new');
      expect(classifyGroup(g(name), ctx([proof(), created('g1', name)]))).toEqual({ as: 'own', record, trust: Trust.TRAIL, resign: Resign.SEAL });
      expect(classifyGroup(g(name), ctx([proof()]))).toEqual({ as: 'unauthentic', record, reason: Distrust.UNCONFIRMED });
      expect(classifyGroup(g(name), ctx(null))).toEqual({ as: 'own', record, trust: Trust.SIGNATURE, resign: Resign.SEAL });
    }
  });

  test('signed with the previous key during a rotation: trusted, and re-signed by the next run', () => {
    const old = new RecordSigner(PREFIX, 'default', RecordKeyring.of('K', E2E_RECORD_KEY_NEXT));
    const rotating = new RecordSigner(PREFIX, 'default', RecordKeyring.of('K', E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT));
    const members = g(old.name(membersRecord('default'), { groupId: 'g1' }));
    expect(classifyGroup(members, ctx([], { signer: rotating }))).toEqual({ as: 'own', record: membersRecord('default'), trust: Trust.SEALED, resign: Resign.ROTATE });
    expect(classifyGroup(members, ctx([]))).toMatchObject({ as: 'unauthentic', reason: Distrust.BAD_SIGNATURE });
  });

  test('an invite record older than the trail, signed with the previous key during a rotation: trusted, and re-signed by the next run', () => {
    const old = new RecordSigner(PREFIX, 'default', RecordKeyring.of('K', E2E_RECORD_KEY_NEXT));
    const rotating = new RecordSigner(PREFIX, 'default', RecordKeyring.of('K', E2E_RECORD_KEY, E2E_RECORD_KEY_NEXT));
    const name = old.name(invited, 'new');
    expect(classifyGroup(g(name), ctx([proof()], { signer: rotating }))).toEqual({ as: 'own', record: invited, trust: Trust.BEFORE_TRAIL, resign: Resign.ROTATE });
  });

  test('an intent is trusted when its creation proved an actor; a copy or a person\'s intent is not', () => {
    const name = signedIntentName();
    expect(classifyGroup(g(name), ctx([created('g1', name)]))).toEqual({ as: 'own', record: expect.objectContaining({ kind: 'intent' }), trust: Trust.TRAIL });
    expect(classifyGroup(g(name, 'g2'), ctx([created('g1', name), created('g2', name, OTHER, 5)]))).toMatchObject({ as: 'unauthentic', reason: Distrust.INTENT_UNPROVEN });
    expect(classifyGroup(g(name), ctx([created('g1', name, PERSON[0], 1, PERSON[1])]))).toMatchObject({ as: 'unauthentic', reason: Distrust.INTENT_UNPROVEN });
    expect(classifyGroup(g(name), ctx(null))).toMatchObject({ as: 'own', trust: Trust.SIGNATURE });
  });

  test('without the key nothing under the app\'s name is trusted', () => {
    const members = g(SIGNER.name(membersRecord('default'), { groupId: 'g1' }));
    expect(classifyGroup(members, ctx([], { signer: undefined }))).toEqual({ as: 'unauthentic', record: membersRecord('default'), reason: Distrust.NO_KEY });
    expect(classifyGroup(g('segment-access:default:oops'), ctx([], { signer: undefined }))).toEqual({ as: 'unauthentic', reason: Distrust.NO_KEY });
  });
});

describe('unsigned records of segment-access 0.1', () => {
  const name = 'segment-access:default:members';

  test('created by one of the app\'s proven actors: adopted (signed by the next run)', () => {
    expect(classifyGroup(g(name), ctx([proof(), created('g1', name)]))).toEqual({ as: 'own', record: membersRecord('default'), trust: Trust.ADOPTED, resign: Resign.ADOPT });
  });

  test('created by a token while no signed run has proven any: pending (the next run that writes proves its own token first)', () => {
    expect(classifyGroup(g(name), ctx([created('g1', name, OTHER)]))).toMatchObject({ as: 'unauthentic', reason: Distrust.PENDING_ADOPTION });
  });

  test('created or renamed to it by anyone else (a person, or a token once the app has proven actors): never adopted', () => {
    expect(classifyGroup(g(name), ctx([proof(), created('g1', name, OTHER)]))).toMatchObject({ reason: Distrust.UNSIGNED_FOREIGN });
    expect(classifyGroup(g(name), ctx([created('g1', name, PERSON[0], 1, PERSON[1])]))).toMatchObject({ reason: Distrust.UNSIGNED_FOREIGN });
    expect(classifyGroup(g(name), ctx([proof(), created('g1', 'Finance'), renamed('g1', name, OTHER)]))).toMatchObject({ reason: Distrust.UNSIGNED_FOREIGN });
  });

  test('older than the trail, or with the trail off: cannot be adopted', () => {
    expect(classifyGroup(g(name), ctx([proof()]))).toMatchObject({ reason: Distrust.UNSIGNED_UNVERIFIABLE });
    expect(classifyGroup(g(name), ctx(null))).toMatchObject({ reason: Distrust.UNSIGNED_UNVERIFIABLE });
  });

  test('one that cannot be adopted is reported as not authentic, with what it claims to record', () => {
    const unverifiable = { as: 'unauthentic', record: membersRecord('default'), reason: Distrust.UNSIGNED_UNVERIFIABLE };
    expect(classifyGroup(g(name), ctx(null))).toEqual(unverifiable);
    expect(classifyGroup(g(name), ctx([proof()]))).toEqual(unverifiable);
  });

  test('created by the app\'s actor under another name, and given this one outside the trail: not adopted (the app did not name it so)', () => {
    expect(classifyGroup(g(name), ctx([proof(), created('g1', 'Finance')]))).toEqual({ as: 'unauthentic', record: membersRecord('default'), reason: Distrust.UNSIGNED_FOREIGN });
  });

  test('T1: a 0.1 group-grant record made by someone else is never the app\'s', () => {
    const forged = 'segment-access:default:group-grant:Owners';
    expect(classifyGroup(g(forged), ctx([proof(), created('g1', forged, OTHER)]))).toEqual({ as: 'unauthentic', record: { kind: 'unsigned-group-grant', app: 'default', groupName: 'Owners' }, reason: Distrust.UNSIGNED_FOREIGN });
  });
});

describe('records written before app ids', () => {
  const legacy = `segment-access:${FP}:2026-11-19`;

  test('read only with migrateLegacyRecords, only when the app\'s actor made them, and never while other apps keep records here', () => {
    const trail = [proof(), created('g1', legacy)];
    expect(classifyGroup(g(legacy), ctx(trail))).toMatchObject({ as: 'unauthentic', reason: Distrust.LEGACY_NOT_ENABLED });
    expect(classifyGroup(g(legacy), ctx(trail, { migrateLegacyRecords: true }))).toEqual({ as: 'legacy', record: { kind: 'legacy-collaborators', app: null, fingerprint: FP, day: '2026-11-19' } });
    expect(classifyGroup(g(legacy), ctx(trail, { migrateLegacyRecords: true, otherAppsPresent: true }))).toMatchObject({ reason: Distrust.LEGACY_OTHER_APPS });
    expect(classifyGroup(g(legacy), ctx([proof(), created('g1', legacy, OTHER)], { migrateLegacyRecords: true }))).toMatchObject({ reason: Distrust.UNSIGNED_FOREIGN });
  });

  const legacyRecord = { kind: 'legacy-collaborators', app: null, fingerprint: FP, day: '2026-11-19' };

  test('while other apps keep records here a legacy record is reported as not authentic, with what it claims to record', () => {
    const trail = [proof(), created('g1', legacy)];
    expect(classifyGroup(g(legacy), ctx(trail, { migrateLegacyRecords: true, otherAppsPresent: true }))).toEqual({ as: 'unauthentic', record: legacyRecord, reason: Distrust.LEGACY_OTHER_APPS });
  });

  test('without the key a legacy record is not read, even when the app\'s actor made it', () => {
    const trail = [proof(), created('g1', legacy)];
    expect(classifyGroup(g(legacy), ctx(trail, { migrateLegacyRecords: true, signer: undefined }))).toEqual({ as: 'unauthentic', record: legacyRecord, reason: Distrust.NO_KEY });
  });
});

describe('everything else', () => {
  test('another app\'s record is read (by name: its key is not this app\'s), never as this app\'s', () => {
    const theirs = new RecordSigner(PREFIX, 'billing', TEST_KEYS).name(membersRecord('billing'), { groupId: 'g1' });
    expect(classifyGroup(g(theirs), ctx([]))).toEqual({ as: 'other-app', record: membersRecord('billing') });
    expect(classifyGroup(g('segment-access:billing:members'), ctx([]))).toEqual({ as: 'other-app', record: membersRecord('billing') });
  });

  test('a name under the app that no version writes is damage; a plain group is no record', () => {
    expect(classifyGroup(g('segment-access:default:invited:oops'), ctx([]))).toEqual({ as: 'unauthentic', reason: Distrust.MALFORMED });
    expect(classifyGroup(g('Analysts'), ctx([]))).toEqual({ as: 'not-a-record' });
  });

  test('a group the app named as its record and someone renamed away is still its record, by the name the app gave it', () => {
    const name = SIGNER.name(membersRecord('default'), { groupId: 'g1' });
    const trail = [proof(), created('g1', SIGNER.name(membersRecord('default'), 'new')), renamed('g1', name), renamed('g1', 'Contractors', PERSON[0], 3, PERSON[1])];
    expect(classifyGroup(g('Contractors'), ctx(trail))).toEqual({ as: 'own', record: membersRecord('default'), trust: Trust.TRAIL, renamedTo: 'Contractors', createdAs: name });
    // Named by another token: no record.
    expect(classifyGroup(g('Contractors'), ctx([proof(), created('g1', name, OTHER), renamed('g1', 'Contractors', OTHER)]))).toEqual({ as: 'not-a-record' });
    // An intent renamed away is no record: it cannot attribute anything any more.
    const intent = signedIntentName();
    expect(classifyGroup(g('Old'), ctx([created('g1', intent), renamed('g1', 'Old')]))).toEqual({ as: 'not-a-record' });
    // Without the key no name in the trail can be told to be the app's: no record.
    expect(classifyGroup(g('x'), ctx([proof(), created('g1', SIGNER.name(invited, 'new')), renamed('g1', 'x')], { signer: undefined }))).toEqual({ as: 'not-a-record' });
  });

  test('a group the app named with its unsigned 0.1 name and someone renamed away is still its record', () => {
    const unsigned = 'segment-access:default:members';
    const trail = [proof(), created('g1', unsigned), renamed('g1', 'Contractors', PERSON[0], 3, PERSON[1])];
    expect(classifyGroup(g('Contractors'), ctx(trail))).toEqual({ as: 'own', record: membersRecord('default'), trust: Trust.TRAIL, renamedTo: 'Contractors', createdAs: unsigned });
  });

  test('a renamed group is not the app\'s when the name its actor gave it is another app\'s, or not signed with the app\'s key', () => {
    const away = (earlier: string) => [proof(), created('g1', earlier), renamed('g1', 'Contractors', PERSON[0], 3, PERSON[1])];
    expect(classifyGroup(g('Contractors'), ctx(away('segment-access:billing:members')))).toEqual({ as: 'not-a-record' });
    const forged = new RecordSigner(PREFIX, 'default', RecordKeyring.of('K', E2E_RECORD_KEY_NEXT)).name(membersRecord('default'), { groupId: 'g1' });
    expect(classifyGroup(g('Contractors'), ctx(away(forged)))).toEqual({ as: 'not-a-record' });
  });

  test('without the key no name is the app\'s own, not even its unsigned 0.1 form', () => {
    const unsigned = parseRecordName(PREFIX, 'segment-access:default:members')!;
    expect(ownName(unsigned, 'g1', { app: 'default', signer: SIGNER })).toBe(true);
    expect(ownName(unsigned, 'g1', { app: 'default', signer: undefined })).toBe(false);
  });
});

test('intentRecord names the run by its start and digest', () => {
  expect(intentRecord('default', TEST_NOW, FP)).toEqual({ kind: 'intent', app: 'default', startedAt: '20261127T120000Z', digest: FP });
});
