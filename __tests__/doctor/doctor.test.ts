import { SegmentApiClient } from '../../api/client';
import { SegmentApiError } from '../../api/errors';
import { diagnoseWorkspace, DoctorCheck, DoctorPort, exitCodeOf, renderDiagnoses, Verdict, WorkspaceDiagnosis } from '../../doctor';
import { AuditCursor, AuditEventNames, AuditResourceTypes, EmailCase, EmulatorProfile, PageSizeLimit, PROFILE_SETTINGS, SsoProvisioning, startEmulator } from '../../emulator';
import { PlanTier, WorkspaceRole } from '../../model/enums';
import { BehaviourWorld, desiredOf } from '../support/behaviour-world';
import { E2E_TOKEN, E2E_WS, e2eSeed } from '../support/e2e';
import { collaboratorAccess } from '../support/e2e-definitions';

const TARGET = { workspaceId: E2E_WS, name: 'Acme E2E', tokenEnvVar: 'SEGMENT_E2E_TOKEN', declaredTier: PlanTier.BUSINESS, useAuditTrail: true };

const checkOf = (d: WorkspaceDiagnosis, check: DoctorCheck) => d.checks.find((c) => c.check === check)!;
const matched = (d: WorkspaceDiagnosis, setting: string) => d.observations.find((o) => o.setting === setting)?.matches;

describe.each(Object.values(EmulatorProfile))('doctor against a workspace under the %s profile', (profile) => {
  test('reports what it sees, each behaviour with its emulator setting, names this profile as the closest, and writes nothing', async () => {
    const world = await BehaviourWorld.start(profile);
    try {
      // Some history in the trail: an onboarding, and with single sign-on someone joining without an invite.
      await world.deploy(desiredOf([collaboratorAccess('Alex'), collaboratorAccess('Bea', WorkspaceRole.READ_ONLY)]));
      if (PROFILE_SETTINGS[profile].ssoProvisioning) world.emulator.joinViaSso(E2E_WS, 'sso.person@acme.example');
      const before = { stats: world.emulator.stats(), state: world.emulator.state.dump() };

      const client = new SegmentApiClient({ token: E2E_TOKEN, baseUrl: world.emulator.url, now: () => world.emulator.state.clock.nowMs() });
      const diagnosis = await diagnoseWorkspace(client, TARGET, new Date(world.emulator.state.clock.nowMs()));

      expect(world.emulator.stats().writes).toBe(before.stats.writes);
      expect(world.emulator.state.dump()).toEqual({ ...before.state, savedAt: expect.any(String) });
      expect(client.stats.writes).toBe(0);

      expect(diagnosis.checks.map((c) => `${c.verdict} ${c.check}`)).toEqual(['ok token', 'ok read access', 'ok plan tier', 'ok audit trail', 'ok behaviours']);
      expect(exitCodeOf(diagnosis.verdict)).toBe(0);
      const settings = PROFILE_SETTINGS[profile];
      // Mixed-case people are in the seed: a workspace that keeps case shows it.
      expect(matched(diagnosis, 'emailCase')).toBe(settings.emailCase === EmailCase.PRESERVED ? EmailCase.PRESERVED : undefined);
      expect(matched(diagnosis, 'auditEventNames')).toBe(settings.auditEventNames ?? AuditEventNames.SDK);
      expect(matched(diagnosis, 'auditCursor')).toBe(settings.auditCursor ?? AuditCursor.OFFSET);
      expect(matched(diagnosis, 'auditResourceTypes')).toBe(settings.auditResourceTypes ?? AuditResourceTypes.UPPER_SNAKE);
      expect(matched(diagnosis, 'maxPageCount')).toBe(settings.maxPageCount ?? PageSizeLimit.SDK_1000);
      expect(matched(diagnosis, 'ssoProvisioning')).toBe(settings.ssoProvisioning === SsoProvisioning.JUST_IN_TIME_AND_SCIM ? SsoProvisioning.JUST_IN_TIME_AND_SCIM : undefined);
      expect(diagnosis.closestProfile).toBe(profile);
      for (const key of Object.keys(diagnosis.emulatorSettings)) expect(diagnosis.observations.some((o) => o.setting === key)).toBe(true);
      expect(diagnosis.notObservable.map((n) => n.setting)).toEqual(['existingInvitee', 'acceptedInviteAccess', 'batchDeleteUnknown', 'maxGroupNameLength', 'errorTypes']);
    } finally {
      await world.stop();
    }
  });
});

