import { parseCommandArgs } from '../args';
import { loadAccessRequests } from '../../requests/load';
import { SegmentAccessValidationError } from '../../model/validation';
import { terminalLines, terminalText } from '../../model/output-encoding';

const HELP = `Usage: segment-access validate [FILE ...]

Checks access requests files (default: access.yaml) on their own: YAML in safe mode (no tags, no
prototype keys, no duplicate keys, bounded size, aliases and nesting) and the request schema (fields,
values, no control settings). Needs no token and no network: a pre-commit and pull-request check.
Workspace-specific checks (source names, guardrails) run at \`cdktf synth\`, which needs no token either.

Exit code: 0 = every file valid, 1 = a file is invalid (each problem named with file:line:column,
field, value, what is allowed and the fix).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', argv, {}, true);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const files = positionals.length ? positionals : ['access.yaml'];
  let invalid = 0;
  for (const file of files) {
    try {
      const requests = loadAccessRequests(file);
      process.stdout.write(`${terminalText(file)}: valid (${requests.collaborators.length} collaborator(s), ${requests.groupGrants.length} group grant(s))\n`);
    } catch (error) {
      if (!(error instanceof SegmentAccessValidationError)) throw error;
      invalid++;
      process.stderr.write(`${terminalLines(error.message)}\n`);
    }
  }
  return invalid ? 1 : 0;
}
