import { DEFAULT_APP_ID } from '../model/desired-state';
import { RecordKind } from '../reconciler/records';
import type { DesiredPermission } from '../model/desired-state';
import type { Environment, Region } from '../model/enums';
import { normalizeEmail } from '../model/canonical';
import type { SegmentApiClient } from '../api/client';
import { fromLive } from '../reconciler/permissions';
import { readLiveState } from '../reconciler/live-state';
import type { LiveSource, LiveWarehouse } from './catalog';
import { deepFreeze } from '../model/deep-freeze';

/** Where an invite's age came from. */
export enum InviteAgeSource {
  AUDIT_TRAIL = 'audit trail',
  /** A dated record group of this tool (the invite was sent by segment-access). */
  RECORD = 'segment-access record',
}

export interface PendingInvite {
  readonly email: string;
  /** UTC day the invite was sent, when known. */
  readonly invitedOn: string | null;
  readonly ageSource: InviteAgeSource | null;
}

export interface LiveUserSnapshot {
  readonly email: string;
  readonly name: string;
  /** Direct permissions, in the desired-state form (roles by name). */
  readonly permissions: readonly DesiredPermission[];
}

export interface LiveGroupSnapshot {
  readonly name: string;
  readonly memberCount: number;
  /** Members who joined (not pending invites), normalized. */
  readonly memberEmails: readonly string[];
  readonly permissions: readonly DesiredPermission[];
}

/** What the team tells the importer about a workspace, because the Public API does not say. */
export interface DeclaredSettings {
  /** @default Region.US */
  readonly region?: Region;
  readonly seatLimit?: number;
  /** SSO domains; given means SSO is enforced. */
  readonly ssoDomains?: readonly string[];
}

/** One live workspace, read once: plain data, so the mapping is a pure function of it. */
export interface WorkspaceSnapshot {
  readonly environment: Environment;
  readonly tokenEnvVar: string;
  readonly workspace: { readonly id: string; readonly slug: string; readonly name: string };
  readonly users: readonly LiveUserSnapshot[];
  readonly invites: readonly PendingInvite[];
  /** User groups other than this tool's record groups. */
  readonly groups: readonly LiveGroupSnapshot[];
  readonly sources: readonly LiveSource[];
  readonly warehouses: readonly LiveWarehouse[];
  /** Why invite ages could not be read from the audit trail, if they could not. */
  readonly auditTrailNote: string | null;
  readonly declared: DeclaredSettings;
}

/** An invite event of the audit trail (AuditEventV1: SDK model/auditEventV1.ts). */
export interface InviteEvent {
  readonly timestamp: string;
  readonly type: string;
  readonly resourceId: string;
  readonly resourceName: string;
}

/** Reads invite events from the audit trail (`GET /audit-events`; a Business-plan feature). */
export type InviteEventReader = (since: Date, until: Date) => Promise<readonly InviteEvent[]>;

/** Event types Segment's invite endpoint documents (SDK api/iAMUsersApi.ts, createInvites). */
export const INVITE_EVENT_TYPES: readonly string[] = deepFreeze(['New Segment User Invited to Workspace', 'Non-Segment User Invited to Workspace']);

/** How far back the audit trail is searched for invites. Invites expire after days, so this is plenty. */
export const INVITE_LOOKBACK_DAYS = 90;

export class WorkspaceIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceIdentityError';
  }
}

export interface SnapshotTarget {
  readonly environment: Environment;
  readonly workspaceId: string;
  readonly tokenEnvVar: string;
  readonly declared: DeclaredSettings;
}

/**
 * Reads everything the import needs from one workspace, after checking the token reaches the
 * declared workspace: identity, roles, users, invites, groups (with members), sources, warehouses,
 * and, when it can, the audit trail for invite ages. Read-only.
 */
