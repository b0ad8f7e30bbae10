import { App } from '../../framework';
import type { IConstruct } from 'constructs';
import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../../model/enums';
import { SegmentAccessValidationError } from '../../model/validation';
import { GUARDRAIL_RULES, formatFinding } from '../../policy/rule-pack';
import { RuleLevel } from '../../policy/rule';
import { GuardrailSuppressions } from '../../policy/suppressions';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import type { AccessDefinition } from '../../stacks/access-definition';
import { EXAMPLE_ACCESS } from '../support/example';
import { collaborator, workspace, workspaceProps } from '../support/fixtures';
import {
  expectViolation,
  findingsOf,
  inDays,
  LEVEL,
  manifestAnnotations,
  newApp,
  policyStack,
  rule,
  setup,
  TODAY,
  withoutContinueOnError,
  WS_LABEL,
} from './support';

withoutContinueOnError();
const UNSUPPRESSIBLE = ['SA-PRIV-001', 'SA-SEAT-001', 'SA-EXP-001', 'SA-ENV-001', 'SA-ENV-002', 'SA-AUDIT-001', 'SA-DUP-001'];
/** Control settings: answered only by an acknowledgement on the workspace, never a suppression. */
const ACKNOWLEDGEABLE = ['SA-CTRL-001', 'SA-CTRL-002', 'SA-CTRL-003'];
const SUPPRESSIBLE = ['SA-EMAIL-001', 'SA-EMAIL-002', 'SA-PRIV-002', 'SA-PRIV-003', 'SA-SSO-001', 'SA-SCIM-001', 'SA-EXP-002', 'SA-EXP-003', 'SA-CONS-001', 'SA-SOD-001', 'SA-SOD-002', 'SA-SOD-003'];

/** Synth stops, naming the construct path and the rule id (cdktf's "[path] message" line). */
function expectSynthStops(app: App, ruleId: string, path: string): void {
  expect(() => app.synth()).toThrow(`[${path}] [${ruleId}]`);
}

/** A suppressed finding: carries the reason and the suppressing path, is reported as info, and synth succeeds. */
function expectSuppressed(app: App, outdir: string, ruleId: string, path: string, reason: string, at: string, stackId = 'prod'): void {
  const f = findingsOf(app, ruleId).find((x) => x.path === path);
  expect(f).toBeDefined();
  expect(f!.suppressed).toEqual({ reason, path: at });
  expect(() => app.synth()).not.toThrow();
  const annotations = manifestAnnotations(outdir, stackId);
  expect(annotations.filter((a) => a.level === LEVEL.error)).toEqual([]);
  const mine = annotations.filter((a) => a.constructPath === path && a.message.includes(`[${ruleId}]`));
  expect(mine).toHaveLength(1);
  expect(mine[0].level).toBe(LEVEL.info);
  expect(mine[0].message).toContain(`Suppressed at ${at}: ${reason}`);
}

/** GuardrailSuppressions.add refuses the rule with a clear, actionable error. */
function expectUnsuppressible(scope: IConstruct, ruleId: string): void {
  let error: unknown;
  try {
    GuardrailSuppressions.add(scope, [{ ruleId, reason: 'We have a very good reason for this one.' }]);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SegmentAccessValidationError);
  const message = (error as Error).message;
  expect(message).toContain(scope.node.path);
  expect(message).toContain(ruleId);
  expect(message).toContain('can never be suppressed');
  expect(message).toContain(rule(ruleId).title);
  expect(GuardrailSuppressions.find(scope, ruleId)).toBeNull();
}

describe('the rule pack', () => {
  test('has every documented rule id exactly once, with its level and suppressibility', () => {
    const ids = GUARDRAIL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...UNSUPPRESSIBLE, ...SUPPRESSIBLE, ...ACKNOWLEDGEABLE].sort());
    expect(GUARDRAIL_RULES.filter((r) => !r.suppressible).map((r) => r.id).sort()).toEqual([...UNSUPPRESSIBLE, ...ACKNOWLEDGEABLE].sort());
    expect(GUARDRAIL_RULES.filter((r) => r.acknowledgeable).map((r) => r.id).sort()).toEqual(ACKNOWLEDGEABLE);
    const warnings = GUARDRAIL_RULES.filter((r) => r.level === RuleLevel.WARNING).map((r) => r.id).sort();
    expect(warnings).toEqual(['SA-EXP-001', 'SA-EXP-002', 'SA-EXP-003', 'SA-PRIV-003']);
    for (const r of GUARDRAIL_RULES) {
      expect(r.id).toMatch(/^SA-[A-Z]+-\d{3}$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.why.length).toBeGreaterThan(20);
    }
  });

  test('a clean workspace has no findings at all', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Svc', { collaborator: collaborator(stack, 'Svc'), role: WorkspaceRole.MEMBER, sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } });
    expect(findingsOf(app, 'SA-EMAIL-001')).toEqual([]);
    expect(findingsOf(stack, 'SA-AUDIT-001')).toEqual([]);
    expect(findingsOf(ws, 'SA-EXP-003')).toEqual([]);
  });
});

