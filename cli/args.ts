import { parseArgs, ParseArgsConfig } from 'util';

/** parseArgs with errors that say which command and how to get help. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (e) {
    throw new Error(`${command}: ${(e as Error).message}. Run \`segment-access ${command} --help\`.`);
  }
}
