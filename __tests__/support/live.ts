import { AuditEvidence } from '../../reconciler/evidence';
import type { LiveState, RecordGroup } from '../../reconciler/live-state';
import { RoleCatalog } from '../../reconciler/permissions';
import { RecordKeyring } from '../../reconciler/record-key';
import { intentRecord, parseRecordName, RecordSigner } from '../../reconciler/records';
import { E2E_RECORD_KEY } from './e2e';
import type { LiveAuditEvent, LiveGroup, LivePermission, LiveUser } from '../../reconciler/segment-port';
import { WS_ID } from './desired';

export const ROLES = ['Workspace Owner', 'Minimal Workspace Access', 'Source Read-only', 'Source Admin', 'Tracking Plan Read-only'].map((name, i) => ({ id: `role${i}`, name }));
export const catalog = new RoleCatalog(ROLES);
export const PREFIX = 'segment-access';
/** The record key of the unit tests. */
export const TEST_KEYS = RecordKeyring.of('SEGMENT_ACCESS_RECORD_KEY', E2E_RECORD_KEY);
export const signerFor = (app = 'default') => new RecordSigner(PREFIX, app, TEST_KEYS);
/** The instant unit tests run at (record days and intent freshness). */
export const TEST_NOW = new Date('2026-11-27T12:00:00Z');

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
  const record = parseRecordName(PREFIX, name)?.record;
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
  /**
   * The app's actors: each proven by a signed intent created (first, at minute -100) in the trail.
   * @default ['token:deploy'] when events are given
   */
  actors?: string[];
}

/** A signed intent of the app, as a group name (fresh nonce each call). */
export function signedIntentName(app = 'default', at = TEST_NOW, digest = '0123456789ab'): string {
  return signerFor(app).intentName(intentRecord(app, at, digest));
}

/** The trail events that prove `actors` the app's: each created a fresh signed intent, before anything else. */
export function proofEvents(actors: readonly string[], app = 'default'): LiveAuditEvent[] {
  return actors.map((actor, i) => {
    const name = signedIntentName(app);
    return event('User Group Created', `g_proof_${actor}_${i}`, name, actor, -100 - i);
  });
}

export function live(parts: LiveParts): LiveState {
  const evidence = parts.events ? evidenceOf([...proofEvents(parts.actors ?? ['token:deploy'], parts.app), ...parts.events], parts.app) : undefined;
  return {
    workspace: { id: WS_ID, slug: 'acme-test', name: 'Acme Test' },
    roles: catalog,
    planTier: catalog.planTier,
    labels: null,
    users: new Map((parts.users ?? []).map((u) => [u.email, u])),
    invites: new Set(parts.invites ?? []),
    groups: new Map((parts.groups ?? []).map((g) => [g.name, g])),
    records: {
      own: parts.own ?? [],
      legacy: parts.legacy ?? [],
      others: parts.others ?? [],
      unauthentic: [],
      deletedByOthers: (evidence?.foreignDeletions((name) => name.record.app === (parts.app ?? 'default')) ?? []).map((d) => ({
        groupId: d.naming.groupId,
        recordName: d.naming.rawName,
        record: d.naming.name.record,
        by: d.by,
        at: d.at,
      })),
    },
    ownerGroupMembers: new Map(Object.entries(parts.ownerGroupMembers ?? {}).map(([id, emails]) => [id, new Set(emails)])),
    auditTrail: evidence ? { state: 'read', evidence } : { state: 'off' },
    verification: { keyVariable: 'SEGMENT_ACCESS_RECORD_KEY', keyHeld: true, rotating: false },
  };
}

/** The audit trail read with the test key, as the run at TEST_NOW would. */
export function evidenceOf(events: LiveAuditEvent[], app = 'default', delayMs = 0): AuditEvidence {
  return new AuditEvidence(events, { prefix: PREFIX, app, signer: signerFor(app), delayMs, now: TEST_NOW });
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
