import { clientFor, runNow } from '../api-context';
import { parseCommandArgs, stringArg } from '../args';
import { release } from '../../reconciler/release';
import { renderPlanTable, renderSummary } from '../../reconciler/render';
import { terminalLines } from '../../model/output-encoding';

const HELP = `Usage: segment-access release [--workspace-id ID] [--token-env NAME] [--record-prefix PREFIX] [--dry-run]

Removes every collaborator and group permission this code manages in the workspace, and its
records. Users it never managed are not touched; the last Workspace Owner is kept. This is what
the stack's release anchor runs during \`cdktf destroy\`.

Environment (set by the destroy provisioner from its triggers):
  SEGMENT_ACCESS_WORKSPACE_ID, SEGMENT_ACCESS_TOKEN_ENV, SEGMENT_ACCESS_API_URL, SEGMENT_ACCESS_RECORD_PREFIX`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('release', argv, {
    'workspace-id': { type: 'string' },
    'token-env': { type: 'string' },
    'record-prefix': { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = process.env;
  const workspaceId = stringArg(values, 'workspace-id') ?? env.SEGMENT_ACCESS_WORKSPACE_ID;
  const tokenEnvVar = stringArg(values, 'token-env') ?? env.SEGMENT_ACCESS_TOKEN_ENV ?? 'PUBLIC_API_TOKEN';
  const recordPrefix = stringArg(values, 'record-prefix') ?? env.SEGMENT_ACCESS_RECORD_PREFIX ?? 'segment-access';
  if (!workspaceId) throw new Error('release: no workspace: pass --workspace-id or set SEGMENT_ACCESS_WORKSPACE_ID.');
  // Lines quote names from the definition and from Segment: control characters shown, not obeyed.
  const log = (line: string) => process.stdout.write(`${terminalLines(line)}\n`);
  const api = clientFor({ tokenEnvVar, apiUrl: env.SEGMENT_ACCESS_API_URL || undefined, workspaceLabel: `workspace ${workspaceId}` }, log);
  log(`segment-access: releasing everything this code manages in workspace ${workspaceId}`);
  const result = await release({ api, workspaceId, recordPrefix, tokenEnvVar, now: runNow(), dryRun: values['dry-run'] === true, log, onPlan: (plan) => log(renderPlanTable(plan)) });
  log(renderSummary(result.plan, result.counts, api.stats));
  return 0;
}
