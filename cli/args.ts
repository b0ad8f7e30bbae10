import { parseArgs } from 'util';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | undefined> & { help?: boolean };
  readonly positionals: string[];
}

/** parseArgs with errors that say which command and how to get help. */
export function parseCommandArgs(command: string, argv: string[], options: OptionSpec, allowPositionals = false): ParsedArgs {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
  } catch (e) {
    throw new Error(`${command}: ${(e as Error).message}. Run \`segment-access ${command} --help\`.`);
  }
}

export function stringArg(values: ParsedArgs['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}
