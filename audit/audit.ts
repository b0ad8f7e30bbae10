import type { DesiredState } from '../model/desired-state';
import { PlanTier } from '../model/enums';
import { describePermissions, normalizeEmail, samePermissions } from '../model/canonical';
import { fromLive, holdsOwnerRole } from '../reconciler/permissions';
import type { LiveState } from '../reconciler/live-state';
import { analyseOwnership, Conflict, Handover, RecordDamage } from '../reconciler/ownership';
import { describeRecordGroupPermissions, expiredGrants, isExpiredAt, PlanTrust, RECORD_GROUP_PERMISSIONS_FIX, recordGroupsWithPermissions, trustOf } from '../reconciler/plan';
import { AuditTrail, auditTrailEvidence, AuditTrailEvidence, lastInvite, lastOutsideChange } from './audit-trail';

/**
 * Days after which an invite is treated as expired. Segment's docs say only that invites "expire
 * within a few days"; 7 is the onboarding checklist's figure.
 */
export const INVITE_EXPIRY_DAYS = 7;
const DAY_MS = 86_400_000;

export interface PendingInvite {
  readonly email: string;
  readonly managed: boolean;
  readonly invitedOn: string | null;
  readonly ageDays: number | null;
  /** Who sent it, from the audit trail, for invites this code did not send. */
  readonly invitedBy?: string;
  readonly action: 'resend' | 'wait' | 'cancelled on the next deploy' | 'review: not sent by this code' | 'review: not sent by this code, age unknown';
}

export interface WorkspaceAudit {
  readonly workspace: { readonly id: string; readonly name: string; readonly environment: string };
  /** Declared members whose live permissions differ from the code. */
  readonly drift: readonly {
    readonly email: string;
    readonly expected: string;
    readonly actual: string;
    /** The latest access change by someone other than this code, from the audit trail. */
    readonly changedBy?: { readonly at: string; readonly actor: string; readonly type: string };
  }[];
  /** Declared, but neither a member nor invited: deploy has not run, or someone removed them. */
  readonly missing: readonly { readonly email: string; readonly role: string }[];
  /** Managed by this code, no longer declared, still present: deploy has not run. */
  readonly leftover: readonly { readonly email: string; readonly status: 'member' | 'invited' }[];
  /** Members the code does not manage (retained ones excluded); owners flagged. */
  readonly unmanaged: readonly { readonly email: string; readonly name: string; readonly owner: boolean; readonly permissions: string }[];
  readonly pendingInvites: readonly PendingInvite[];
  /** Grants past their expiry date whose access is still live. */
  readonly expiredStillActive: readonly { readonly email: string; readonly expiresOn: string; readonly status: 'member' | 'invited' }[];
  readonly seats: { readonly used: number; readonly limit: number | null; readonly overLimit: boolean };
  /** Live members outside the SSO domains (when the workspace declares SSO domains). */
  readonly outsideSso: readonly { readonly email: string }[];
  /** Record groups that hold permissions (deploys refuse to run until they are removed). */
  readonly recordGroupPermissions: readonly { readonly group: string; readonly problem: string; readonly fix: string }[];
  /** What is wrong with the record of managed users, as the record and the audit trail disagree. */
  readonly recordDamage: readonly RecordDamage[];
  /** Emails this app and another both claim. */
  readonly conflicts: readonly Conflict[];
  /** People this app recorded that another app now declares: the next deploy hands them over (not findings). */
  readonly handovers: readonly Handover[];
  /** Whom the audit trusts: the record key it verified with, and the app's actors with when each was proven. */
  readonly trust: PlanTrust;
  /** Unsigned records of an earlier version the next deploy adopts if the trail shows its token made them (not findings). */
  readonly pendingAdoption: readonly string[];
  /** People other apps on this workspace manage (not findings: listed so they are not mistaken for unmanaged). */
  readonly managedByOtherApps: readonly { readonly email: string; readonly apps: readonly string[] }[];
  /** Whether the record was checked against the audit trail. */
  readonly auditTrailChecked: boolean;
  /** Segment's audit trail: who changed access outside this code, and the events as evidence. */
  readonly auditTrail: AuditTrailEvidence;
  readonly findingCount: number;
}

/** The audit trail as read for the audit, or why it was not. */
export type AuditTrailInput = AuditTrail | { readonly unavailable: string };