describe('SA-EMAIL-001 service accounts use organisation mailboxes', () => {
  test('passes: a service account at an organisation domain, and a named person at a personal mailbox', () => {
    const { app, outdir, stack, ws } = setup();
    ws.addGrant('Svc', { collaborator: collaborator(stack, 'Svc'), role: WorkspaceRole.READ_ONLY });
    ws.addGrant('Pat', {
      collaborator: collaborator(stack, 'Pat', { email: 'pat@gmail.com', kind: CollaboratorKind.PERSON }),
      role: WorkspaceRole.READ_ONLY,
      expiresOn: inDays(60),
    });
    expect(findingsOf(app, 'SA-EMAIL-001')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
    expect(manifestAnnotations(outdir, 'prod')).toEqual([]);
  });

  test('fails: a service account at gmail.com is an error that stops synth', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Gmail', { collaborator: collaborator(stack, 'Gmail', { email: 'Team.Segment@GMAIL.com' }), role: WorkspaceRole.READ_ONLY });
    const f = expectViolation(app, 'SA-EMAIL-001', 'prod/Workspace/Gmail', ['team.segment@gmail.com', 'gmail.com', WS_LABEL, 'service account']);
    expect(f.fix).toContain('service-account address');
    expect(f.subject).toBe('team.segment@gmail.com');
    expect(f.workspaceId).toBe('ws_test_1');
    expectSynthStops(app, 'SA-EMAIL-001', 'prod/Workspace/Gmail');
  });

  test('fails: the personalEmailDomains option replaces the list of personal mailbox providers', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Box', { collaborator: collaborator(stack, 'Box', { email: 'segment@mailbox.example' }), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, 'SA-EMAIL-001')).toEqual([]);
    expectViolation(app, 'SA-EMAIL-001', 'prod/Workspace/Box', ['segment@mailbox.example'], { personalEmailDomains: ['Mailbox.Example'] });
  });

  test('suppressed: a suppression on the grant records the reason and lets synth pass', () => {
    const { app, outdir, stack, ws } = setup();
    const g = ws.addGrant('Gmail', { collaborator: collaborator(stack, 'Gmail', { email: 'team.segment@gmail.com' }), role: WorkspaceRole.READ_ONLY });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-EMAIL-001', reason: 'The agency has no Google Workspace; ticket SEC-12 accepts it.' }]);
    expectSuppressed(app, outdir, 'SA-EMAIL-001', 'prod/Workspace/Gmail', 'The agency has no Google Workspace; ticket SEC-12 accepts it.', 'prod/Workspace/Gmail');
  });
});

describe('SA-EMAIL-002 collaborator emails are on the allow-list', () => {
  test('passes: an address at an allowed domain (case-insensitive), and any address when no allow-list is set', () => {
    const { app, stack, ws } = setup({ allowedEmailDomains: ['Agency.Example'] });
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, 'SA-EMAIL-002')).toEqual([]);
    const other = setup();
    other.ws.addGrant('Bob', { collaborator: collaborator(other.stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(other.app, 'SA-EMAIL-002')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails: an address outside the workspace allow-list stops synth', () => {
    const { app, stack, ws } = setup({ allowedEmailDomains: ['agency.example'] });
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    const f = expectViolation(app, 'SA-EMAIL-002', 'prod/Workspace/Bob', ['bob@elsewhere.example', WS_LABEL, 'agency.example']);
    expect(f.fix).toContain('allowedEmailDomains');
    expectSynthStops(app, 'SA-EMAIL-002', 'prod/Workspace/Bob');
  });

  test('fails: the app-wide allowedEmailDomains option applies, and the workspace list takes precedence over it', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    expectViolation(app, 'SA-EMAIL-002', 'prod/Workspace/Bob', ['bob@elsewhere.example'], { allowedEmailDomains: ['agency.example'] });

    const own = setup({ allowedEmailDomains: ['elsewhere.example'] });
    own.ws.addGrant('Bob', { collaborator: collaborator(own.stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(own.app, 'SA-EMAIL-002', { allowedEmailDomains: ['agency.example'] })).toEqual([]);
  });

  test('suppressed: on the grant', () => {
    const { app, outdir, stack, ws } = setup({ allowedEmailDomains: ['agency.example'] });
    const g = ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-EMAIL-002', reason: 'Auditor for the 2026 SOC 2 review, contract C-77.' }]);
    expectSuppressed(app, outdir, 'SA-EMAIL-002', 'prod/Workspace/Bob', 'Auditor for the 2026 SOC 2 review, contract C-77.', 'prod/Workspace/Bob');
  });
});

describe('SA-PRIV-001 OWNER needs an approver, a ticket and a justification', () => {
  test('passes: an OWNER grant and an OWNER group grant with approvedBy, ticket and justification', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Boss', { collaborator: collaborator(stack, 'Boss'), role: WorkspaceRole.OWNER, justification: 'Client stakeholder who owns billing.' });
    ws.addGroupGrant('Owners', {
      groupName: 'segment-owners',
      role: WorkspaceRole.OWNER,
      ticket: 'ACCESS-9',
      requestedBy: 'lead@acme.example',
      approvedBy: 'cto@acme.example',
      justification: 'Break-glass owners of the workspace.',
    });
    expect(findingsOf(app, 'SA-PRIV-001')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails: an OWNER grant without a justification', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Boss', { collaborator: collaborator(stack, 'Boss'), role: WorkspaceRole.OWNER });
    const f = expectViolation(app, 'SA-PRIV-001', 'prod/Workspace/Boss', ['OWNER', 'boss@agency.example', WS_LABEL, 'lacks justification']);
    expect(f.message).not.toContain('approvedBy');
    expect(f.fix).toContain('justification');
    expect(f.fix).toContain('ADMIN');
    expectSynthStops(app, 'SA-PRIV-001', 'prod/Workspace/Boss');
  });

  test('fails: an OWNER grant with no approver names every missing field', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Boss', { collaborator: collaborator(stack, 'Boss', { approvedBy: undefined }), role: WorkspaceRole.OWNER, justification: 'Client stakeholder.' });
    const f = expectViolation(app, 'SA-PRIV-001', 'prod/Workspace/Boss', ['lacks approvedBy']);
    expect(f.message).not.toContain('justification');
    expect(f.fix).toContain('approvedBy');
  });

  test('fails: an OWNER group grant without approval', () => {
    const { app, ws } = setup();
    ws.addGroupGrant('Owners', { groupName: 'segment-owners', role: WorkspaceRole.OWNER, ticket: 'ACCESS-9', requestedBy: 'lead@acme.example' });
    expectViolation(app, 'SA-PRIV-001', 'prod/Workspace/Owners', ['OWNER', 'group "segment-owners"', WS_LABEL, 'approvedBy', 'justification']);
    expectSynthStops(app, 'SA-PRIV-001', 'prod/Workspace/Owners');
  });

  test('unsuppressible: GuardrailSuppressions.add throws on the grant, the workspace and the stack', () => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Boss', { collaborator: collaborator(stack, 'Boss'), role: WorkspaceRole.OWNER });
    expectUnsuppressible(g, 'SA-PRIV-001');
    expectUnsuppressible(ws, 'SA-PRIV-001');
    expectUnsuppressible(stack, 'SA-PRIV-001');
  });
});

