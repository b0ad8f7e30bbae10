// Shared fixtures for the tf-runner tests: a temp stack directory holding a
// cdk.tf.json, a state path, and a log file that provisioners append to.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyStack, ApplyResult, PlanMode } from '../../tf-runner';

export interface TestStack {
  root: string;
  stackDir: string;
  statePath: string;
  logFile: string;
  output: string[];
  write(document: unknown): void;
  apply(mode?: PlanMode): Promise<ApplyResult>;
  logLines(): string[];
  state(): { serial: number; lineage: string; resources: Array<Record<string, unknown>> };
}

export function makeStack(document?: unknown): TestStack {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-runner-'));
  const stackDir = path.join(root, 'cdktf.out', 'stacks', 'demo');
  fs.mkdirSync(stackDir, { recursive: true });
  const logFile = path.join(root, 'provisioners.log');
  const stack: TestStack = {
    root,
    stackDir,
    statePath: path.join(root, 'state', 'demo.tfstate.json'),
    logFile,
    output: [],
    write: (doc) => fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(doc, null, 2)),
    apply: (mode = 'apply') => applyStack({ stackDir, statePath: stack.statePath, env: process.env, mode, log: (line) => stack.output.push(line) }),
    logLines: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : []),
    state: () => JSON.parse(fs.readFileSync(stack.statePath, 'utf8')),
  };
  if (document !== undefined) stack.write(document);
  return stack;
}

/** A local-exec block that appends MSG to the log; values travel through `environment`, never the command. */
export function logStep(logFile: string, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'local-exec': {
      command: 'printf "%s\\n" "$MSG" >> "$LOG"',
      environment: { LOG: logFile, MSG: message },
      ...extra,
    },
  };
}

export function nullStack(resources: Record<string, unknown>): Record<string, unknown> {
  return {
    terraform: { required_providers: { null: { source: 'null', version: '3.2.4' } } },
    provider: { null: [{}] },
    resource: { null_resource: resources },
  };
}

/** A resource whose create and destroy provisioners log `<verb> <name> role=<trigger> id=<self.id>`. */
export function loggedResource(logFile: string, name: string, triggers: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    triggers,
    provisioner: [
      logStep(logFile, `create ${name} role=\${self.triggers.role} id=\${self.id}`),
      logStep(logFile, `destroy ${name} role=\${self.triggers["role"]} id=\${self.id}`, { when: 'destroy' }),
    ],
    ...extra,
  };
}

export function removeStack(stack: TestStack): void {
  fs.rmSync(stack.root, { recursive: true, force: true });
}