describe('doctor verdicts', () => {
  async function diagnoseSeed(seed = e2eSeed(), target = TARGET): Promise<WorkspaceDiagnosis> {
    const emulator = await startEmulator({ seed });
    try {
      return await diagnoseWorkspace(new SegmentApiClient({ token: E2E_TOKEN, baseUrl: emulator.url }), target, new Date());
    } finally {
      await emulator.stop();
    }
  }

  test('a token of another workspace fails the token check, names both and the fix, and stops there (exit 1)', async () => {
    const d = await diagnoseSeed(e2eSeed(), { ...TARGET, workspaceId: 'wsSomethingElse' });
    expect(d.checks).toEqual([
      {
        check: DoctorCheck.TOKEN,
        verdict: Verdict.FAIL,
        summary: `belongs to workspace ${E2E_WS} ("Acme E2E", slug acme-e2e), not to wsSomethingElse`,
        fix: 'Set SEGMENT_E2E_TOKEN to a token of workspace wsSomethingElse, or fix workspaceId in the definition.',
      },
    ]);
    expect(exitCodeOf(d.verdict)).toBe(1);
  });

  test('a Team plan declared as Business fails the plan check; its refused groups and trail are expected, not failures', async () => {
    const d = await diagnoseSeed(e2eSeed({ planTier: 'team', users: [{ name: 'Owner', email: 'it-admin@acme.example', permissions: [{ roleName: 'Workspace Owner', resources: [{ type: 'WORKSPACE', id: E2E_WS }] }] }] }));
    expect(d.checks.map((c) => `${c.verdict} ${c.check}`)).toEqual(['ok token', 'ok read access', 'fail plan tier', 'ok audit trail', 'ok behaviours']);
    expect(checkOf(d, DoctorCheck.PLAN_TIER)).toMatchObject({ summary: 'TEAM: GET /roles lists 2 role(s), but the code declares BUSINESS', fix: expect.stringContaining('PlanTier.TEAM') });
    expect(checkOf(d, DoctorCheck.READ_ACCESS).summary).toBe('6 read endpoints answered (GET /roles, GET /users, GET /invites, GET /labels, GET /sources, GET /warehouses); writes were not tried');
  });

  test('five custom label keys in use: a warning naming the limit (exit 2)', async () => {
    const labels = ['brand', 'team', 'region', 'product', 'tier'].map((key) => ({ key, value: 'a' }));
    const d = await diagnoseSeed(e2eSeed({ labels: [...labels, { key: 'environment', value: 'prod' }] }));
    expect(checkOf(d, DoctorCheck.BEHAVIOURS)).toMatchObject({ verdict: Verdict.WARN, fix: expect.stringContaining('custom labels: the workspace is at the 5 custom labels') });
    expect(matched(d, 'customLabelLimit')).toBe(5);
    expect(exitCodeOf(d.verdict)).toBe(2);
  });

  test('a token that may not read users fails read access with the fix; an unreadable audit trail fails when the code relies on it, warns when not', async () => {
    const refuse = (status: number) => () => Promise.reject(new SegmentApiError({ message: 'refused', status, method: 'GET', path: '/x', errors: [{ type: 'forbidden' }], retryable: false, attempts: 1 }));
    const port: DoctorPort = {
      getWorkspace: async () => ({ id: E2E_WS, slug: 'acme-e2e', name: 'Acme E2E' }),
      listRoles: async () => [{ id: 'r1', name: 'Workspace Owner', description: '' }, { id: 'r2', name: 'Source Admin', description: '' }, { id: 'r3', name: 'Source Read-only', description: '' }],
      listUsers: refuse(403),
      listInvites: async () => [],
      listGroups: async () => [],
      listLabels: async () => [],
      listSources: async () => [],
      listWarehouses: async () => [],
      listAuditEvents: refuse(403),
      acceptsPageSize: async () => true,
      auditTrailCursorSample: async () => undefined,
    };
    const relied = await diagnoseWorkspace(port, TARGET, new Date());
    expect(checkOf(relied, DoctorCheck.READ_ACCESS)).toMatchObject({ verdict: Verdict.FAIL, summary: 'refused: GET /users (403), GET /audit-events (403); writes were not tried', fix: expect.stringContaining('Workspace Owner') });
    expect(checkOf(relied, DoctorCheck.AUDIT_TRAIL)).toMatchObject({ verdict: Verdict.FAIL, fix: expect.stringContaining('useAuditTrail: false') });
    const notRelied = await diagnoseWorkspace(port, { ...TARGET, useAuditTrail: false }, new Date());
    expect(checkOf(notRelied, DoctorCheck.AUDIT_TRAIL).verdict).toBe(Verdict.WARN);
  });

  test('the rendering gives one line per check, the fix under a failure, and the settings to run the matrix under', () => {
    const d: WorkspaceDiagnosis = {
      workspace: { id: 'ws1', name: 'One\u001b[31m', tokenEnvVar: 'SEGMENT_ONE_TOKEN' },
      verdict: Verdict.FAIL,
      checks: [{ check: DoctorCheck.TOKEN, verdict: Verdict.FAIL, summary: 'GET / answered 401', fix: 'Set SEGMENT_ONE_TOKEN to a valid token.' }],
      observations: [{ behaviour: 'email case', setting: 'emailCase', matches: EmailCase.PRESERVED, evidence: '1 of 2 emails have capitals' }],
      notObservable: [],
      emulatorSettings: { emailCase: EmailCase.PRESERVED },
      closestProfile: EmulatorProfile.CASE_PRESERVING,
    };
    expect(renderDiagnoses([d]).split('\n')).toEqual([
      'Workspace "One\\x1b[31m" (ws1), token from SEGMENT_ONE_TOKEN:',
      '  fail  token        GET / answered 401',
      '                    fix: Set SEGMENT_ONE_TOKEN to a valid token.',
      '  Observed without writing (each with the emulator setting it matches):',
      '    - email case: 1 of 2 emails have capitals -> emailCase=preserved',
      '  Not observable without writing (the test matrix runs every alternative): ',
      '  Emulator settings that match: {"emailCase":"preserved"} (closest profile: case-preserving)',
      '',
      'Verdict: fail for 1 workspace(s) (exit 1). Nothing was written.',
    ]);
  });
});
