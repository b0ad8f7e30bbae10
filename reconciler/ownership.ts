import { sha256 } from '../model/canonical';
import type { DesiredCollaborator } from '../model/desired-state';
import type { ForeignEvent } from './evidence';
import type { LiveState, RecordGroup } from './live-state';
import { Distrust, Trust } from './record-trust';
import { parseCompactStamp, RecordKind, RecordName, utcDay } from './records';

/** How an app knows it manages an email. */
export enum ManagedBy {
  /** In this app's record, and the audit trail does not contradict it. */
  RECORD = 'record',
  /** In a record written before app ids (migrated by the next run that writes). */
  LEGACY_RECORD = 'legacy record',
  /** Invited by an interrupted run of this app: its intent is in the record, the invite in the audit trail. */
  INTERRUPTED_RUN = 'interrupted run',
}

export interface ManagedEntry {
  readonly email: string;
  readonly by: ManagedBy;
  /** The record groups (this app's or legacy) that hold the email. */
  readonly groups: readonly RecordGroup[];
  /** The permission set its pending invite was sent with, when the record (or the intent) says so reliably. */
  readonly inviteFingerprint: string | null;
  /** The day its invite was sent, when known. */
  readonly invitedOn: string | null;
}

/** Something wrong with the record, found by comparing it with the audit trail or by reading it. */
export type RecordDamage =
  /** A group shaped like this app's record that nothing proves is: never read as the record, never a reason to act. */
  | { readonly kind: 'unauthentic'; readonly groupId: string; readonly group: string; readonly reason: Distrust; readonly creator?: { readonly actor: string; readonly at: string } }
  | { readonly kind: 'renamed'; readonly groupId: string; readonly recordName: string; readonly now: string; readonly events: readonly ForeignEvent[] }
  | { readonly kind: 'deleted'; readonly groupId: string; readonly recordName: string; readonly by: string; readonly at: string }
  | { readonly kind: 'edited'; readonly groupId: string; readonly group: string; readonly events: readonly ForeignEvent[] }
  | { readonly kind: 'unconfirmed-member'; readonly email: string; readonly group: string; readonly why: string }
  | { readonly kind: 'orphaned'; readonly email: string; readonly invitedAt: string }
  | { readonly kind: 'interrupted-run'; readonly intent: string; readonly recovered: readonly string[]; readonly unattributed: readonly string[] }
  | { readonly kind: 'permissions-on-renamed-record'; readonly groupId: string; readonly recordName: string; readonly now: string };

/** The same email claimed by this app and another one: neither app may touch it until people decide. */
export interface Conflict {
  readonly email: string;
  /** This app first, then the apps whose record claims the email. */
  readonly apps: readonly string[];
  readonly reason: string;
}

/** A person this app recorded and no longer declares, whom another app declares: left to that app, untouched. */
export interface Handover {
  readonly email: string;
  /** The apps whose claims record says they declare the person. */
  readonly apps: readonly string[];
}

export interface Ownership {
  readonly managed: ReadonlyMap<string, ManagedEntry>;
  /** Emails recorded or claimed by other apps on this workspace (email -> app ids). */
  readonly claimedByOthers: ReadonlyMap<string, readonly string[]>;
  readonly conflicts: readonly Conflict[];
  /** Declared by this app and claimed by another: kept in this app's claims record so the other sees it. */
  readonly contested: ReadonlySet<string>;
  /** Recorded by this app, no longer declared, declared by another app: dropped from this app's record, never removed. */
  readonly handovers: readonly Handover[];
  /** Unsigned records of an older version whose creator no signed run has proven yet (adopted by the next run that writes, if it is this app's). */
  readonly pendingAdoption: readonly string[];
  readonly damage: readonly RecordDamage[];
  /** Entries of this app's record the audit trail does not confirm: dropped from the record, never removed from Segment. */
  readonly unconfirmed: readonly { readonly group: RecordGroup; readonly email: string }[];
  /** Invited by this app (audit trail) but in no record: never removed on the trail's word alone. */
  readonly orphaned: ReadonlySet<string>;
  /** Intents of interrupted runs that this run resolves: deleted at its end. */
  readonly resolvedIntents: readonly RecordGroup[];
}

