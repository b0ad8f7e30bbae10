import type { IConstruct } from 'constructs';
import { Annotations, IAspect, TerraformStack } from '../framework';
import { buildAccessModel } from '../constructs/access-model';
import { GuardrailOptions, RuleLevel } from './rule';
import { constructAtPath, evaluateGuardrails, formatFinding } from './rule-pack';
import { GuardrailSuppressions } from './suppressions';
import type { Finding } from './rule';
import { KeyedRevisionCache } from '../constructs/access-revision';

const FINDINGS = new KeyedRevisionCache<IConstruct, Finding[]>();

/** Findings for the whole app the construct belongs to, with suppressions applied. */
export function guardrailFindings(scope: IConstruct, options: GuardrailOptions = {}): Finding[] {
  const root = scope.node.root;
  return FINDINGS.get(root, JSON.stringify(options), () => computeFindings(root, options));
}

function computeFindings(root: IConstruct, options: GuardrailOptions): Finding[] {
  return evaluateGuardrails(buildAccessModel(root), options, (path, ruleId) => {
    const construct = constructAtPath(root, path);
    return construct ? GuardrailSuppressions.find(construct, ruleId) : null;
  });
}

/**
 * The guardrail rule pack as a cdktf Aspect: add it to a stack and synth fails on any unsuppressed
 * error, prints warnings, and records suppressions. Rules see the whole app (cross-environment
 * consistency), and annotate the constructs of the stack they are added to.
 */
export class SegmentAccessGuardrails implements IAspect {
  constructor(private readonly options: GuardrailOptions = {}) {}

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stackPath = node.node.path;
    for (const finding of guardrailFindings(node, this.options)) {
      // Findings are about grants and workspaces, always below a stack: annotate only this stack's.
      if (!finding.path.startsWith(`${stackPath}/`)) continue;
      const target = constructAtPath(node.node.root, finding.path) ?? node;
      const annotations = Annotations.of(target);
      if (finding.suppressed) annotations.addInfo(`${formatFinding(finding)} Suppressed at ${finding.suppressed.path}: ${finding.suppressed.reason}`);
      else if (finding.level === RuleLevel.ERROR) annotations.addError(formatFinding(finding));
      else annotations.addWarning(formatFinding(finding));
    }
  }
}
