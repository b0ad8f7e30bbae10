import { Executor } from '../../constructs/executor';
import { PlanTier, Region } from '../../model/enums';
import { ControlRuleId } from '../../model/control-acknowledgements';
import type { SegmentWorkspaceProps } from '../../constructs/segment-workspace-props';
import { terraform } from '../support/terraform';
import { E2EWorld, OWNER } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';

// Each control setting a change of which once read in `cdktf plan` as "No changes" or as a new digest
// alone: now a named change in the reconciler's controls (terraform 1.11.4, real plan output).

const ack = (ruleId: ControlRuleId) => ({ acknowledgements: [{ ruleId, reason: 'Agreed with the platform team in SEC-12.' }] });
/** The acknowledgement a control needs is itself in the plan, with its reason. */
const acknowledged = (ruleId: ControlRuleId) => new RegExp(`~ acknowledgements\\s+= "none" -> "${ruleId}: Agreed with the platform team in SEC-12\\."`);

const CHANGES: [string, Partial<SegmentWorkspaceProps>, RegExp[]][] = [
  [
    'authoritative mode',
    { authoritative: true, ...ack(ControlRuleId.AUTHORITATIVE) },
    [
      /~ authoritative\s+= "false: touches only members this app manages" -> "true: removes every member not declared and not retained"/,
      acknowledged(ControlRuleId.AUTHORITATIVE),
    ],
  ],
  ['the audit trail turned off', { useAuditTrail: false, ...ack(ControlRuleId.AUDIT_TRAIL_OFF) }, [/~ audit_trail\s+= "used: [^"]+" -> "off: removals rest on the record alone"/, acknowledged(ControlRuleId.AUDIT_TRAIL_OFF)]],
  ['retained emails', { retainEmails: [OWNER] }, [/~ retained_emails\s+= "none" -> "it-admin@acme\.example"/]],
  ['the seat limit', { seatLimit: 10 }, [/~ seat_limit\s+= "none" -> "10"/]],
  ['the region', { region: Region.EU }, [/~ region\s+= "US \(https:\/\/api\.segmentapis\.com\)" -> "EU \(https:\/\/eu1\.api\.segmentapis\.com\)"/]],
  ['the app id', { appId: 'growth-team' }, [/~ app_id\s+= "default" -> "growth-team"/]],
  ['the record prefix', { recordPrefix: 'acme-records' }, [/~ record_prefix\s+= "segment-access" -> "acme-records"/]],
  [
    'the plan tier',
    { planTier: PlanTier.TEAM, authoritative: true, ...ack(ControlRuleId.AUTHORITATIVE) },
    [
      /~ plan_tier\s+= "BUSINESS" -> "TEAM"/,
      /~ authoritative\s+= "false: [^"]+" -> "true: [^"]+"/,
      acknowledged(ControlRuleId.AUTHORITATIVE),
      // A Team plan's MEMBER preset has no base role: the grant's permissions change with it, per person.
      /~ collaborators\s+= \{/,
      /~ permissions\s+= "[^"]+" -> "Source Admin on source web \(srcWeb\)"/,
    ],
  ],
  [
    'the executor',
    { executor: Executor.command(['segment-access']), ...ack(ControlRuleId.CUSTOM_EXECUTOR) },
    [/~ executor\s+= "bundled \(node segment-access-executor\.cjs\)" -> "segment-access"/, acknowledged(ControlRuleId.CUSTOM_EXECUTOR)],
  ],
];

describe('control settings read in terraform plan by name', () => {
  let world: E2EWorld;
  beforeAll(async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')]));
    await world.deploy();
  });
  afterAll(async () => world.stop());

  test.each(CHANGES)('%s', async (_what, change, expected) => {
    world.synth(e2eDefinition([collaboratorAccess('Ana')], change));
    const run = (args: string[]) => terraform(args, { cwd: world.stackDir, env: world.env });
    expect((await run(['init', '-input=false', '-no-color'])).code).toBe(0);
    const plan = await run(['plan', '-input=false', '-no-color']);
    expect(plan.code).toBe(0);
    expect(plan.output).toContain('terraform_data.workspace_reconciler must be replaced');
    for (const line of expected) expect(plan.output).toMatch(line);
    // Nothing else about the workspace reads as changed: only the setting (and, for what the executor
    // enforces, the digest of the desired state).
    // (The release anchor's own attributes, which an identity or region change also changes, are not counted.)
    const reconciler = plan.output.slice(plan.output.indexOf('# terraform_data.workspace_reconciler'), plan.output.indexOf('# terraform_data.workspace_release') > plan.output.indexOf('# terraform_data.workspace_reconciler') ? plan.output.indexOf('# terraform_data.workspace_release') : undefined);
    const changed = [...reconciler.matchAll(/^\s+~ (\w+)\s+= /gm)].map((m) => m[1]).filter((k) => !['id', 'triggers_replace', 'controls', 'digest'].includes(k));
    expect([...new Set(changed)].sort()).toEqual(expected.map((e) => /~ (\w+)/.exec(e.source)![1]).sort());
  });
});