describe('SA-PRIV-002 ADMIN needs a justification', () => {
  test('passes: ADMIN grant and ADMIN group grant with a justification', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN, justification: 'Runs the whole implementation.' });
    ws.addGroupGrant('Admins', { groupName: 'segment-admins', role: WorkspaceRole.ADMIN, ticket: 'T-1', requestedBy: 'a@acme.example', justification: 'Platform team.' });
    expect(findingsOf(app, 'SA-PRIV-002')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails: an ADMIN grant without a justification stops synth', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    const f = expectViolation(app, 'SA-PRIV-002', 'prod/Workspace/Adm', ['ADMIN', 'adm@agency.example', WS_LABEL, 'no justification']);
    expect(f.fix).toContain('justification');
    expect(f.fix).toContain('MEMBER');
    expectSynthStops(app, 'SA-PRIV-002', 'prod/Workspace/Adm');
  });

  test('fails: an ADMIN group grant without a justification', () => {
    const { app, ws } = setup();
    ws.addGroupGrant('Admins', { groupName: 'segment-admins', role: WorkspaceRole.ADMIN, ticket: 'T-1', requestedBy: 'a@acme.example' });
    expectViolation(app, 'SA-PRIV-002', 'prod/Workspace/Admins', ['group "segment-admins"', WS_LABEL]);
    expectSynthStops(app, 'SA-PRIV-002', 'prod/Workspace/Admins');
  });

  test('suppressed: on the grant', () => {
    const { app, outdir, stack, ws } = setup();
    const g = ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-002', reason: 'Justified in ACCESS-1 (linked contract).' }]);
    expectSuppressed(app, outdir, 'SA-PRIV-002', 'prod/Workspace/Adm', 'Justified in ACCESS-1 (linked contract).', 'prod/Workspace/Adm');
  });

  test('suppressed: on a group grant', () => {
    const { app, outdir, ws } = setup();
    const g = ws.addGroupGrant('Admins', { groupName: 'segment-admins', role: WorkspaceRole.ADMIN, ticket: 'T-1', requestedBy: 'a@acme.example' });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-002', reason: 'Group membership is reviewed by IT monthly.' }]);
    expectSuppressed(app, outdir, 'SA-PRIV-002', 'prod/Workspace/Admins', 'Group membership is reviewed by IT monthly.', 'prod/Workspace/Admins');
  });
});

describe('SA-PRIV-003 a grant is no broader than its SourceAccess uses', () => {
  test('passes: ADMIN with allSources or without SourceAccess, MEMBER narrowed to sources', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('All', {
      collaborator: collaborator(stack, 'All'),
      role: WorkspaceRole.ADMIN,
      justification: 'Owns every source.',
      sourceAccess: { All: { level: AccessLevel.ADMIN, allSources: true } },
    });
    ws.addGrant('Plain', { collaborator: collaborator(stack, 'Plain'), role: WorkspaceRole.ADMIN, justification: 'Workspace-wide admin.' });
    ws.addGrant('Mem', { collaborator: collaborator(stack, 'Mem'), role: WorkspaceRole.MEMBER, sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } } });
    expect(findingsOf(app, 'SA-PRIV-003')).toEqual([]);
  });

  test('fails: ADMIN with SourceAccess on named sources and labels is a warning; synth continues', () => {
    const { app, outdir, stack, ws } = setup();
    ws.addGrant('Adm', {
      collaborator: collaborator(stack, 'Adm'),
      role: WorkspaceRole.ADMIN,
      justification: 'Web tracking.',
      sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] }, Prod: { level: AccessLevel.READ_ONLY, labels: { environment: 'prod' } } },
    });
    const f = expectViolation(app, 'SA-PRIV-003', 'prod/Workspace/Adm', ['ADMIN', 'adm@agency.example', WS_LABEL, 'covers every source', 'web', 'environment=prod']);
    expect(f.level).toBe(RuleLevel.WARNING);
    expect(f.fix).toContain('MEMBER');
    expect(() => app.synth()).not.toThrow();
    const warn = manifestAnnotations(outdir, 'prod').filter((a) => a.level === LEVEL.warning);
    expect(warn.map((a) => a.constructPath)).toEqual(['prod/Workspace/Adm']);
    expect(warn[0].message).toContain('[SA-PRIV-003]');
  });

  test('suppressed: on the grant', () => {
    const { app, outdir, stack, ws } = setup();
    const g = ws.addGrant('Adm', {
      collaborator: collaborator(stack, 'Adm'),
      role: WorkspaceRole.ADMIN,
      justification: 'Web tracking.',
      sourceAccess: { Web: { level: AccessLevel.ADMIN, sources: ['web'] } },
    });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-003', reason: 'The SourceAccess documents the main focus only.' }]);
    expectSuppressed(app, outdir, 'SA-PRIV-003', 'prod/Workspace/Adm', 'The SourceAccess documents the main focus only.', 'prod/Workspace/Adm');
    expect(manifestAnnotations(outdir, 'prod').filter((a) => a.level === LEVEL.warning)).toEqual([]);
  });
});

