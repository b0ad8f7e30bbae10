import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from '../../framework';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { Environment, WorkspaceRole } from '../../model/enums';
import { SodRuleId } from '../../model/separation-of-duties';
import { guardrailFindings } from '../../policy/guardrails-aspect';
import type { Finding } from '../../policy/rule';
import { parseAccessRequests } from '../../requests/load';
import { IMPORT_STATEMENTS } from '../../policy/placeholders';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import type { AccessDefinition, CollaboratorAccess } from '../../stacks/access-definition';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { TEST_NOW } from '../support/synth';
import { withoutContinueOnError } from './support';

// Separation of duties at synth (SA-SOD-001..003): built from an access definition, as access.yaml is,
// so an environment override carries what it overrides.

withoutContinueOnError();

function build(collaborators: CollaboratorAccess[], workspace: Partial<SegmentWorkspaceProps> = {}): { app: App; outdir: string; definition: AccessDefinition } {
  const outdir = mkdtempSync(join(tmpdir(), 'sa-sod-'));
  const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
  const definition = e2eDefinition(collaborators, workspace);
  new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
  return { app, outdir, definition };
}

function sod(app: App): Finding[] {
  return guardrailFindings(app).filter((f) => f.ruleId.startsWith('SA-SOD-'));
}

/** Synth stops naming the grant and the rule, and the message says what is wrong. */
function expectStops(collaborators: CollaboratorAccess[], ruleId: SodRuleId, mentions: string[], workspace: Partial<SegmentWorkspaceProps> = {}): void {
  const { app } = build(collaborators, workspace);
  const findings = sod(app).filter((f) => f.ruleId === ruleId && !f.suppressed);
  expect(findings).toHaveLength(1);
  for (const m of mentions) expect(findings[0].message).toContain(m);
  expect(() => app.synth()).toThrow(`[prod/Workspace/${collaborators[0].id}] [${ruleId}]`);
}

function expectPasses(collaborators: CollaboratorAccess[], workspace: Partial<SegmentWorkspaceProps> = {}): App {
  const { app } = build(collaborators, workspace);
  expect(sod(app).filter((f) => !f.suppressed)).toEqual([]);
  expect(() => app.synth()).not.toThrow();
  return app;
}

const person = (id: string, role: WorkspaceRole, audit: { requestedBy?: string; approvedBy?: string }, grant: Partial<CollaboratorAccess['grant']> = {}): CollaboratorAccess => {
  const base = collaboratorAccess(id, role, grant);
  return { ...base, requestedBy: audit.requestedBy ?? base.requestedBy, approvedBy: audit.approvedBy };
};

describe('SA-SOD-001 the requester is not the grantee', () => {
  test('a grant its grantee requested fails synth, whatever the case of the address', () => {
    expectStops([person('Ana', WorkspaceRole.READ_ONLY, { requestedBy: ' ANA@Agency.example ', approvedBy: 'cto@acme.example' })], SodRuleId.REQUESTER_NOT_GRANTEE, [
      'ana@agency.example requested their own READ_ONLY access',
    ]);
  });

  test('a grant someone else requested passes', () => {
    expectPasses([person('Ana', WorkspaceRole.READ_ONLY, { requestedBy: 'lead@acme.example' })]);
  });

  // Found by look-alike-people.property.test.ts: the rule compared whole addresses, so a sub-address or
  // a fullwidth form of the grantee's own address passed as someone else.
  test.each([
    ['a +tag sub-address of the grantee', 'ana+segment@agency.example'],
    ['the grantee\'s address in fullwidth letters (NFKC folds them)', '\uff41\uff4e\uff41@agency.example'],
  ])('%s is the grantee: synth stops', (_name, requestedBy) => {
    expectStops([person('Ana', WorkspaceRole.READ_ONLY, { requestedBy, approvedBy: 'cto@acme.example' })], SodRuleId.REQUESTER_NOT_GRANTEE, ['requested their own READ_ONLY access']);
  });

  test('a look-alike in another script is another address (approvals verify ties approvers to GitHub logins)', () => {
    expectPasses([person('Ana', WorkspaceRole.READ_ONLY, { requestedBy: '\u0430na@agency.example', approvedBy: 'cto@acme.example' })]);
  });
});

