/**
 * Runs one local-exec provisioner the way Terraform's builtin does: argv is the
 * interpreter (default `/bin/sh -c`) followed by the command as ONE argument,
 * environment is the runner's plus `environment`, stdin is empty, and stdout and
 * stderr stream line by line as `<address> (local-exec): <line>`. The runner
 * itself never builds a shell string.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LocalExecProvisioner, ProvisionerWhen } from './config-provisioners';
import { renderTemplate, SelfObject } from './template';

export const DEFAULT_INTERPRETER = ['/bin/sh', '-c'];

export interface ProvisionerRun {
  address: string;
  when: ProvisionerWhen;
  /** Position of the block among the resource's provisioners. */
  index: number;
  onFailure: 'fail' | 'continue';
  /** The command after interpolation (holds only trigger values and ids, like the state). */
  command: string;
  exitCode: number | null;
  signal: string | null;
  succeeded: boolean;
  error?: string;
}

export interface ProvisionerContext {
  address: string;
  /** Terraform runs in the stack directory; relative working_dir resolves against it. */
  stackDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export async function runProvisioner(provisioner: LocalExecProvisioner, self: SelfObject, ctx: ProvisionerContext): Promise<ProvisionerRun> {
  const where = `${ctx.address} provisioner[${provisioner.index}]`;
  const run: ProvisionerRun = {
    address: ctx.address,
    when: provisioner.when,
    index: provisioner.index,
    onFailure: provisioner.onFailure,
    command: provisioner.command.source,
    exitCode: null,
    signal: null,
    succeeded: false,
  };
  ctx.log(`${ctx.address}: Provisioning with 'local-exec'...`);
  let invocation: { argv: string[]; cwd: string; env: NodeJS.ProcessEnv };
  try {
    invocation = resolveInvocation(provisioner, self, ctx, where);
  } catch (error) {
    return { ...run, error: `${where}: ${(error as Error).message}` };
  }
  run.command = invocation.argv[invocation.argv.length - 1];
  const shown = provisioner.quiet ? 'Suppressed by quiet=true' : `[${invocation.argv.map((arg) => JSON.stringify(arg)).join(' ')}]`;
  ctx.log(`${ctx.address} (local-exec): Executing: ${shown}`);
  const outcome = await spawnStreaming(invocation, (line) => ctx.log(`${ctx.address} (local-exec): ${line}`));
  const succeeded = outcome.exitCode === 0;
  const status = outcome.spawnError ?? (outcome.signal ? `signal: ${outcome.signal}` : `exit status ${outcome.exitCode}`);
  return {
    ...run,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    succeeded,
    // Terraform: "local-exec provisioner error: Error running command '<cmd>': exit status 1."
    ...(succeeded ? {} : { error: `local-exec provisioner error: Error running command '${provisioner.quiet ? '(suppressed by quiet=true)' : run.command}': ${status}` }),
  };
}

function resolveInvocation(provisioner: LocalExecProvisioner, self: SelfObject, ctx: ProvisionerContext, where: string) {
  const command = renderTemplate(provisioner.command, self, `${where}.command`);
  const interpreter = provisioner.interpreter?.map((item) => renderTemplate(item, self, `${where}.interpreter`)) ?? DEFAULT_INTERPRETER;
  const env: NodeJS.ProcessEnv = { ...ctx.env };
  for (const { name, value } of provisioner.environment) env[name] = renderTemplate(value, self, `${where}.environment.${name}`);
  const workingDir = provisioner.workingDir ? renderTemplate(provisioner.workingDir, self, `${where}.working_dir`) : '.';
  const cwd = path.resolve(ctx.stackDir, workingDir);
  if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) throw new Error(`working_dir ${cwd} is not a directory`);
  return { argv: [...interpreter, command], cwd, env };
}

interface SpawnOutcome {
  exitCode: number | null;
  signal: string | null;
  spawnError?: string;
}

function spawnStreaming(invocation: { argv: string[]; cwd: string; env: NodeJS.ProcessEnv }, onLine: (line: string) => void): Promise<SpawnOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = invocation.argv;
    const child = spawn(file, args, { cwd: invocation.cwd, env: invocation.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const flushers = [child.stdout, child.stderr].map((stream) => splitLines(stream, onLine));
    let settled = false;
    const settle = (outcome: SpawnOutcome): void => {
      if (settled) return;
      settled = true;
      flushers.forEach((flush) => flush());
      resolve(outcome);
    };
    // A process that could not start (missing interpreter) may never emit 'close'.
    child.on('error', (error) => settle({ exitCode: null, signal: null, spawnError: error.message }));
    child.on('close', (code, signal) => settle({ exitCode: code, signal }));
  });
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): () => void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (buffered + chunk).split(/\r?\n/);
    buffered = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  return () => {
    if (buffered) onLine(buffered);
    buffered = '';
  };
}