describe('SA-SSO-001 emails match the SSO domains of SSO-enforced workspaces', () => {
  test('passes: an address at an SSO domain; any address when SSO is not enforced', () => {
    const { app, stack, ws } = setup({ sso: { enforced: true, domains: ['Agency.Example'] } });
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, 'SA-SSO-001')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
    const off = setup({ sso: { enforced: false, domains: ['agency.example'] } });
    off.ws.addGrant('Bob', { collaborator: collaborator(off.stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(off.app, 'SA-SSO-001')).toEqual([]);
  });

  test('fails: an address outside the SSO domains stops synth', () => {
    const { app, stack, ws } = setup({ sso: { enforced: true, domains: ['agency.example', 'acme.example'] } });
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    const f = expectViolation(app, 'SA-SSO-001', 'prod/Workspace/Bob', ['bob@elsewhere.example', WS_LABEL, 'agency.example, acme.example', 'enforces SSO']);
    expect(f.fix).toContain('sso.domains');
    expectSynthStops(app, 'SA-SSO-001', 'prod/Workspace/Bob');
  });

  test('fails: SSO enforced with no domains declared says so', () => {
    const { app, stack, ws } = setup({ sso: { enforced: true } });
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expectViolation(app, 'SA-SSO-001', 'prod/Workspace/Ana', ['none declared']);
  });

  test('suppressed: on the stack, covering the grant below it', () => {
    const { app, outdir, stack, ws } = setup({ sso: { enforced: true, domains: ['agency.example'] } });
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob', { email: 'bob@elsewhere.example' }), role: WorkspaceRole.READ_ONLY });
    GuardrailSuppressions.add(stack, [{ ruleId: 'SA-SSO-001', reason: 'IdP federation with elsewhere.example is in place (IT-88).' }]);
    expectSuppressed(app, outdir, 'SA-SSO-001', 'prod/Workspace/Bob', 'IdP federation with elsewhere.example is in place (IT-88).', 'prod');
  });
});

describe('SA-SCIM-001 SCIM workspaces get group grants, not individual invites', () => {
  test('passes: a SCIM workspace with group grants only; a non-SCIM workspace with individual grants', () => {
    const { app, ws } = setup({ scim: { enabled: true } });
    ws.addGroupGrant('Analysts', { groupName: 'segment-analysts', role: WorkspaceRole.READ_ONLY, ticket: 'T-2', requestedBy: 'a@acme.example' });
    expect(findingsOf(app, 'SA-SCIM-001')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
    const plain = setup();
    plain.ws.addGrant('Ana', { collaborator: collaborator(plain.stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(plain.app, 'SA-SCIM-001')).toEqual([]);
  });

  test('fails: an individual grant in a SCIM workspace stops synth', () => {
    const { app, stack, ws } = setup({ scim: { enabled: true } });
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    const f = expectViolation(app, 'SA-SCIM-001', 'prod/Workspace/Ana', ['ana@agency.example', WS_LABEL, 'SCIM', 'individually']);
    expect(f.fix).toContain('addGroupGrant');
    expectSynthStops(app, 'SA-SCIM-001', 'prod/Workspace/Ana');
  });

  test('suppressed: on the workspace, covering every grant below it', () => {
    const { app, outdir, stack, ws } = setup({ scim: { enabled: true } });
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob'), role: WorkspaceRole.READ_ONLY });
    GuardrailSuppressions.add(ws, [{ ruleId: 'SA-SCIM-001', reason: 'External agency accounts are outside the IdP (IT-12).' }]);
    for (const who of ['Ana', 'Bob']) {
      expect(findingsOf(app, 'SA-SCIM-001').find((f) => f.path === `prod/Workspace/${who}`)!.suppressed).toEqual({
        reason: 'External agency accounts are outside the IdP (IT-12).',
        path: 'prod/Workspace',
      });
    }
    expectSuppressed(app, outdir, 'SA-SCIM-001', 'prod/Workspace/Ana', 'External agency accounts are outside the IdP (IT-12).', 'prod/Workspace');
  });
});

describe('SA-SEAT-001 declared seats fit the seat limit', () => {
  test('passes: exactly as many seats as the limit; a retained member who is also granted counts once; expired grants take no seat', () => {
    const { app, stack, ws } = setup({ seatLimit: 2, retainEmails: ['ana@agency.example'] });
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob'), role: WorkspaceRole.READ_ONLY });
    ws.addGrant('Old', { collaborator: collaborator(stack, 'Old'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(-3) });
    expect(findingsOf(app, 'SA-SEAT-001')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails: one collaborator above the limit stops synth, naming the count and the limit', () => {
    const { app, stack, ws } = setup({ seatLimit: 2 });
    for (const who of ['Ana', 'Bob', 'Cy']) ws.addGrant(who, { collaborator: collaborator(stack, who), role: WorkspaceRole.READ_ONLY });
    const f = expectViolation(app, 'SA-SEAT-001', 'prod/Workspace', [WS_LABEL, '3 collaborator(s)', '3 seats', 'limit of 2']);
    expect(f.fix).toContain('seatLimit');
    expectSynthStops(app, 'SA-SEAT-001', 'prod/Workspace');
  });

  test('fails: retained (never removed) members take seats too', () => {
    const { app, stack, ws } = setup({ seatLimit: 2, retainEmails: ['breakglass@acme.example'] });
    for (const who of ['Ana', 'Bob']) ws.addGrant(who, { collaborator: collaborator(stack, who), role: WorkspaceRole.READ_ONLY });
    expectViolation(app, 'SA-SEAT-001', 'prod/Workspace', ['2 collaborator(s) plus 1 retained member(s) = 3 seats']);
  });

  test('unsuppressible: GuardrailSuppressions.add throws', () => {
    const { stack, ws } = setup({ seatLimit: 1 });
    expectUnsuppressible(ws, 'SA-SEAT-001');
    expectUnsuppressible(stack, 'SA-SEAT-001');
  });
});

describe('SA-EXP-001 expired grants are revoked', () => {
  test('the date helper counts UTC days from the pinned now', () => {
    expect(TODAY).toBe('2026-11-27');
    expect(inDays(14)).toBe('2026-12-11');
    expect(inDays(180)).toBe('2027-05-26');
    expect(inDays(-1)).toBe('2026-11-26');
  });

  test('passes: a grant ending tomorrow is still active and in the desired state', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(1) });
    expect(findingsOf(app, 'SA-EXP-001')).toEqual([]);
    expect(ws.desiredState().collaborators.map((c) => c.email)).toEqual(['ana@agency.example']);
  });

  test('fails: a grant that ends exactly today is expired: a warning, left out of the desired state, synth continues', () => {
    const { app, outdir, stack, ws } = setup();
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn: TODAY });
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob'), role: WorkspaceRole.READ_ONLY });
    const f = expectViolation(app, 'SA-EXP-001', 'prod/Workspace/Ana', ['ana@agency.example', WS_LABEL, `ended on ${TODAY}`, 'revokes']);
    expect(f.level).toBe(RuleLevel.WARNING);
    expect(f.fix).toContain('expiresOn');
    expect(ws.desiredState().collaborators.map((c) => c.email)).toEqual(['bob@agency.example']);
    // Other rules no longer look at an expired grant.
    expect(guardrailPathsExcept(app, 'SA-EXP-001')).not.toContain('prod/Workspace/Ana');
    expect(() => app.synth()).not.toThrow();
    const warn = manifestAnnotations(outdir, 'prod').filter((a) => a.level === LEVEL.warning);
    expect(warn.some((a) => a.constructPath === 'prod/Workspace/Ana' && a.message.includes('[SA-EXP-001]'))).toBe(true);
  });

  test('unsuppressible: GuardrailSuppressions.add throws', () => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn: TODAY });
    expectUnsuppressible(g, 'SA-EXP-001');
  });
});

