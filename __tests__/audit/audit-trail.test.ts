import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { startEmulator, RunningEmulator, Seed } from '../../emulator';
import { findRoleByName } from '../../emulator/roles';
import { AccessLevel, PlanTier, WorkspaceRole } from '../../model/enums';
import { collaborator, workspace } from '../support/fixtures';
import { runCommand } from '../support/run-command';
import { E2E_RECORD_KEY } from '../support/e2e';
import { TEST_NOW } from '../support/synth';
import { App, TerraformStack } from '../../framework';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';

/** `segment-access audit` (the compiled CLI) reading Segment's audit trail from the emulator. */
const EXECUTOR = resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const WS = 'ws_test_1';
const CI_TOKEN = 'audit-ci-token-1a2b3c';
const JANE_TOKEN = 'audit-jane-token-4d5e6f';
const OWNER = 'owner@acme.example';

function seed(planTier: 'business' | 'team' = 'business'): Seed {
  return {
    workspaces: [
      {
        id: WS,
        slug: 'acme-test',
        name: 'Acme Test',
        planTier,
        tokens: [CI_TOKEN, JANE_TOKEN],
        tokenActors: { [CI_TOKEN]: { actor: 'segment-access-ci' }, [JANE_TOKEN]: { actor: 'usr_jane', actorEmail: 'jane@acme.example' } },
        sources: [{ id: 'src_web', name: 'web', labels: { environment: 'prod' } }, { id: 'src_ios', name: 'ios' }],
        users: [{ name: 'Owner', email: OWNER, permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: WS }] }] }],
      },
    ],
  };
}

/** `cdktf synth` of the workspace's stack into an outdir (the commands read only what a synth wrote). */
function synthDesired(tier = PlanTier.BUSINESS): string {
  const outdir = mkdtempSync(join(tmpdir(), 'sa-audit-trail-'));
  const stack = new TerraformStack(new App({ outdir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } }), 'test');
  const w = workspace(stack, { retainEmails: [OWNER], sources: [{ id: 'src_web', name: 'web', labels: { environment: 'prod' } }, { id: 'src_ios', name: 'ios' }], ...(tier === PlanTier.TEAM ? { planTier: tier, authoritative: true } : {}) });
  for (const name of ['Ana', 'Bo']) {
    w.addGrant(name, { collaborator: collaborator(stack, name), role: WorkspaceRole.MEMBER, sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } });
  }
  (stack.node.root as App).synth();
  return outdir;
}