describe('SA-SOD-002 a privileged grant has an independent approver', () => {
  test.each([
    ['OWNER approved by its requester', WorkspaceRole.OWNER, { requestedBy: 'lead@acme.example', approvedBy: 'Lead@acme.example' }, 'is approved by its requester (Lead@acme.example)'],
    ['ADMIN approved by its grantee', WorkspaceRole.ADMIN, { requestedBy: 'lead@acme.example', approvedBy: 'ana@agency.example' }, 'is approved by the grantee (ana@agency.example)'],
    ['ADMIN with no approver', WorkspaceRole.ADMIN, { requestedBy: 'lead@acme.example' }, 'ADMIN grant for ana@agency.example in Acme E2E (wsE2eProd01) has no approver.'],
  ])('%s fails synth', (_name, role, audit, says) => {
    expectStops([person('Ana', role, audit)], SodRuleId.INDEPENDENT_APPROVER, [says]);
  });

  test('an Admin-level CUSTOM grant is privileged too, by what it resolves to', () => {
    const custom = person('Ana', WorkspaceRole.CUSTOM, { requestedBy: 'lead@acme.example', approvedBy: 'lead@acme.example' }, {
      customPermissions: [{ role: 'Minimal Workspace Access', workspace: true }, { role: 'Source Admin', workspace: true }],
    });
    expectStops([custom], SodRuleId.INDEPENDENT_APPROVER, ['CUSTOM (holds workspace-wide Admin roles) grant', 'approved by its requester']);
  });

  test('an independent approver passes; a MEMBER grant is not privileged by default', () => {
    expectPasses([
      person('Ana', WorkspaceRole.OWNER, { requestedBy: 'lead@acme.example', approvedBy: 'cto@acme.example' }),
      person('Bo', WorkspaceRole.MEMBER, { requestedBy: 'lead@acme.example', approvedBy: 'lead@acme.example' }),
    ]);
  });

  test('which roles are privileged is the workspace configuration: MEMBER added, ADMIN left out', () => {
    const sameApprover = { requestedBy: 'lead@acme.example', approvedBy: 'lead@acme.example' };
    expectStops([person('Bo', WorkspaceRole.MEMBER, sameApprover)], SodRuleId.INDEPENDENT_APPROVER, ['MEMBER grant'], {
      separationOfDuties: { privilegedRoles: [WorkspaceRole.OWNER, WorkspaceRole.ADMIN, WorkspaceRole.MEMBER] },
    });
    expectPasses([person('Ana', WorkspaceRole.ADMIN, sameApprover)], { separationOfDuties: { privilegedRoles: [WorkspaceRole.OWNER] } });
  });

  test("import's statement that nothing was recorded is not judged as a person (SA-AUDIT-001 and approvals verify judge it)", () => {
    const statement = IMPORT_STATEMENTS.notRecorded('2026-11-27');
    expectPasses([person('Ana', WorkspaceRole.OWNER, { requestedBy: statement, approvedBy: statement })]);
    // Anything else that is the same on both sides is one person.
    expectStops([person('Ana', WorkspaceRole.OWNER, { requestedBy: 'not recorded', approvedBy: 'not recorded' })], SodRuleId.INDEPENDENT_APPROVER, ['approved by its requester']);
  });

  test('OWNER cannot be left out of the privileged roles', () => {
    expect(() => build([], { separationOfDuties: { privilegedRoles: [WorkspaceRole.ADMIN] } })).toThrow('separationOfDuties.privilegedRoles');
  });
});

