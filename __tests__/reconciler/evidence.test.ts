import { AuditEvidence, EvidenceOptions, INTENT_PROOF_DAYS } from '../../reconciler/evidence';
import { RecordKeyring } from '../../reconciler/record-key';
import { intentRecord, RecordForm, RecordKind, RecordSigner } from '../../reconciler/records';
import type { LiveAuditEvent } from '../../reconciler/segment-port';
import { E2E_RECORD_KEY_NEXT } from '../support/e2e';
import { event, PREFIX, signedIntentName, signerFor, TEST_NOW } from '../support/live';
import { TOKEN, PERSON, ANA, BO, MEMBERS } from '../support/plan-world';

// AuditEvidence read directly: the audit trail is the record's second, independent source, so every
// rule of how it is read (order, who "we" are, which runs finished, what is settled) is pinned here
// with exact values derived from the events given. Who "we" are comes only from signed intents.

const T0 = Date.parse('2026-11-27T08:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => T0 + minutes * MIN;
const iso = (minutes: number) => new Date(at(minutes)).toISOString();

const PERSON_ACTOR = 'user:ops';
const OTHER_TOKEN = 'token:other';
const INTENT_A = signedIntentName('default', new Date(at(10)), 'aaaaaaaaaaaa');
const INTENT_B = signedIntentName('default', new Date(at(30)), 'bbbbbbbbbbbb');

const OPTS: EvidenceOptions = { prefix: PREFIX, app: 'default', signer: signerFor(), delayMs: 0, now: TEST_NOW };
const read = (events: LiveAuditEvent[], options: Partial<EvidenceOptions> = {}) => new AuditEvidence(events, { ...OPTS, ...options });

const created = (name: string, m: number, actor = TOKEN, id = `g_${name}`) => event('User Group Created', id, name, actor, m);
const renamed = (name: string, m: number, actor = TOKEN, id = `g_${name}`) => event('User Group Updated', id, name, actor, m);
const deleted = (name: string, m: number, actor = TOKEN, id = `g_${name}`) => event('User Group Deleted', id, name, actor, m);
const createdByHand = (name: string, m: number, id = `g_${name}`) => event('User Group Created', id, name, PERSON_ACTOR, m, PERSON);
const editedByHand = (name: string, m: number, type = 'Subjects Added to Group') => event(type, `g_${name}`, name, PERSON_ACTOR, m, PERSON);
const invited = (email: string, m: number, actor = TOKEN) => event('New Segment User Invited to Workspace', email, email, actor, m);
/** TOKEN proven: it created a fresh signed intent first, at minute 0. */
const proof = (actor = TOKEN, m = 0) => created(signedIntentName(), m, actor, `g_proof_${actor}_${m}`);

describe('the order the trail is read in', () => {
  test('an empty trail reads as no evidence at all', () => {
    const evidence = read([]);
    expect(evidence.events).toEqual([]);
    expect(evidence.ourActors.size).toBe(0);
    expect(evidence.provenActors).toEqual([]);
    expect(evidence.lastCompletedRunStart).toBeUndefined();
    expect(evidence.latestInvite(ANA)).toBeUndefined();
  });

  test('listed newest first (the default): events of one instant keep their meaning, the first listed is the latest', () => {
    const setup = proof();
    const byPerson = invited(ANA, 5, PERSON_ACTOR);
    const byUs = invited(ANA, 5, TOKEN);
    // Newest first: byUs happened after byPerson, within the same second.
    const evidence = read([byUs, byPerson, setup]);
    expect(evidence.events).toEqual([setup, byPerson, byUs]);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: TOKEN, at: at(5), ours: true });
  });

  test('listed plainly oldest first: kept in that order, the last listed of one instant is the latest', () => {
    const setup = proof();
    const byUs = invited(ANA, 5, TOKEN);
    const byPerson = invited(ANA, 5, PERSON_ACTOR);
    const evidence = read([setup, byUs, byPerson]);
    expect(evidence.events).toEqual([setup, byUs, byPerson]);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: PERSON_ACTOR, at: at(5), ours: false });
  });

  test('all of one instant: read as newest first (the first listed is the latest)', () => {
    const first = invited(ANA, 3, PERSON_ACTOR);
    const second = invited(ANA, 3, TOKEN);
    const evidence = read([first, second]);
    expect(evidence.events).toEqual([second, first]);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: PERSON_ACTOR, at: at(3), ours: false });
  });

  test('a trail out of order is sorted by time', () => {
    const e1 = invited(ANA, 1);
    const e2 = invited(BO, 2);
    const e3 = created(MEMBERS, 3);
    expect(read([e3, e1, e2]).events).toEqual([e1, e2, e3]);
    expect(read([e2, e3, e1]).events).toEqual([e1, e2, e3]);
  });
});

