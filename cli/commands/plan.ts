import { loadDesiredState, singleDesiredStateFile } from '../desired-state-file';
import { auditSettings, clientForWorkspace, runNow } from '../api-context';
import { parseCommandArgs, stringArg } from '../args';
import { planHasWrites, reconcile } from '../../reconciler/reconcile';
import { planNeedsAttention, planToJson, renderPlanTable, resourceNamesOf } from '../../reconciler/render';
import { terminalLines } from '../../model/output-encoding';

const HELP = `Usage: segment-access plan [--stack NAME [--outdir cdktf.out] | --desired-state FILE] [--json]

Reads the live workspace and prints the exact changes \`reconcile\` would make. Writes nothing.
Exit code: 0 = no changes, 2 = changes, 3 = the record of managed users is damaged, another app
claims the same people, or a change is refused (each named in the output), 1 = error.`;

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
  const file = singleDesiredStateFile(stringArg(values, 'desired-state'), stringArg(values, 'stack'), stringArg(values, 'outdir'));
  const desired = loadDesiredState(file);
  const ws = desired.workspace;
  // Lines quote names from the definition and from Segment: control characters shown, not obeyed.
  const log = (line: string) => process.stderr.write(`${terminalLines(line)}\n`);
  const api = clientForWorkspace(ws, log);
  const { plan } = await reconcile({ api, desired, now: runNow(), dryRun: true, log, ...auditSettings() });
  if (values.json) process.stdout.write(`${JSON.stringify({ ...planToJson(plan), apiCalls: api.stats.calls }, null, 2)}\n`);
  else process.stdout.write(`${renderPlanTable(plan, resourceNamesOf(desired))}\n`);
  return planNeedsAttention(plan) ? 3 : planHasWrites(plan) ? 2 : 0;
}