describe('SA-SOD-003 a raised environment override has its own justification and approver', () => {
  const base = (prod: NonNullable<CollaboratorAccess['environments']>[Environment.PROD]): CollaboratorAccess => ({
    ...collaboratorAccess('Ana', WorkspaceRole.READ_ONLY, { justification: 'Reads the dashboards for the weekly report.' }),
    environments: { [Environment.PROD]: prod },
  });

  test("a prod override to OWNER that reuses the shared grant's justification and approver fails synth", () => {
    expectStops(
      [base({ reason: 'Needs to manage billing in prod.', role: WorkspaceRole.OWNER, justification: 'Reads the dashboards for the weekly report.' })],
      SodRuleId.RAISED_OVERRIDE_APPROVED,
      ['The prod override for ana@agency.example', 'raises READ_ONLY to OWNER without its own justification and approvedBy', "(it repeats the shared grant's)"],
    );
  });

  test('its own justification without its own approver still fails', () => {
    expectStops([base({ reason: 'Needs to manage billing in prod.', role: WorkspaceRole.ADMIN, justification: 'Configures the prod destinations for launch.' })], SodRuleId.RAISED_OVERRIDE_APPROVED, [
      'raises READ_ONLY to ADMIN without its own approvedBy.',
    ]);
  });

  test('with its own justification and approver it passes; an override that lowers the role needs neither', () => {
    expectPasses([
      base({ reason: 'Needs to manage billing in prod.', role: WorkspaceRole.ADMIN, justification: 'Configures the prod destinations for launch.', approvedBy: 'security@acme.example' }),
      {
        ...collaboratorAccess('Bo', WorkspaceRole.ADMIN),
        environments: { [Environment.PROD]: { reason: 'Only reads production data.', role: WorkspaceRole.READ_ONLY } },
      },
    ]);
  });
});

describe('configured per workspace, shown in the plan and the inventory', () => {
  const selfRequested = person('Ana', WorkspaceRole.READ_ONLY, { requestedBy: 'ana@agency.example', approvedBy: 'cto@acme.example' });

  test('a waived rule is reported as acknowledged at the workspace with its reason, and synth passes', () => {
    const reason = 'Sandbox workspace: people request their own read access.';
    const { app, outdir } = build([selfRequested], { separationOfDuties: { waivers: [{ ruleId: SodRuleId.REQUESTER_NOT_GRANTEE, reason }] } });
    const [finding] = sod(app);
    expect(finding).toMatchObject({ ruleId: 'SA-SOD-001', suppressed: { reason, path: 'prod/Workspace', acknowledged: true } });
    app.synth();
    const stack = JSON.parse(readFileSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
    expect(stack.resource.terraform_data.workspace_reconciler.triggers_replace.controls.separation_of_duties).toBe(
      `SA-SOD-001 waived: ${reason}; SA-SOD-002 enforced (privileged: OWNER, ADMIN); SA-SOD-003 enforced`,
    );
    const inventory = readFileSync(join(outdir, 'records', 'inventory.md'), 'utf8');
    expect(inventory).toContain(`**SA-SOD-001** (acknowledged at \`prod/Workspace\`: ${reason})`);
    // The settings themselves, per workspace, as the plan shows them.
    expect(inventory).toContain(`## Separation of duties\n\n- prod (\`wsE2eProd01\`): SA-SOD-001 waived: ${reason}; SA-SOD-002 enforced (privileged: OWNER, ADMIN); SA-SOD-003 enforced`);
    const json = JSON.parse(readFileSync(join(outdir, 'records', 'inventory.json'), 'utf8'));
    expect(json.separationOfDuties).toEqual([{ stack: 'prod', workspaceId: 'wsE2eProd01', rules: stack.resource.terraform_data.workspace_reconciler.triggers_replace.controls.separation_of_duties }]);
  });

  test('a grant-level suppression with a reason answers it for that grant only', () => {
    const { app } = build([
      { ...selfRequested, grant: { ...selfRequested.grant, suppressions: [{ ruleId: 'SA-SOD-001', reason: 'Founder account, approved by the board.' }] } },
      person('Bo', WorkspaceRole.READ_ONLY, { requestedBy: 'bo@agency.example' }),
    ]);
    expect(sod(app).map((f) => [f.path, f.suppressed?.reason ?? null])).toEqual([
      ['prod/Workspace/Ana', 'Founder account, approved by the board.'],
      ['prod/Workspace/Bo', null],
    ]);
  });

  test('the settings are code: access.yaml cannot name them', () => {
    expect(() => parseAccessRequests('version: 1\nseparationOfDuties: { waivers: [] }\ncollaborators: []\n', 'access.yaml')).toThrow(
      '`separationOfDuties` is a control setting; set it in the workspace configuration (code), not in access.yaml.',
    );
  });
});
