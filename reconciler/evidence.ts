import { normalizeEmail } from '../model/canonical';
import { parseCompactStamp, parseRecordName, ParsedRecordName, RecordForm, RecordKind, RecordSigner } from './records';
import type { LiveAuditEvent } from './segment-port';
import { deepFreeze } from '../model/deep-freeze';

/**
 * Event types this code reads, as Segment's API reference names them in each endpoint's description
 * (public-api-sdk-typescript docs: IAMUsersApi createInvites; IAMGroupsApi createUserGroup,
 * updateUserGroup, deleteUserGroup) and the in-app list (segment-docs src/segment-app/iam/audit-trail.md).
 */
export const INVITE_EVENT_TYPES: readonly string[] = deepFreeze(['New Segment User Invited to Workspace', 'Non-Segment User Invited to Workspace', 'User Invite Sent']);
export const GROUP_CREATED_EVENT_TYPES: readonly string[] = deepFreeze(['User Group Created']);
export const GROUP_RENAMED_EVENT_TYPES: readonly string[] = deepFreeze(['User Group Updated']);
export const GROUP_DELETED_EVENT_TYPES: readonly string[] = deepFreeze(['User Group Deleted']);

/**
 * An intent proves its creator only while its creation is surely still in the trail (Segment keeps 90
 * days): its stamp, inside the signed name, must be younger than this. A copy of an older intent's name
 * could otherwise pass for the first creation once the real one has left the trail.
 */
export const INTENT_PROOF_DAYS = 89;
const DAY_MS = 86_400_000;

/**
 * What this code assumes of the audit trail and cannot verify against Segment (docs/record-of-managed-users.md):
 * - an invite event names the invitee's email in `resourceName` (or `resourceId`);
 * - group events carry the group's id in `resourceId` and its name at that moment in `resourceName`
 *   (for "User Group Updated", the name after the change);
 * - one Public API token is one `actor`; events by a signed-in person carry `actorEmail`, a token's do not;
 * - events appear within `delayMs` of the call that caused them.
 */
export interface EvidenceOptions {
  readonly prefix: string;
  readonly app: string;
  /** The app's record keys; without them no intent verifies, so no actor is proven. */
  readonly signer?: RecordSigner;
  /** SEGMENT_ACCESS_AUDIT_ACTORS: when given, only these actors may be proven (it adds none). */
  readonly allowActors?: readonly string[];
  /** How long an event may take to appear in the trail. */
  readonly delayMs: number;
  /** The run's clock: intents older than INTENT_PROOF_DAYS prove nothing. */
  readonly now: Date;
}

export interface InviteEvidence {
  readonly actor: string;
  readonly at: number;
  /** Sent by one of this app's proven actors. */
  readonly ours: boolean;
}

/** An actor of this app, and the signed intent whose creation proves it. */
export interface ProvenActor {
  readonly actor: string;
  /** When Segment recorded the proving creation (ISO). */
  readonly provenAt: string;
  readonly intent: string;
  readonly intentGroupId: string;
}

/** A group's name as this app gave it: the last name one of its actors created or renamed it to. */
export interface OwnNaming {
  readonly groupId: string;
  readonly name: ParsedRecordName;
  readonly rawName: string;
  readonly actor: string;
  readonly at: number;
}

export interface ForeignEvent {
  readonly type: string;
  readonly actor: string;
  readonly at: string;
  readonly groupName: string;
}

/**
 * The audit trail read as the record's second, independent source: Segment writes it, workspace users
 * cannot edit it. The app's actors are only those proven by a signed intent: the first creation in the
 * trail of an intent name signed with the app's key (its random nonce and signature exist nowhere before
 * that run creates it; a later copy of the name is a later creation). Everything else follows: which
 * invites this app sent, who named each group, and who else touched them.
 */
export class AuditEvidence {
  public readonly provenActors: readonly ProvenActor[];
  public readonly ourActors: ReadonlySet<string>;
  /** Start of the latest run of this app that finished (its signed intent created and deleted by its actors). */
  public readonly lastCompletedRunStart: number | undefined;
  /** Every event read, oldest first. */
  public readonly events: readonly LiveAuditEvent[];
  private readonly invites = new Map<string, InviteEvidence>();
  private readonly byGroup = new Map<string, LiveAuditEvent[]>();
  private readonly naming = new Map<string, LiveAuditEvent[]>();
  private readonly deletions = new Map<string, LiveAuditEvent>();
  private readonly proofs = new Map<string, ProvenActor>();

