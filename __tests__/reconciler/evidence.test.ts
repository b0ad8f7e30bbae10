import { AuditEvidence, EvidenceOptions } from '../../reconciler/evidence';
import { RecordKind } from '../../reconciler/records';
import type { LiveAuditEvent } from '../../reconciler/segment-port';
import { event, PREFIX } from '../support/live';
import { TOKEN, PERSON, ANA, BO, MEMBERS } from '../support/plan-world';

// AuditEvidence read directly: the audit trail is the record's second, independent source, so every
// rule of how it is read (order, who "we" are, which runs finished, what is settled) is pinned here
// with exact values derived from the events given.

const T0 = Date.parse('2026-11-27T08:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => T0 + minutes * MIN;
const iso = (minutes: number) => new Date(at(minutes)).toISOString();

const PERSON_ACTOR = 'user:ops';
const INTENT_A = 'segment-access:default:intent:20261127T081000Z:aaaaaaaaaaaa';
const INTENT_B = 'segment-access:default:intent:20261127T083000Z:bbbbbbbbbbbb';

const OPTS: EvidenceOptions = { prefix: PREFIX, app: 'default', delayMs: 0 };
const read = (events: LiveAuditEvent[], options: Partial<EvidenceOptions> = {}) => new AuditEvidence(events, { ...OPTS, ...options });

const created = (name: string, m: number, actor = TOKEN, id = `g_${name}`) => event('User Group Created', id, name, actor, m);
const deleted = (name: string, m: number, actor = TOKEN, id = `g_${name}`) => event('User Group Deleted', id, name, actor, m);
const createdByHand = (name: string, m: number, id = `g_${name}`) => event('User Group Created', id, name, PERSON_ACTOR, m, PERSON);
const editedByHand = (name: string, m: number, type = 'Subjects Added to Group') => event(type, `g_${name}`, name, PERSON_ACTOR, m, PERSON);
const invited = (email: string, m: number, actor = TOKEN) => event('New Segment User Invited to Workspace', email, email, actor, m);

describe('the order the trail is read in', () => {
  test('an empty trail reads as no evidence at all', () => {
    const evidence = read([]);
    expect(evidence.events).toEqual([]);
    expect(evidence.ourActors.size).toBe(0);
    expect(evidence.ownCreations.size).toBe(0);
    expect(evidence.lastCompletedRunStart).toBeUndefined();
    expect(evidence.latestInvite(ANA)).toBeUndefined();
  });

  test('listed newest first (the default): events of one instant keep their meaning, the first listed is the latest', () => {
    const setup = created(MEMBERS, 1);
    const byPerson = invited(ANA, 5, PERSON_ACTOR);
    const byUs = invited(ANA, 5, TOKEN);
    // Newest first: byUs happened after byPerson, within the same second.
    const evidence = read([byUs, byPerson, setup]);
    expect(evidence.events).toEqual([setup, byPerson, byUs]);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: TOKEN, at: at(5), ours: true });
  });

  test('listed plainly oldest first: kept in that order, the last listed of one instant is the latest', () => {
    const setup = created(MEMBERS, 1);
    const byUs = invited(ANA, 5, TOKEN);
    const byPerson = invited(ANA, 5, PERSON_ACTOR);
    const evidence = read([setup, byUs, byPerson]);
    expect(evidence.events).toEqual([setup, byUs, byPerson]);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: PERSON_ACTOR, at: at(5), ours: false });
  });

  test('all of one instant: read as newest first (the first listed is the latest)', () => {
    const first = invited(ANA, 3, PERSON_ACTOR);
    const second = invited(ANA, 3, TOKEN);
    const evidence = read([first, second], { actors: [TOKEN] });
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

describe('which groups are this app\'s record, and who this app is', () => {
  const LEGACY = 'segment-access:0123456789ab:2026-11-20';
  const LEGACY_GRANT = 'segment-access:group-grant:Admins';
  const THEIRS = 'segment-access:billing:members';

  test('creations of own and legacy record names count; another app\'s records and plain groups do not', () => {
    const evidence = read([created(MEMBERS, 1), created(LEGACY, 2), created(LEGACY_GRANT, 3), created(THEIRS, 4), created('Analysts', 5)], { actors: [TOKEN] });
    expect([...evidence.ownCreations.keys()]).toEqual([`g_${MEMBERS}`, `g_${LEGACY}`, `g_${LEGACY_GRANT}`]);
    expect(evidence.ownCreations.get(`g_${LEGACY}`)).toEqual({
      groupId: `g_${LEGACY}`,
      name: { kind: 'legacy-collaborators', app: null, fingerprint: '0123456789ab', day: '2026-11-20' },
      rawName: LEGACY,
      actor: TOKEN,
      at: at(2),
    });
    expect(evidence.createdAt(`g_${MEMBERS}`)).toBe(at(1));
    expect(evidence.createdAt(`g_${THEIRS}`)).toBeUndefined();
    expect(evidence.createdAt('g_Analysts')).toBeUndefined();
    expect(evidence.createdAt('g_never-seen')).toBeUndefined();
  });

  test('without named actors, this app is whoever created its record with a token; another app\'s token is not learned', () => {
    const evidence = read([created(THEIRS, 1, 'token:billing'), created(MEMBERS, 2, TOKEN)]);
    expect([...evidence.ourActors]).toEqual([TOKEN]);
  });

  test('a record group made by hand (signed-in person) teaches nothing: the person is not this app', () => {
    const forged = 'segment-access:default:invited:0123456789ab:2026-11-27';
    const evidence = read([createdByHand(forged, 1), created(MEMBERS, 2, TOKEN)]);
    expect([...evidence.ourActors]).toEqual([TOKEN]);
    // The forged group's edits are foreign; so is its creation.
    expect(evidence.foreignEvents(`g_${forged}`)).toEqual([{ type: 'User Group Created', actor: `${PERSON} (${PERSON_ACTOR})`, at: iso(1), groupName: forged }]);
  });

  test('a person touching a token-made record group later does not unmake the token as this app', () => {
    const evidence = read([created(MEMBERS, 1, TOKEN), editedByHand(MEMBERS, 2, 'User Group Updated')]);
    expect([...evidence.ourActors]).toEqual([TOKEN]);
  });

  test('actors named by the operator replace the learned ones', () => {
    const evidence = read([created(MEMBERS, 1, TOKEN), invited(ANA, 2, TOKEN), invited(BO, 3, 'token:ci')], { actors: ['token:ci'] });
    expect([...evidence.ourActors]).toEqual(['token:ci']);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: TOKEN, at: at(2), ours: false });
    expect(evidence.latestInvite(BO)).toEqual({ actor: 'token:ci', at: at(3), ours: true });
  });
});