describe('who this app is: only the first creator of a fresh intent signed with its key', () => {
  test('a token that created a signed intent first is proven, with when and by which intent', () => {
    const name = signedIntentName();
    const evidence = read([created(name, 7, TOKEN, 'g_i')]);
    expect(evidence.provenActors).toEqual([{ actor: TOKEN, provenAt: iso(7), intent: name, intentGroupId: 'g_i' }]);
    expect([...evidence.ourActors]).toEqual([TOKEN]);
    expect(evidence.proofOf('g_i')).toEqual(evidence.provenActors[0]);
    expect(evidence.proofOf('g_other')).toBeUndefined();
  });

  test('T2: record-named groups created by another token, signed or not, make it no actor', () => {
    const evidence = read([
      created(MEMBERS, 1, OTHER_TOKEN),
      created('segment-access:default:intent:20261127T080000Z:0123456789ab', 2, OTHER_TOKEN),
      created('segment-access:default:invited:0123456789ab:2026-11-27', 3, OTHER_TOKEN),
    ]);
    expect(evidence.ourActors.size).toBe(0);
  });

  test('an intent signed with another key proves nothing', () => {
    const foreignKey = new RecordSigner(PREFIX, 'default', RecordKeyring.of('SEGMENT_ACCESS_RECORD_KEY', E2E_RECORD_KEY_NEXT));
    const evidence = read([created(foreignKey.intentName(intentRecord('default', TEST_NOW, '0123456789ab')), 1, OTHER_TOKEN)]);
    expect(evidence.ourActors.size).toBe(0);
  });

  test('another app\'s intent, even signed with the same key, proves nothing for this app', () => {
    const evidence = read([created(signedIntentName('billing'), 1, OTHER_TOKEN)]);
    expect(evidence.ourActors.size).toBe(0);
  });

  test('a copy of a genuine intent name, created later by another token, proves the first creator only', () => {
    const name = signedIntentName();
    const evidence = read([created(name, 1, TOKEN, 'g_real'), deleted(name, 2, TOKEN, 'g_real'), created(name, 3, OTHER_TOKEN, 'g_copy')]);
    expect([...evidence.ourActors]).toEqual([TOKEN]);
    expect(evidence.proofOf('g_copy')).toBeUndefined();
  });

  test('two creations of one fresh name in the same second cannot be told apart: neither proves anything', () => {
    const name = signedIntentName();
    expect(read([created(name, 1, TOKEN, 'g_a'), created(name, 1, OTHER_TOKEN, 'g_b')]).ourActors.size).toBe(0);
  });

  test('a signed-in person never becomes an actor, even creating a signed intent first', () => {
    expect(read([createdByHand(signedIntentName(), 1)]).ourActors.size).toBe(0);
  });

  test(`an intent whose signed stamp is ${INTENT_PROOF_DAYS} days old or more proves nothing (its first creation may have left the trail)`, () => {
    const old = new Date(TEST_NOW.getTime() - INTENT_PROOF_DAYS * 86_400_000 - 1000);
    const fresh = new Date(TEST_NOW.getTime() - INTENT_PROOF_DAYS * 86_400_000 + 1000);
    expect(read([created(signedIntentName('default', old), 1, OTHER_TOKEN)]).ourActors.size).toBe(0);
    expect([...read([created(signedIntentName('default', fresh), 1, TOKEN)]).ourActors]).toEqual([TOKEN]);
  });

  test(`an intent stamped exactly ${INTENT_PROOF_DAYS} days before the run still proves its creator (the boundary is inside)`, () => {
    const edge = new Date(TEST_NOW.getTime() - INTENT_PROOF_DAYS * 86_400_000);
    const name = signedIntentName('default', edge);
    expect(read([created(name, 1, TOKEN, 'g_edge')]).provenActors).toEqual([{ actor: TOKEN, provenAt: iso(1), intent: name, intentGroupId: 'g_edge' }]);
  });

  test('only a creation proves an actor: renaming a group to a fresh signed intent name proves nothing', () => {
    const name = signedIntentName();
    const evidence = read([created('Scratch', 1, OTHER_TOKEN, 'g_x'), renamed(name, 2, OTHER_TOKEN, 'g_x')]);
    expect(evidence.ourActors.size).toBe(0);
    expect(evidence.provenActors).toEqual([]);
    expect(evidence.proofOf('g_x')).toBeUndefined();
  });

  test('without the record key nothing is proven', () => {
    expect(read([proof()], { signer: undefined }).ourActors.size).toBe(0);
  });

  test('SEGMENT_ACCESS_AUDIT_ACTORS restricts who may be proven; it adds no one', () => {
    const evidence = read([proof(TOKEN, 1), proof('token:ci', 2)], { allowActors: ['token:ci', 'token:never-ran'] });
    expect([...evidence.ourActors]).toEqual(['token:ci']);
  });

  test('a rotated token is proven by its own first signed intent, alongside the earlier one', () => {
    const evidence = read([proof(TOKEN, 1), proof('token:new', 50)]);
    expect(evidence.provenActors.map((p) => [p.actor, p.provenAt])).toEqual([[TOKEN, iso(1)], ['token:new', iso(50)]]);
  });
});

