// Rules pinned where a mutation run (npm run mutate) found them unchecked: exact messages with
// several items, boundaries of the rules' windows, the privilege a CUSTOM grant amounts to, and
// which stack a finding annotates.
import { App, TerraformStack } from '../../framework';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { AccessLevel, CollaboratorKind, Environment, ResourceType, WorkspaceRole } from '../../model/enums';
import { SegmentRoleName } from '../../model/role-presets';
import { constructAtPath, resolveGuardrailOptions } from '../../policy/rule-pack';
import { effectiveRole, privilegeLabel } from '../../policy/rule';
import { GuardrailSuppressions } from '../../policy/suppressions';
import { collaborator, workspace } from '../support/fixtures';
import { errorOf } from '../support/validation';
import { findingsOf, LEVEL, WS_LABEL, manifestAnnotations, newApp, policyStack, setup, withoutContinueOnError } from './support';

withoutContinueOnError();

describe('messages list every item, comma-separated', () => {
  test('SA-EMAIL-002 names every allowed domain', () => {
    const { app, stack, ws } = setup({ allowedEmailDomains: ['agency.example', 'acme.example'] });
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, 'SA-EMAIL-002')[0].message).toBe(
      `bob@elsewhere.example is outside the allowed email domains of ${WS_LABEL} (agency.example, acme.example).`,
    );
  });

  test('allowed domains are compared case-insensitively, from the app-wide option too', () => {
    expect(resolveGuardrailOptions({ allowedEmailDomains: ['Agency.EXAMPLE'] }).allowedEmailDomains).toEqual(['agency.example']);
    expect(resolveGuardrailOptions({ personalEmailDomains: ['GMail.com'] }).personalEmailDomains).toEqual(['gmail.com']);
    const { app, stack, ws } = setup();
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, 'SA-EMAIL-002', { allowedEmailDomains: ['AGENCY.example'] })).toEqual([]);
  });

  test('SA-PRIV-001 lists every missing field, in message and fix', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Boss', { collaborator: collaborator(stack, 'Boss', { approvedBy: undefined, ticket: undefined }), role: WorkspaceRole.OWNER });
    const [f] = findingsOf(app, 'SA-PRIV-001');
    expect(f.message).toBe(`OWNER grant for boss@agency.example in ${WS_LABEL} lacks approvedBy, ticket, justification.`);
    expect(f.fix).toBe('Add approvedBy, ticket, justification to the grant (an explicit approval), or use a lower role such as ADMIN.');
  });

  test('SA-PRIV-003 names every source and label of the SourceAccess; OWNER and label-only grants are covered too', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Adm', {
      collaborator: collaborator(stack, 'Adm'),
      role: WorkspaceRole.ADMIN,
      justification: 'Web tracking.',
      sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web', 'ios'] } },
    });
    ws.addGrant('Labels', {
      collaborator: collaborator(stack, 'Labels'),
      role: WorkspaceRole.ADMIN,
      justification: 'Prod sources.',
      sourceAccess: { Prod: { level: AccessLevel.READ_ONLY, labels: { environment: 'prod' } } },
    });
    ws.addGrant('Boss', {
      collaborator: collaborator(stack, 'Boss'),
      role: WorkspaceRole.OWNER,
      justification: 'Billing.',
      approvedBy: 'cto@acme.example',
      ticket: 'ACCESS-1',
      sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } },
    });
    const byPath = Object.fromEntries(findingsOf(app, 'SA-PRIV-003').map((f) => [f.path, f.message]));
    expect(byPath).toEqual({
      'prod/Workspace/Adm': `ADMIN grant for adm@agency.example in ${WS_LABEL} covers every source, but its SourceAccess only names ios, web.`,
      'prod/Workspace/Labels': `ADMIN grant for labels@agency.example in ${WS_LABEL} covers every source, but its SourceAccess only names environment=prod.`,
      'prod/Workspace/Boss': `OWNER grant for boss@agency.example in ${WS_LABEL} covers every source, but its SourceAccess only names web.`,
    });
  });

  test('SA-ENV-002 names every other declaration of the workspace', () => {
    const { app } = newApp();
    policyStack(app, 'prod');
    policyStack(app, 'copya');
    policyStack(app, 'copyb');
    const f = findingsOf(app, 'SA-ENV-002').find((x) => x.path === 'prod/Workspace')!;
    expect(f.message).toBe('Workspace ws_test_1 is also declared at copya/Workspace, copyb/Workspace.');
  });

  test('SA-CONS-001 summarises every environment\'s role', () => {
    const { app } = newApp();
    const prod = policyStack(app, 'prod', { workspaceId: 'ws_prod', displayName: 'Acme Prod' });
    const staging = policyStack(app, 'staging', { workspaceId: 'ws_staging', displayName: 'Acme Staging', environment: Environment.STAGING });
    prod.ws.addGrant('Ana', { collaborator: collaborator(prod.stack, 'Ana'), role: WorkspaceRole.MEMBER });
    staging.ws.addGrant('Ana', { collaborator: collaborator(staging.stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    const messages = findingsOf(app, 'SA-CONS-001').map((f) => f.message);
    expect(messages).toEqual([
      'ana@agency.example has different roles across environments without an explicit override: MEMBER in Acme Prod (ws_prod), READ_ONLY in Acme Staging (ws_staging).',
      'ana@agency.example has different roles across environments without an explicit override: MEMBER in Acme Prod (ws_prod), READ_ONLY in Acme Staging (ws_staging).',
    ]);
  });
});

describe('SA-EXP-003 "more than maxAccessDays away": the boundary is exclusive, to the millisecond', () => {
  function tooLong(now: string, expiresOn: string | undefined, maxAccessDays?: number): number {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'sa-boundary-')), context: { [NOW_CONTEXT_KEY]: now } });
    const stack = new TerraformStack(app, 'prod');
    workspace(stack).addGrant('Ana', { collaborator: collaborator(stack, 'Ana', { kind: CollaboratorKind.PERSON }), role: WorkspaceRole.READ_ONLY, expiresOn });
    return findingsOf(app, 'SA-EXP-003', maxAccessDays === undefined ? undefined : { maxAccessDays }).length;
  }

  test('exactly 180 days before the end is within the limit; one millisecond more is not', () => {
    expect(tooLong('2026-06-02T00:00:00.000Z', '2026-11-29')).toBe(0);
    expect(tooLong('2026-06-01T23:59:59.999Z', '2026-11-29')).toBe(1);
  });

  test('no expiry is always too long, and the configured limit moves the boundary', () => {
    expect(tooLong('2026-06-02T00:00:00.000Z', undefined)).toBe(1);
    expect(tooLong('2026-11-01T00:00:00.000Z', '2026-11-11', 10)).toBe(0);
    expect(tooLong('2026-11-01T00:00:00.000Z', '2026-11-11', 9)).toBe(1);
  });

  test('SA-EXP-002 never flags a grant without expiry', () => {
    expect(
      (() => {
        const { app, stack, ws } = setup();
        ws.addGrant('Svc', { collaborator: collaborator(stack, 'Svc', { kind: CollaboratorKind.SERVICE_ACCOUNT, email: 'svc@acme.example' }), role: WorkspaceRole.READ_ONLY });
        return findingsOf(app, 'SA-EXP-002');
      })(),
    ).toEqual([]);
  });
});

