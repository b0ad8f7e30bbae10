import { auditSettings, clientFor, runNow } from '../api-context';
import { parseCommandArgs, stringArg } from '../args';
import { lineWriter } from '../line-writer';
import { APP_ID_PATTERN, DEFAULT_APP_ID, DEFAULT_RECORD_KEY_ENV_VAR, LEGACY_ANCHOR_FORMAT } from '../../model/desired-state';
import { Region } from '../../model/enums';
import { DEFAULT_TOKEN_VARIABLE } from '../../model/token-variable-names';
import { RecordKeyring } from '../../reconciler/record-key';
import { blockingRefusals } from '../../reconciler/plan';
import { release } from '../../reconciler/release';
import { describeRefusal, renderPlanTable, renderSummary } from '../../reconciler/render';

const HELP = `Usage: segment-access release [--workspace-id ID] [--app-id APP] [--token-env NAME] [--region US|EU] [--record-key-env NAME] [--record-prefix PREFIX] [--no-audit-trail] [--dry-run]

Removes every collaborator and group permission the app manages in the workspace, and its records.
Users it never managed are not touched; nor are users other apps record; the last Workspace Owner is
kept. This is what the stack's release anchor runs during \`cdktf destroy\`. The token goes to the
region's Segment API host, or to PUBLIC_API_URL when the operator sets it.

Only people the app's signed record proves it manages are removed: the record key must be set (the
variable SEGMENT_ACCESS_RECORD_KEY_ENV names, default SEGMENT_ACCESS_RECORD_KEY), or nothing is written.

Environment (set by the destroy provisioner from the anchor):
  SEGMENT_ACCESS_WORKSPACE_ID, SEGMENT_ACCESS_TOKEN_ENV, SEGMENT_ACCESS_REGION, SEGMENT_ACCESS_RECORD_PREFIX,
  SEGMENT_ACCESS_APP_ID (empty: the anchor predates app ids and is being replaced, so nothing is released),
  SEGMENT_ACCESS_ANCHOR_FORMAT (1: an anchor of an older version, replaced on the first deploy of this
  one, so nothing is released), SEGMENT_ACCESS_USE_AUDIT_TRAIL (true or false),
  SEGMENT_ACCESS_RECORD_KEY_ENV (the key variable's name)
Exit code: 0 = released, 3 = released except what it refused (named), 1 = error.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('release', argv, {
    'workspace-id': { type: 'string' },
    'app-id': { type: 'string' },
    'token-env': { type: 'string' },
    'record-key-env': { type: 'string' },
    region: { type: 'string' },
    'record-prefix': { type: 'string' },
    'no-audit-trail': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = process.env;
  const log = lineWriter(process.stdout);
  const workspaceId = stringArg(values, 'workspace-id') ?? env.SEGMENT_ACCESS_WORKSPACE_ID;
  const tokenEnvVar = stringArg(values, 'token-env') || env.SEGMENT_ACCESS_TOKEN_ENV || DEFAULT_TOKEN_VARIABLE;
  const region = stringArg(values, 'region') || env.SEGMENT_ACCESS_REGION || Region.US;
  const recordPrefix = stringArg(values, 'record-prefix') ?? env.SEGMENT_ACCESS_RECORD_PREFIX ?? 'segment-access';
  if (!workspaceId) throw new Error('release: no workspace: pass --workspace-id or set SEGMENT_ACCESS_WORKSPACE_ID.');
  const appId = stringArg(values, 'app-id') ?? env.SEGMENT_ACCESS_APP_ID ?? DEFAULT_APP_ID;
  if (env.SEGMENT_ACCESS_ANCHOR_FORMAT === LEGACY_ANCHOR_FORMAT && stringArg(values, 'workspace-id') === undefined) {
    // The destroy provisioner of an anchor an older version created (its triggers held the token variable
    // and API URL): this version replaces it on its first deploy. Releasing here would remove everyone only
    // for the reconciler that runs next to invite them again.
    log(
      `segment-access: the release anchor of workspace ${workspaceId} was created by an older segment-access and is being replaced by this version's: nothing released. ` +
        `To release that workspace (e.g. when destroying a stack last deployed by an older version), run \`segment-access release --workspace-id ${workspaceId} --app-id ${appId || DEFAULT_APP_ID} --token-env <its token variable>\`.`,
    );
    return 0;
  }
  if (appId === '') {
    // The destroy provisioner of an anchor created before app ids existed: Terraform replaces it because
    // its triggers gained app_id. The reconciler that runs next migrates the old record; releasing it here
    // would remove everyone only to invite them again.
    log(
      `segment-access: the release anchor of workspace ${workspaceId} predates app ids and is being replaced: nothing released. ` +
        'To release a workspace last deployed by an older segment-access, run `segment-access release --app-id default` with its token.',
    );
    return 0;
  }
  if (!APP_ID_PATTERN.test(appId)) throw new Error(`release: --app-id is "${appId}"; allowed: 2 to 40 lowercase letters, digits or "-", starting with a letter.`);
  const useAuditTrail = values['no-audit-trail'] === true ? false : env.SEGMENT_ACCESS_USE_AUDIT_TRAIL !== 'false';
  const recordKeyEnvVar = stringArg(values, 'record-key-env') ?? (env.SEGMENT_ACCESS_RECORD_KEY_ENV || DEFAULT_RECORD_KEY_ENV_VAR);
  if (!(Object.values(Region) as string[]).includes(region)) throw new Error(`release: the region is "${region}"; allowed: ${Object.values(Region).join(', ')}.`);
  const api = clientFor({ tokenEnvVar, region: region as Region, workspaceLabel: `workspace ${workspaceId}` }, log);
  log(`segment-access: releasing everything app "${appId}" manages in workspace ${workspaceId}`);
  const result = await release({
    api,
    workspaceId,
    recordPrefix,
    appId,
    useAuditTrail,
    tokenEnvVar,
    recordKeyEnvVar,
    keys: RecordKeyring.fromEnv(recordKeyEnvVar, env),
    now: runNow(),
    dryRun: values['dry-run'] === true,
    log,
    onPlan: (plan) => log(renderPlanTable(plan)),
    ...auditSettings(),
  });
  log(renderSummary(result.plan, result.counts, api.stats));
  const blocking = blockingRefusals(result.plan);
  if (!blocking.length) return 0;
  process.stderr.write(`segment-access: release of ${workspaceId} refused:\n${blocking.map((r) => `  ${describeRefusal(r)}`).join('\n')}\n`);
  return 3;
}