function guardrailPathsExcept(app: App, ruleId: string): string[] {
  return GUARDRAIL_RULES.filter((r) => r.id !== ruleId).flatMap((r) => findingsOf(app, r.id).map((f) => f.path));
}

describe('SA-EXP-002 access ending soon is flagged', () => {
  test('passes: access ending in 15 days is not flagged', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(15) });
    expect(findingsOf(app, 'SA-EXP-002')).toEqual([]);
  });

  test('fails: access ending in 14 days is a warning; synth continues', () => {
    const { app, outdir, stack, ws } = setup();
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(14) });
    const f = expectViolation(app, 'SA-EXP-002', 'prod/Workspace/Ana', ['ana@agency.example', WS_LABEL, `ends on ${inDays(14)}`, 'within 14 days']);
    expect(f.level).toBe(RuleLevel.WARNING);
    expect(f.fix).toContain('extend expiresOn');
    expect(() => app.synth()).not.toThrow();
    expect(manifestAnnotations(outdir, 'prod').some((a) => a.level === LEVEL.warning && a.message.includes('[SA-EXP-002]'))).toBe(true);
  });

  test('fails: access ending tomorrow is flagged; expiryWarningDays widens the window', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(1) });
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(20) });
    expect(findingsOf(app, 'SA-EXP-002').map((f) => f.path)).toEqual(['prod/Workspace/Ana']);
    const wide = findingsOf(app, 'SA-EXP-002', { expiryWarningDays: 30 });
    expect(wide.map((f) => f.path).sort()).toEqual(['prod/Workspace/Ana', 'prod/Workspace/Bob']);
    expect(wide[0].message).toContain('within 30 days');
  });

  test('suppressed: on the grant', () => {
    const { app, outdir, stack, ws } = setup();
    const g = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(7) });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-EXP-002', reason: 'The engagement ends on that day; no renewal.' }]);
    expectSuppressed(app, outdir, 'SA-EXP-002', 'prod/Workspace/Ana', 'The engagement ends on that day; no renewal.', 'prod/Workspace/Ana');
  });
});

describe('SA-EXP-003 people and contractors have time-limited access', () => {
  test('passes: a contractor whose access ends in exactly 180 days; a service account without expiry', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Con', { collaborator: collaborator(stack, 'Con', { kind: CollaboratorKind.CONTRACTOR }), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(180) });
    ws.addGrant('Svc', { collaborator: collaborator(stack, 'Svc'), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, 'SA-EXP-003')).toEqual([]);
  });

  test('fails: a contractor whose access ends in 181 days is a warning; synth continues', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Con', { collaborator: collaborator(stack, 'Con', { kind: CollaboratorKind.CONTRACTOR }), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(181) });
    const f = expectViolation(app, 'SA-EXP-003', 'prod/Workspace/Con', ['con@agency.example', 'CONTRACTOR', WS_LABEL, inDays(181), 'more than 180 days']);
    expect(f.level).toBe(RuleLevel.WARNING);
    expect(f.fix).toContain('within 180 days');
    expect(() => app.synth()).not.toThrow();
  });

  test('fails: a person with no expiry; maxAccessDays changes the limit', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Pat', { collaborator: collaborator(stack, 'Pat', { kind: CollaboratorKind.PERSON }), role: WorkspaceRole.READ_ONLY });
    ws.addGrant('Con', { collaborator: collaborator(stack, 'Con', { kind: CollaboratorKind.CONTRACTOR }), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(181) });
    expectViolation(app, 'SA-EXP-003', 'prod/Workspace/Pat', ['pat@agency.example', 'PERSON', 'has no expiry']);
    expect(findingsOf(app, 'SA-EXP-003', { maxAccessDays: 365 }).map((f) => f.path)).toEqual(['prod/Workspace/Pat']);
  });

  test('suppressed: on the grant', () => {
    const { app, outdir, stack, ws } = setup();
    const g = ws.addGrant('Pat', { collaborator: collaborator(stack, 'Pat', { kind: CollaboratorKind.PERSON }), role: WorkspaceRole.READ_ONLY });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-EXP-003', reason: 'Permanent employee; reviewed quarterly.' }]);
    expectSuppressed(app, outdir, 'SA-EXP-003', 'prod/Workspace/Pat', 'Permanent employee; reviewed quarterly.', 'prod/Workspace/Pat');
  });
});

function singleCollaboratorDefinition(workspaceEnvironment: Environment): AccessDefinition {
  return {
    workspaces: { [Environment.PROD]: workspaceProps({ environment: workspaceEnvironment }) },
    collaborators: [
      {
        id: 'Ana',
        email: 'ana@agency.example',
        displayName: 'Ana',
        requestedBy: 'lead@acme.example',
        approvedBy: 'cto@acme.example',
        ticket: 'ACCESS-1',
        grant: { role: WorkspaceRole.READ_ONLY },
      },
    ],
  };
}

describe("SA-ENV-001 a stack deploys only its own environment's workspace", () => {
  test('passes: every stack of the example app deploys its own environment', () => {
    const { app } = newApp();
    for (const environment of [Environment.PROD, Environment.STAGING, Environment.DEV]) new SegmentAccessStack(app, environment, { definition: EXAMPLE_ACCESS, environment });
    expect(findingsOf(app, 'SA-ENV-001')).toEqual([]);
    const ok = newApp();
    new SegmentAccessStack(ok.app, 'prod', { definition: singleCollaboratorDefinition(Environment.PROD), environment: Environment.PROD });
    expect(findingsOf(ok.app, 'SA-ENV-001')).toEqual([]);
    expect(() => ok.app.synth()).not.toThrow();
  });

  test('fails: the prod stack declaring a staging workspace stops synth', () => {
    const { app } = newApp();
    new SegmentAccessStack(app, 'prod', { definition: singleCollaboratorDefinition(Environment.STAGING), environment: Environment.PROD });
    const f = expectViolation(app, 'SA-ENV-001', 'prod/Workspace', ['Stack "prod"', 'environment prod', WS_LABEL, 'declared as staging']);
    expect(f.fix).toContain('environment');
    expectSynthStops(app, 'SA-ENV-001', 'prod/Workspace');
  });

  test('unsuppressible: GuardrailSuppressions.add throws, also through a definition-level suppression', () => {
    const { app } = newApp();
    const stack = new SegmentAccessStack(app, 'prod', { definition: singleCollaboratorDefinition(Environment.STAGING), environment: Environment.PROD });
    expectUnsuppressible(stack.workspace, 'SA-ENV-001');
    const def = singleCollaboratorDefinition(Environment.PROD);
    const withSuppression: AccessDefinition = {
      ...def,
      collaborators: [{ ...def.collaborators[0], grant: { ...def.collaborators[0].grant, suppressions: [{ ruleId: 'SA-ENV-001', reason: 'This should never be accepted.' }] } }],
    };
    expect(() => new SegmentAccessStack(newApp().app, 'prod', { definition: withSuppression, environment: Environment.PROD })).toThrow(/SA-ENV-001.*can never be suppressed/);
  });
});

