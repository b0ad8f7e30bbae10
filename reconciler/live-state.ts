import { normalizeEmail } from '../model/canonical';
import { DEFAULT_RECORD_KEY_ENV_VAR, type DesiredState } from '../model/desired-state';
import { PlanTier } from '../model/enums';
import { AuditEvidence, describeActor } from './evidence';
import { fromLive, holdsOwnerRole, RoleCatalog } from './permissions';
import type { RecordKeyring } from './record-key';
import { classifyGroup, Classification, ownName, Resign, Trust, UnauthenticGroup } from './record-trust';
import { parseRecordName, RecordForm, RecordKind, RecordName, RecordSigner } from './records';
import type { LiveGroup, LiveUser, SegmentPort } from './segment-port';

/** A record group as read: what its name records, and its members (users and pending invites). */
export interface RecordGroup {
  readonly group: LiveGroup;
  /** What the group records. For a group renamed away from its record name: the name it was created with. */
  readonly record: RecordName;
  readonly emails: ReadonlySet<string>;
  /** Set when the group's current name is no longer the record name it was created with. */
  readonly renamedTo?: string;
  /** The record name it was created with (for a renamed group). */
  readonly createdAs?: string;
  /** Why it is this app's record (own groups). @default Trust.SEALED */
  readonly trust?: Trust;
  /** The rename the next run that writes makes to bring its name up to date (adopt, re-sign, seal). */
  readonly resign?: Resign;
}

/** The records under this code's prefix, sorted by whom they belong to. */
export interface Records {
  /** This app's record groups (including its intents and group-grant records). */
  readonly own: readonly RecordGroup[];
  /** Records written before app ids (migrateLegacyRecords), created by the app's actor: migrated by its next run that writes. */
  readonly legacy: readonly RecordGroup[];
  /** Other apps' records on this workspace: never touched, read for conflicts (their signatures cannot be checked here). */
  readonly others: readonly RecordGroup[];
  /** Groups shaped like this app's record that are not proven to be: damage, never read as the record. */
  readonly unauthentic: readonly UnauthenticGroup[];
  /** Record groups of this app that someone else deleted, not yet seen by a finished run (audit trail). */
  readonly deletedByOthers: readonly { readonly groupId: string; readonly recordName: string; readonly record: RecordName; readonly by: string; readonly at: string }[];
}

/** What the run could verify the record with. */
export interface RecordVerification {
  /** The variable the record key is read from. */
  readonly keyVariable: string;
  /** Whether the key was in the environment (without it nothing is trusted). */
  readonly keyHeld: boolean;
  /** Whether a previous key is held too (a rotation is under way). */
  readonly rotating: boolean;
}

/** How the audit trail was read for this run. */
export type AuditTrailReading =
  | { readonly state: 'read'; readonly evidence: AuditEvidence }
  /** useAuditTrail: false, or a Team plan (no audit trail, no record). */
  | { readonly state: 'off' };

/** Everything the planner needs to know about a workspace, read once per run. */
export interface LiveState {
  readonly workspace: { readonly id: string; readonly slug: string; readonly name: string };
  readonly roles: RoleCatalog;
  /** The plan the live role catalog shows (Team: only Workspace Owner and Source Admin, no groups, no record). */
  readonly planTier: PlanTier;
  /** `key:value` of the workspace's labels (`GET /labels`); null when not read (nothing declared uses labels). */
  readonly labels: ReadonlySet<string> | null;
  /** Users by normalized email. */
  readonly users: ReadonlyMap<string, LiveUser>;
  /** Pending invites, normalized emails. */
  readonly invites: ReadonlySet<string>;
  /**
   * Each email as Segment returned it (users, invites, record members), by normalized email. Plans compare
   * emails in lower case; calls that name a live person send this exact string, because Segment may keep
   * the case it was given and match it exactly (not documented). Absent: the normalized email is sent.
   */
  readonly addresses?: ReadonlyMap<string, string>;
  /** Every user group that is not a record group, by name. */
  readonly groups: ReadonlyMap<string, LiveGroup>;
  readonly records: Records;
  /** Members (users) of non-record groups that hold Workspace Owner, by group id. */
  readonly ownerGroupMembers: ReadonlyMap<string, ReadonlySet<string>>;
  readonly auditTrail: AuditTrailReading;
  readonly verification: RecordVerification;
}

