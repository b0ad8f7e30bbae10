import type { DesiredState } from '../../model/desired-state';
import { reconcile } from '../../reconciler/reconcile';
import type { ReconcilePlan } from '../../reconciler/plan';
import type { LiveGroup, LiveUser, SegmentPort } from '../../reconciler/segment-port';
import { WS_ID } from './desired';
import { ROLES, TEST_KEYS, TEST_NOW } from './live';

// A workspace that can only be read, for plans made the way a deploy makes them (live state read and
// normalized by the real reader), with no emulator.

/** A read-only Segment: what the dry run reads. */
export function readOnlyPort(users: LiveUser[], invites: string[], groups: LiveGroup[]): SegmentPort {
  const refuse = () => Promise.reject(new Error('a dry run must not write'));
  return {
    getWorkspace: async () => ({ id: WS_ID, slug: 'acme-test', name: 'Acme Test' }),
    listRoles: async () => ROLES,
    listUsers: async () => users,
    listInvites: async () => invites,
    listGroups: async () => groups,
    listLabels: async () => [],
    listGroupUsers: async () => [],
    listGroupInvites: async () => [],
    listAuditEvents: async () => [],
    deleteUsers: refuse,
    replaceUserPermissions: refuse,
    createInvites: refuse,
    deleteInvites: refuse,
    createGroup: refuse,
    renameGroup: refuse,
    deleteGroup: refuse,
    replaceGroupPermissions: refuse,
    addGroupMembers: refuse,
    removeGroupMembers: refuse,
  };
}

/** The plan a dry run of `desired` makes against `port` (reads only), at the unit tests' instant. */
export async function dryRunPlan(port: SegmentPort, desired: DesiredState): Promise<ReconcilePlan> {
  return (await reconcile({ api: port, desired, now: TEST_NOW, dryRun: true, keys: TEST_KEYS, auditDelayMs: 0 })).plan;
}
