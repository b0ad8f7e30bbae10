import { readFileSync } from 'fs';
import { join } from 'path';
import { redactRecordKeys } from '../api/redact';
import { terminalLines } from '../model/output-encoding';

/** A command of the `segment-access` CLI, loaded only when it runs so start-up stays close to plain `node`. */
export interface CommandEntry {
  readonly summary: string;
  readonly load: () => { run(argv: string[]): Promise<number> };
}

export type CommandTable = Readonly<Record<string, CommandEntry>>;

/** Set by the bundler for the single-file executor, which has no package.json beside it. */
declare const __SEGMENT_ACCESS_VERSION__: string | undefined;

function version(): string {
  if (typeof __SEGMENT_ACCESS_VERSION__ === 'string') return __SEGMENT_ACCESS_VERSION__;
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

function usage(commands: CommandTable): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'Usage: segment-access <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `segment-access <command> --help` for a command\'s options.',
  ].join('\n');
}

async function dispatch(commands: CommandTable, argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${usage(commands)}\n`);
    return command ? 0 : 1;
  }
  const entry = Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : undefined;
  if (!entry) {
    process.stderr.write(`Unknown command "${command}".\n\n${usage(commands)}\n`);
    return 1;
  }
  return entry.load().run(rest);
}

/** Runs the CLI and sets the exit code; errors are printed as one line, never as a stack trace. */
export function runCli(commands: CommandTable, argv: string[]): void {
  dispatch(commands, argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // Messages quote names from the definition and from Segment: control characters are shown, not obeyed.
      process.stderr.write(`segment-access: ${redactRecordKeys(terminalLines(error instanceof Error ? error.message : String(error)))}\n`);
      process.exitCode = 1;
    },
  );
}