describe('who named a group', () => {
  test('creations and renames name a group; the latest wins; other events do not', () => {
    const evidence = read([created('A', 1, TOKEN, 'g'), editedByHand('A', 2), renamed('B', 3, PERSON_ACTOR, 'g')]);
    expect(evidence.lastNaming('g')).toEqual(expect.objectContaining({ type: 'User Group Updated', resourceName: 'B', actor: PERSON_ACTOR }));
    expect(evidence.creatorOf('g')).toEqual({ actor: TOKEN, at: iso(1) });
    expect(evidence.createdAt('g')).toBe(at(1));
    expect(evidence.lastNaming('g_never')).toBeUndefined();
    expect(evidence.creatorOf('g_never')).toBeUndefined();
  });

  test('only a creation or a rename sets the name an update is compared with: an update keeping that name after another event names nothing', () => {
    // A member change naming the member, then the in-app trail's "User Group Updated" for the same group under its own name.
    const evidence = read([proof(), created(MEMBERS, 1, TOKEN, 'g'), event('Subjects Added to Group', 'g', ANA, PERSON_ACTOR, 2, PERSON), renamed(MEMBERS, 3, PERSON_ACTOR, 'g')]);
    expect(evidence.lastNaming('g')).toMatchObject({ type: 'User Group Created', resourceName: MEMBERS, actor: TOKEN });
    expect(evidence.lastOwnNaming('g', () => true)).toMatchObject({ rawName: MEMBERS, actor: TOKEN, at: at(1) });
  });

  test('the last own naming: skips names given by others and names not accepted as this app\'s', () => {
    const evidence = read([proof(), created(MEMBERS, 1, TOKEN, 'g'), renamed('Not a record', 2, TOKEN, 'g'), renamed('segment-access:default:claims:0123456789abcdef0123', 3, OTHER_TOKEN, 'g')]);
    const own = evidence.lastOwnNaming('g', (name) => name.record.app === 'default');
    expect(own).toEqual({ groupId: 'g', name: { record: { kind: RecordKind.MEMBERS, app: 'default' }, form: RecordForm.UNSIGNED }, rawName: MEMBERS, actor: TOKEN, at: at(1) });
    expect(evidence.lastOwnNaming('g', () => false)).toBeUndefined();
  });
});