  constructor(
    events: readonly LiveAuditEvent[],
    private readonly options: EvidenceOptions,
  ) {
    // Oldest first. The trail is taken to list newest first (as an audit trail reads) unless it is
    // plainly oldest first; events of one call share a timestamp, so the stable sort keeps their order.
    const oldestFirst = events.length > 1 && Date.parse(events[0].timestamp) < Date.parse(events[events.length - 1].timestamp);
    // Only what is inside the horizon the app can prove its actors over (INTENT_PROOF_DAYS): an older
    // event is read as if it had left the trail, whether Segment keeps 90 days (segment-docs
    // iam/audit-trail.md) or longer. Otherwise, after a quiet quarter, the app's own old events would
    // count as someone else's (no intent left to prove whose they are) and nothing could be removed.
    const horizon = options.now.getTime() - INTENT_PROOF_DAYS * DAY_MS;
    const inHorizon = events.filter((e) => Date.parse(e.timestamp) >= horizon);
    const sorted = (oldestFirst ? inHorizon : [...inHorizon].reverse()).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    this.events = sorted;
    const lastName = new Map<string, string>();
    for (const e of sorted) {
      push(this.byGroup, e.resourceId, e);
      // "User Group Updated" names a rename, but the in-app trail also uses it for member and permission
      // changes (segment-docs iam/audit-trail.md): only a creation or an update to another name names a group.
      const created = GROUP_CREATED_EVENT_TYPES.includes(e.type);
      if (created || (GROUP_RENAMED_EVENT_TYPES.includes(e.type) && lastName.get(e.resourceId) !== e.resourceName)) push(this.naming, e.resourceId, e);
      if (created || GROUP_RENAMED_EVENT_TYPES.includes(e.type)) lastName.set(e.resourceId, e.resourceName);
      if (GROUP_DELETED_EVENT_TYPES.includes(e.type)) this.deletions.set(e.resourceId, e);
    }
    this.provenActors = this.proveActors(sorted);
    for (const p of this.provenActors) this.proofs.set(p.intentGroupId, p);
    this.ourActors = new Set(this.provenActors.map((p) => p.actor));
    for (const e of sorted) {
      if (!INVITE_EVENT_TYPES.includes(e.type)) continue;
      const email = inviteeOf(e);
      if (email) this.invites.set(email, { actor: e.actor, at: Date.parse(e.timestamp), ours: this.ourActors.has(e.actor) });
    }
    let lastRun: number | undefined;
    for (const proof of this.provenActors) {
      const deleted = this.deletions.get(proof.intentGroupId);
      const at = Date.parse(proof.provenAt);
      if (deleted && this.ourActors.has(deleted.actor) && (lastRun === undefined || at > lastRun)) lastRun = at;
    }
    this.lastCompletedRunStart = lastRun;
  }

  /** The signed intent whose creation (this group) proved an actor of this app, if it did. */
  public proofOf(groupId: string): ProvenActor | undefined {
    return this.proofs.get(groupId);
  }

  /** The latest invite sent to this email that the trail holds. */
  public latestInvite(email: string): InviteEvidence | undefined {
    return this.invites.get(normalizeEmail(email));
  }

  /** When Segment recorded the creation of this group (its server clock), if the trail holds it. */
  public createdAt(groupId: string): number | undefined {
    const created = (this.naming.get(groupId) ?? []).find((e) => GROUP_CREATED_EVENT_TYPES.includes(e.type));
    return created ? Date.parse(created.timestamp) : undefined;
  }

  /** Who created this group, as the trail shows (the actor, with the person's email when signed in). */
  public creatorOf(groupId: string): { readonly actor: string; readonly at: string } | undefined {
    const created = (this.naming.get(groupId) ?? []).find((e) => GROUP_CREATED_EVENT_TYPES.includes(e.type));
    return created ? { actor: describeActor(created), at: created.timestamp } : undefined;
  }

  /** The latest creation or rename of a group the trail holds: who gave it its current name. */
  public lastNaming(groupId: string): LiveAuditEvent | undefined {
    const list = this.naming.get(groupId);
    return list?.[list.length - 1];
  }

