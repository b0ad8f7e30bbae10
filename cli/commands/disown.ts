import { chosenDesiredState } from '../desired-state-file';
import { auditSettings, clientForWorkspace, recordKeysFor, runNow } from '../api-context';
import { parseCommandArgs, stringArg } from '../args';
import { lineWriter } from '../line-writer';
import { disown } from '../../reconciler/disown';
import { renderSummary } from '../../reconciler/render';

const HELP = `Usage: segment-access disown [--stack NAME [--outdir cdktf.out] | --desired-state FILE] --email EMAIL [--email EMAIL]... [--dry-run]

Drops people from this app's record of managed users without touching their access: the documented
way to settle a person two apps claim (both exit 3 naming each other until then). Run it in the app
that should let go; the app that declares the person manages them from its next deploy. Refused for
people this app still declares (remove them from its definition instead: the other app, which
declares them, then takes them over). Needs the record key, as reconcile does.
Exit code: 0 = done (or nothing to drop), 1 = error.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('disown', argv, {
    'desired-state': { type: 'string' },
    stack: { type: 'string' },
    outdir: { type: 'string' },
    email: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const emails = (values.email as string[] | undefined) ?? [];
  if (!emails.length) throw new Error('disown: name at least one person with --email. Run `segment-access disown --help`.');
  const desired = chosenDesiredState(stringArg(values, 'desired-state'), stringArg(values, 'stack'), stringArg(values, 'outdir'));
  const log = lineWriter(process.stdout);
  const api = clientForWorkspace(desired.workspace, log);
  const result = await disown({
    api,
    desired,
    emails,
    keys: recordKeysFor(desired),
    now: runNow(),
    dryRun: values['dry-run'] === true,
    ...auditSettings(),
    onPlan: (plan) => {
      const drops = plan.recordOps.flatMap((op) => (op.kind === 'record-remove' ? op.emails.map((e) => `  - ${e} from record group ${op.name}`) : []));
      log(drops.length ? `Dropping from app "${desired.management.appId}"'s record (access unchanged):\n${drops.join('\n')}` : `None of ${emails.join(', ')} is in app "${desired.management.appId}"'s record: nothing to drop.`);
    },
  });
  log(renderSummary(result.plan, result.counts, api.stats));
  return 0;
}
