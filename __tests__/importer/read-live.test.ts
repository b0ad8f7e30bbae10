import { SegmentApiClient } from '../../api/client';
import { startEmulator } from '../../emulator/server';
import type { Seed } from '../../emulator/seed';
import { Environment } from '../../model/enums';
import { InviteAgeSource, latestInviteDays, readWorkspaceSnapshot, WorkspaceIdentityError } from '../../importer/live-snapshot';
import { NOW } from './support';

const WS = 'wsReadLive1';
const onWs = (roleName: string) => ({ roleName, resources: [{ type: 'WORKSPACE' as const, id: WS }] });

function seed(): Seed {
  return {
    workspaces: [
      {
        id: WS,
        slug: 'read-live',
        name: 'Read Live',
        tokens: ['read-live-token-1'],
        sources: [{ id: 'srcA', name: 'Web App', labels: { environment: 'prod' } }],
        warehouses: [{ id: 'whA', name: 'Lake' }],
        users: [
          { name: 'Owner', email: 'Owner@Acme.example', permissions: [onWs('Workspace Owner')] },
          { name: 'Member', email: 'member@acme.example', permissions: [onWs('Minimal Workspace Access')] },
        ],
        invites: [{ email: 'sent@acme.example' }, { email: 'other@acme.example' }],
        groups: [
          { name: 'Engineers', permissions: [onWs('Source Read-only')], members: ['member@acme.example'] },
          { name: 'segment-access:0123456789ab', members: ['member@acme.example'] },
          { name: 'segment-access:abcdef012345:2026-11-20', members: ['sent@acme.example'] },
          { name: 'segment-access:group-grant:Engineers' },
          { name: 'acme-records:0123456789ab', members: ['member@acme.example'] },
        ],
      },
    ],
  };
}

describe('reading a live workspace for the import (read-only)', () => {
  test('members, invites, user groups with members, sources and warehouses; this tool\'s record groups are never read as access', async () => {
    const emulator = await startEmulator({ seed: seed() });
    try {
      const api = new SegmentApiClient({ token: 'read-live-token-1', baseUrl: emulator.url });
      const target = { environment: Environment.PROD, workspaceId: WS, tokenEnvVar: 'T', declared: {} };
      const snapshot = await readWorkspaceSnapshot(api, target, { recordPrefix: 'segment-access', now: NOW });
      expect(api.stats.writes).toBe(0);
      expect(snapshot.workspace).toEqual({ id: WS, slug: 'read-live', name: 'Read Live' });
      expect(snapshot.users.map((u) => u.email)).toEqual(['member@acme.example', 'owner@acme.example']);
      expect(snapshot.users[1].permissions).toEqual([{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: WS, labels: [] }] }]);
      expect(snapshot.groups.map((g) => g.name)).toEqual(['Engineers', 'acme-records:0123456789ab']);
      expect(snapshot.groups[0]).toMatchObject({ memberCount: 1, memberEmails: ['member@acme.example'] });
      expect(snapshot.sources).toEqual([{ id: 'srcA', slug: 'web_app', name: 'Web App', labels: [{ key: 'environment', value: 'prod' }] }]);
      expect(snapshot.warehouses).toEqual([{ id: 'whA', name: 'Lake' }]);
      // An invite this tool sent has its day in its record; the other's age is unknown without the audit trail.
      expect(snapshot.invites).toEqual([
        { email: 'other@acme.example', invitedOn: null, ageSource: null },
        { email: 'sent@acme.example', invitedOn: '2026-11-20', ageSource: InviteAgeSource.RECORD },
      ]);
      expect(snapshot.auditTrailNote).toContain('audit trail');

      const otherPrefix = await readWorkspaceSnapshot(api, target, { recordPrefix: 'acme-records', now: NOW });
      expect(otherPrefix.groups.map((g) => g.name)).toEqual(['Engineers', 'segment-access:0123456789ab', 'segment-access:abcdef012345:2026-11-20', 'segment-access:group-grant:Engineers']);

      const withAudit = await readWorkspaceSnapshot(api, target, {
        recordPrefix: 'segment-access',
        now: NOW,
        inviteEvents: async () => [{ timestamp: '2026-11-22T10:00:00Z', type: 'Non-Segment User Invited to Workspace', resourceId: 'other@acme.example', resourceName: 'other@acme.example' }],
      });
      expect(withAudit.invites[0]).toEqual({ email: 'other@acme.example', invitedOn: '2026-11-22', ageSource: InviteAgeSource.AUDIT_TRAIL });
      expect(withAudit.auditTrailNote).toBeNull();
      const failing = await readWorkspaceSnapshot(api, target, { recordPrefix: 'segment-access', now: NOW, inviteEvents: async () => Promise.reject(new Error('403 Forbidden')) });
      expect(failing.auditTrailNote).toBe('the audit trail could not be read (403 Forbidden), so invite ages are unknown');

      await expect(readWorkspaceSnapshot(api, { ...target, workspaceId: 'wsSomethingElse' }, { recordPrefix: 'segment-access', now: NOW })).rejects.toThrow(WorkspaceIdentityError);
    } finally {
      await emulator.stop();
    }
  });

  test('invite days from the audit trail: the latest invite event per email; other events and bad timestamps ignored', () => {
    const days = latestInviteDays([
      { timestamp: '2026-11-01T10:00:00Z', type: 'New Segment User Invited to Workspace', resourceId: 'x', resourceName: 'A@acme.example' },
      { timestamp: '2026-11-09T10:00:00Z', type: 'Non-Segment User Invited to Workspace', resourceId: 'a@acme.example', resourceName: 'a@acme.example' },
      { timestamp: '2026-11-12T10:00:00Z', type: 'Invite Deleted', resourceId: 'a@acme.example', resourceName: 'a@acme.example' },
      { timestamp: 'yesterday', type: 'New Segment User Invited to Workspace', resourceId: 'b@acme.example', resourceName: 'b@acme.example' },
    ]);
    expect([...days]).toEqual([['a@acme.example', '2026-11-09']]);
  });
});
