import { parseCommandArgs } from '../args';
import { generateRecordKey } from '../../reconciler/record-key';

const HELP = `Usage: segment-access keygen

Prints a new record key (32 random bytes) on standard output, and nothing else there, so it can go
straight into a secret store, e.g.:

  segment-access keygen | gh secret set SEGMENT_ACCESS_RECORD_KEY

The key signs the record of managed users in Segment: only runs that hold it can make the app act.
Give it to the deploy jobs as SEGMENT_ACCESS_RECORD_KEY (or the variable recordKeyEnvVar names) and
never to jobs that run pull-request code. To rotate, see docs/record-of-managed-users.md.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('keygen', argv, {});
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  process.stdout.write(`${generateRecordKey()}\n`);
  if (process.stderr.isTTY) process.stderr.write('segment-access: a new record key (shown once; store it as a secret, e.g. SEGMENT_ACCESS_RECORD_KEY).\n');
  return 0;
}