describe('SA-ENV-002 a workspace is managed by one stack only', () => {
  test('passes: two stacks with different workspaces', () => {
    const { app } = newApp();
    policyStack(app, 'prod', { workspaceId: 'ws_prod_1' });
    policyStack(app, 'prod2', { workspaceId: 'ws_prod_2' });
    expect(findingsOf(app, 'SA-ENV-002')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails: two stacks declaring the same workspace id both get an error', () => {
    const { app } = newApp();
    policyStack(app, 'prod');
    policyStack(app, 'prodcopy');
    const f = expectViolation(app, 'SA-ENV-002', 'prod/Workspace', ['ws_test_1', 'prodcopy/Workspace']);
    expect(f.fix).toContain('once');
    expectViolation(app, 'SA-ENV-002', 'prodcopy/Workspace', ['ws_test_1', 'also declared at prod/Workspace']);
    expectSynthStops(app, 'SA-ENV-002', 'prod/Workspace');
  });

  test('unsuppressible: GuardrailSuppressions.add throws', () => {
    const { app } = newApp();
    const { ws } = policyStack(app, 'prod');
    expectUnsuppressible(ws, 'SA-ENV-002');
    expectUnsuppressible(app, 'SA-ENV-002');
  });
});

describe('SA-CONS-001 a collaborator has the same role in every environment unless overridden', () => {
  function twoEnvironments(stagingRole: WorkspaceRole, environmentOverride?: string) {
    const { app, outdir } = newApp();
    const prod = policyStack(app, 'prod', { workspaceId: 'ws_prod', displayName: 'Acme Prod' });
    const staging = policyStack(app, 'staging', { workspaceId: 'ws_staging', displayName: 'Acme Staging', environment: Environment.STAGING });
    const prodGrant = prod.ws.addGrant('Ana', { collaborator: collaborator(prod.stack, 'Ana'), role: WorkspaceRole.MEMBER });
    const stagingGrant = staging.ws.addGrant('Ana', { collaborator: collaborator(staging.stack, 'Ana'), role: stagingRole, environmentOverride });
    return { app, outdir, prod, staging, prodGrant, stagingGrant };
  }

  test('passes: the same role everywhere, or a different role with an explicit environment override', () => {
    expect(findingsOf(twoEnvironments(WorkspaceRole.MEMBER).app, 'SA-CONS-001')).toEqual([]);
    const overridden = twoEnvironments(WorkspaceRole.READ_ONLY, 'Staging only needs to look at the data.');
    expect(findingsOf(overridden.app, 'SA-CONS-001')).toEqual([]);
    expect(() => overridden.app.synth()).not.toThrow();
  });

  test('passes: the example app overrides the lead in dev explicitly', () => {
    const { app } = newApp();
    for (const environment of [Environment.PROD, Environment.STAGING, Environment.DEV]) new SegmentAccessStack(app, environment, { definition: EXAMPLE_ACCESS, environment });
    expect(findingsOf(app, 'SA-CONS-001')).toEqual([]);
  });

  test('fails: different roles across environments without an override: an error on every grant, naming both roles', () => {
    const { app } = twoEnvironments(WorkspaceRole.READ_ONLY);
    const mentions = ['ana@agency.example', 'MEMBER in Acme Prod (ws_prod)', 'READ_ONLY in Acme Staging (ws_staging)'];
    const f = expectViolation(app, 'SA-CONS-001', 'prod/Workspace/Ana', mentions);
    expect(f.fix).toContain('environmentOverride');
    expectViolation(app, 'SA-CONS-001', 'staging/Workspace/Ana', mentions);
    expectSynthStops(app, 'SA-CONS-001', 'prod/Workspace/Ana');
  });

  test('suppressed: a suppression on one stack covers only its own grant; on the app it covers both', () => {
    const one = twoEnvironments(WorkspaceRole.READ_ONLY);
    GuardrailSuppressions.add(one.staging.stack, [{ ruleId: 'SA-CONS-001', reason: 'Staging role is deliberately lower (SEC-3).' }]);
    const byPath = new Map(findingsOf(one.app, 'SA-CONS-001').map((f) => [f.path, f.suppressed]));
    expect(byPath.get('staging/Workspace/Ana')).toEqual({ reason: 'Staging role is deliberately lower (SEC-3).', path: 'staging' });
    expect(byPath.get('prod/Workspace/Ana')).toBeNull();
    expectSynthStops(one.app, 'SA-CONS-001', 'prod/Workspace/Ana');

    const both = twoEnvironments(WorkspaceRole.READ_ONLY);
    GuardrailSuppressions.add(both.app, [{ ruleId: 'SA-CONS-001', reason: 'Roles differ by design in this app (SEC-3).' }]);
    expectSuppressed(both.app, both.outdir, 'SA-CONS-001', 'prod/Workspace/Ana', 'Roles differ by design in this app (SEC-3).', '');
    expect(findingsOf(both.app, 'SA-CONS-001').every((f) => f.suppressed !== null)).toBe(true);
    expect(manifestAnnotations(both.outdir, 'staging').filter((a) => a.level === LEVEL.error)).toEqual([]);
  });
});

describe('SA-AUDIT-001 every grant names its ticket and requester', () => {
  test('passes: audit fields from the collaborator, or from the grant when the collaborator has none', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    ws.addGrant('Bob', {
      collaborator: collaborator(stack, 'Bob', { ticket: undefined, requestedBy: undefined }),
      role: WorkspaceRole.READ_ONLY,
      ticket: 'ACCESS-77',
      requestedBy: 'lead@acme.example',
    });
    ws.addGroupGrant('Readers', { groupName: 'segment-readers', role: WorkspaceRole.READ_ONLY, ticket: 'ACCESS-78', requestedBy: 'it@acme.example' });
    expect(findingsOf(app, 'SA-AUDIT-001')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails: a grant with neither ticket nor requester stops synth, naming both', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob', { ticket: undefined, requestedBy: undefined }), role: WorkspaceRole.READ_ONLY });
    const f = expectViolation(app, 'SA-AUDIT-001', 'prod/Workspace/Bob', ['bob@agency.example', WS_LABEL, 'has no ticket and no requestedBy']);
    expect(f.fix).toContain('ticket and requestedBy');
    expectSynthStops(app, 'SA-AUDIT-001', 'prod/Workspace/Bob');
  });

  test('fails: a group grant without a ticket', () => {
    const { app, ws } = setup();
    ws.addGroupGrant('Readers', { groupName: 'segment-readers', role: WorkspaceRole.READ_ONLY, requestedBy: 'it@acme.example' });
    const f = expectViolation(app, 'SA-AUDIT-001', 'prod/Workspace/Readers', ['group "segment-readers"', 'has no ticket']);
    expect(f.message).not.toContain('requestedBy');
    expectSynthStops(app, 'SA-AUDIT-001', 'prod/Workspace/Readers');
  });

  test('unsuppressible: GuardrailSuppressions.add throws on a grant and on a group grant', () => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Bob', { collaborator: collaborator(stack, 'Bob', { ticket: undefined }), role: WorkspaceRole.READ_ONLY });
    const gg = ws.addGroupGrant('Readers', { groupName: 'segment-readers', role: WorkspaceRole.READ_ONLY });
    expectUnsuppressible(g, 'SA-AUDIT-001');
    expectUnsuppressible(gg, 'SA-AUDIT-001');
  });
});

