import type { IConstruct } from 'constructs';
import { invalid } from '../model/validation';
import { GUARDRAIL_RULES } from './rule-pack';
import { markAccessChanged } from '../constructs/access-revision';

export interface Suppression {
  readonly ruleId: string;
  /** Why the rule does not apply here: at least 10 characters, recorded in every report. */
  readonly reason: string;
}

const SUPPRESSIONS = new WeakMap<IConstruct, Suppression[]>();

/** Suppressions of guardrail rules on a construct and everything below it (cdk-nag's NagSuppressions). */
export class GuardrailSuppressions {
  /** Suppresses rules on `scope` and its children. Some rules can never be suppressed. */
  public static add(scope: IConstruct, suppressions: readonly Suppression[]): void {
    const where = `GuardrailSuppressions on "${scope.node.path}"`;
    for (const s of suppressions) {
      const rule = GUARDRAIL_RULES.find((r) => r.id === s.ruleId);
      if (!rule) {
        invalid(where, {
          field: 'ruleId',
          received: s.ruleId,
          allowed: `a rule id of the pack: ${GUARDRAIL_RULES.map((r) => r.id).join(', ')}`,
          fix: 'copy the id from the guardrail message (it starts with "SA-").',
        });
      }
      if (!rule.suppressible) {
        invalid(where, {
          field: 'ruleId',
          received: s.ruleId,
          allowed: 'a suppressible rule',
          fix: rule.acknowledgeable
            ? `${rule.id} (${rule.title}) is answered by an acknowledgement on the workspace configuration, not a suppression: acknowledgements: [{ ruleId: '${rule.id}', reason: '...' }].`
            : `${rule.id} (${rule.title}) can never be suppressed: fix the cause instead. ${rule.why}`,
        });
      }
      if (typeof s.reason !== 'string' || s.reason.trim().length < 10) {
        invalid(where, {
          field: 'reason',
          received: s.reason,
          allowed: 'a written reason of at least 10 characters',
          fix: 'say why the rule does not apply here (it is recorded in the IAM-tracker inventory).',
        });
      }
    }
    markAccessChanged(scope);
    SUPPRESSIONS.set(scope, [...(SUPPRESSIONS.get(scope) ?? []), ...suppressions.map((s) => ({ ruleId: s.ruleId, reason: s.reason.trim() }))]);
  }

  /** The suppression of `ruleId` that applies at `construct` (its own, or the nearest ancestor's). */
  public static find(construct: IConstruct, ruleId: string): { readonly reason: string; readonly path: string } | null {
    for (const scope of [...construct.node.scopes].reverse()) {
      const hit = SUPPRESSIONS.get(scope)?.find((s) => s.ruleId === ruleId);
      if (hit) return { reason: hit.reason, path: scope.node.path };
    }
    return null;
  }
}