describe('invites read from the trail', () => {
  test('every invite event type counts, and the invitee is matched case- and space-insensitively', () => {
    const evidence = read([
      proof(),
      event('New Segment User Invited to Workspace', 'Ana@Agency.Example', 'Ana@Agency.Example', TOKEN, 1),
      event('Non-Segment User Invited to Workspace', BO, BO, TOKEN, 2),
      event('User Invite Sent', 'cy@agency.example', 'cy@agency.example', TOKEN, 3),
    ]);
    expect(evidence.latestInvite(' ANA@agency.example ')).toEqual({ actor: TOKEN, at: at(1), ours: true });
    expect(evidence.latestInvite(BO)).toEqual({ actor: TOKEN, at: at(2), ours: true });
    expect(evidence.latestInvite('cy@agency.example')).toEqual({ actor: TOKEN, at: at(3), ours: true });
  });

  test('the invitee is taken from resourceId when resourceName is not an email', () => {
    const evidence = read([proof(), event('User Invite Sent', BO, 'Bo from the agency', TOKEN, 4), event('User Invite Sent', ANA, '', TOKEN, 5)]);
    expect(evidence.latestInvite(BO)).toEqual({ actor: TOKEN, at: at(4), ours: true });
    expect(evidence.latestInvite(ANA)).toEqual({ actor: TOKEN, at: at(5), ours: true });
    expect(evidence.latestInvite('Bo from the agency')).toBeUndefined();
  });

  test('other events naming the email are not invites: they do not replace the latest invite', () => {
    const evidence = read([proof(), invited(ANA, 1, TOKEN), event('User Removed from Workspace', ANA, ANA, PERSON_ACTOR, 2, PERSON)]);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: TOKEN, at: at(1), ours: true });
  });

  test('a later invite by someone else replaces this app\'s; an unproven token\'s invite is not this app\'s', () => {
    expect(read([proof(), invited(ANA, 1, TOKEN), invited(ANA, 2, PERSON_ACTOR)]).latestInvite(ANA)).toEqual({ actor: PERSON_ACTOR, at: at(2), ours: false });
    expect(read([invited(ANA, 1, TOKEN)]).latestInvite(ANA)).toEqual({ actor: TOKEN, at: at(1), ours: false });
  });
});

describe('the latest finished run', () => {
  test('a signed intent created and deleted by this app marks a finished run, starting when the intent was created', () => {
    expect(read([created(INTENT_A, 10), deleted(INTENT_A, 11)]).lastCompletedRunStart).toBe(at(10));
  });

  test('an intent left behind (interrupted run) is no finished run', () => {
    expect(read([created(MEMBERS, 1), created(INTENT_A, 10)]).lastCompletedRunStart).toBeUndefined();
  });

  test('an intent someone else deleted is no finished run', () => {
    expect(read([created(INTENT_A, 10), deleted(INTENT_A, 11, PERSON_ACTOR)]).lastCompletedRunStart).toBeUndefined();
  });

  test('an unsigned intent (an older version\'s) created and deleted marks no finished run', () => {
    const unsigned = 'segment-access:default:intent:20261127T081000Z:aaaaaaaaaaaa';
    expect(read([proof(), created(unsigned, 10), deleted(unsigned, 11)]).lastCompletedRunStart).toBeUndefined();
  });

  test('only intents mark runs: another record group this app created and deleted does not', () => {
    const evidence = read([created(INTENT_A, 10), deleted(INTENT_A, 11), created(MEMBERS, 20), deleted(MEMBERS, 21)]);
    expect(evidence.lastCompletedRunStart).toBe(at(10));
  });

  test('of two finished runs, the later one counts', () => {
    expect(read([created(INTENT_A, 10), deleted(INTENT_A, 11), created(INTENT_B, 30), deleted(INTENT_B, 31)]).lastCompletedRunStart).toBe(at(30));
  });
});

