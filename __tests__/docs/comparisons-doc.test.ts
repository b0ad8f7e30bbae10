import { readFileSync } from 'fs';
import { join } from 'path';
import { CollaboratorKind } from '../../model/enums';
import { PlanError } from '../../reconciler/plan';
import { desiredCollaborator, desiredGroupGrant, desiredState, onWorkspace } from '../support/desired';
import { REPO_ROOT } from '../support/example';
import { group, onWs } from '../support/live';
import { dryRunPlan, readOnlyPort } from '../support/read-only-port';
import { verdictOf, type Verdict } from '../policy/support';

// docs/guardrails.md "How addresses and names are compared": every row of the table, run against the
// rule it names.

const DOC = 'docs/guardrails.md';

/** The rows of the table after `<!-- checked: comparisons -->`, as [rule, listed, given, result]. */
function rows(): string[][] {
  const text = readFileSync(join(REPO_ROOT, DOC), 'utf8');
  const at = text.indexOf('<!-- checked: comparisons -->\n');
  if (at < 0) throw new Error(`${DOC} has no table marked "checked: comparisons"`);
  const lines = text.slice(at).split('\n').slice(1);
  const table = lines.slice(0, lines.findIndex((l) => !l.startsWith('|')));
  return table.slice(2).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

/** The first `code` span of a cell. */
const code = (cell: string) => /`([^`]*)`/.exec(cell)![1];

const GUARDRAIL: Readonly<Record<string, string>> = { 'no finding': 'clean', finding: 'finding', 'refused as an address': 'refused' };
const READER = onWorkspace('Minimal Workspace Access', 'Source Read-only');
const BOSS = { id: 'u_boss', name: 'Boss', email: 'boss@acme.example', permissions: onWs('Workspace Owner') };

async function resultOf(rule: string, listed: string, given: string): Promise<string> {
  const guardrail = (v: Verdict) => Object.entries(GUARDRAIL).find(([, verdict]) => verdict === v)![0];
  if (rule.startsWith('SA-EMAIL-002')) return guardrail(verdictOf('SA-EMAIL-002', given, { allowedEmailDomains: [listed] }));
  if (rule.startsWith('SA-SSO-001')) return guardrail(verdictOf('SA-SSO-001', given, { sso: { enforced: true, domains: [listed] } }));
  if (rule.startsWith('SA-EMAIL-001')) return guardrail(verdictOf('SA-EMAIL-001', given, {}, { personalEmailDomains: [listed] }, CollaboratorKind.SERVICE_ACCOUNT));
  if (rule.startsWith('SA-SOD-001')) return guardrail(verdictOf('SA-SOD-001', listed, {}, {}, CollaboratorKind.PERSON, { requestedBy: given }));
  if (rule === 'people in Segment') {
    const member = { id: 'u_member', name: 'Member', email: given, permissions: onWs('Minimal Workspace Access') };
    const plan = await dryRunPlan(readOnlyPort([BOSS, member], [], []), desiredState([desiredCollaborator(listed, READER)]));
    const touched = plan.changes.some((c) => 'userId' in c && c.userId === member.id);
    const invited = plan.changes.some((c) => c.kind === 'invite' && c.email === listed);
    if (touched && !invited) return 'the same person';
    if (!touched && invited) return 'another person';
    return `unclear: ${JSON.stringify(plan.changes)}`;
  }
  if (rule === 'group grants') {
    try {
      await dryRunPlan(readOnlyPort([BOSS], [], [group(given, [], 'g_1')]), desiredState([], { groupGrants: [desiredGroupGrant(listed, READER)] }));
      return 'applied';
    } catch (error) {
      return error instanceof PlanError && error.message.includes(`"${listed}" not found`) ? 'not found: the deploy stops' : String(error);
    }
  }
  throw new Error(`${DOC}: no check for rule "${rule}"`);
}

describe(`${DOC}: how addresses and names are compared`, () => {
  const table = rows();

  test('the table covers every comparison rule it speaks of', () => {
    expect(new Set(table.map((r) => r[0].split(' ')[0]))).toEqual(new Set(['SA-EMAIL-002', 'SA-SSO-001', 'SA-EMAIL-001', 'SA-SOD-001', 'people', 'group']));
  });

  test.each(table)('%s: %s vs %s -> %s', async (rule, listed, given, result) => {
    expect(await resultOf(rule, code(listed), code(given))).toBe(result);
  });
});
