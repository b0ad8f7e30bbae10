import { normalizeEmail } from '../model/canonical';
import { PlanTier } from '../model/enums';
import { RoleCatalog } from './permissions';
import { parseRecordName } from './records';
import type { LiveGroup, LiveUser, SegmentPort } from './segment-port';

export interface CollaboratorRecord {
  readonly group: LiveGroup;
  readonly fingerprint: string;
  /** Day the permissions were granted (null for records written without a day). */
  readonly day: string | null;
  readonly emails: ReadonlySet<string>;
}

/** What the record says of each managed email: which record group, which permission set, since when. */
export function recordsByEmail(live: LiveState): Map<string, CollaboratorRecord> {
  const out = new Map<string, CollaboratorRecord>();
  for (const record of live.collaboratorRecords.values()) for (const email of record.emails) if (!out.has(email)) out.set(email, record);
  return out;
}

/** Everything the planner needs to know about a workspace, read once per run. */
export interface LiveState {
  readonly workspace: { readonly id: string; readonly slug: string; readonly name: string };
  readonly roles: RoleCatalog;
  /** The plan the live role catalog shows (Team: only Workspace Owner and Source Admin). */
  readonly planTier: PlanTier;
  /** `key:value` of the workspace's labels (`GET /labels`); null when not read (nothing declared uses labels). */
  readonly labels: ReadonlySet<string> | null;
  /** Users by normalized email. */
  readonly users: ReadonlyMap<string, LiveUser>;
  /** Pending invites, normalized emails. */
  readonly invites: ReadonlySet<string>;
  /** Every user group that is not one of this code's records, by name. */
  readonly groups: ReadonlyMap<string, LiveGroup>;
  /** Collaborator records by record group name: the group, what it records, and its members (users and invites). Empty on Team. */
  readonly collaboratorRecords: ReadonlyMap<string, CollaboratorRecord>;
  /** Group-grant records: managed group name -> record group. */
  readonly groupGrantRecords: ReadonlyMap<string, LiveGroup>;
}

/** The plan declared in the code is not the one the workspace's role catalog shows: nothing may be written. */
export class PlanTierMismatchError extends Error {
  constructor(workspace: { id: string; name: string }, declared: PlanTier, live: PlanTier, roleNames: readonly string[]) {
    super(
      `Plan mismatch in workspace ${workspace.name} (${workspace.id}): the code declares planTier ${declared}, but GET /roles ` +
        `lists ${roleNames.length} role(s) (${roleNames.join(', ')}), which is a ${live} plan. Nothing was changed. ` +
        (live === PlanTier.TEAM
          ? 'Set planTier: PlanTier.TEAM on the workspace (Team plans offer only Workspace Owner and Source Admin and no user groups), or upgrade the workspace to Business.'
          : 'Set planTier: PlanTier.BUSINESS on the workspace (or leave it out): it has Business roles.'),
    );
    this.name = 'PlanTierMismatchError';
  }
}

export interface ReadLiveStateOptions {
  /** Refuse (before any group is read or anything written) when the live catalog shows another plan. */
  readonly declaredTier?: PlanTier;
  /** Read `GET /labels` (only needed when something declared is narrowed by labels). @default false */
  readonly readLabels?: boolean;
}

/** Reads the workspace in as few calls as the API allows: every list is read whole, once. */
export async function readLiveState(
  api: SegmentPort,
  workspace: { id: string; slug: string; name: string },
  recordPrefix: string,
  options: ReadLiveStateOptions = {},
): Promise<LiveState> {
  const [roleList, users, invites, labelList] = await Promise.all([
    api.listRoles(),
    api.listUsers(),
    api.listInvites(),
    options.readLabels ? api.listLabels() : Promise.resolve(null),
  ]);
  const roles = new RoleCatalog(roleList);
  const planTier = roles.planTier;
  if (options.declaredTier !== undefined && options.declaredTier !== planTier) {
    throw new PlanTierMismatchError(workspace, options.declaredTier, planTier, roles.names);
  }
  // A Team plan has no user groups (the endpoints refuse): no record to read, no groups to grant.
  const groups = planTier === PlanTier.TEAM ? [] : await api.listGroups();
  const collaboratorRecords = new Map<string, CollaboratorRecord & { emails: Set<string> }>();
  const groupGrantRecords = new Map<string, LiveGroup>();
  const others = new Map<string, LiveGroup>();
  for (const group of groups) {
    const record = parseRecordName(recordPrefix, group.name);
    if (!record) others.set(group.name, group);
    else if (record.kind === 'group-grant') groupGrantRecords.set(record.groupName, group);
    else collaboratorRecords.set(group.name, { group, fingerprint: record.fingerprint, day: record.day, emails: new Set() });
  }
  for (const record of collaboratorRecords.values()) {
    // Reads skipped only when they cannot find anything: no members at all, or no pending invite in the
    // workspace. (Whether memberCount counts invites is not relied on.)
    const [members, pending] = await Promise.all([
      record.group.memberCount > 0 ? api.listGroupUsers(record.group.id) : Promise.resolve([]),
      invites.length ? api.listGroupInvites(record.group.id) : Promise.resolve([]),
    ]);
    for (const m of members) record.emails.add(normalizeEmail(m.email));
    for (const e of pending) record.emails.add(normalizeEmail(e));
  }
  return {
    workspace,
    roles,
    planTier,
    labels: labelList === null ? null : new Set(labelList.map((l) => `${l.key}:${l.value}`)),
    users: new Map(users.map((u) => [normalizeEmail(u.email), u])),
    invites: new Set(invites.map(normalizeEmail)),
    groups: others,
    collaboratorRecords,
    groupGrantRecords,
  };
}