describe('segment-access audit with the audit trail', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.stop());

  const env = (token = CI_TOKEN) => ({ PATH: process.env.PATH, HOME: process.env.HOME, PUBLIC_API_URL: emulator.url, SEGMENT_TEST_TOKEN: token, SEGMENT_ACCESS_RECORD_KEY: E2E_RECORD_KEY });
  const cli = (args: string[], token?: string) => runCommand(process.execPath, [EXECUTOR, ...args], env(token));
  const asJane = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}${path}`, { method, headers: { Authorization: `Bearer ${JANE_TOKEN}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  test('dates invites this code did not send, names who changed access outside it since its last deploy, and attaches the events', async () => {
    emulator = await startEmulator({ seed: seed() });
    const outdir = synthDesired();
    const deploy = await cli(['reconcile', '--stack', 'test', '--outdir', outdir]);
    expect(deploy.stderr).toBe('');
    expect(deploy.code).toBe(0);
    const [ana] = emulator.acceptInvites(WS, ['ana@agency.example']);

    // Outside this code: Jane widens Ana and invites a friend through the API; someone removes a user in the app.
    expect((await asJane('PUT', `/users/${ana.id}/permissions`, { permissions: [{ roleId: findRoleByName('Source Admin')!.id, resources: [{ id: WS, type: 'WORKSPACE' }] }] })).status).toBe(200);
    expect((await asJane('POST', '/invites', { invites: [{ email: 'friend@gmail.com' }] })).status).toBe(201);
    const admin = await fetch(`${emulator.url}/__emulator/workspaces/${WS}/audit-events`, {
      method: 'POST',
      body: JSON.stringify({ type: 'User Removed', actor: 'helpdesk\u001b[31m', resourceId: 'usr_gone', resourceType: 'USER', resourceName: 'gone@acme.example' }),
    });
    expect(admin.status).toBe(201);

    const json = await cli(['audit', '--outdir', outdir, '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout).workspaces[0];
    const today = new Date().toISOString().slice(0, 10);
    expect(report.pendingInvites).toContainEqual({ email: 'friend@gmail.com', managed: false, invitedOn: today, ageDays: 0, invitedBy: 'jane@acme.example', action: 'review: not sent by this code' });
    expect(report.drift).toEqual([expect.objectContaining({ email: 'ana@agency.example', changedBy: expect.objectContaining({ actor: 'jane@acme.example', type: 'Policy Created' }) })]);
    const trail = report.auditTrail;
    expect(trail.available).toBe(true);
    expect(trail.ourActors).toEqual(['segment-access-ci']);
    expect(trail.lastDeployAt).not.toBeNull();
    expect(trail.outsideChanges.map((e: { actor: string; type: string }) => `${e.actor} ${e.type}`)).toEqual([
      'helpdesk\u001b[31m User Removed',
      'usr_jane Non-Segment User Invited to Workspace',
      'usr_jane Policy Created',
      'usr_jane Policy Deleted',
    ]);
    // The evidence: every access event in the window, ours included (the deploy's invites and record groups).
    expect(trail.events.filter((e: { actor: string }) => e.actor === 'segment-access-ci').map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['Non-Segment User Invited to Workspace', 'User Group Created', 'Subjects Added to Group']),
    );
    // The invitee accepting is not a change made by someone else.
    expect(trail.outsideChanges.some((e: { type: string }) => e.type === 'User Invite Accepted')).toBe(false);
    expect(report.findingCount).toBe(4 + 1); // four outside changes and Ana's drift

    const markdown = await cli(['audit', '--outdir', outdir]);
    expect(markdown.stdout).toMatch(/### Access changed outside this code since this code's last deploy \(\d{4}-/);
    expect(markdown.stdout).toContain('| usr_jane (jane@acme.example) | Policy Created | USER ana@agency.example |');
    expect(markdown.stdout).toContain('friend@gmail.com: sent ' + today + ' (0 days ago by jane@acme.example) -> review: not sent by this code');
    expect(markdown.stdout).toContain('(last changed ');
    // Shown, not obeyed: the escape becomes a character reference and the bracket is escaped Markdown.
    expect(markdown.stdout).toContain('helpdesk&#x1b;\\[31m');
    expect(markdown.stdout).not.toContain('\u001b');
    expect(markdown.stdout).not.toContain('\u001b');
    expect(markdown.stdout).toMatch(/### Audit trail evidence: \d+ access event\(s\) since .* \(this code acts as segment-access-ci\)/);
    // One read per run: the deploy (its record is checked against the trail) and each audit (which reuses it).
    expect(emulator.stats().byRoute['GET /audit-events']).toBe(3);
  });

  test('a workspace that matches the code, changed by nobody else, has no audit-trail findings', async () => {
    emulator = await startEmulator({ seed: seed() });
    const outdir = synthDesired();
    await cli(['reconcile', '--stack', 'test', '--outdir', outdir]);
    const result = await cli(['audit', '--outdir', outdir, '--json']);
    const report = JSON.parse(result.stdout).workspaces[0];
    expect(report.auditTrail.outsideChanges).toEqual([]);
    expect(report.auditTrail.events.length).toBeGreaterThan(0);
    expect(report.findingCount).toBe(0);
    expect(result.code).toBe(0);
  });

  test('on a Team plan the audit trail is not read and the report says why', async () => {
    emulator = await startEmulator({ seed: seed('team') });
    const outdir = synthDesired(PlanTier.TEAM);
    expect((await cli(['reconcile', '--stack', 'test', '--outdir', outdir])).code).toBe(0);
    const result = await cli(['audit', '--outdir', outdir, '--json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).workspaces[0].auditTrail).toEqual({ available: false, reason: 'the audit trail is a Business-plan feature; this workspace is on a Team plan' });
    expect(emulator.stats().byRoute['GET /audit-events']).toBeUndefined();
  });

  test('fails: --since that is not a date, naming the value', async () => {
    emulator = await startEmulator({ seed: seed() });
    const result = await cli(['audit', '--outdir', synthDesired(), '--since', 'last-quarter']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--since is "last-quarter", not a date');
  });
});
