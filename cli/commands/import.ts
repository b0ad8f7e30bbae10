import { existsSync, renameSync, writeFileSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import { parseArgs } from 'util';
import { clientFor, runNow } from '../api-context';
import { Environment, Region } from '../../model/enums';
import { utcDay } from '../../reconciler/records';
import { buildImportedDefinition } from '../../importer/build-definition';
import { liveGuardrailReport, withAccessModel } from '../../importer/guardrail-report';
import { readWorkspaceSnapshot, SnapshotTarget, WorkspaceSnapshot } from '../../importer/live-snapshot';
import { EXPORT_NAME, renderDefinitionModule } from '../../importer/render-module';
import { importSummary } from '../../importer/summary';
import { terminalText } from '../../importer/ts-literals';
import { isTokenVariableName, TOKEN_VARIABLE_CONVENTION } from '../../model/token-variable-names';

const HELP = `Usage: segment-access import --environment ENV --workspace-id ID --token-env VAR [per-workspace options]
                             [--environment ENV --workspace-id ID --token-env VAR ...] --out FILE.ts [options]

Reads live Segment workspaces (read-only) and writes a TypeScript module exporting an AccessDefinition
(\`${EXPORT_NAME}\`) that reproduces them exactly: deploying it adopts everyone and changes no one's access.
Prints what the API cannot say and what the guardrails would flag in the live workspaces.

Per workspace (repeat the group for each; options apply to the --environment before them):
  --environment ENV        prod, staging or dev
  --workspace-id ID        the workspace's id (GET / must return it)
  --token-env VAR          NAME of the variable holding its Public API token
  --region US|EU           its data region (default US)
  --seat-limit N           its seat limit, written into the definition and checked in the report
  --sso-domain DOMAIN      an SSO domain (repeat for several): SSO is enforced with these domains

Options:
  --out FILE.ts            the module to write (an existing file is kept unless --force)
  --force                  overwrite --out
  --approval-reference REF record REF as every ticket ("imported" = "imported on <day> from the live
                           workspace"), and requester/approver/justification as not recorded, instead
                           of placeholders that the guardrails reject until people write them
  --record-prefix P        prefix of this tool's record groups, never imported (default segment-access)
  --module NAME            module the file imports from (default segment-access)

Environment: PUBLIC_API_URL overrides the API base URL; SEGMENT_ACCESS_NOW pins the import day.
Exit code: 0 = the file was written, 1 = error (nothing written).`;

const PER_WORKSPACE = new Set(['workspace-id', 'token-env', 'region', 'seat-limit', 'sso-domain']);

interface Parsed {
  readonly targets: SnapshotTarget[];
  readonly out: string;
  readonly force: boolean;
  readonly approvalReference?: string;
  readonly recordPrefix: string;
  readonly moduleName: string;
  readonly help: boolean;
}

function fail(message: string): never {
  throw new Error(`import: ${message} Run \`segment-access import --help\`.`);
}

/** Options in order: each per-workspace option belongs to the --environment before it. */
export function parseImportArgs(argv: string[]): Parsed {
  const string = { type: 'string' as const, multiple: true };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      tokens: true,
      options: {
        environment: string, 'workspace-id': string, 'token-env': string, region: string, 'seat-limit': string, 'sso-domain': string,
        out: { type: 'string' }, force: { type: 'boolean' }, 'approval-reference': { type: 'string' }, 'record-prefix': { type: 'string' },
        module: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}.`);
  }
  const groups: Record<string, string[]>[] = [];
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (token.name === 'environment') groups.push({ environment: [token.value ?? ''] });
    else if (PER_WORKSPACE.has(token.name)) {
      const group = groups[groups.length - 1];
      if (!group) fail(`--${token.name} comes before any --environment; give --environment first, then its workspace's options.`);
      group[token.name] = [...(group[token.name] ?? []), token.value ?? ''];
    }
  }
  const values = parsed.values;
  if (values.help) return { targets: [], out: '', force: false, recordPrefix: 'segment-access', moduleName: 'segment-access', help: true };
  if (groups.length === 0) fail('no workspace given: pass --environment, --workspace-id and --token-env for each workspace to import.');
  const seen = new Set<string>();
  const targets = groups.map((g): SnapshotTarget => {
    const environment = g.environment[0];
    if (!(Object.values(Environment) as string[]).includes(environment)) fail(`--environment "${environment}" is not one of ${Object.values(Environment).join(', ')}.`);
    if (seen.has(environment)) fail(`--environment ${environment} is given twice; import each environment's workspace once.`);
    seen.add(environment);
    const one = (name: string): string | undefined => {
      const list = g[name] ?? [];
      if (list.length > 1) fail(`--${name} is given ${list.length} times for --environment ${environment}; give it once.`);
      return list[0];
    };
    const workspaceId = one('workspace-id');
    if (!workspaceId) fail(`--environment ${environment} has no --workspace-id.`);
    const tokenEnvVar = one('token-env');
    if (!tokenEnvVar) fail(`--environment ${environment} has no --token-env (the NAME of the variable holding its token).`);
    if (!isTokenVariableName(tokenEnvVar)) fail(`--token-env for ${environment} must be a variable NAME (${TOKEN_VARIABLE_CONVENTION}), never the token itself nor another system's secret.`);
    const region = one('region')?.toUpperCase();
    if (region !== undefined && !(Object.values(Region) as string[]).includes(region)) fail(`--region "${region}" for ${environment} is not one of ${Object.values(Region).join(', ')}.`);
    const rawSeats = one('seat-limit');
    const seatLimit = rawSeats === undefined ? undefined : /^[1-9]\d*$/.test(rawSeats) ? Number(rawSeats) : fail(`--seat-limit "${rawSeats}" for ${environment} is not a whole number of seats above 0.`);
    const ssoDomains = (g['sso-domain'] ?? []).map((d) => d.trim().toLowerCase());
    return {
      environment: environment as Environment,
      workspaceId,
      tokenEnvVar,
      declared: { ...(region ? { region: region as Region } : {}), ...(seatLimit !== undefined ? { seatLimit } : {}), ...(ssoDomains.length ? { ssoDomains } : {}) },
    };
  });
  const out = values.out;
  if (!out) fail('--out is missing: name the TypeScript file to write, e.g. --out access.ts.');
  if (!/\.(ts|mts|cts)$/.test(out)) fail(`--out "${out}" is not a TypeScript file name (.ts).`);
  const reference = values['approval-reference']?.trim();
  if (values['approval-reference'] !== undefined && !reference) fail('--approval-reference is empty; give a ticket or "imported".');
  return {
    targets,
    out,
    force: values.force === true,
    ...(reference ? { approvalReference: reference } : {}),
    recordPrefix: values['record-prefix'] ?? 'segment-access',
    moduleName: values.module ?? 'segment-access',
    help: false,
  };
}