/** The audit trail is required and could not be read: nothing may be written. */
export class AuditTrailUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `The audit trail could not be read (${reason}). Nothing was changed. segment-access checks its record of managed users ` +
        'against the audit trail before it removes anyone. Give the token read access to the Audit Trail (a Business-tier feature), ' +
        'or set useAuditTrail: false on the SegmentWorkspace to trust the record alone (weaker: a damaged record is then not detected).',
    );
    this.name = 'AuditTrailUnavailableError';
  }
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
  /** How long an audit event may take to appear. @default 5 minutes */
  readonly auditDelayMs?: number;
  /** SEGMENT_ACCESS_AUDIT_ACTORS: only these may be proven as the app's actors (it adds none). */
  readonly auditActors?: readonly string[];
  /** The app's record keys; without them nothing under its name is trusted (writing runs refuse before this). */
  readonly keys?: RecordKeyring;
  /** The run's clock (intents older than 89 days prove no actor). @default new Date() */
  readonly now?: Date;
}

export const DEFAULT_AUDIT_DELAY_MS = 5 * 60_000;

/** Reads the workspace in as few calls as the API allows: every list is read whole, once. */
export async function readLiveState(
  api: SegmentPort,
  workspace: { id: string; slug: string; name: string },
  management: DesiredState['management'],
  options: ReadLiveStateOptions = {},
): Promise<LiveState> {
  const { recordPrefix: prefix, appId: app } = management;
  const [roleList, users, invites, labelList] = await Promise.all([
    api.listRoles(),
    api.listUsers(),
    api.listInvites(),
    options.readLabels ? api.listLabels() : Promise.resolve(null),
  ]);
  const catalog = new RoleCatalog(roleList);
  const planTier = catalog.planTier;
  if (options.declaredTier !== undefined && options.declaredTier !== planTier) {
    throw new PlanTierMismatchError(workspace, options.declaredTier, planTier, catalog.names);
  }
  // A Team plan has no user groups (the endpoints refuse) and no audit trail: no record to read or check.
  const team = planTier === PlanTier.TEAM;
  const [groups, auditTrail] = await Promise.all([
    team ? Promise.resolve([]) : api.listGroups(),
    team ? Promise.resolve<AuditTrailReading>({ state: 'off' }) : readAuditTrail(api, management, options),
  ]);
  const evidence = auditTrail.state === 'read' ? auditTrail.evidence : undefined;
  const signer = options.keys ? new RecordSigner(prefix, app, options.keys) : undefined;
  const otherAppsPresent = groups.some((g) => {
    const parsed = parseRecordName(prefix, g.name);
    return parsed !== undefined && parsed.form !== RecordForm.LEGACY && parsed.record.app !== app;
  });
  const ctx = { prefix, app, signer, evidence, migrateLegacyRecords: management.migrateLegacyRecords ?? false, otherAppsPresent };
  const own: Pending[] = [];
  const legacy: Pending[] = [];
  const others: Pending[] = [];
  const unauthentic: UnauthenticGroup[] = [];
  const plain = new Map<string, LiveGroup>();
  for (const group of groups) {
    const c: Classification = classifyGroup(group, ctx);
    if (c.as === 'own') own.push({ group, record: c.record, trust: c.trust, ...(c.resign ? { resign: c.resign } : {}), ...(c.renamedTo !== undefined ? { renamedTo: c.renamedTo, createdAs: c.createdAs } : {}) });
    else if (c.as === 'legacy') legacy.push({ group, record: c.record, trust: Trust.ADOPTED });
    else if (c.as === 'other-app') others.push({ group, record: c.record });
    else if (c.as === 'unauthentic') {
      const creator = evidence?.lastNaming(group.id);
      unauthentic.push({ group, reason: c.reason, ...(c.record ? { record: c.record } : {}), ...(creator ? { creator: { actor: describeActor(creator), at: creator.timestamp } } : {}) });
    }
    // Groups that are no record of any app, and record-shaped ones nobody proved: access-wise ordinary groups.
    if (c.as === 'not-a-record' || c.as === 'unauthentic') plain.set(group.name, group);
  }
  const anyInvites = invites.length > 0;
  const addresses = new Map<string, string>();
  const remember = (raw: string) => {
    const email = normalizeEmail(raw);
    if (!addresses.has(email)) addresses.set(email, raw);
    return email;
  };
  for (const raw of [...users.map((u) => u.email), ...invites]) remember(raw);
  const withMembers = async (r: Pending): Promise<RecordGroup> => {
    const emails = new Set<string>();
    if (holdsMembers(r.record)) {
      // Reads skipped only when they cannot find anything: no members at all, or no pending invite in the
      // workspace. (Whether memberCount counts invites is not relied on.)
      const [members, pending] = await Promise.all([
        r.group.memberCount > 0 ? api.listGroupUsers(r.group.id) : Promise.resolve([]),
        anyInvites ? api.listGroupInvites(r.group.id) : Promise.resolve([]),
      ]);
      for (const m of members) emails.add(remember(m.email));
      for (const e of pending) emails.add(remember(e));
    }
    return { ...r, emails };
  };
  const ownerGroups = groups.filter((g) => plain.get(g.name) === g && holdsOwnerRole(fromLive(g.permissions, catalog)));
  const [ownRead, legacyRead, othersRead, ownerMembers] = await Promise.all([
    Promise.all(own.map(withMembers)),
    Promise.all(legacy.map(withMembers)),
    Promise.all(others.map(withMembers)),
    Promise.all(ownerGroups.map(async (g) => [g.id, new Set((await api.listGroupUsers(g.id)).map((u) => normalizeEmail(u.email)))] as const)),
  ]);
  return {
    workspace,
    roles: catalog,
    planTier,
    labels: labelList === null ? null : new Set(labelList.map((l) => `${l.key}:${l.value}`)),
    users: new Map(users.map((u) => [normalizeEmail(u.email), u])),
    invites: new Set(invites.map(normalizeEmail)),
    addresses,
    groups: plain,
    records: {
      own: ownRead,
      legacy: legacyRead,
      others: othersRead,
      unauthentic,
      deletedByOthers: (evidence?.foreignDeletions((name, id) => ownName(name, id, ctx)) ?? []).map((d) => ({ groupId: d.naming.groupId, recordName: d.naming.rawName, record: d.naming.name.record, by: d.by, at: d.at })),
    },
    ownerGroupMembers: new Map(ownerMembers),
    auditTrail,
    verification: { keyVariable: options.keys?.variable ?? management.recordKeyEnvVar ?? DEFAULT_RECORD_KEY_ENV_VAR, keyHeld: options.keys !== undefined, rotating: options.keys?.rotating ?? false },
  };
}

type Pending = Omit<RecordGroup, 'emails'>;

function holdsMembers(record: RecordName): boolean {
  return record.kind === RecordKind.MEMBERS || record.kind === RecordKind.CLAIMS || record.kind === RecordKind.INVITED || record.kind === 'legacy-collaborators';
}

async function readAuditTrail(api: SegmentPort, management: DesiredState['management'], options: ReadLiveStateOptions): Promise<AuditTrailReading> {
  if (!management.useAuditTrail) return { state: 'off' };
  if (!api.listAuditEvents) throw new AuditTrailUnavailableError('this API client cannot list audit events');
  let events;
  try {
    events = await api.listAuditEvents();
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 401 || status === 403 || status === 404 || status === 501) throw new AuditTrailUnavailableError(`GET /audit-events answered ${status}`);
    throw error;
  }
  return {
    state: 'read',
    evidence: new AuditEvidence(events, {
      prefix: management.recordPrefix,
      app: management.appId,
      signer: options.keys ? new RecordSigner(management.recordPrefix, management.appId, options.keys) : undefined,
      allowActors: options.auditActors,
      delayMs: options.auditDelayMs ?? DEFAULT_AUDIT_DELAY_MS,
      now: options.now ?? new Date(),
    }),
  };
}
