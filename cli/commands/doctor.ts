import { resolve } from 'path';
import { parseCommandArgs, stringArg } from '../args';
import { clientFor, clientForWorkspace, runNow } from '../api-context';
import { desiredStateFiles, loadDesiredState } from '../desired-state-file';
import { diagnoseWorkspace, exitCodeOf, renderDiagnoses, worst, type DoctorTarget, type WorkspaceDiagnosis } from '../../doctor';
import { planTierOf } from '../../model/desired-state';
import { Region } from '../../model/enums';
import { terminalLines } from '../../model/output-encoding';
import { displayableVariableName } from '../../model/token-variable-names';

const HELP = `Usage: segment-access doctor [--outdir cdktf.out] [--stack NAME]... [--json]
       segment-access doctor --workspace-id ID --token-env VARIABLE [--region US|EU] [--json]

The first command to run against a real workspace, before the first deploy. Read-only: it makes
GET requests only. For each workspace of the synthesized stacks (or the one named), it checks that
the token works and belongs to the declared workspace, that its role can read what segment-access
reads (writes are not tried), the plan tier from the role catalog, and that the audit trail is
readable and how far back it goes. It then reports what it can see of the behaviours Segment does
not document (email case, audit event names and fields, cursors, page size, SSO joins, duplicate
group names, labels against the limit), each with the emulator setting that matches, so the test
matrix can run against the behaviour this workspace shows (SEGMENT_ACCESS_EMULATOR_SETTINGS).
Exit code: 0 = every check ok, 2 = warnings, 1 = a check failed (each names its fix).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('doctor', argv, {
    outdir: { type: 'string' },
    stack: { type: 'string', multiple: true },
    'workspace-id': { type: 'string' },
    'token-env': { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${terminalLines(line)}\n`);
  const now = runNow();
  const diagnoses: WorkspaceDiagnosis[] = [];
  const workspaceId = stringArg(values, 'workspace-id');
  if (workspaceId !== undefined) {
    const tokenEnvVar = stringArg(values, 'token-env');
    if (!tokenEnvVar) throw new Error('doctor: --workspace-id needs --token-env VARIABLE (the NAME of the variable that holds its token).');
    const region = regionOf(stringArg(values, 'region'));
    const api = clientFor({ tokenEnvVar, region, workspaceLabel: `workspace ${workspaceId}` }, log);
    diagnoses.push(await diagnoseWorkspace(api, { workspaceId, tokenEnvVar: displayableVariableName(tokenEnvVar) }, now));
  } else {
    for (const file of desiredStateFiles(resolve(stringArg(values, 'outdir') ?? 'cdktf.out'), (values.stack as string[] | undefined) ?? [])) {
      const desired = loadDesiredState(file);
      const ws = desired.workspace;
      const target: DoctorTarget = {
        workspaceId: ws.id,
        name: ws.name,
        tokenEnvVar: displayableVariableName(ws.tokenEnvVar),
        declaredTier: planTierOf(ws),
        useAuditTrail: desired.management.useAuditTrail,
      };
      diagnoses.push(await diagnoseWorkspace(clientForWorkspace(ws, log), target, now));
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ asOf: now.toISOString(), verdict: worst(diagnoses.map((d) => d.verdict)), workspaces: diagnoses }, null, 2)}\n`);
  else process.stdout.write(`${renderDiagnoses(diagnoses)}\n`);
  return exitCodeOf(worst(diagnoses.map((d) => d.verdict)));
}

function regionOf(raw: string | undefined): Region {
  if (raw === undefined) return Region.US;
  const region = Object.values(Region).find((r) => r === raw.toUpperCase());
  if (!region) throw new Error(`doctor: --region is "${raw}"; use one of ${Object.values(Region).join(', ')}.`);
  return region;
}