/** Live workspace vs desired state, read-only: every kind of drift the quarterly access review asks about. */
export function auditWorkspace(
  desired: DesiredState,
  live: LiveState,
  now: Date,
  trailInput: AuditTrailInput = { unavailable: 'not read' },
  auditDelayMs = 0,
): WorkspaceAudit {
  const trail = 'events' in trailInput ? trailInput : undefined;
  const auditTrail: AuditTrailEvidence = trail ? auditTrailEvidence(trail) : { available: false, reason: (trailInput as { unavailable: string }).unavailable };
  const retained = new Set(desired.management.retain);
  const active = desired.collaborators.filter((c) => !isExpiredAt(c, now));
  const declared = new Map(active.map((c) => [c.email, c]));
  const ownership = analyseOwnership(live, { app: desired.management.appId, declared, now, auditDelayMs });
  const records = ownership.managed;
  const statusOf = (email: string): 'member' | 'invited' | null => (live.users.has(email) ? 'member' : live.invites.has(email) ? 'invited' : null);

  const drift = active.flatMap((c) => {
    const user = live.users.get(c.email);
    if (!user) return [];
    const actual = fromLive(user.permissions, live.roles);
    if (samePermissions(actual, c.permissions)) return [];
    const changedBy = lastOutsideChange(trail, live, c.email);
    return [{ email: c.email, expected: describePermissions(c.permissions), actual: describePermissions(actual) || '(none)', ...(changedBy ? { changedBy } : {}) }];
  });
  const missing = active.filter((c) => statusOf(c.email) === null).map((c) => ({ email: c.email, role: c.role }));

  const expiredEmails = expiredGrants(desired, now);
  const expiredStillActive = [...expiredEmails].flatMap(([email, expiresOn]) => {
    const status = statusOf(email);
    return status ? [{ email, expiresOn, status }] : [];
  });
  const leftover = [...records.keys()].flatMap((email) => {
    const status = statusOf(email);
    return !declared.has(email) && !expiredEmails.has(email) && status ? [{ email, status }] : [];
  });
  const unmanaged = [...live.users.values()]
    .filter((u) => {
      const email = normalizeEmail(u.email);
      return !declared.has(email) && !records.has(email) && !retained.has(email) && !ownership.claimedByOthers.has(email);
    })
    .map((u) => {
      const permissions = fromLive(u.permissions, live.roles);
      return { email: u.email, name: u.name, owner: holdsOwnerRole(permissions), permissions: describePermissions(permissions) };
    });

  const pendingInvites = [...live.invites].filter((e) => !live.users.has(e)).sort().map((email): PendingInvite => {
    const record = records.get(email);
    if (!record?.invitedOn) {
      // Not dated by this code's record: the audit trail may know when, and who, sent it.
      const sent = lastInvite(trail, email);
      if (!sent) return { email, managed: Boolean(record), invitedOn: null, ageDays: null, action: 'review: not sent by this code, age unknown' };
      const invitedOn = sent.at.slice(0, 10);
      return { email, managed: Boolean(record), invitedOn, ageDays: ageInDays(now, invitedOn), invitedBy: sent.actor, action: 'review: not sent by this code' };
    }
    const ageDays = ageInDays(now, record.invitedOn);
    const action = !declared.has(email) ? 'cancelled on the next deploy' : ageDays >= INVITE_EXPIRY_DAYS ? 'resend' : 'wait';
    return { email, managed: true, invitedOn: record.invitedOn, ageDays, action };
  });

  const used = live.users.size + pendingInvites.length;
  const limit = desired.workspace.seatLimit;
  const ssoDomains = desired.workspace.sso.domains;
  const outsideSso = ssoDomains.length
    ? [...live.users.keys()].filter((e) => !ssoDomains.includes(e.slice(e.lastIndexOf('@') + 1)) && !retained.has(e)).map((email) => ({ email }))
    : [];
  const seats = { used, limit, overLimit: limit !== null && used > limit };
  const recordGroupPermissions = recordGroupsWithPermissions(live).map((r) => ({ group: r.group.name, problem: describeRecordGroupPermissions(live, r), fix: RECORD_GROUP_PERMISSIONS_FIX }));
  const managedByOtherApps = [...ownership.claimedByOthers].map(([email, apps]) => ({ email, apps })).sort((a, b) => (a.email < b.email ? -1 : 1));
  const outsideChanges = auditTrail.available ? auditTrail.outsideChanges.length : 0;
  const findingCount =
    outsideChanges +
    drift.length + missing.length + leftover.length + unmanaged.length + expiredStillActive.length + outsideSso.length +
    pendingInvites.filter((p) => p.action === 'resend').length + (seats.overLimit ? 1 : 0) +
    recordGroupPermissions.length + ownership.damage.length + ownership.conflicts.length +
    (live.planTier !== PlanTier.TEAM && !live.verification.keyHeld ? 1 : 0);
  return {
    workspace: { id: desired.workspace.id, name: desired.workspace.name, environment: desired.workspace.environment },
    drift,
    missing,
    leftover,
    unmanaged,
    pendingInvites,
    expiredStillActive,
    seats,
    outsideSso,
    recordGroupPermissions,
    recordDamage: ownership.damage,
    conflicts: ownership.conflicts,
    handovers: ownership.handovers,
    trust: trustOf(live),
    pendingAdoption: ownership.pendingAdoption,
    managedByOtherApps,
    auditTrailChecked: live.auditTrail.state === 'read',
    auditTrail,
    findingCount,
  };
}

/** Record damage, a record that cannot be verified, record groups holding permissions, or a person two apps claim. */
export function recordNeedsAttention(a: Pick<WorkspaceAudit, 'recordDamage' | 'conflicts' | 'recordGroupPermissions' | 'trust'>): boolean {
  return a.recordDamage.length > 0 || a.conflicts.length > 0 || a.recordGroupPermissions.length > 0 || (a.trust.recordKept && !a.trust.keyHeld);
}

function ageInDays(now: Date, day: string): number {
  return Math.floor((now.getTime() - Date.parse(`${day}T00:00:00Z`)) / DAY_MS);
}
