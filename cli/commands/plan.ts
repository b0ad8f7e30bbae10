import { chosenDesiredState } from '../desired-state-file';
import { auditSettings, clientForWorkspace, recordKeysFor, runNow } from '../api-context';
import { lineWriter } from '../line-writer';
import { parseCommandArgs, stringArg } from '../args';
import { planHasWrites, reconcile } from '../../reconciler/reconcile';
import { planNeedsAttention, planToJson, renderPlanTable, resourceNamesOf } from '../../reconciler/render';

const HELP = `Usage: segment-access plan [--stack NAME [--outdir cdktf.out] | --desired-state FILE] [--json]

Reads the live workspace and prints the exact changes \`reconcile\` would make. Writes nothing.
Verifies the record of managed users with the record key (the variable the file names, default
SEGMENT_ACCESS_RECORD_KEY); without it, it says so and trusts nothing under the app's name.
Exit code: 0 = no changes, 2 = changes, 3 = the record of managed users is damaged or cannot be
verified, another app claims the same people, or a change is refused (each named in the output), 1 = error.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('plan', argv, {
    'desired-state': { type: 'string' },
    stack: { type: 'string' },
    outdir: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const desired = chosenDesiredState(stringArg(values, 'desired-state'), stringArg(values, 'stack'), stringArg(values, 'outdir'));
  const ws = desired.workspace;
  const log = lineWriter(process.stderr);
  const api = clientForWorkspace(ws, log);
  const { plan } = await reconcile({ api, desired, now: runNow(), dryRun: true, log, keys: recordKeysFor(desired), ...auditSettings() });
  const out = lineWriter(process.stdout);
  if (values.json) out(JSON.stringify({ ...planToJson(plan), apiCalls: api.stats.calls }, null, 2));
  else out(renderPlanTable(plan, resourceNamesOf(desired)));
  return planNeedsAttention(plan) ? 3 : planHasWrites(plan) ? 2 : 0;
}
