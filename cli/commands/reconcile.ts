import { chosenDesiredState } from '../desired-state-file';
import { auditSettings, clientForWorkspace, recordKeysFor, runNow } from '../api-context';
import { lineWriter } from '../line-writer';
import { parseCommandArgs, stringArg } from '../args';
import { reconcile } from '../../reconciler/reconcile';
import { describeConflict, describeRefusal, renderPlanTable, renderSummary, resourceNamesOf } from '../../reconciler/render';
import { blockingRefusals } from '../../reconciler/plan';

const HELP = `Usage: segment-access reconcile [--stack NAME [--outdir cdktf.out] | --desired-state FILE] [--expected-digest SHA256]

Makes the live workspace match the desired-state file: invites, re-permissions in place, re-issues
pending invites, removes what this code manages and no longer declares. Checks the workspace
identity first. This is what the stack's reconciler runs during \`cdktf deploy\`.

Environment:
  SEGMENT_ACCESS_DESIRED_STATE     the file (default for --desired-state)
  SEGMENT_ACCESS_EXPECTED_DIGEST   abort unless the file has this sha256 (set by Terraform)
  <tokenEnvVar>                    the workspace's Public API token (name recorded in the file)
  <recordKeyEnvVar>                the record key (default SEGMENT_ACCESS_RECORD_KEY; from \`segment-access keygen\`);
                                   required: without it nothing is written
  <recordKeyEnvVar>_PREVIOUS       the previous record key during a rotation (verifies only; this run re-signs)
  PUBLIC_API_URL                   API base URL override (e.g. the emulator)
  SEGMENT_ACCESS_AUDIT_DELAY_MS    how long the audit trail may lag (default 300000)
  SEGMENT_ACCESS_AUDIT_ACTORS      optional: the only token actors a signed intent may prove, comma-separated

Exit code: 0 = done, 3 = done except what it refused (another app claims the same people, or only
one source says this app invited someone): named in the output, 1 = error.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('reconcile', argv, {
    'desired-state': { type: 'string' },
    'expected-digest': { type: 'string' },
    stack: { type: 'string' },
    outdir: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const desired = chosenDesiredState(stringArg(values, 'desired-state'), stringArg(values, 'stack'), stringArg(values, 'outdir'), stringArg(values, 'expected-digest') ?? process.env.SEGMENT_ACCESS_EXPECTED_DIGEST);
  const log = lineWriter(process.stdout);
  const ws = desired.workspace;
  const api = clientForWorkspace(ws, log);
  log(`segment-access: reconciling ${ws.name} (${ws.id}), ${desired.collaborators.length} collaborator(s), ${desired.groupGrants.length} group grant(s)`);
  const result = await reconcile({
    api,
    desired,
    now: runNow(),
    log,
    keys: recordKeysFor(desired),
    ...auditSettings(),
    onPlan: (plan) => log(renderPlanTable(plan, resourceNamesOf(desired))),
    progress: (p) => {
      if (p.total >= 50 || p.done === p.total) log(`  ${p.step}: ${p.done}/${p.total}`);
    },
  });
  log(renderSummary(result.plan, result.counts, api.stats));
  const blocking = blockingRefusals(result.plan);
  const pending = result.plan.pendingIntents;
  if (!blocking.length && !pending.length) return 0;
  if (pending.length) {
    // Exiting non-zero keeps Terraform's reconciler tainted, so the next deploy finishes the job.
    process.stderr.write(
      `segment-access: an interrupted run (${pending.join(', ')}) is younger than the audit trail's delay; its invites may not be visible yet. ` +
        'Deploy again after the delay (SEGMENT_ACCESS_AUDIT_DELAY_MS) to finish it.\n',
    );
  }
  if (!blocking.length) return 3;
  process.stderr.write(
    `segment-access: refused in ${ws.name} (${ws.id}), everything else is done:\n${blocking.map((r) => `  ${r.kind === 'conflict' ? describeConflict(result.plan.conflicts.find((c) => c.email === r.email)!) : describeRefusal(r)}`).join('\n')}\n`,
  );
  return 3;
}