  /** Whether an event was made by one of this app's proven actors. */
  public isOurs(e: Pick<LiveAuditEvent, 'actor'>): boolean {
    return this.ourActors.has(e.actor);
  }

  /**
   * The last record name of this app one of its actors gave the group (created or renamed it to): what
   * a group renamed away by someone else still is. `accept` says whether the name is this app's.
   */
  public lastOwnNaming(groupId: string, accept: (name: ParsedRecordName, groupId: string) => boolean): OwnNaming | undefined {
    const list = this.naming.get(groupId) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i];
      if (!this.ourActors.has(e.actor)) continue;
      const name = parseRecordName(this.options.prefix, e.resourceName);
      if (name && accept(name, groupId)) return { groupId, name, rawName: e.resourceName, actor: e.actor, at: Date.parse(e.timestamp) };
    }
    return undefined;
  }

  /**
   * Changes to a group by anyone other than this app that no finished run of this app has seen yet.
   * A run that started after an event (by more than the trail's delay) has reported and repaired it.
   */
  public foreignEvents(groupId: string): ForeignEvent[] {
    return (this.byGroup.get(groupId) ?? [])
      .filter((e) => !this.ourActors.has(e.actor) && !this.settled(e))
      .map((e) => ({ type: e.type, actor: describeActor(e), at: e.timestamp, groupName: e.resourceName }));
  }

  /** Groups this app named that someone else deleted, not yet seen by a finished run. */
  public foreignDeletions(accept: (name: ParsedRecordName, groupId: string) => boolean): { readonly naming: OwnNaming; readonly by: string; readonly at: string }[] {
    const out: { naming: OwnNaming; by: string; at: string }[] = [];
    for (const [groupId, d] of this.deletions) {
      if (this.ourActors.has(d.actor) || this.settled(d)) continue;
      const naming = this.lastOwnNaming(groupId, accept);
      if (naming) out.push({ naming, by: describeActor(d), at: d.timestamp });
    }
    return out;
  }

  private settled(e: LiveAuditEvent): boolean {
    return this.lastCompletedRunStart !== undefined && Date.parse(e.timestamp) < this.lastCompletedRunStart - this.options.delayMs;
  }

  /** First creations of fresh intent names signed with the app's key, by a token (never a signed-in person). */
  private proveActors(sorted: readonly LiveAuditEvent[]): ProvenActor[] {
    const { signer, allowActors } = this.options;
    if (!signer) return [];
    const oldest = this.options.now.getTime() - INTENT_PROOF_DAYS * DAY_MS;
    const byName = new Map<string, LiveAuditEvent[]>();
    for (const e of sorted) {
      if (!GROUP_CREATED_EVENT_TYPES.includes(e.type)) continue;
      const name = parseRecordName(this.options.prefix, e.resourceName);
      if (!name || name.form !== RecordForm.SIGNED || name.record.kind !== RecordKind.INTENT) continue;
      if (parseCompactStamp(name.record.startedAt).getTime() < oldest) continue;
      if (signer.verify(name, e.resourceId)?.sealed !== false) continue;
      push(byName, e.resourceName, e);
    }
    const proven: ProvenActor[] = [];
    for (const [intent, creations] of byName) {
      const first = creations[0];
      // Two creations of one fresh name in the same second cannot be told apart: neither proves anything.
      if (creations.length > 1 && creations[1].timestamp === first.timestamp) continue;
      if (first.actorEmail || (allowActors?.length && !allowActors.includes(first.actor))) continue;
      proven.push({ actor: first.actor, provenAt: first.timestamp, intent, intentGroupId: first.resourceId });
    }
    return proven.sort((a, b) => Date.parse(a.provenAt) - Date.parse(b.provenAt));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function inviteeOf(e: LiveAuditEvent): string | undefined {
  for (const candidate of [e.resourceName, e.resourceId]) if (candidate && candidate.includes('@')) return normalizeEmail(candidate);
  return undefined;
}

export function describeActor(e: Pick<LiveAuditEvent, 'actor' | 'actorEmail'>): string {
  return e.actorEmail ? `${e.actorEmail} (${e.actor})` : e.actor;
}