describe('foreign changes, and when a finished run has settled them', () => {
  test('a group the trail never mentions has no foreign events', () => {
    expect(read([created(MEMBERS, 1)]).foreignEvents('g_unknown')).toEqual([]);
  });

  test('with no finished run, every change by someone else is foreign, and this app\'s own are not', () => {
    const evidence = read([proof(), created(MEMBERS, 1), editedByHand(MEMBERS, 2), event('Subjects Added to Group', `g_${MEMBERS}`, MEMBERS, TOKEN, 3)]);
    expect(evidence.foreignEvents(`g_${MEMBERS}`)).toEqual([{ type: 'Subjects Added to Group', actor: `${PERSON} (${PERSON_ACTOR})`, at: iso(2), groupName: MEMBERS }]);
  });

  test('T2: a change by another token is foreign, described by the token alone, whatever groups that token created', () => {
    const evidence = read([proof(), created(MEMBERS, 1), created('segment-access:default:members', 2, OTHER_TOKEN, 'g_forged'), event('Subjects Added to Group', `g_${MEMBERS}`, MEMBERS, OTHER_TOKEN, 3)]);
    expect(evidence.foreignEvents(`g_${MEMBERS}`)).toEqual([{ type: 'Subjects Added to Group', actor: OTHER_TOKEN, at: iso(3), groupName: MEMBERS }]);
  });

  test('settled means: before the latest finished run\'s start by more than the trail\'s delay (boundary excluded)', () => {
    // Run started at 30 (delay 5): changes before 25 are settled; 25 itself, 27 and 33 are not.
    const evidence = read(
      [
        created(MEMBERS, 1),
        editedByHand(MEMBERS, 24, 'edit@24'),
        editedByHand(MEMBERS, 25, 'edit@25'),
        editedByHand(MEMBERS, 27, 'edit@27'),
        created(INTENT_B, 30),
        deleted(INTENT_B, 31),
        editedByHand(MEMBERS, 33, 'edit@33'),
      ],
      { delayMs: 5 * MIN },
    );
    expect(evidence.lastCompletedRunStart).toBe(at(30));
    expect(evidence.foreignEvents(`g_${MEMBERS}`).map((f) => f.type)).toEqual(['edit@25', 'edit@27', 'edit@33']);
  });

  test('a record group someone else deleted is reported until a finished run has seen it', () => {
    const invitedName = 'segment-access:default:invited:0123456789ab:2026-11-20';
    const own = (name: { record: { app: string | null } }) => name.record.app === 'default';
    const trail = [proof(), created(invitedName, 1), event('User Group Deleted', `g_${invitedName}`, invitedName, PERSON_ACTOR, 5, PERSON)];
    expect(read(trail).foreignDeletions(own)).toEqual([
      {
        naming: { groupId: `g_${invitedName}`, name: { record: { kind: RecordKind.INVITED, app: 'default', fingerprint: '0123456789ab', day: '2026-11-20' }, form: RecordForm.UNSIGNED }, rawName: invitedName, actor: TOKEN, at: at(1) },
        by: `${PERSON} (${PERSON_ACTOR})`,
        at: iso(5),
      },
    ]);
    expect(read([...trail, created(INTENT_B, 30), deleted(INTENT_B, 31)], { delayMs: 5 * MIN }).foreignDeletions(own)).toEqual([]);
    // This app deleting its own group is no damage; nor is a group another token named.
    expect(read([proof(), created(invitedName, 1), deleted(invitedName, 5)]).foreignDeletions(own)).toEqual([]);
    expect(read([proof(), created(invitedName, 1, OTHER_TOKEN), deleted(invitedName, 5, PERSON_ACTOR)]).foreignDeletions(own)).toEqual([]);
  });
});

describe('what counts as naming a group, and how far back the trail is read', () => {
  test('"User Group Updated" to the same name (the in-app trail\'s word for a member change) names nothing; to another name it renames', () => {
    const name = `${PREFIX}:default:members:sig`;
    const evidence = read([proof(), created(name, 1), renamed(name, 2, PERSON_ACTOR), renamed(`${name}-x`, 3, PERSON_ACTOR, `g_${name}`)]);
    expect(evidence.lastNaming(`g_${name}`)?.resourceName).toBe(`${name}-x`);
    const sameNameOnly = read([proof(), created(name, 1), renamed(name, 2, PERSON_ACTOR)]);
    // The person's update is a foreign change to the group, never the group's naming.
    expect(sameNameOnly.lastNaming(`g_${name}`)).toMatchObject({ actor: TOKEN, type: 'User Group Created' });
    expect(sameNameOnly.foreignEvents(`g_${name}`).map((f) => f.type)).toEqual(['User Group Updated']);
  });

  test(`events older than ${INTENT_PROOF_DAYS} days are read as gone from the trail, however long Segment keeps them`, () => {
    const name = `${PREFIX}:default:members:sig`;
    const events = [proof(), created(name, 1), editedByHand(name, 2), invited(ANA, 3, PERSON_ACTOR)];
    const fresh = read(events, { now: new Date(at(10)) });
    expect(fresh.events).toHaveLength(4);
    expect(fresh.latestInvite(ANA)?.ours).toBe(false);
    const quarterLater = read(events, { now: new Date(at(3) + INTENT_PROOF_DAYS * 86_400_000 - MIN) });
    // Minute 2 and 3 are still inside the horizon one minute short of it; minute 0 and 1 are not.
    expect(quarterLater.events.map((e) => e.type)).toEqual(['Subjects Added to Group', 'New Segment User Invited to Workspace']);
    const later = read(events, { now: new Date(at(3) + INTENT_PROOF_DAYS * 86_400_000 + MIN) });
    expect(later.events).toEqual([]);
    expect(later.latestInvite(ANA)).toBeUndefined();
    expect(later.foreignEvents(`g_${name}`)).toEqual([]);
  });
});