export async function run(argv: string[]): Promise<number> {
  try {
    return await importWorkspaces(argv);
  } catch (error) {
    // Errors can carry live names (a workspace's, a source's): escaped like everything printed.
    throw new Error(terminalText((error as Error).message));
  }
}

async function importWorkspaces(argv: string[]): Promise<number> {
  const args = parseImportArgs(argv);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const out = resolve(args.out);
  if (existsSync(out) && !args.force) fail(`${args.out} exists; nothing was written. Pass --force to overwrite it (its edits would be lost), or choose another --out.`);
  if (!existsSync(dirname(out))) fail(`the directory of --out (${dirname(out)}) does not exist.`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const now = runNow();
  const day = utcDay(now);
  const approvalReference = args.approvalReference === 'imported' ? `imported on ${day} from the live workspace` : args.approvalReference;

  let calls = 0;
  const snapshots: WorkspaceSnapshot[] = [];
  for (const target of args.targets) {
    const label = `the ${target.environment} workspace ${target.workspaceId}`;
    const api = clientFor({ tokenEnvVar: target.tokenEnvVar, region: target.declared.region, workspaceLabel: label }, log);
    // The audit trail dates invites this code did not send (a Business-plan feature; a Team workspace answers 403).
    const inviteEvents = async (since: Date, until: Date) => api.listAuditEvents({ startTime: since.toISOString(), endTime: until.toISOString() });
    snapshots.push(await readWorkspaceSnapshot(api, target, { recordPrefix: args.recordPrefix, now, inviteEvents }));
    calls += api.stats.calls;
    if (api.stats.writes !== 0) throw new Error(`internal error: the import wrote to ${label}`);
  }

  const imported = buildImportedDefinition(snapshots, { now, approvalReference, recordPrefix: args.recordPrefix });
  // The file must construct: anything the constructs reject is reported now, not at the team's first synth.
  try {
    withAccessModel(imported.definition, now, () => undefined);
  } catch (error) {
    throw new Error(`the live workspaces cannot be written as a valid access definition, so nothing was written:\n${(error as Error).message}`);
  }
  const text = renderDefinitionModule(imported, { moduleName: args.moduleName });
  const temporary = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  writeFileSync(temporary, text, { flag: 'wx' });
  renameSync(temporary, out);

  const report = liveGuardrailReport(imported, now);
  // Live names and emails reach the terminal escaped, never as control sequences.
  process.stdout.write(`${terminalText(importSummary(imported, { file: args.out, apiCalls: calls, report }).join('\n'))}\n`);
  return 0;
}