/** Digest of what a run sets out to grant (email -> permission set): names its intent group. */
export function intentDigest(collaborators: readonly Pick<DesiredCollaborator, 'email' | 'fingerprint'>[]): string {
  return sha256(collaborators.map((c) => `${c.email}=${c.fingerprint}`).sort().join('\n')).slice(0, 12);
}

function fingerprintOf(record: RecordName): { fingerprint: string; day: string | null } | undefined {
  if (record.kind === RecordKind.INVITED) return { fingerprint: record.fingerprint, day: record.day };
  if (record.kind === 'legacy-collaborators') return { fingerprint: record.fingerprint, day: record.day };
  return undefined;
}

export interface OwnershipInput {
  readonly app: string;
  /** Collaborators declared and in force (not expired). */
  readonly declared: ReadonlyMap<string, Pick<DesiredCollaborator, 'email' | 'fingerprint'>>;
  readonly now: Date;
  readonly auditDelayMs: number;
  /** The intent this run already created (to prove its own actor): not an interrupted run. */
  readonly runIntentId?: string;
}

/**
 * Whom this app manages, from its record and the audit trail together. Neither source alone makes an
 * email removable: a record entry counts only if the trail does not contradict it (no foreign change
 * to its group since the last finished run, no newer invite by someone else); an email missing from
 * the record counts only if this app's intent (record side) and its invite (trail side) both say so.
 */
