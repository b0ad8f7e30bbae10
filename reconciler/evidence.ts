import { normalizeEmail } from '../model/canonical';
import { parseRecordName, RecordKind, RecordName } from './records';
import type { LiveAuditEvent } from './segment-port';
import { deepFreeze } from '../model/deep-freeze';

/**
 * Event types this code reads, as Segment's API reference names them in each endpoint's description
 * (public-api-sdk-typescript docs: IAMUsersApi createInvites; IAMGroupsApi createUserGroup,
 * deleteUserGroup) and the in-app list (segment-docs src/segment-app/iam/audit-trail.md).
 */
export const INVITE_EVENT_TYPES: readonly string[] = deepFreeze(['New Segment User Invited to Workspace', 'Non-Segment User Invited to Workspace', 'User Invite Sent']);
export const GROUP_CREATED_EVENT_TYPES: readonly string[] = deepFreeze(['User Group Created']);
export const GROUP_DELETED_EVENT_TYPES: readonly string[] = deepFreeze(['User Group Deleted']);

/**
 * What this code assumes of the audit trail and cannot verify against Segment (README, "The record"):
 * - an invite event names the invitee's email in `resourceName` (or `resourceId`);
 * - group events carry the group's id in `resourceId` and its name at that moment in `resourceName`;
 * - one Public API token is one `actor`; events by a signed-in person carry `actorEmail`, a token's do not;
 * - events appear within `delayMs` of the call that caused them.
 */
export interface EvidenceOptions {
  readonly prefix: string;
  readonly app: string;
  /** This app's actors, when the operator names them; otherwise they are learned from the trail. */
  readonly actors?: readonly string[];
  /** How long an event may take to appear in the trail. */
  readonly delayMs: number;
}

export interface InviteEvidence {
  readonly actor: string;
  readonly at: number;
  /** Sent by one of this app's actors. */
  readonly ours: boolean;
}

export interface OwnGroupCreation {
  readonly groupId: string;
  /** The name the group was created with, as a record name. */
  readonly name: RecordName;
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
 * cannot edit it. It says which invites this app sent, which record groups it created, and who else
 * touched them. This app's actors are those that created its record groups (every run that writes
 * creates an intent group first, so a new token is learned by its first run).
 */
export class AuditEvidence {
  public readonly ourActors: ReadonlySet<string>;
  /** Groups created with one of this app's record names (or a legacy record name), by id. */
  public readonly ownCreations: ReadonlyMap<string, OwnGroupCreation>;
  /** Start of the latest run of this app that finished (its intent was created and deleted by this app). */
  public readonly lastCompletedRunStart: number | undefined;
  /** Every event read, oldest first. */
  public readonly events: readonly LiveAuditEvent[];
  private readonly invites = new Map<string, InviteEvidence>();
  private readonly byGroup = new Map<string, LiveAuditEvent[]>();
  private readonly deletions = new Map<string, LiveAuditEvent>();

  constructor(
    events: readonly LiveAuditEvent[],
    private readonly options: EvidenceOptions,
  ) {
    // Oldest first. The trail is taken to list newest first (as an audit trail reads) unless it is
    // plainly oldest first; events of one call share a timestamp, so the stable sort keeps their order.
    const oldestFirst = events.length > 1 && Date.parse(events[0].timestamp) < Date.parse(events[events.length - 1].timestamp);
    const sorted = (oldestFirst ? [...events] : [...events].reverse()).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    this.events = sorted;
    const creations = new Map<string, OwnGroupCreation>();
    for (const e of sorted) {
      const list = this.byGroup.get(e.resourceId) ?? [];
      list.push(e);
      this.byGroup.set(e.resourceId, list);
      if (GROUP_CREATED_EVENT_TYPES.includes(e.type)) {
        const name = parseRecordName(options.prefix, e.resourceName);
        if (name && (name.app === options.app || name.app === null)) {
          creations.set(e.resourceId, { groupId: e.resourceId, name, rawName: e.resourceName, actor: e.actor, at: Date.parse(e.timestamp) });
        }
      }
      if (GROUP_DELETED_EVENT_TYPES.includes(e.type)) this.deletions.set(e.resourceId, e);
    }
    this.ownCreations = creations;
    const learned = [...creations.values()].filter((c) => !byPerson(sorted, c)).map((c) => c.actor);
    this.ourActors = new Set(options.actors?.length ? options.actors : learned);
    for (const e of sorted) {
      if (!INVITE_EVENT_TYPES.includes(e.type)) continue;
      const email = inviteeOf(e);
      if (email) this.invites.set(email, { actor: e.actor, at: Date.parse(e.timestamp), ours: this.ourActors.has(e.actor) });
    }
    let lastRun: number | undefined;
    for (const c of creations.values()) {
      if (c.name.kind !== RecordKind.INTENT || !this.ourActors.has(c.actor)) continue;
      const deleted = this.deletions.get(c.groupId);
      if (deleted && this.ourActors.has(deleted.actor) && (lastRun === undefined || c.at > lastRun)) lastRun = c.at;
    }
    this.lastCompletedRunStart = lastRun;
  }

  /** The latest invite sent to this email that the trail holds. */
  public latestInvite(email: string): InviteEvidence | undefined {
    return this.invites.get(normalizeEmail(email));
  }

  /** When Segment recorded the creation of this group (its server clock), if the trail holds it. */
  public createdAt(groupId: string): number | undefined {
    return this.ownCreations.get(groupId)?.at;
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

  /** Own record groups deleted by someone else, not yet seen by a finished run. */
  public foreignDeletions(): { readonly creation: OwnGroupCreation; readonly by: string; readonly at: string }[] {
    const out: { creation: OwnGroupCreation; by: string; at: string }[] = [];
    for (const c of this.ownCreations.values()) {
      const d = this.deletions.get(c.groupId);
      if (d && !this.ourActors.has(d.actor) && !this.settled(d)) out.push({ creation: c, by: describeActor(d), at: d.timestamp });
    }
    return out;
  }

  private settled(e: LiveAuditEvent): boolean {
    return this.lastCompletedRunStart !== undefined && Date.parse(e.timestamp) < this.lastCompletedRunStart - this.options.delayMs;
  }
}

/** A record group created by a signed-in person (made by hand), not by a token. */
function byPerson(events: readonly LiveAuditEvent[], c: OwnGroupCreation): boolean {
  return events.some((e) => e.resourceId === c.groupId && GROUP_CREATED_EVENT_TYPES.includes(e.type) && Boolean(e.actorEmail));
}

function inviteeOf(e: LiveAuditEvent): string | undefined {
  for (const candidate of [e.resourceName, e.resourceId]) if (candidate && candidate.includes('@')) return normalizeEmail(candidate);
  return undefined;
}

function describeActor(e: LiveAuditEvent): string {
  return e.actorEmail ? `${e.actorEmail} (${e.actor})` : e.actor;
}