describe('effectiveRole: what a grant amounts to', () => {
  const onWorkspace = (roleName: string) => ({ roleName, resources: [{ type: ResourceType.WORKSPACE, id: 'ws', labels: [] }] });
  const onSource = (roleName: string) => ({ roleName, resources: [{ type: ResourceType.SOURCE, id: 'src', labels: [] }] });

  test('Workspace Owner among other permissions is OWNER, whatever the preset', () => {
    expect(effectiveRole({ role: WorkspaceRole.CUSTOM, permissions: [onSource('Source Admin'), onWorkspace(SegmentRoleName.WORKSPACE_OWNER)] })).toBe(WorkspaceRole.OWNER);
    expect(effectiveRole({ role: WorkspaceRole.MEMBER, permissions: [onWorkspace(SegmentRoleName.WORKSPACE_OWNER), onSource('Source Admin')] })).toBe(WorkspaceRole.OWNER);
  });

  test('a preset keeps its role: MEMBER with Source Admin on a source is MEMBER', () => {
    expect(effectiveRole({ role: WorkspaceRole.MEMBER, permissions: [onWorkspace('Workspace Member'), onSource('Source Admin')] })).toBe(WorkspaceRole.MEMBER);
    expect(effectiveRole({ role: WorkspaceRole.ADMIN, permissions: [onSource('Source Admin')] })).toBe(WorkspaceRole.ADMIN);
  });

  test('CUSTOM with one workspace-wide Admin role among others is ADMIN', () => {
    expect(effectiveRole({ role: WorkspaceRole.CUSTOM, permissions: [onSource('Source Read-only'), onWorkspace('Source Admin')] })).toBe(WorkspaceRole.ADMIN);
    const mixed = { roleName: 'Source Admin', resources: [{ type: ResourceType.SOURCE, id: 'src', labels: [] }, { type: ResourceType.WORKSPACE, id: 'ws', labels: [] }] };
    expect(effectiveRole({ role: WorkspaceRole.CUSTOM, permissions: [mixed] })).toBe(WorkspaceRole.ADMIN);
  });

  test('CUSTOM stays CUSTOM: non-Admin roles workspace-wide, Admin roles on sources or labels only', () => {
    expect(effectiveRole({ role: WorkspaceRole.CUSTOM, permissions: [onWorkspace('Source Read-only')] })).toBe(WorkspaceRole.CUSTOM);
    expect(effectiveRole({ role: WorkspaceRole.CUSTOM, permissions: [onSource('Source Admin')] })).toBe(WorkspaceRole.CUSTOM);
    const labelled = { roleName: 'Source Admin', resources: [{ type: ResourceType.WORKSPACE, id: 'ws', labels: [{ key: 'environment', value: 'prod' }] }] };
    expect(effectiveRole({ role: WorkspaceRole.CUSTOM, permissions: [labelled] })).toBe(WorkspaceRole.CUSTOM);
  });

  test('privilegeLabel says what a CUSTOM grant holds', () => {
    expect(privilegeLabel({ role: WorkspaceRole.CUSTOM, permissions: [onWorkspace(SegmentRoleName.WORKSPACE_OWNER)] })).toBe('CUSTOM (holds Workspace Owner)');
    expect(privilegeLabel({ role: WorkspaceRole.CUSTOM, permissions: [onWorkspace('Source Admin')] })).toBe('CUSTOM (holds workspace-wide Admin roles)');
    expect(privilegeLabel({ role: WorkspaceRole.MEMBER, permissions: [onSource('Source Admin')] })).toBe('MEMBER');
  });
});

