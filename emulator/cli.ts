import { parseArgs } from 'node:util';
import { EmulatorProfile, profileSettings } from './profiles';
import { LoopbackHost, startEmulator } from './server';

const USAGE = `Usage: segment-access emulator --seed <file> [options]

Runs a local, stateful emulator of Segment's Public API (IAM subset) until SIGINT/SIGTERM.

Options:
  --seed <file>              seed JSON: workspaces, tokens, sources, users, invites, groups (required)
  --port <n>                 port to listen on (default 0: a free port)
  --host <host>              loopback address: 127.0.0.1 (default), ::1 or localhost
  --state-file <file>        load state from this file if it exists, save it after every change
  --window-ms <n>            rate-limit window in ms (default 60000)
  --writes-per-window <n>    writes allowed per endpoint per workspace per window (default 60, Segment's)
  --reads-per-window <n>     reads allowed per endpoint per workspace per window (default 1000, an assumption)
  --lenient                  also accept inputs Segment does not document (unknown fields, repeated keys)
  --profile <name>           undocumented behaviours to follow: ${Object.values(EmulatorProfile).join(', ')} (default defaults;
                             docs/emulator-and-assumptions.md)
  --verbose                  log every request to stderr
  --help                     show this help
`;

class UsageError extends Error {}

/** `segment-access emulator ...`: returns the process exit code. */
export async function runEmulatorCommand(argv: string[]): Promise<number> {
  let options: ReturnType<typeof readOptions>;
  try {
    options = readOptions(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  let emulator;
  try {
    emulator = await startEmulator({
      ...options,
      log: options.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
  } catch (error) {
    process.stderr.write(`Cannot start the emulator: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`Segment API emulator listening on ${emulator.url}\n`);
  const signal = await nextTerminationSignal();
  process.stderr.write(`Received ${signal}, stopping the emulator.\n`);
  await emulator.stop();
  return 0;
}

function readOptions(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        seed: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'state-file': { type: 'string' },
        'window-ms': { type: 'string' },
        'writes-per-window': { type: 'string' },
        'reads-per-window': { type: 'string' },
        lenient: { type: 'boolean' },
        profile: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help' as const;
  if (!values.seed) throw new UsageError('Missing --seed <file>.');
  const host = values.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1 or localhost), not "${host}".`);
  }
  return {
    seed: values.seed,
    port: integerOption('--port', values.port, 0, 65535) ?? 0,
    host: host as LoopbackHost,
    stateFile: values['state-file'],
    rateLimit: {
      windowMs: integerOption('--window-ms', values['window-ms'], 1),
      writesPerWindow: integerOption('--writes-per-window', values['writes-per-window'], 1),
      readsPerWindow: integerOption('--reads-per-window', values['reads-per-window'], 1),
    },
    settings: { ...profileOption(values.profile), ...(values.lenient ? { strict: false } : {}) },
    verbose: values.verbose ?? false,
  };
}

function profileOption(raw: string | undefined) {
  if (raw === undefined) return {};
  const profile = Object.values(EmulatorProfile).find((name) => name === raw);
  if (!profile) throw new UsageError(`--profile must be one of ${Object.values(EmulatorProfile).join(', ')}; got "${raw}".`);
  return profileSettings(profile);
}

function integerOption(name: string, raw: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${name} must be an integer from ${min} to ${max}; got "${raw}".`);
  return value;
}

function nextTerminationSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