describe('invites read from the trail', () => {
  test('every invite event type counts, and the invitee is matched case- and space-insensitively', () => {
    const evidence = read(
      [
        created(MEMBERS, 0),
        event('New Segment User Invited to Workspace', 'Ana@Agency.Example', 'Ana@Agency.Example', TOKEN, 1),
        event('Non-Segment User Invited to Workspace', BO, BO, TOKEN, 2),
        event('User Invite Sent', 'cy@agency.example', 'cy@agency.example', TOKEN, 3),
      ],
      {},
    );
    expect(evidence.latestInvite(' ANA@agency.example ')).toEqual({ actor: TOKEN, at: at(1), ours: true });
    expect(evidence.latestInvite(BO)).toEqual({ actor: TOKEN, at: at(2), ours: true });
    expect(evidence.latestInvite('cy@agency.example')).toEqual({ actor: TOKEN, at: at(3), ours: true });
  });

  test('the invitee is taken from resourceId when resourceName is not an email', () => {
    const evidence = read([created(MEMBERS, 0), event('User Invite Sent', BO, 'Bo from the agency', TOKEN, 4), event('User Invite Sent', ANA, '', TOKEN, 5)]);
    expect(evidence.latestInvite(BO)).toEqual({ actor: TOKEN, at: at(4), ours: true });
    expect(evidence.latestInvite(ANA)).toEqual({ actor: TOKEN, at: at(5), ours: true });
    expect(evidence.latestInvite('Bo from the agency')).toBeUndefined();
  });

  test('other events naming the email are not invites: they do not replace the latest invite', () => {
    const evidence = read([created(MEMBERS, 0), invited(ANA, 1, TOKEN), event('User Removed from Workspace', ANA, ANA, PERSON_ACTOR, 2, PERSON)]);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: TOKEN, at: at(1), ours: true });
  });

  test('a later invite by someone else replaces this app\'s', () => {
    const evidence = read([created(MEMBERS, 0), invited(ANA, 1, TOKEN), invited(ANA, 2, PERSON_ACTOR)]);
    expect(evidence.latestInvite(ANA)).toEqual({ actor: PERSON_ACTOR, at: at(2), ours: false });
  });
});