describe('SA-DUP-001 one grant per email per workspace', () => {
  test('passes: the same email in two different workspaces', () => {
    const { app, stack, ws } = setup();
    const other = workspace(stack, { workspaceId: 'ws_test_2' }, 'Other');
    const ana = collaborator(stack, 'Ana');
    ws.addGrant('Ana', { collaborator: ana, role: WorkspaceRole.READ_ONLY });
    other.addGrant('Ana', { collaborator: ana, role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, 'SA-DUP-001')).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails: within one workspace the second grant is refused at creation', () => {
    const { stack, ws } = setup();
    const ana = collaborator(stack, 'Ana');
    ws.addGrant('Ana', { collaborator: ana, role: WorkspaceRole.READ_ONLY });
    expect(() => ws.addGrant('Ana2', { collaborator: ana, role: WorkspaceRole.MEMBER })).toThrow(/already granted by "prod\/Workspace\/Ana"/);
  });

  test('fails: two declarations of one workspace id granting the same email stop synth', () => {
    const { app, stack, ws } = setup();
    const copy = workspace(stack, {}, 'Copy');
    const ana = collaborator(stack, 'Ana');
    ws.addGrant('Ana', { collaborator: ana, role: WorkspaceRole.READ_ONLY });
    copy.addGrant('Ana', { collaborator: ana, role: WorkspaceRole.READ_ONLY });
    const f = expectViolation(app, 'SA-DUP-001', 'prod/Copy/Ana', ['ana@agency.example', 'granted twice', 'ws_test_1', 'prod/Workspace/Ana', 'prod/Copy/Ana']);
    expect(f.fix).toContain('Keep one grant');
    expect(findingsOf(app, 'SA-DUP-001')).toHaveLength(1);
    expectSynthStops(app, 'SA-DUP-001', 'prod/Copy/Ana');
  });

  test('passes: an expired duplicate no longer counts', () => {
    const { app, stack, ws } = setup();
    const copy = workspace(stack, {}, 'Copy');
    const ana = collaborator(stack, 'Ana');
    ws.addGrant('Ana', { collaborator: ana, role: WorkspaceRole.READ_ONLY, expiresOn: inDays(-1) });
    copy.addGrant('Ana', { collaborator: ana, role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, 'SA-DUP-001')).toEqual([]);
  });

  test('unsuppressible: GuardrailSuppressions.add throws', () => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expectUnsuppressible(g, 'SA-DUP-001');
  });
});

