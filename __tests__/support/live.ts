import { AuditEvidence } from '../../reconciler/evidence';
import type { LiveState, RecordGroup } from '../../reconciler/live-state';
import { RoleCatalog } from '../../reconciler/permissions';
import { parseRecordName } from '../../reconciler/records';
import type { LiveAuditEvent, LiveGroup, LivePermission, LiveUser } from '../../reconciler/segment-port';
import { WS_ID } from './desired';

export const ROLES = ['Workspace Owner', 'Minimal Workspace Access', 'Source Read-only', 'Source Admin', 'Tracking Plan Read-only'].map((name, i) => ({ id: `role${i}`, name }));
export const catalog = new RoleCatalog(ROLES);
export const PREFIX = 'segment-access';

export function onWs(...roleNames: string[]): LivePermission[] {
  return roleNames.map((n) => ({ roleId: catalog.idOf(n)!, roleName: n, resources: [{ id: WS_ID, type: 'WORKSPACE' }] }));
}

export function user(email: string, ...roleNames: string[]): LiveUser {
  return { id: `u_${email.split('@')[0]}`, name: email, email, permissions: onWs(...roleNames) };
}

export function group(name: string, permissions: LivePermission[] = [], id = `g_${name}`): LiveGroup {
  return { id, name, memberCount: 0, permissions };
}

/** A record group by its full name; members are emails. */
export function recordGroup(name: string, emails: string[] = [], options: { permissions?: LivePermission[]; id?: string; renamedTo?: string } = {}): RecordGroup {
  const record = parseRecordName(PREFIX, name);
  if (!record) throw new Error(`test fixture: "${name}" is not a record name`);
  const current = options.renamedTo ?? name;
  return {
    group: { id: options.id ?? `g_${name}`, name: current, memberCount: emails.length, permissions: options.permissions ?? [] },
    record,
    emails: new Set(emails),
    ...(options.renamedTo ? { renamedTo: options.renamedTo, createdAs: name } : {}),
  };
}

export interface LiveParts {
  users?: LiveUser[];
  invites?: string[];
  groups?: LiveGroup[];
  own?: RecordGroup[];
  legacy?: RecordGroup[];
  others?: RecordGroup[];
  ownerGroupMembers?: Record<string, string[]>;
  /** Audit events; when given the trail counts as read, otherwise as off. */
  events?: LiveAuditEvent[];
  app?: string;
  actors?: string[];
}

export function live(parts: LiveParts): LiveState {
  return {
    workspace: { id: WS_ID, slug: 'acme-test', name: 'Acme Test' },
    roles: catalog,
    planTier: catalog.planTier,
    labels: null,
    users: new Map((parts.users ?? []).map((u) => [u.email, u])),
    invites: new Set(parts.invites ?? []),
    groups: new Map((parts.groups ?? []).map((g) => [g.name, g])),
    records: { own: parts.own ?? [], legacy: parts.legacy ?? [], others: parts.others ?? [], malformed: [] },
    ownerGroupMembers: new Map(Object.entries(parts.ownerGroupMembers ?? {}).map(([id, emails]) => [id, new Set(emails)])),
    auditTrail: parts.events
      ? { state: 'read', evidence: new AuditEvidence(parts.events, { prefix: PREFIX, app: parts.app ?? 'default', actors: parts.actors, delayMs: 0 }) }
      : { state: 'off' },
  };
}

let seq = 0;
/** An audit event; `at` is minutes after a fixed start. */
export function event(type: string, resourceId: string, resourceName: string, actor = 'token:deploy', at = seq++, actorEmail?: string): LiveAuditEvent {
  return {
    id: `ev${seq++}`,
    timestamp: new Date(Date.parse('2026-11-27T08:00:00Z') + at * 60_000).toISOString(),
    type,
    actor,
    ...(actorEmail ? { actorEmail } : {}),
    resourceId,
    resourceType: resourceName.includes('@') ? 'INVITE' : 'USER_GROUP',
    resourceName,
  };
}
