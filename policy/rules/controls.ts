import { ControlRuleId } from '../../model/control-acknowledgements';
import type { WorkspaceModel } from '../../constructs/access-model';
import { GuardrailRule, RuleLevel, RuleViolation, workspaceLabel } from '../rule';

const ACKNOWLEDGE = (id: ControlRuleId) =>
  `acknowledge it on the workspace configuration (code): acknowledgements: [{ ruleId: '${id}', reason: 'why, in at least 10 characters' }]`;

function controlRule(
  id: ControlRuleId,
  title: string,
  why: string,
  applies: (ws: WorkspaceModel) => boolean,
  message: (ws: WorkspaceModel) => string,
  undo: string,
): GuardrailRule {
  return {
    id,
    title,
    level: RuleLevel.ERROR,
    // Only an acknowledgement on the workspace answers it, never a suppression.
    suppressible: false,
    acknowledgeable: true,
    why,
    check: (model) =>
      model.workspaces.filter(applies).map(
        (ws): RuleViolation => ({ path: ws.path, workspaceId: ws.desired.workspace.id, message: message(ws), fix: `${ACKNOWLEDGE(id)}, or ${undo}.` }),
      ),
  };
}

export const authoritativeAcknowledged = controlRule(
  ControlRuleId.AUTHORITATIVE,
  'Authoritative mode is acknowledged in code',
  'authoritative: true removes every member the code neither declares nor retains, including people this code never managed (owners and admins added by hand).',
  (ws) => ws.desired.management.authoritative,
  (ws) => `${workspaceLabel(ws)} is authoritative: every member not declared and not among its ${ws.desired.management.retain.length} retained email(s) is removed.`,
  'set authoritative: false (only members this code manages are touched)',
);

export const auditTrailAcknowledged = controlRule(
  ControlRuleId.AUDIT_TRAIL_OFF,
  'Turning off the audit-trail check is acknowledged in code',
  "useAuditTrail: false trusts the record of managed users alone: a record another token damaged or forged would no longer be caught before a removal.",
  (ws) => !ws.desired.management.useAuditTrail,
  (ws) => `${workspaceLabel(ws)} does not check its record of managed users against Segment's audit trail.`,
  'leave useAuditTrail at its default (true)',
);

export const executorAcknowledged = controlRule(
  ControlRuleId.CUSTOM_EXECUTOR,
  'An executor other than the bundled one is acknowledged in code',
  "The executor runs with the workspace's token in its environment; only the bundled executor is the code reviewed with this package.",
  (ws) => !ws.controls.bundledExecutor,
  (ws) => `${workspaceLabel(ws)} runs the executor ${JSON.stringify(ws.controls.executor.join(' '))} instead of the bundled one.`,
  'use Executor.bundled() (the default)',
);
