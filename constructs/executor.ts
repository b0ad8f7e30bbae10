import { existsSync } from 'fs';
import { join } from 'path';

/** File name of the bundled executor, copied beside every synthesized stack. */
export const BUNDLED_EXECUTOR_FILE = 'segment-access-executor.cjs';

/**
 * Where the build (`npm run build`) leaves the single-file executor: `dist/executor/` of this package.
 * Looked up from the compiled layout (dist/constructs) and from the source layout (ts-node, jest).
 */
export function bundledExecutorSource(): string {
  const candidates = [join(__dirname, '..', 'executor', BUNDLED_EXECUTOR_FILE), join(__dirname, '..', 'dist', 'executor', BUNDLED_EXECUTOR_FILE)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error(
      `The bundled segment-access executor is missing (looked for ${candidates.join(' and ')}). ` +
        'Run `npm run build` in the segment-access package, or give the workspace `executor: Executor.command([...])`.',
    );
  }
  return found;
}

/**
 * How Terraform's `local-exec` starts the segment-access executor. Always an argument vector used as
 * the provisioner's `interpreter`, never a shell string: nothing is ever parsed by a shell.
 */
export class Executor {
  /**
   * The executor bundled with this library (one self-contained file, copied beside each synthesized
   * stack and run with `node`). Works wherever the stack is synthesized or moved, needs no install,
   * never queries a package registry, and keeps no absolute path of the synth machine. The default.
   */
  public static bundled(): Executor {
    return new Executor(['node', BUNDLED_EXECUTOR_FILE], true);
  }

  /** A program and its leading arguments, e.g. `['segment-access']` for a binary installed on PATH. */
  public static command(argv: readonly string[]): Executor {
    if (!Array.isArray(argv) || argv.length === 0) {
      throw new Error(`Executor.command: received ${JSON.stringify(argv) ?? String(argv)}; allowed: a program and its arguments, e.g. ["segment-access"]. Fix: name the installed executor, or use Executor.bundled().`);
    }
    argv.forEach((arg, i) => {
      // eslint-disable-next-line no-control-regex
      if (typeof arg !== 'string' || arg === '' || /[\u0000-\u001f\u007f]/.test(arg)) {
        throw new Error(`Executor.command: argument ${i} is ${JSON.stringify(arg)}; allowed: non-empty text without control characters. Fix: pass each argument as its own plain string.`);
      }
    });
    return new Executor([...argv], false);
  }

  private constructor(
    /** The provisioner's `interpreter`: the command name (e.g. `reconcile`) is appended to it. */
    public readonly argv: readonly string[],
    /** Whether the bundled file must be written beside the stack. */
    public readonly usesBundledFile: boolean,
  ) {}
}
