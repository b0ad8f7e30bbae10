// Helpers shared by the guardrail tests: an app with "now" pinned and a real outdir, findings by
// rule, and the stack annotations cdktf writes into manifest.json.
import { App, TerraformStack } from '../../framework';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { IConstruct } from 'constructs';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentWorkspace } from '../../constructs/segment-workspace';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import type { SegmentCollaboratorProps } from '../../constructs/segment-collaborator';
import { guardrailFindings } from '../../policy/guardrails-aspect';
import { GUARDRAIL_RULES } from '../../policy/rule-pack';
import type { Finding, GuardrailOptions, GuardrailRule } from '../../policy/rule';
import { CollaboratorKind, WorkspaceRole } from '../../model/enums';
import { SegmentAccessValidationError } from '../../model/validation';
import { applySegmentAccessPolicy } from '../../stacks/apply-policy';
import { collaborator, workspace } from '../support/fixtures';
import { TEST_NOW } from '../support/synth';

/** How the rules name the fixture workspace in messages. */
export const WS_LABEL = 'Acme Test (ws_test_1)';

/** The pinned synth day (UTC). */
export const TODAY = TEST_NOW.slice(0, 10);

/** The UTC date `n` days after the pinned synth day, as YYYY-MM-DD. */
export function inDays(n: number): string {
  const d = new Date(`${TODAY}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function newApp(): { app: App; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'sa-policy-'));
  return { app: new App({ outdir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } }), outdir };
}

/** A bare TerraformStack with the policy applied (as a user of the library would add it) and one workspace. */
export function policyStack(
  app: App,
  stackId = 'prod',
  wsOverrides: Partial<SegmentWorkspaceProps> = {},
): { stack: TerraformStack; ws: SegmentWorkspace } {
  const stack = new TerraformStack(app, stackId);
  applySegmentAccessPolicy(stack);
  return { stack, ws: workspace(stack, wsOverrides) };
}

/** One app, one `prod` stack with the policy, one workspace. */
export function setup(wsOverrides: Partial<SegmentWorkspaceProps> = {}): { app: App; outdir: string; stack: TerraformStack; ws: SegmentWorkspace } {
  const { app, outdir } = newApp();
  const { stack, ws } = policyStack(app, 'prod', wsOverrides);
  return { app, outdir, stack, ws };
}

export function rule(id: string): GuardrailRule {
  const found = GUARDRAIL_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id} in the pack`);
  return found;
}

export function findingsOf(scope: IConstruct, ruleId: string, options?: GuardrailOptions): Finding[] {
  return guardrailFindings(scope, options).filter((f) => f.ruleId === ruleId);
}

/** The finding of `ruleId` at `path`: unsuppressed, with the rule's level and reason, naming what it is about and how to fix it. */
export function expectViolation(
  scope: IConstruct,
  ruleId: string,
  path: string,
  mentions: readonly string[],
  options?: GuardrailOptions,
): Finding {
  const all = findingsOf(scope, ruleId, options);
  expect(all.map((f) => f.path)).toContain(path);
  const f = all.find((x) => x.path === path)!;
  const r = rule(ruleId);
  expect(f).toMatchObject({ ruleId, level: r.level, title: r.title, why: r.why, suppressed: null });
  expect(f.why.length).toBeGreaterThan(20);
  expect(f.fix.length).toBeGreaterThan(20);
  for (const m of mentions) expect(f.message).toContain(m);
  return f;
}

export interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

export const LEVEL = { info: '@cdktf/info', warning: '@cdktf/warn', error: '@cdktf/error' } as const;

export function manifestAnnotations(outdir: string, stackId: string): ManifestAnnotation[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  return manifest.stacks[stackId].annotations;
}

/** Runs fn with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS unset, so error annotations really stop synth. */
export function withoutContinueOnError(): void {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  });
  afterAll(() => {
    if (saved !== undefined) process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = saved;
  });
}

/** What synth makes of one address: refused by validation, a finding of the rule, or clean. */
export type Verdict = 'refused' | 'finding' | 'clean';

export function verdictOf(
  ruleId: string,
  email: string,
  ws: Partial<SegmentWorkspaceProps>,
  options: GuardrailOptions = {},
  kind = CollaboratorKind.PERSON,
  audit: Pick<SegmentCollaboratorProps, 'requestedBy' | 'approvedBy'> = {},
): Verdict {
  const app = new App({ context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
  const stack = new TerraformStack(app, 'prod');
  const w = workspace(stack, ws);
  try {
    w.addGrant('Ana', { collaborator: collaborator(stack, 'Ana', { email, kind, ...audit }), role: WorkspaceRole.READ_ONLY, expiresOn: '2027-01-31' });
  } catch (error) {
    if (error instanceof SegmentAccessValidationError && error.problems.some((p) => p.field.endsWith('email'))) return 'refused';
    throw error;
  }
  return findingsOf(app, ruleId, options).length ? 'finding' : 'clean';
}