describe('suppressions', () => {
  test.each(UNSUPPRESSIBLE)('%s can never be suppressed', (ruleId) => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expectUnsuppressible(g, ruleId);
  });

  test.each(SUPPRESSIBLE)('%s can be suppressed with a reason', (ruleId) => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expect(() => GuardrailSuppressions.add(g, [{ ruleId, reason: 'A written reason of enough length.' }])).not.toThrow();
    expect(GuardrailSuppressions.find(g, ruleId)).toEqual({ reason: 'A written reason of enough length.', path: 'prod/Workspace/Ana' });
  });

  test('a reason shorter than 10 characters throws (whitespace does not count); 10 characters are enough', () => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    expect(() => GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-002', reason: 'too short' }])).toThrow(SegmentAccessValidationError);
    expect(() => GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-002', reason: 'too short' }])).toThrow(/reason.*at least 10 characters/s);
    expect(() => GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-002', reason: '    short       ' }])).toThrow(/at least 10 characters/);
    expect(() => GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-002', reason: '' }])).toThrow(/at least 10 characters/);
    expect(GuardrailSuppressions.find(g, 'SA-PRIV-002')).toBeNull();
    expect(findingsOf(stack, 'SA-PRIV-002')[0].suppressed).toBeNull();
    expect(() => GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-002', reason: '  ten chars!  ' }])).not.toThrow();
    expect(findingsOf(stack, 'SA-PRIV-002')[0].suppressed).toEqual({ reason: 'ten chars!', path: 'prod/Workspace/Adm' });
  });

  test('an unknown rule id throws and lists the ids of the pack', () => {
    const { stack } = setup();
    let message = '';
    try {
      GuardrailSuppressions.add(stack, [{ ruleId: 'SA-NOPE-001', reason: 'A reason long enough to pass.' }]);
    } catch (e) {
      expect(e).toBeInstanceOf(SegmentAccessValidationError);
      message = (e as Error).message;
    }
    expect(message).toContain('SA-NOPE-001');
    expect(message).toContain('"prod"');
    for (const id of [...SUPPRESSIBLE, ...UNSUPPRESSIBLE]) expect(message).toContain(id);
    expect(() => GuardrailSuppressions.add(stack, [{ ruleId: 'sa-priv-002', reason: 'A reason long enough to pass.' }])).toThrow(/a rule id of the pack/);
  });

  test('one bad entry rejects the whole call: nothing of it is recorded', () => {
    const { stack, ws } = setup();
    const g = ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    expect(() =>
      GuardrailSuppressions.add(g, [
        { ruleId: 'SA-PRIV-002', reason: 'A perfectly fine reason.' },
        { ruleId: 'SA-AUDIT-001', reason: 'An unsuppressible rule.' },
      ]),
    ).toThrow(/SA-AUDIT-001/);
    expect(GuardrailSuppressions.find(g, 'SA-PRIV-002')).toBeNull();
  });

  test('a suppression on the workspace covers a grant below it and is reported at the workspace', () => {
    const { app, outdir, stack, ws } = setup();
    ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    GuardrailSuppressions.add(ws, [{ ruleId: 'SA-PRIV-002', reason: 'Sandbox workspace, admin is the norm here.' }]);
    expectSuppressed(app, outdir, 'SA-PRIV-002', 'prod/Workspace/Adm', 'Sandbox workspace, admin is the norm here.', 'prod/Workspace');
  });

  test('a suppression on the stack covers a grant below it (and a group grant)', () => {
    const { app, outdir, stack, ws } = setup();
    ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    ws.addGroupGrant('Admins', { groupName: 'segment-admins', role: WorkspaceRole.ADMIN, ticket: 'T-1', requestedBy: 'a@acme.example' });
    GuardrailSuppressions.add(stack, [{ ruleId: 'SA-PRIV-002', reason: 'Dev-like stack, admin is the norm here.' }]);
    expect(findingsOf(app, 'SA-PRIV-002').map((f) => [f.path, f.suppressed?.path])).toEqual([
      ['prod/Workspace/Adm', 'prod'],
      ['prod/Workspace/Admins', 'prod'],
    ]);
    expectSuppressed(app, outdir, 'SA-PRIV-002', 'prod/Workspace/Admins', 'Dev-like stack, admin is the norm here.', 'prod');
  });

  test('the nearest suppression wins; a sibling suppression covers nothing', () => {
    const { app, stack, ws } = setup();
    const adm = ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    ws.addGrant('Other', { collaborator: collaborator(stack, 'Other'), role: WorkspaceRole.ADMIN });
    GuardrailSuppressions.add(stack, [{ ruleId: 'SA-PRIV-002', reason: 'Stack-wide reason for admins.' }]);
    GuardrailSuppressions.add(adm, [{ ruleId: 'SA-PRIV-002', reason: 'Grant-level reason for this admin.' }]);
    const byPath = new Map(findingsOf(app, 'SA-PRIV-002').map((f) => [f.path, f.suppressed]));
    expect(byPath.get('prod/Workspace/Adm')).toEqual({ reason: 'Grant-level reason for this admin.', path: 'prod/Workspace/Adm' });
    expect(byPath.get('prod/Workspace/Other')).toEqual({ reason: 'Stack-wide reason for admins.', path: 'prod' });

    const fresh = setup();
    const a = fresh.ws.addGrant('Adm', { collaborator: collaborator(fresh.stack, 'Adm'), role: WorkspaceRole.ADMIN });
    fresh.ws.addGrant('Other', { collaborator: collaborator(fresh.stack, 'Other'), role: WorkspaceRole.ADMIN });
    GuardrailSuppressions.add(a, [{ ruleId: 'SA-PRIV-002', reason: 'Only this admin is justified elsewhere.' }]);
    expect(findingsOf(fresh.app, 'SA-PRIV-002').find((f) => f.path === 'prod/Workspace/Other')!.suppressed).toBeNull();
    expect(() => fresh.app.synth()).toThrow('[prod/Workspace/Other] [SA-PRIV-002]');
  });

  test('suppressing one rule leaves the other rules on the same grant in force', () => {
    const { app, stack, ws } = setup();
    const g = ws.addGrant('Pat', { collaborator: collaborator(stack, 'Pat', { kind: CollaboratorKind.PERSON }), role: WorkspaceRole.ADMIN });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-EXP-003', reason: 'Permanent employee; reviewed quarterly.' }]);
    expect(findingsOf(app, 'SA-EXP-003')[0].suppressed).not.toBeNull();
    expect(findingsOf(app, 'SA-PRIV-002')[0].suppressed).toBeNull();
    expect(() => app.synth()).toThrow('[prod/Workspace/Pat] [SA-PRIV-002]');
  });

  test('a suppression in the access definition is applied to the grant it is declared on', () => {
    const def = singleCollaboratorDefinition(Environment.PROD);
    const definition: AccessDefinition = {
      ...def,
      collaborators: [{ ...def.collaborators[0], grant: { role: WorkspaceRole.ADMIN, suppressions: [{ ruleId: 'SA-PRIV-002', reason: 'Justified in the contract annex B.' }] } }],
    };
    const { app, outdir } = newApp();
    new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
    expectSuppressed(app, outdir, 'SA-PRIV-002', 'prod/Workspace/Ana', 'Justified in the contract annex B.', 'prod/Workspace/Ana');
  });
});

describe('messages say what, why and how to fix', () => {
  test('the synth error carries the message, the why and the fix of the rule', () => {
    const { app, stack, ws } = setup();
    ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    const f = findingsOf(app, 'SA-PRIV-002')[0];
    expect(formatFinding(f)).toBe(`[SA-PRIV-002] ${f.message} Why: ${rule('SA-PRIV-002').why} Fix: ${f.fix}`);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('adm@agency.example');
    expect(message).toContain(WS_LABEL);
    expect(message).toContain(`Why: ${rule('SA-PRIV-002').why}`);
    expect(message).toContain(`Fix: ${f.fix}`);
  });
});