describe('the latest finished run', () => {
  test('an intent created and deleted by this app marks a finished run, starting when the intent was created', () => {
    expect(read([created(INTENT_A, 10), deleted(INTENT_A, 11)]).lastCompletedRunStart).toBe(at(10));
  });

  test('an intent left behind (interrupted run) is no finished run', () => {
    expect(read([created(MEMBERS, 1), created(INTENT_A, 10)]).lastCompletedRunStart).toBeUndefined();
  });

  test('an intent someone else deleted is no finished run', () => {
    expect(read([created(INTENT_A, 10), deleted(INTENT_A, 11, PERSON_ACTOR)]).lastCompletedRunStart).toBeUndefined();
  });

  test('an intent made by someone who is not this app is no run of this app, even if this app deleted it', () => {
    expect(read([created(INTENT_A, 10, 'token:other'), deleted(INTENT_A, 11, TOKEN)], { actors: [TOKEN] }).lastCompletedRunStart).toBeUndefined();
  });

  test('only intents mark runs: another record group this app created and deleted does not', () => {
    const grant = 'segment-access:default:group-grant:Admins';
    const evidence = read([created(INTENT_A, 10), deleted(INTENT_A, 11), created(MEMBERS, 20), deleted(MEMBERS, 21), created(grant, 22), deleted(grant, 23)]);
    expect(evidence.lastCompletedRunStart).toBe(at(10));
  });

  test('of two finished runs, the later one counts', () => {
    expect(read([created(INTENT_A, 10), deleted(INTENT_A, 11), created(INTENT_B, 30), deleted(INTENT_B, 31)]).lastCompletedRunStart).toBe(at(30));
  });

  test('the latest start counts whatever order the creations were first seen in (a creation listed twice)', () => {
    // g_x's creation appears again later (a duplicate event): the map keeps g_x first, holding the later time.
    const evidence = read([
      created(INTENT_A, 10, TOKEN, 'g_x'),
      created(INTENT_B, 20, TOKEN, 'g_y'),
      deleted(INTENT_B, 21, TOKEN, 'g_y'),
      created(INTENT_A, 40, TOKEN, 'g_x'),
      deleted(INTENT_A, 41, TOKEN, 'g_x'),
    ]);
    expect([...evidence.ownCreations.keys()]).toEqual(['g_x', 'g_y']);
    expect(evidence.lastCompletedRunStart).toBe(at(40));
  });
});

describe('foreign changes, and when a finished run has settled them', () => {
  test('a group the trail never mentions has no foreign events', () => {
    expect(read([created(MEMBERS, 1)]).foreignEvents('g_unknown')).toEqual([]);
  });

  test('with no finished run, every change by someone else is foreign, and this app\'s own are not', () => {
    const evidence = read([created(MEMBERS, 1), editedByHand(MEMBERS, 2), event('Subjects Added to Group', `g_${MEMBERS}`, MEMBERS, TOKEN, 3)]);
    expect(evidence.foreignEvents(`g_${MEMBERS}`)).toEqual([{ type: 'Subjects Added to Group', actor: `${PERSON} (${PERSON_ACTOR})`, at: iso(2), groupName: MEMBERS }]);
  });

  test('a change by another token is described by the token alone', () => {
    const evidence = read([created(MEMBERS, 1), event('Subjects Removed from Group', `g_${MEMBERS}`, MEMBERS, 'token:other', 2)], { actors: [TOKEN] });
    expect(evidence.foreignEvents(`g_${MEMBERS}`)).toEqual([{ type: 'Subjects Removed from Group', actor: 'token:other', at: iso(2), groupName: MEMBERS }]);
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
    const trail = [created(invitedName, 1), event('User Group Deleted', `g_${invitedName}`, invitedName, PERSON_ACTOR, 5, PERSON)];
    const open = read(trail).foreignDeletions();
    expect(open).toEqual([
      {
        creation: { groupId: `g_${invitedName}`, name: { kind: RecordKind.INVITED, app: 'default', fingerprint: '0123456789ab', day: '2026-11-20' }, rawName: invitedName, actor: TOKEN, at: at(1) },
        by: `${PERSON} (${PERSON_ACTOR})`,
        at: iso(5),
      },
    ]);
    expect(read([...trail, created(INTENT_B, 30), deleted(INTENT_B, 31)], { delayMs: 5 * MIN }).foreignDeletions()).toEqual([]);
    // This app deleting its own group is no damage.
    expect(read([created(invitedName, 1), deleted(invitedName, 5)]).foreignDeletions()).toEqual([]);
  });
});