describe('the aspect annotates only the stack a finding is in', () => {
  test('a finding in "prodcopy" is not reported on "prod", whose path is a prefix of it', () => {
    const { app, outdir } = newApp();
    policyStack(app, 'prod', { workspaceId: 'ws_prod_1' });
    const copy = policyStack(app, 'prodcopy', { workspaceId: 'ws_prod_2' });
    copy.ws.addGrant('Adm', {
      collaborator: collaborator(copy.stack, 'Adm'),
      role: WorkspaceRole.ADMIN,
      justification: 'Web tracking.',
      sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } },
    });
    app.synth();
    const warningsOn = (stackId: string) => manifestAnnotations(outdir, stackId).filter((a) => a.level === LEVEL.warning).map((a) => a.constructPath);
    expect(warningsOn('prodcopy')).toEqual(['prodcopy/Workspace/Adm']);
    expect(warningsOn('prod')).toEqual([]);
  });

  test('constructAtPath walks down from the root; an unknown path is undefined', () => {
    const { app, stack, ws } = setup();
    const g = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expect(constructAtPath(app, 'prod/Workspace/Ana')).toBe(g);
    expect(constructAtPath(app, '')).toBe(app);
    expect(constructAtPath(app, 'prod/Nope/Deeper')).toBeUndefined();
  });
});

describe('suppressions refuse bad input, naming the field and the fix', () => {
  test('an unknown rule id', () => {
    const { ws } = setup();
    const e = errorOf(() => GuardrailSuppressions.add(ws, [{ ruleId: 'SA-NOPE-001', reason: 'A reason long enough.' }]));
    expect(e.message).toContain('ruleId');
    expect(e.message).toContain('SA-NOPE-001');
    expect(e.message).toContain('SA-EMAIL-001, SA-EMAIL-002');
    expect(e.message).toContain('copy the id from the guardrail message (it starts with "SA-").');
  });

  test('an unsuppressible rule', () => {
    const { ws } = setup();
    const e = errorOf(() => GuardrailSuppressions.add(ws, [{ ruleId: 'SA-DUP-001', reason: 'A reason long enough.' }]));
    expect(e.message).toContain('ruleId');
    expect(e.message).toContain('a suppressible rule');
  });

  test('a reason that is not a string, or too short', () => {
    const { ws } = setup();
    for (const reason of [42, '  short  ']) {
      const e = errorOf(() => GuardrailSuppressions.add(ws, [{ ruleId: 'SA-PRIV-002', reason: reason as string }]));
      expect(e.problems[0].field).toBe('reason');
      expect(e.message).toContain('a written reason of at least 10 characters');
      expect(e.message).toContain('say why the rule does not apply here');
    }
    expect(GuardrailSuppressions.find(ws, 'SA-PRIV-002')).toBeNull();
  });
});
