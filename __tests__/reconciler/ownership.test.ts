import { createHash } from 'crypto';
import type { DesiredCollaborator } from '../../model/desired-state';
import type { LiveState } from '../../reconciler/live-state';
import { analyseOwnership, intentDigest, ManagedBy, Ownership } from '../../reconciler/ownership';
import { Distrust, Trust } from '../../reconciler/record-trust';
import { desiredCollaborator, onWorkspace } from '../support/desired';
import { event, group, live, LiveParts, onWs, recordGroup, signedIntentName, user } from '../support/live';
import { TOKEN, PERSON, ANA, BO, CY, MEMBERS } from '../support/plan-world';

// analyseOwnership read directly: whom this app may treat as its own, from its record (which anyone
// with workspace access can edit) checked against the audit trail (which nobody can). Every expected
// value below follows from the record groups and events given.

const NOW = new Date('2026-11-27T12:00:00Z');
const T0 = Date.parse('2026-11-27T08:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const PERSON_ACTOR = 'user:ops';
const BY_PERSON = `${PERSON} (${PERSON_ACTOR})`;
const FP = '0123456789ab';
const FP2 = 'ba9876543210';
const INVITED = `segment-access:default:invited:${FP}:2026-11-20`;
const INVITED2 = `segment-access:default:invited:${FP2}:2026-11-21`;
const LEGACY = `segment-access:${FP}:2026-11-19`;
const LEGACY_SETTLED = `segment-access:${FP2}`;

const created = (name: string, m: number, actor = TOKEN) => event('User Group Created', `g_${name}`, name, actor, m);
const deleted = (name: string, m: number, actor = TOKEN) => event('User Group Deleted', `g_${name}`, name, actor, m);
const invited = (email: string, m: number, actor = TOKEN) => event('New Segment User Invited to Workspace', email, email, actor, m);
const byHand = (name: string, m: number, type = 'Subjects Added to Group', current = name) => event(type, `g_${name}`, current, PERSON_ACTOR, m, PERSON);

function analyse(state: LiveState, declared: Pick<DesiredCollaborator, 'email' | 'fingerprint'>[] = [], options: { auditDelayMs?: number; now?: Date } = {}): Ownership {
  return analyseOwnership(state, { app: 'default', declared: new Map(declared.map((c) => [c.email, c])), now: options.now ?? NOW, auditDelayMs: options.auditDelayMs ?? 0 });
}
const analyseLive = (parts: LiveParts, declared: Pick<DesiredCollaborator, 'email' | 'fingerprint'>[] = [], options: { auditDelayMs?: number; now?: Date } = {}) =>
  analyse(live(parts), declared, options);

describe('intentDigest: what a run sets out to grant', () => {
  test('is the first 12 hex digits of the SHA-256 of the sorted "email=fingerprint" lines', () => {
    const expected = createHash('sha256').update(`${ANA}=${FP}\n${BO}=${FP2}`).digest('hex').slice(0, 12);
    expect(intentDigest([{ email: BO, fingerprint: FP2 }, { email: ANA, fingerprint: FP }])).toBe(expected);
    expect(intentDigest([{ email: ANA, fingerprint: FP }, { email: BO, fingerprint: FP2 }])).toBe(expected);
  });

  test('changes when any grant changes', () => {
    expect(intentDigest([{ email: ANA, fingerprint: FP }])).toBe(createHash('sha256').update(`${ANA}=${FP}`).digest('hex').slice(0, 12));
    expect(intentDigest([{ email: ANA, fingerprint: FP2 }])).not.toBe(intentDigest([{ email: ANA, fingerprint: FP }]));
  });
});

describe('managed entries read from the record (no audit trail)', () => {
  test('the members record: managed by record, no invite fingerprint or day', () => {
    const members = recordGroup(MEMBERS, [ANA]);
    const o = analyseLive({ users: [user(ANA)], own: [members] });
    expect([...o.managed.values()]).toEqual([{ email: ANA, by: ManagedBy.RECORD, groups: [members], inviteFingerprint: null, invitedOn: null }]);
    expect(o.damage).toEqual([]);
  });

  test('an invited record gives the pending invite\'s fingerprint and day', () => {
    const inv = recordGroup(INVITED, [ANA]);
    expect(analyseLive({ invites: [ANA], own: [inv] }).managed.get(ANA)).toEqual({ email: ANA, by: ManagedBy.RECORD, groups: [inv], inviteFingerprint: FP, invitedOn: '2026-11-20' });
  });

  test('legacy records (before app ids) are managed as legacy, with their fingerprint, and their day when they have one', () => {
    const dated = recordGroup(LEGACY, [ANA]);
    const settled = recordGroup(LEGACY_SETTLED, [BO]);
    const o = analyseLive({ invites: [ANA], users: [user(BO)], legacy: [dated, settled] });
    expect(o.managed.get(ANA)).toEqual({ email: ANA, by: ManagedBy.LEGACY_RECORD, groups: [dated], inviteFingerprint: FP, invitedOn: '2026-11-19' });
    expect(o.managed.get(BO)).toEqual({ email: BO, by: ManagedBy.LEGACY_RECORD, groups: [settled], inviteFingerprint: FP2, invitedOn: null });
  });

  test('in this app\'s record and a legacy one: managed by record, both groups listed', () => {
    const members = recordGroup(MEMBERS, [ANA]);
    const old = recordGroup(LEGACY, [ANA]);
    expect(analyseLive({ users: [user(ANA)], own: [members], legacy: [old] }).managed.get(ANA)).toEqual({
      email: ANA,
      by: ManagedBy.RECORD,
      groups: [members, old],
      inviteFingerprint: FP,
      invitedOn: '2026-11-19',
    });
  });

  test('in the members record and one invited record: the invited record alone says the fingerprint', () => {
    const members = recordGroup(MEMBERS, [ANA]);
    const inv = recordGroup(INVITED, [ANA]);
    expect(analyseLive({ invites: [ANA], own: [members, inv] }).managed.get(ANA)).toMatchObject({ inviteFingerprint: FP, invitedOn: '2026-11-20' });
    expect(analyseLive({ invites: [ANA], own: [inv, members] }).managed.get(ANA)).toMatchObject({ inviteFingerprint: FP, invitedOn: '2026-11-20' });
  });

  test('duplicated records with different fingerprints: neither is trusted to say how the invite was sent', () => {
    const a = recordGroup(INVITED, [ANA]);
    const b = recordGroup(INVITED2, [ANA]);
    expect(analyseLive({ invites: [ANA], own: [a, b] }).managed.get(ANA)).toEqual({ email: ANA, by: ManagedBy.RECORD, groups: [a, b], inviteFingerprint: null, invitedOn: null });
  });

  test('two invited records with the same fingerprint: that fingerprint, and the first record\'s day', () => {
    const a = recordGroup(INVITED, [ANA]);
    const b = recordGroup(`segment-access:default:invited:${FP}:2026-11-22`, [ANA]);
    expect(analyseLive({ invites: [ANA], own: [a, b] }).managed.get(ANA)).toMatchObject({ inviteFingerprint: FP, invitedOn: '2026-11-20' });
  });

  test('without the trail nothing is damage: not even a renamed record, which is reported as renamed with no events', () => {
    const plain = recordGroup(MEMBERS, [ANA]);
    expect(analyseLive({ users: [user(ANA)], own: [plain] }).damage).toEqual([]);
    const renamed = recordGroup(INVITED, [BO], { renamedTo: 'Contractors' });
    const o = analyseLive({ invites: [BO], own: [renamed] });
    expect(o.damage).toEqual([{ kind: 'renamed', groupId: `g_${INVITED}`, recordName: INVITED, now: 'Contractors', events: [] }]);
    expect(o.managed.get(BO)).toMatchObject({ by: ManagedBy.RECORD, inviteFingerprint: FP });
  });

  test('records without members (intents, group grants, legacy group grants) manage nobody', () => {
    const o = analyseLive({
      users: [user(ANA)],
      own: [recordGroup('segment-access:default:group-grant:Admins'), recordGroup('segment-access:default:intent:20261127T110000Z:aaaaaaaaaaaa')],
      legacy: [recordGroup('segment-access:group-grant:Admins')],
    });
    expect(o.managed.size).toBe(0);
  });
});

describe('the record checked against the audit trail', () => {
  test('an entry of an untouched group, invited by this app, is managed; no damage', () => {
    const members = recordGroup(MEMBERS, [ANA]);
    const o = analyseLive({ users: [user(ANA)], own: [members], events: [created(MEMBERS, 1), invited(ANA, 2)] });
    expect(o.managed.get(ANA)).toEqual({ email: ANA, by: ManagedBy.RECORD, groups: [members], inviteFingerprint: null, invitedOn: null });
    expect(o.damage).toEqual([]);
    expect(o.unconfirmed).toEqual([]);
  });

  test('an entry whose latest invite someone else sent is not trusted, and the damage says who', () => {
    const members = recordGroup(MEMBERS, [ANA]);
    const o = analyseLive({ users: [user(ANA)], own: [members], events: [created(MEMBERS, 1), invited(ANA, 2), invited(ANA, 3, PERSON_ACTOR)] });
    expect(o.managed.has(ANA)).toBe(false);
    expect(o.unconfirmed).toEqual([{ group: members, email: ANA }]);
    expect(o.damage).toEqual([
      { kind: 'unconfirmed-member', email: ANA, group: MEMBERS, why: `the audit trail shows its latest invite was sent by ${PERSON_ACTOR}, not by this app` },
    ]);
    expect(o.orphaned.size).toBe(0);
  });

  test('a record edited by hand: an entry the trail holds no invite for is not trusted; one this app invited still is', () => {
    const members = recordGroup(MEMBERS, [ANA, CY]);
    const events = [created(MEMBERS, 1), invited(ANA, 2), byHand(MEMBERS, 3), byHand(MEMBERS, 4, 'User Group Updated')];
    const o = analyseLive({ users: [user(ANA), user(CY)], own: [members], events });
    const foreign = [
      { type: 'Subjects Added to Group', actor: BY_PERSON, at: iso(3), groupName: MEMBERS },
      { type: 'User Group Updated', actor: BY_PERSON, at: iso(4), groupName: MEMBERS },
    ];
    expect([...o.managed.keys()]).toEqual([ANA]);
    expect(o.unconfirmed).toEqual([{ group: members, email: CY }]);
    expect(o.damage).toEqual([
      { kind: 'edited', groupId: `g_${MEMBERS}`, group: MEMBERS, events: foreign },
      {
        kind: 'unconfirmed-member',
        email: CY,
        group: MEMBERS,
        why: `the group was changed by someone else (Subjects Added to Group by ${BY_PERSON}; User Group Updated by ${BY_PERSON}) and the audit trail holds no invite from this app for it`,
      },
    ]);
    // An entry the trail does not confirm is neither recovered nor orphaned: it is left alone.
    expect(o.orphaned.size).toBe(0);
  });

  test('a forged record group (made by hand under this app\'s name) confirms nobody this app did not invite', () => {
    const forged = recordGroup(INVITED, [BO]);
    const o = analyseLive({
      invites: [BO],
      own: [recordGroup(MEMBERS), forged],
      events: [created(MEMBERS, 1), event('User Group Created', `g_${INVITED}`, INVITED, PERSON_ACTOR, 2, PERSON), invited(BO, 3, PERSON_ACTOR)],
    });
    expect(o.managed.size).toBe(0);
    expect(o.unconfirmed).toEqual([{ group: forged, email: BO }]);
    expect(o.damage.map((d) => d.kind)).toEqual(['edited', 'unconfirmed-member']);
  });

  test('edits to records that hold no members (intent, group grant, legacy group grant) are not reported as edited records', () => {
    const intent = 'segment-access:default:intent:20261127T110000Z:aaaaaaaaaaaa';
    const grant = 'segment-access:default:group-grant:Admins';
    const legacyGrant = 'segment-access:group-grant:Analysts';
    const o = analyseLive({
      own: [recordGroup(grant), recordGroup(intent)],
      legacy: [recordGroup(legacyGrant)],
      events: [created(grant, 1), created(legacyGrant, 2), created(intent, 3), byHand(grant, 4), byHand(legacyGrant, 5), byHand(intent, 6, 'User Group Updated')],
    });
    expect(o.damage).toEqual([{ kind: 'interrupted-run', intent, recovered: [], unattributed: [] }]);
  });

  test('a record renamed by hand: renamed (not edited), and still read for its people', () => {
    const renamed = recordGroup(MEMBERS, [ANA], { renamedTo: 'Contractors' });
    const o = analyseLive({ users: [user(ANA)], own: [renamed], events: [created(MEMBERS, 1), invited(ANA, 2), byHand(MEMBERS, 3, 'User Group Updated', 'Contractors')] });
    expect(o.damage).toEqual([
      { kind: 'renamed', groupId: `g_${MEMBERS}`, recordName: MEMBERS, now: 'Contractors', events: [{ type: 'User Group Updated', actor: BY_PERSON, at: iso(3), groupName: 'Contractors' }] },
    ]);
    expect(o.managed.get(ANA)).toMatchObject({ by: ManagedBy.RECORD, groups: [renamed] });
  });

  test('a renamed record that was given permissions is reported as such', () => {
    const renamed = recordGroup(MEMBERS, [ANA], { renamedTo: 'Contractors', permissions: onWs('Source Admin') });
    const o = analyseLive({ users: [user(ANA)], own: [renamed], events: [created(MEMBERS, 1), invited(ANA, 2), byHand(MEMBERS, 3, 'User Group Updated', 'Contractors')] });
    expect(o.damage).toEqual([
      { kind: 'renamed', groupId: `g_${MEMBERS}`, recordName: MEMBERS, now: 'Contractors', events: [{ type: 'User Group Updated', actor: BY_PERSON, at: iso(3), groupName: 'Contractors' }] },
      { kind: 'permissions-on-renamed-record', groupId: `g_${MEMBERS}`, recordName: MEMBERS, now: 'Contractors' },
    ]);
  });

  test('a rename a finished run has seen (and repaired) is no longer damage, permissions or not', () => {
    const intent = signedIntentName('default', new Date('2026-11-27T09:00:00Z'), 'aaaaaaaaaaaa');
    const renamed = recordGroup(MEMBERS, [ANA], { renamedTo: 'Contractors', permissions: onWs('Source Admin') });
    const o = analyseLive({
      users: [user(ANA)],
      own: [renamed],
      events: [created(MEMBERS, 1), invited(ANA, 2), byHand(MEMBERS, 3, 'User Group Updated', 'Contractors'), created(intent, 10), deleted(intent, 11)],
    });
    expect(o.damage).toEqual([]);
    expect(o.managed.get(ANA)).toMatchObject({ by: ManagedBy.RECORD });
  });

  test('an edited record that holds permissions but was not renamed is only "edited"', () => {
    const members = recordGroup(MEMBERS, [ANA], { permissions: onWs('Source Admin') });
    const o = analyseLive({ users: [user(ANA)], own: [members], events: [created(MEMBERS, 1), invited(ANA, 2), byHand(MEMBERS, 3, 'User Group Updated')] });
    expect(o.damage).toEqual([{ kind: 'edited', groupId: `g_${MEMBERS}`, group: MEMBERS, events: [{ type: 'User Group Updated', actor: BY_PERSON, at: iso(3), groupName: MEMBERS }] }]);
  });

  test('an invite record named before the trail reaches keeps only the people the trail shows this app invited; the others are unconfirmed, and the damage says why', () => {
    // Its naming has left the trail, so it may be a copy nobody can disprove: the trail must vouch for each person.
    const old = { ...recordGroup(INVITED, [ANA, BO, CY]), trust: Trust.BEFORE_TRAIL };
    const o = analyseLive({ invites: [ANA, BO, CY], own: [old], events: [invited(ANA, 2), invited(CY, 3, PERSON_ACTOR)] });
    expect([...o.managed.keys()]).toEqual([ANA]);
    expect(o.managed.get(ANA)).toEqual({ email: ANA, by: ManagedBy.RECORD, groups: [old], inviteFingerprint: FP, invitedOn: '2026-11-20' });
    expect(o.unconfirmed).toEqual([
      { group: old, email: BO },
      { group: old, email: CY },
    ]);
    expect(o.damage).toEqual([
      {
        kind: 'unconfirmed-member',
        email: BO,
        group: INVITED,
        why: 'its record was named before the audit trail reaches, so it may be a copy, and the trail holds no invite from this app for it',
      },
      { kind: 'unconfirmed-member', email: CY, group: INVITED, why: `the audit trail shows its latest invite was sent by ${PERSON_ACTOR}, not by this app` },
    ]);
    expect(o.orphaned.size).toBe(0);
  });

  test('an invite record named before the trail that someone else has since changed: the damage names the change', () => {
    const old = { ...recordGroup(INVITED, [ANA, BO]), trust: Trust.BEFORE_TRAIL };
    const o = analyseLive({ invites: [ANA, BO], own: [old], events: [invited(ANA, 2), byHand(INVITED, 3)] });
    expect([...o.managed.keys()]).toEqual([ANA]);
    expect(o.unconfirmed).toEqual([{ group: old, email: BO }]);
    expect(o.damage).toEqual([
      { kind: 'edited', groupId: `g_${INVITED}`, group: INVITED, events: [{ type: 'Subjects Added to Group', actor: BY_PERSON, at: iso(3), groupName: INVITED }] },
      {
        kind: 'unconfirmed-member',
        email: BO,
        group: INVITED,
        why: `the group was changed by someone else (Subjects Added to Group by ${BY_PERSON}) and the audit trail holds no invite from this app for it`,
      },
    ]);
  });

  test('a record group someone else deleted is reported with who and when; an intent someone else deleted is no deleted record (it records nobody)', () => {
    const intent = 'segment-access:default:intent:20261127T081000Z:aaaaaaaaaaaa';
    const o = analyseLive({
      events: [
        created(INVITED, 1),
        event('User Group Deleted', `g_${INVITED}`, INVITED, PERSON_ACTOR, 5, PERSON),
        created(intent, 10),
        event('User Group Deleted', `g_${intent}`, intent, PERSON_ACTOR, 11, PERSON),
      ],
    });
    expect(o.damage).toEqual([{ kind: 'deleted', groupId: `g_${INVITED}`, recordName: INVITED, by: BY_PERSON, at: iso(5) }]);
  });

  test('groups shaped like this app\'s record that nothing proves are damage, named with their creator; a pending adoption is not damage', () => {
    const state = live({ users: [user(ANA)] });
    const bad = group('segment-access:default:invited:oops', [], 'g_bad');
    const forged = group('segment-access:default:group-grant:Owners', [], 'g_forged');
    const unsigned = group('segment-access:default:members', [], 'g_old');
    const o = analyse({
      ...state,
      records: {
        ...state.records,
        unauthentic: [
          { group: bad, reason: Distrust.MALFORMED },
          { group: forged, reason: Distrust.UNSIGNED_FOREIGN, creator: { actor: 'token:other', at: iso(3) } },
          { group: unsigned, reason: Distrust.PENDING_ADOPTION },
        ],
      },
    });
    expect(o.damage).toEqual([
      { kind: 'unauthentic', groupId: 'g_bad', group: 'segment-access:default:invited:oops', reason: Distrust.MALFORMED },
      { kind: 'unauthentic', groupId: 'g_forged', group: 'segment-access:default:group-grant:Owners', reason: Distrust.UNSIGNED_FOREIGN, creator: { actor: 'token:other', at: iso(3) } },
    ]);
    expect(o.pendingAdoption).toEqual(['segment-access:default:members']);
  });
});

describe('invites in no record', () => {
  test('invited by this app but recorded nowhere: orphaned (counted once even if also listed as a user), never managed', () => {
    const o = analyseLive({ users: [user(ANA)], invites: [ANA], own: [recordGroup(MEMBERS)], events: [created(MEMBERS, 1), invited(ANA, 2)] });
    expect(o.managed.size).toBe(0);
    expect([...o.orphaned]).toEqual([ANA]);
    expect(o.damage).toEqual([{ kind: 'orphaned', email: ANA, invitedAt: iso(2) }]);
  });

  test('invited by someone else and recorded nowhere: not this app\'s at all', () => {
    const o = analyseLive({ invites: [ANA], own: [recordGroup(MEMBERS)], events: [created(MEMBERS, 1), invited(ANA, 2, PERSON_ACTOR)] });
    expect(o.orphaned.size).toBe(0);
    expect(o.damage).toEqual([]);
  });
});

describe('an interrupted run (an intent left in the record)', () => {
  const a = desiredCollaborator(ANA, onWorkspace('Minimal Workspace Access', 'Source Read-only'));
  const b = desiredCollaborator(BO, onWorkspace('Minimal Workspace Access', 'Source Admin'));
  const intentName = (stamp: string, declared: Pick<DesiredCollaborator, 'email' | 'fingerprint'>[]) => `segment-access:default:intent:${stamp}:${intentDigest(declared)}`;

  test('invites this app sent from the intent\'s creation on are recovered (sorted), with the declared fingerprint when the grants are the same', () => {
    const intent = intentName('20261127T081000Z', [a, b]);
    const group = recordGroup(intent);
    const o = analyseLive({ invites: [BO, ANA, CY], own: [group], events: [created(intent, 10), invited(BO, 11), invited(ANA, 12), invited(CY, 13, PERSON_ACTOR)] }, [a, b]);
    expect(o.damage).toEqual([{ kind: 'interrupted-run', intent, recovered: [ANA, BO], unattributed: [] }]);
    expect(o.managed.get(ANA)).toEqual({ email: ANA, by: ManagedBy.INTERRUPTED_RUN, groups: [], inviteFingerprint: a.fingerprint, invitedOn: '2026-11-27' });
    expect(o.managed.get(BO)).toEqual({ email: BO, by: ManagedBy.INTERRUPTED_RUN, groups: [], inviteFingerprint: b.fingerprint, invitedOn: '2026-11-27' });
    expect(o.managed.has(CY)).toBe(false);
    expect(o.orphaned.size).toBe(0);
    expect(o.resolvedIntents).toEqual([group]);
  });

  test('with other grants declared now (digest differs), or not declared at all, the invite\'s fingerprint is unknown', () => {
    const intent = intentName('20261127T081000Z', [a, b]);
    const o = analyseLive({ invites: [ANA, BO], own: [recordGroup(intent)], events: [created(intent, 10), invited(ANA, 11), invited(BO, 11)] }, [a]);
    expect(o.managed.get(ANA)).toEqual({ email: ANA, by: ManagedBy.INTERRUPTED_RUN, groups: [], inviteFingerprint: null, invitedOn: '2026-11-27' });
    expect(o.managed.get(BO)).toEqual({ email: BO, by: ManagedBy.INTERRUPTED_RUN, groups: [], inviteFingerprint: null, invitedOn: '2026-11-27' });
  });

  test('an invite sent at the very instant the intent was created counts; one sent before is orphaned', () => {
    const intent = intentName('20261127T081000Z', [a, b]);
    const o = analyseLive({ invites: [ANA, BO], own: [recordGroup(intent)], events: [invited(BO, 9), created(intent, 10), invited(ANA, 10)] }, [a, b]);
    expect(o.damage).toEqual([
      { kind: 'interrupted-run', intent, recovered: [ANA], unattributed: [] },
      { kind: 'orphaned', email: BO, invitedAt: iso(9) },
    ]);
    expect([...o.managed.keys()]).toEqual([ANA]);
    expect([...o.orphaned]).toEqual([BO]);
  });

  test("another app's open run on the same token: invites sent since it started are named for review, not recovered; one sent before it is", () => {
    const intent = intentName('20261127T081000Z', [a, b]);
    const other = 'segment-access:billing:intent:20261127T081500Z:0123456789ab';
    const o = analyseLive({ invites: [ANA, BO], own: [recordGroup(intent)], others: [recordGroup(other)], events: [created(intent, 10), invited(ANA, 12), created(other, 15), invited(BO, 16)] }, [a, b]);
    // Not this app's for sure, so not managed: named for review, and (the trail shows "its" token sent it,
    // no record has it) reported as orphaned, never removed on the trail's word alone.
    expect(o.damage).toEqual([
      { kind: 'interrupted-run', intent, recovered: [ANA], unattributed: [BO] },
      { kind: 'orphaned', email: BO, invitedAt: iso(16) },
    ]);
    expect([...o.managed.keys()]).toEqual([ANA]);
  });

  test("another app's open run on its own token changes nothing: this app's invites are still recovered", () => {
    const intent = intentName('20261127T081000Z', [a, b]);
    const other = 'segment-access:billing:intent:20261127T081500Z:0123456789ab';
    const o = analyseLive({ invites: [ANA, BO], own: [recordGroup(intent)], others: [recordGroup(other)], events: [created(intent, 10), created(other, 11, 'token:billing'), invited(ANA, 12), invited(BO, 16)] }, [a, b]);
    expect(o.damage).toEqual([{ kind: 'interrupted-run', intent, recovered: [ANA, BO], unattributed: [] }]);
  });

  test('without the trail, the pending invites nobody records are listed (sorted) as what the run may have sent; users are not', () => {
    const intent = intentName('20261127T081000Z', [a]);
    const o = analyseLive({ users: [user(CY)], invites: ['zed@agency.example', ANA], own: [recordGroup(intent)] }, [a]);
    expect(o.damage).toEqual([{ kind: 'interrupted-run', intent, recovered: [], unattributed: [ANA, 'zed@agency.example'] }]);
    expect(o.managed.size).toBe(0);
  });

  test('an intent is resolved (deleted at the end) only once the trail\'s delay has passed since it started', () => {
    const recent = recordGroup(intentName('20261127T115900Z', [a]));
    const due = recordGroup(intentName('20261127T115500Z', [b]));
    const o = analyseLive({ own: [recent, due] }, [], { auditDelayMs: 5 * 60_000 });
    expect(o.resolvedIntents).toEqual([due]);
    expect(o.damage.map((d) => d.kind)).toEqual(['interrupted-run', 'interrupted-run']);
  });

  test('an intent renamed by hand is no intent: it attributes no invite, which stays orphaned', () => {
    const intent = intentName('20261127T081000Z', [a]);
    const renamed = recordGroup(intent, [], { renamedTo: 'tmp' });
    const o = analyseLive({ invites: [ANA], own: [renamed], events: [created(intent, 10), byHand(intent, 11, 'User Group Updated', 'tmp'), invited(ANA, 12)] }, [a]);
    expect(o.managed.size).toBe(0);
    expect(o.resolvedIntents).toEqual([]);
    expect(o.damage).toEqual([{ kind: 'orphaned', email: ANA, invitedAt: iso(12) }]);
  });
  test('the intent this run created itself (to prove its actor) is no interrupted run: not reported, not resolved', () => {
    const mine = recordGroup(intentName('20261127T115900Z', [a]));
    const left = recordGroup(intentName('20261127T081000Z', [a]));
    const o = analyseOwnership(live({ invites: [ANA], own: [mine, left] }), { app: 'default', declared: new Map(), now: NOW, auditDelayMs: 0, runIntentId: mine.group.id });
    expect(o.damage).toEqual([{ kind: 'interrupted-run', intent: left.group.name, recovered: [], unattributed: [ANA] }]);
    expect(o.resolvedIntents).toEqual([left]);
  });

  test("without the trail, another app's intent changes nothing: the pending invites nobody records are still named", () => {
    const intent = intentName('20261127T081000Z', [a]);
    const other = 'segment-access:billing:intent:20261127T081500Z:0123456789ab';
    const o = analyseLive({ invites: [BO, ANA], own: [recordGroup(intent)], others: [recordGroup(other)] }, [a]);
    expect(o.damage).toEqual([{ kind: 'interrupted-run', intent, recovered: [], unattributed: [ANA, BO] }]);
    expect(o.managed.size).toBe(0);
  });

  test("an invite sent at the very instant another app's run on the same token started may be that run's: named for review (sorted) with the later ones, not recovered", () => {
    const intent = intentName('20261127T081000Z', [a, b]);
    const other = 'segment-access:billing:intent:20261127T081500Z:0123456789ab';
    const o = analyseLive({ invites: [BO, ANA], own: [recordGroup(intent)], others: [recordGroup(other)], events: [created(intent, 10), created(other, 15), invited(BO, 15), invited(ANA, 16)] }, [a, b]);
    expect(o.damage).toEqual([
      { kind: 'interrupted-run', intent, recovered: [], unattributed: [ANA, BO] },
      { kind: 'orphaned', email: BO, invitedAt: iso(15) },
      { kind: 'orphaned', email: ANA, invitedAt: iso(16) },
    ]);
    expect(o.managed.size).toBe(0);
  });

  test('a signed intent the trail cannot prove may mark a killed run: the pending invites nobody records are named for review (sorted), never recovered', () => {
    const intent = recordGroup(signedIntentName('default', new Date('2026-11-27T08:10:00Z'), 'aaaaaaaaaaaa'));
    const copy = recordGroup(`segment-access:default:members:${'0'.repeat(20)}`);
    const DEE = 'dee@agency.example';
    const members = recordGroup(MEMBERS, [BO, DEE]);
    // BO is recorded and confirmed; DEE is recorded but someone else sent the latest invite (unconfirmed); CY is a user.
    const state = live({ users: [user(CY)], invites: ['zed@agency.example', ANA, BO, DEE], own: [members], events: [created(MEMBERS, 1), invited(BO, 2), invited(DEE, 3, PERSON_ACTOR)] });
    const o = analyse({
      ...state,
      records: {
        ...state.records,
        unauthentic: [
          { group: copy.group, record: copy.record, reason: Distrust.COPY },
          { group: intent.group, record: intent.record, reason: Distrust.INTENT_UNPROVEN },
        ],
      },
    });
    expect(o.damage).toEqual([
      { kind: 'unconfirmed-member', email: DEE, group: MEMBERS, why: `the audit trail shows its latest invite was sent by ${PERSON_ACTOR}, not by this app` },
      { kind: 'unauthentic', groupId: copy.group.id, group: copy.group.name, reason: Distrust.COPY },
      { kind: 'unauthentic', groupId: intent.group.id, group: intent.group.name, reason: Distrust.INTENT_UNPROVEN },
      { kind: 'interrupted-run', intent: intent.group.name, recovered: [], unattributed: [ANA, 'zed@agency.example'] },
    ]);
    expect([...o.managed.keys()]).toEqual([BO]);
    expect(o.resolvedIntents).toEqual([]);
  });

  test('an unproven intent with no pending invite outside the record is reported only as not authentic', () => {
    const intent = recordGroup(signedIntentName('default', new Date('2026-11-27T08:10:00Z'), 'aaaaaaaaaaaa'));
    const state = live({ users: [user(CY)], invites: [BO], own: [recordGroup(MEMBERS, [BO])], events: [created(MEMBERS, 1), invited(BO, 2)] });
    const o = analyse({ ...state, records: { ...state.records, unauthentic: [{ group: intent.group, record: intent.record, reason: Distrust.INTENT_UNPROVEN }] } });
    expect(o.damage).toEqual([{ kind: 'unauthentic', groupId: intent.group.id, group: intent.group.name, reason: Distrust.INTENT_UNPROVEN }]);
  });
});

describe('two apps on one workspace', () => {
  test('emails other apps record are claimed (apps sorted, each once), but only people present in the workspace', () => {
    const o = analyseLive({
      users: [user(CY)],
      invites: ['dee@agency.example'],
      others: [
        recordGroup('segment-access:zeta:members', [CY, 'gone@agency.example']),
        recordGroup('segment-access:billing:members', [CY, 'dee@agency.example']),
        recordGroup(`segment-access:billing:invited:${FP}:2026-11-20`, [CY]),
      ],
    });
    expect(o.claimedByOthers).toEqual(
      new Map([
        [CY, ['billing', 'zeta']],
        ['dee@agency.example', ['billing']],
      ]),
    );
    expect(o.conflicts).toEqual([]);
  });

  test('a record with no app id among the others is named "(legacy)"', () => {
    expect(analyseLive({ users: [user(CY)], others: [recordGroup(LEGACY, [CY])] }).claimedByOthers).toEqual(new Map([[CY, ['(legacy)']]]));
  });

  test('conflicts are listed by email, and the conflicting emails are not managed', () => {
    const o = analyseLive(
      { users: [user('zoe@agency.example'), user('abe@agency.example'), user(ANA)], own: [recordGroup(MEMBERS, ['zoe@agency.example', ANA])], others: [recordGroup('segment-access:billing:members', ['zoe@agency.example', 'abe@agency.example'])] },
      [{ email: 'abe@agency.example', fingerprint: FP }],
    );
    expect(o.conflicts).toEqual([
      { email: 'abe@agency.example', apps: ['default', 'billing'], reason: 'declared by this app, recorded by the other' },
      { email: 'zoe@agency.example', apps: ['default', 'billing'], reason: 'recorded by both apps, declared by neither' },
    ]);
    expect([...o.managed.keys()]).toEqual([ANA]);
    expect(o.handovers).toEqual([]);
    expect([...o.contested]).toEqual(['abe@agency.example']);
  });

  test('declared and recorded here, recorded (not declared) by another app too: a conflict "recorded by both apps"; not managed', () => {
    const o = analyseLive(
      { users: [user('shared@agency.example')], own: [recordGroup(MEMBERS, ['shared@agency.example'])], others: [recordGroup('segment-access:billing:members', ['shared@agency.example'])] },
      [{ email: 'shared@agency.example', fingerprint: FP }],
    );
    expect(o.conflicts).toEqual([{ email: 'shared@agency.example', apps: ['default', 'billing'], reason: 'recorded by both apps' }]);
    expect([...o.contested]).toEqual(['shared@agency.example']);
    expect(o.managed.size).toBe(0);
    expect(o.handovers).toEqual([]);
  });

  test('T7: a person this app recorded, no longer declares, and another app declares (its claims record) is handed over: not managed, not a conflict', () => {
    const o = analyseLive({
      users: [user('shared@agency.example')],
      own: [recordGroup(MEMBERS, ['shared@agency.example'])],
      others: [recordGroup(`segment-access:web-team:claims:${'0'.repeat(20)}`, ['shared@agency.example'])],
    });
    expect(o.handovers).toEqual([{ email: 'shared@agency.example', apps: ['web-team'] }]);
    expect(o.conflicts).toEqual([]);
    expect(o.managed.size).toBe(0);
    expect(o.claimedByOthers.get('shared@agency.example')).toEqual(['web-team']);
  });

  test('T7: declared here and claimed (declared) there is a conflict both ways; this app keeps claiming it', () => {
    const o = analyseLive(
      { users: [user('shared@agency.example')], own: [recordGroup(MEMBERS, ['shared@agency.example'])], others: [recordGroup(`segment-access:web-team:claims:${'0'.repeat(20)}`, ['shared@agency.example'])] },
      [{ email: 'shared@agency.example', fingerprint: FP }],
    );
    expect(o.conflicts).toEqual([{ email: 'shared@agency.example', apps: ['default', 'web-team'], reason: 'declared by both apps' }]);
    expect([...o.contested]).toEqual(['shared@agency.example']);
    expect(o.handovers).toEqual([]);
  });

  test('this app\'s own claims record makes nobody managed by it', () => {
    const o = analyseLive({ users: [user(ANA)], own: [recordGroup(`segment-access:default:claims:${'0'.repeat(20)}`, [ANA])] });
    expect(o.managed.size).toBe(0);
  });
});
