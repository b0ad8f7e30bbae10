#!/usr/bin/env node
// The `segment-access` executor. Kept tiny: commands are loaded only when run, so `--version` and
// Terraform's provisioner start-up stay close to plain `node`.
import { readFileSync } from 'fs';
import { join } from 'path';
import { terminalLines } from '../model/output-encoding';

const COMMANDS: Record<string, { readonly summary: string; readonly load: () => { run(argv: string[]): Promise<number> } }> = {
  reconcile: { summary: 'make the workspace match the desired-state file (what `cdktf deploy` runs)', load: () => require('./commands/reconcile') },
  plan: { summary: 'show the exact changes reconcile would make; exit 0 = none, 2 = changes, 1 = error', load: () => require('./commands/plan') },
  release: { summary: 'remove everything this code manages in a workspace (what `cdktf destroy` runs)', load: () => require('./commands/release') },
  audit: { summary: 'compare live workspaces with the code: drift, unmanaged members, stale invites, seats', load: () => require('./commands/audit') },
  emulator: { summary: 'run the local Segment Public API emulator', load: () => require('./commands/emulator') },
  'local-apply': { summary: 'apply a synthesized stack with Terraform\'s lifecycle rules, without terraform', load: () => require('./commands/local-apply') },
  demo: { summary: 'synthesize prod, staging and dev and deploy them to the bundled emulator', load: () => require('./commands/demo') },
};

function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: segment-access <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `segment-access <command> --help` for a command\'s options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${usage()}\n`);
    return command ? 0 : 1;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`Unknown command "${command}".\n\n${usage()}\n`);
    return 1;
  }
  return entry.load().run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Messages quote names from the definition and from Segment: control characters are shown, not obeyed.
    process.stderr.write(`segment-access: ${terminalLines(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 1;
  },
);