export function analyseOwnership(live: LiveState, input: OwnershipInput): Ownership {
  const evidence = live.auditTrail.state === 'read' ? live.auditTrail.evidence : undefined;
  const present = (e: string) => live.users.has(e) || live.invites.has(e);
  const damage: RecordDamage[] = [];

  // Other apps' records are read by their names alone (their keys are theirs): a claim only ever stops this app acting.
  const claimed = new Map<string, string[]>();
  const declaredElsewhere = new Map<string, string[]>();
  const addApp = (map: Map<string, string[]>, e: string, app: string) => map.set(e, [...new Set([...(map.get(e) ?? []), app])].sort());
  for (const r of live.records.others) {
    for (const e of r.emails) {
      if (!present(e)) continue;
      addApp(claimed, e, r.record.app ?? '(legacy)');
      if (r.record.kind === RecordKind.CLAIMS) addApp(declaredElsewhere, e, r.record.app);
    }
  }

  const confirmed = new Map<string, { by: ManagedBy; groups: RecordGroup[] }>();
  const unconfirmed: { group: RecordGroup; email: string }[] = [];
  for (const group of [...live.records.own, ...live.records.legacy]) {
    if (!recordsPeople(group.record)) continue;
    const foreign = evidence?.foreignEvents(group.group.id) ?? [];
    // A rename seen by a finished run has been repaired (its people copied back): no longer damage.
    if (group.renamedTo !== undefined && (foreign.length || !evidence)) damage.push({ kind: 'renamed', groupId: group.group.id, recordName: recordNameOf(group), now: group.renamedTo, events: foreign });
    // (Reached by a renamed group only when it has no foreign events: nothing to report then.)
    else if (foreign.length) damage.push({ kind: 'edited', groupId: group.group.id, group: group.group.name, events: foreign });
    if (group.renamedTo !== undefined && foreign.length && group.group.permissions.length) {
      damage.push({ kind: 'permissions-on-renamed-record', groupId: group.group.id, recordName: recordNameOf(group), now: group.renamedTo });
    }
    for (const email of group.emails) {
      const invite = evidence?.latestInvite(email);
      const contradicted = invite !== undefined && !invite.ours;
      // A record older than the trail (an unsealed invite record whose naming has left it) could be a copy
      // nobody can disprove any more: it keeps its people recorded only where the trail shows this app's invite.
      const beforeTrail = group.trust === Trust.BEFORE_TRAIL;
      const ok = !evidence || (!contradicted && (beforeTrail ? invite?.ours === true : foreign.length === 0 || invite?.ours === true));
      if (ok) {
        // Own groups come before legacy ones: an email any own group confirms is created RECORD here.
        const entry = confirmed.get(email) ?? { by: group.record.app === null ? ManagedBy.LEGACY_RECORD : ManagedBy.RECORD, groups: [] };
        entry.groups.push(group);
        confirmed.set(email, entry);
      } else {
        unconfirmed.push({ group, email });
        const why = contradicted
          ? `the audit trail shows its latest invite was sent by ${invite!.actor}, not by this app`
          : beforeTrail && foreign.length === 0
            ? 'its record was named before the audit trail reaches, so it may be a copy, and the trail holds no invite from this app for it'
            : `the group was changed by someone else (${foreign.map((f) => `${f.type} by ${f.actor}`).join('; ')}) and the audit trail holds no invite from this app for it`;
        damage.push({ kind: 'unconfirmed-member', email, group: group.group.name, why });
      }
    }
  }
  const unconfirmedEmails = new Set(unconfirmed.map((u) => u.email));

  const managed = new Map<string, ManagedEntry>();
  for (const [email, entry] of confirmed) {
    const invited = entry.groups.map((g) => fingerprintOf(g.record)).filter((f): f is NonNullable<typeof f> => f !== undefined);
    const fingerprints = new Set(invited.map((f) => f.fingerprint));
    const only = fingerprints.size === 1 ? invited[0] : undefined;
    managed.set(email, { email, by: entry.by, groups: entry.groups, inviteFingerprint: only?.fingerprint ?? null, invitedOn: only?.day ?? null });
  }

  // Interrupted runs: an intent left in the record, and invites this app sent after it started.
  const intents = live.records.own.filter((g): g is IntentGroup => g.record.kind === RecordKind.INTENT && g.renamedTo === undefined && g.group.id !== input.runIntentId);
  const unrecorded = [...live.users.keys(), ...[...live.invites].filter((e) => !live.users.has(e))].filter(
    (e) => !managed.has(e) && !unconfirmedEmails.has(e) && !claimed.has(e),
  );
  const currentDigest = intentDigest([...input.declared.values()]);
  // Another app's run on this app's token left its intent too: an invite sent after that run started may
  // be the other app's (two apps on one token cannot be told apart on the trail, though each should have
  // its own), so it is named for review, never recovered as this app's (found by the model-based lifecycle
  // test, seed 50000). An intent the trail shows another token created changes nothing; one whose creation
  // the trail does not show counts. A group only named like an intent can make a run recover less, never more.
  const otherRunsSince = live.records.others.flatMap((g) => {
    if (g.record.kind !== RecordKind.INTENT) return [];
    const creator = evidence?.creatorOf(g.group.id);
    if (creator && !evidence!.ourActors.has(creator.actor)) return [];
    return [creator ? Date.parse(creator.at) : parseCompactStamp(g.record.startedAt).getTime()];
  });
  const maybeOthers = (at: number) => otherRunsSince.some((since) => since <= at);
  const recoveredBy = new Map<string, IntentGroup>();
  const resolvedIntents: RecordGroup[] = [];
  for (const intent of intents) {
    const stamp = parseCompactStamp(intent.record.startedAt);
    const startedAt = evidence?.createdAt(intent.group.id) ?? stamp.getTime();
    const sentSince = evidence ? unrecorded.filter((e) => !recoveredBy.has(e) && (evidence.latestInvite(e)?.ours ?? false) && evidence.latestInvite(e)!.at >= startedAt) : [];
    const recovered = sentSince.filter((e) => !maybeOthers(evidence!.latestInvite(e)!.at));
    for (const e of recovered) recoveredBy.set(e, intent);
    // Without the trail, the pending invites nobody records are the ones the run may have sent.
    const unattributed = evidence ? sentSince.filter((e) => !recovered.includes(e)).sort() : unrecorded.filter((e) => !live.users.has(e)).sort();
    damage.push({ kind: 'interrupted-run', intent: intent.group.name, recovered: [...recovered].sort(), unattributed });
    if (input.now.getTime() - stamp.getTime() >= input.auditDelayMs) resolvedIntents.push(intent);
  }
  for (const [email, intent] of recoveredBy) {
    const sameGrants = intent.record.digest === currentDigest;
    const declared = input.declared.get(email);
    managed.set(email, {
      email,
      by: ManagedBy.INTERRUPTED_RUN,
      groups: [],
      inviteFingerprint: sameGrants && declared ? declared.fingerprint : null,
      invitedOn: utcDay(parseCompactStamp(intent.record.startedAt)),
    });
  }

  const orphaned = new Set<string>();
  if (evidence) {
    for (const email of unrecorded) {
      const invite = evidence.latestInvite(email);
      if (recoveredBy.has(email) || !invite?.ours) continue;
      orphaned.add(email);
      damage.push({ kind: 'orphaned', email, invitedAt: new Date(invite.at).toISOString() });
    }
    for (const d of live.records.deletedByOthers) {
      if (d.record.kind !== RecordKind.INTENT) damage.push({ kind: 'deleted', groupId: d.groupId, recordName: d.recordName, by: d.by, at: d.at });
    }
  }
  const pendingAdoption: string[] = [];
  for (const u of live.records.unauthentic) {
    if (u.reason === Distrust.PENDING_ADOPTION) pendingAdoption.push(u.group.name);
    else damage.push({ kind: 'unauthentic', groupId: u.group.id, group: u.group.name, reason: u.reason, ...(u.creator ? { creator: u.creator } : {}) });
    // A signed intent the trail cannot prove (e.g. older than it) may mark a run that was killed after
    // inviting people and before recording them: name the pending invites nobody records, as without the
    // trail, or they would be left behind without a word (found by the model-based lifecycle test).
    if (u.reason === Distrust.INTENT_UNPROVEN) {
      const unattributed = unrecorded.filter((e) => !live.users.has(e)).sort();
      if (unattributed.length > 0) damage.push({ kind: 'interrupted-run', intent: u.group.name, recovered: [], unattributed });
    }
  }

  const conflicts: Conflict[] = [];
  const contested = new Set<string>();
  const handovers: Handover[] = [];
  for (const email of [...new Set([...managed.keys(), ...input.declared.keys()])].sort()) {
    const apps = claimed.get(email);
    if (!apps) continue;
    const declarers = declaredElsewhere.get(email) ?? [];
    if (input.declared.has(email)) {
      contested.add(email);
      const reason = declarers.length ? 'declared by both apps' : managed.has(email) ? 'recorded by both apps' : 'declared by this app, recorded by the other';
      conflicts.push({ email, apps: [input.app, ...apps], reason });
    } else if (declarers.length) {
      // Declared in one app only, the other: it is that app's to manage from now on. Nobody's access changes.
      handovers.push({ email, apps: declarers });
    } else {
      conflicts.push({ email, apps: [input.app, ...apps], reason: 'recorded by both apps, declared by neither' });
    }
    managed.delete(email);
  }
  return { managed, claimedByOthers: claimed, conflicts, contested, handovers, pendingAdoption, damage, unconfirmed, orphaned, resolvedIntents };
}

/** Kinds whose members are people this app manages (claims hold people it does not manage yet). */
function recordsPeople(record: RecordName): boolean {
  return record.kind === RecordKind.MEMBERS || record.kind === RecordKind.INVITED || record.kind === 'legacy-collaborators';
}

/** An intent record group (write-ahead mark of a run). */
type IntentGroup = RecordGroup & { readonly record: Extract<RecordName, { kind: RecordKind.INTENT }> };

function recordNameOf(group: RecordGroup): string {
  return group.createdAs ?? group.group.name;
}
