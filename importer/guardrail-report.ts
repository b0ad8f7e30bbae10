import { App } from '../framework';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Environment } from '../model/enums';
import { NOW_CONTEXT_KEY } from '../constructs/synth-clock';
import { buildAccessModel } from '../constructs/access-model';
import { SegmentAccessStack } from '../stacks/segment-access-stack';
import type { AccessDefinition, EnvironmentOverride, GrantDefinition } from '../stacks/access-definition';
import type { Finding, GuardrailOptions } from '../policy/rule';
import { evaluateGuardrails } from '../policy/rule-pack';
import type { ImportedDefinition } from './build-definition';

/** Builds every environment's stack of a definition in memory (no synth, no guardrail Aspect) and returns the access model. */
export function withAccessModel<T>(definition: AccessDefinition, now: Date, use: (model: ReturnType<typeof buildAccessModel>) => T): T {
  const outdir = mkdtempSync(join(tmpdir(), 'sa-import-'));
  try {
    const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: now.toISOString() } });
    for (const environment of Object.keys(definition.workspaces) as Environment[]) {
      new SegmentAccessStack(app, environment, { definition, environment, guardrails: false });
    }
    return use(buildAccessModel(app, now));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const UNKNOWN_APPROVAL = { ticket: undefined, requestedBy: undefined, approvedBy: undefined };
const UNKNOWN_AUDIT = { ...UNKNOWN_APPROVAL, justification: undefined };

/**
 * The live workspaces as the guardrails see them before anyone has written anything: every address
 * a service account (the checklist's default) and no ticket, requester, approver or justification.
 */
function asLive(definition: AccessDefinition): AccessDefinition {
  const grant = (g: GrantDefinition): GrantDefinition => ({ ...g, ...UNKNOWN_AUDIT });
  const overrides = (o: Partial<Record<Environment, EnvironmentOverride>> | undefined) =>
    o && Object.fromEntries(Object.entries(o).map(([env, v]) => [env, { ...v!, justification: undefined }]));
  return {
    workspaces: definition.workspaces,
    collaborators: definition.collaborators.map((c) => ({ ...c, ...UNKNOWN_APPROVAL, kind: undefined, grant: grant(c.grant), environments: overrides(c.environments) })),
    groupGrants: definition.groupGrants?.map((g) => ({ ...g, grant: grant(g.grant), environments: overrides(g.environments) })),
  };
}

export interface GuardrailReport {
  readonly findings: readonly Finding[];
  readonly lines: readonly string[];
}

/** Rules about fields the API cannot say; every imported grant would break them, so they get one line. */
const UNKNOWABLE_RULES = new Set(['SA-AUDIT-001']);

/**
 * What the guardrail rule pack flags in the live workspaces (the rules themselves, run on the imported
 * model): personal mailboxes, Owners and Admins without approval or justification, addresses outside
 * the SSO domains, seats above the limit. The team's first access review.
 */
export function liveGuardrailReport(imported: ImportedDefinition, now: Date, options: GuardrailOptions = {}): GuardrailReport {
  const findings = withAccessModel(asLive(imported.definition), now, (model) => evaluateGuardrails(model, options, () => null));
  const lines: string[] = [];
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  for (const [ruleId, list] of byRule) {
    if (UNKNOWABLE_RULES.has(ruleId)) continue;
    lines.push(`  ${ruleId} ${list[0].title} (${list[0].level}): ${list.length} finding(s)`);
    for (const f of list) lines.push(`    - ${f.message}`);
  }
  const audit = byRule.get('SA-AUDIT-001') ?? [];
  if (audit.length) {
    lines.push(`  SA-AUDIT-001 ${audit[0].title}: ${audit.length} grant(s) have no recorded ticket or requester (the API cannot say; see the file).`);
  }
  for (const s of imported.snapshots) {
    const used = s.users.length + s.invites.length;
    const limit = s.declared.seatLimit;
    lines.push(
      `  Seats in ${s.environment}: ${s.users.length} member(s) + ${s.invites.length} pending invite(s) = ${used}` +
        (limit === undefined ? ' (seat limit not given: pass --seat-limit to check it)' : ` of ${limit}${used > limit ? ': ABOVE THE LIMIT' : ''}`),
    );
    if (!s.declared.ssoDomains?.length) lines.push(`  SSO in ${s.environment}: domains not given (--sso-domain), so addresses were not checked against them.`);
  }
  if (findings.filter((f) => !UNKNOWABLE_RULES.has(f.ruleId)).length === 0) lines.unshift('  No guardrail findings beyond the unrecorded approvals.');
  return { findings, lines };
}