export async function readWorkspaceSnapshot(
  api: SegmentApiClient,
  target: SnapshotTarget,
  options: { readonly recordPrefix: string; readonly now: Date; readonly inviteEvents?: InviteEventReader },
): Promise<WorkspaceSnapshot> {
  const workspace = await api.getWorkspace();
  if (workspace.id !== target.workspaceId) {
    throw new WorkspaceIdentityError(
      `Wrong workspace for ${target.environment}: the token in ${target.tokenEnvVar} belongs to "${workspace.name}" (${workspace.id}), ` +
        `not ${target.workspaceId}. Nothing was written. Pass that workspace's token, or fix --workspace-id.`,
    );
  }
  const [live, sources, warehouses] = await Promise.all([readLiveState(api, workspace, { recordPrefix: options.recordPrefix, appId: DEFAULT_APP_ID, useAuditTrail: false, authoritative: false, retain: [] }), api.listSources(), api.listWarehouses()]);
  // Record-shaped groups (of any app, proven or not) are never access to import.
  const recordShaped = new Set(live.records.unauthentic.filter((u) => u.record).map((u) => u.group.id));
  const groups = await Promise.all(
    [...live.groups.values()].filter((g) => !recordShaped.has(g.id)).map(async (g) => ({
      name: g.name,
      memberCount: g.memberCount,
      memberEmails: g.memberCount > 0 ? (await api.listGroupUsers(g.id)).map((m) => normalizeEmail(m.email)).sort() : [],
      permissions: fromLive(g.permissions, live.roles),
    })),
  );

  // Invite age: this tool's dated records first (exact), then the audit trail.
  const recordDay = new Map<string, string>();
  // Every app's dated invite records count: the import only dates invites, it manages no one.
  // (Read without the record key: every app's records, this one's included, are only dates here, never trusted.)
  const dated = [...live.records.own, ...live.records.legacy, ...live.records.others, ...live.records.unauthentic.flatMap((u) => (u.record ? [{ group: u.group, record: u.record }] : []))];
  for (const g of dated) {
    const day = g.record.kind === RecordKind.INVITED || g.record.kind === 'legacy-collaborators' ? g.record.day : null;
    if (!day) continue;
    const emails = 'emails' in g ? g.emails : new Set((await api.listGroupInvites(g.group.id)).map(normalizeEmail));
    for (const email of emails) recordDay.set(email, day);
  }
  let auditDay = new Map<string, string>();
  let auditTrailNote: string | null = null;
  const pending = [...live.invites].filter((e) => !live.users.has(e));
  if (pending.length && options.inviteEvents) {
    try {
      const since = new Date(options.now.getTime() - INVITE_LOOKBACK_DAYS * 86_400_000);
      auditDay = latestInviteDays(await options.inviteEvents(since, options.now));
    } catch (error) {
      auditTrailNote = `the audit trail could not be read (${(error as Error).message}), so invite ages are unknown`;
    }
  } else if (pending.length) auditTrailNote = 'this client cannot read the audit trail yet, so the age of invites not sent by segment-access is unknown';

  return {
    environment: target.environment,
    tokenEnvVar: target.tokenEnvVar,
    workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
    users: [...live.users.values()]
      .map((u) => ({ email: normalizeEmail(u.email), name: u.name, permissions: fromLive(u.permissions, live.roles) }))
      .sort((a, b) => compare(a.email, b.email)),
    invites: pending.sort(compare).map((email): PendingInvite => {
      const record = recordDay.get(email);
      if (record) return { email, invitedOn: record, ageSource: InviteAgeSource.RECORD };
      const audit = auditDay.get(email);
      return audit ? { email, invitedOn: audit, ageSource: InviteAgeSource.AUDIT_TRAIL } : { email, invitedOn: null, ageSource: null };
    }),
    groups: groups.sort((a, b) => compare(a.name, b.name)),
    sources: sources.map((s) => ({ id: s.id, slug: s.slug, name: s.name, labels: s.labels })),
    warehouses: warehouses.map((w) => ({ id: w.id, name: w.name })),
    auditTrailNote,
    declared: target.declared,
  };
}

/** The day of the latest invite event per email (an invite sent again restarts its clock). */
export function latestInviteDays(events: readonly InviteEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) {
    if (!INVITE_EVENT_TYPES.includes(e.type)) continue;
    const at = Date.parse(e.timestamp);
    if (Number.isNaN(at)) continue;
    const day = new Date(at).toISOString().slice(0, 10);
    for (const who of new Set([e.resourceName, e.resourceId])) {
      if (!who || !who.includes('@')) continue;
      const email = normalizeEmail(who);
      const seen = out.get(email);
      if (!seen || seen < day) out.set(email, day);
    }
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
