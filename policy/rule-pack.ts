import type { IConstruct } from 'constructs';
import type { AccessModel } from '../constructs/access-model';
import { Finding, GuardrailOptions, GuardrailRule, ResolvedGuardrailOptions } from './rule';
import { allowedEmailDomain, PERSONAL_EMAIL_DOMAINS, serviceAccountEmail } from './rules/email';
import { adminNeedsJustification, broaderThanSourceAccess, ownerNeedsApproval } from './rules/least-privilege';
import { scimUsesGroups, ssoDomain } from './rules/identity';
import { seatLimit } from './rules/seats';
import { expiredGrant, expiringSoon, timeLimitedPeople } from './rules/expiry';
import { consistentRoles, stackMatchesWorkspace, workspaceInOneStack } from './rules/environments';
import { auditFields } from './rules/audit-fields';
import { onePerWorkspace } from './rules/duplicates';
import { auditTrailAcknowledged, authoritativeAcknowledged, executorAcknowledged } from './rules/controls';
import { independentApprover, raisedOverrideApproved, requesterNotGrantee } from './rules/separation-of-duties';
import { deepFreeze } from '../model/deep-freeze';

/** The checklist as code: every rule, in report order. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = deepFreeze([
  serviceAccountEmail,
  allowedEmailDomain,
  ownerNeedsApproval,
  adminNeedsJustification,
  broaderThanSourceAccess,
  ssoDomain,
  scimUsesGroups,
  seatLimit,
  expiredGrant,
  expiringSoon,
  timeLimitedPeople,
  stackMatchesWorkspace,
  workspaceInOneStack,
  consistentRoles,
  auditFields,
  requesterNotGrantee,
  independentApprover,
  raisedOverrideApproved,
  onePerWorkspace,
  authoritativeAcknowledged,
  auditTrailAcknowledged,
  executorAcknowledged,
]);

export function resolveGuardrailOptions(options: GuardrailOptions = {}): ResolvedGuardrailOptions {
  return {
    personalEmailDomains: (options.personalEmailDomains ?? PERSONAL_EMAIL_DOMAINS).map((d) => d.toLowerCase()),
    allowedEmailDomains: options.allowedEmailDomains?.map((d) => d.toLowerCase()),
    maxAccessDays: options.maxAccessDays ?? 180,
    expiryWarningDays: options.expiryWarningDays ?? 14,
  };
}

/**
 * Runs every rule over the model. `suppressionAt(path, ruleId)` tells whether a construct (or an
 * ancestor) suppresses a rule; unsuppressible rules are never asked.
 */
export function evaluateGuardrails(
  model: AccessModel,
  options: GuardrailOptions,
  suppressionAt: (path: string, ruleId: string) => { reason: string; path: string } | null,
): Finding[] {
  const resolved = resolveGuardrailOptions(options);
  return GUARDRAIL_RULES.flatMap((rule) =>
    rule.check(model, resolved).map(
      (v): Finding => ({
        ...v,
        ruleId: rule.id,
        title: rule.title,
        level: rule.level,
        why: rule.why,
        suppressed: rule.acknowledgeable
          ? acknowledgementAt(model, v.path, rule.id)
          : (rule.waivable ? waiverAt(model, v.path, rule.id) : null) ?? (rule.suppressible ? suppressionAt(v.path, rule.id) : null),
      }),
    ),
  );
}

/** The acknowledgement of a control rule on the workspace at `path`. */
function acknowledgementAt(model: AccessModel, path: string, ruleId: string): Finding['suppressed'] {
  const ack = model.workspaces.find((ws) => ws.path === path)?.controls.acknowledgements.find((a) => a.ruleId === ruleId);
  return ack ? { reason: ack.reason, path, acknowledged: true } : null;
}

/** A workspace's waiver of a rule, for a finding on one of its grants: shown as acknowledged at the workspace. */
function waiverAt(model: AccessModel, path: string, ruleId: string): Finding['suppressed'] {
  const ws = model.workspaces.find((w) => path === w.path || path.startsWith(`${w.path}/`));
  const waiver = ws?.separationOfDuties.waivers.find((w) => w.ruleId === ruleId);
  return ws && waiver ? { reason: waiver.reason, path: ws.path, acknowledged: true } : null;
}

/** The construct at a path below `root` (for suppressions and annotations): a walk down, not a scan of the tree. */
export function constructAtPath(root: IConstruct, path: string): IConstruct | undefined {
  let node: IConstruct | undefined = root;
  for (const id of path.split('/').filter(Boolean)) node = node?.node.tryFindChild(id);
  return node;
}

export function formatFinding(f: Finding): string {
  return `[${f.ruleId}] ${f.message} Why: ${f.why} Fix: ${f.fix}`;
}

/**
 * Synth stops on unsuppressed guardrail errors: thrown when the records are written, whether or not
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set (cdktf's CLI sets it; the guardrails are not
 * skippable that way). Carries the findings, so an app's entry prints them once (`synthesizeApp`).
 */
export class GuardrailViolationError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      `segment-access guardrails failed:\n${findings.map((f) => `[${f.path}] ${formatFinding(f)}`).join('\n')}\n` +
        'Fix the cause, or suppress the rule with a written reason; CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS does not bypass them.',
    );
    this.name = 'GuardrailViolationError';
  }
}
