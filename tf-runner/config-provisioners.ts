/**
 * Reads a resource's `provisioner` blocks. cdktf 0.21 emits
 * `[{ "local-exec": { command, environment, working_dir, interpreter, when, on_failure } }]`
 * (terraform-resource.js maps each `{ type, ...props }` to `{ [type]: snake_case(props) }`);
 * the other JSON block encodings Terraform accepts, and the raw `{ type: "local-exec", ... }`
 * form, are read too.
 */
import { TfConfigError } from './errors';
import { parseLiteralTemplate, parseTemplate, Template } from './template';

export type ProvisionerWhen = 'create' | 'destroy';

export interface LocalExecProvisioner {
  /** Position among the resource's provisioner blocks (declaration order is run order). */
  index: number;
  when: ProvisionerWhen;
  onFailure: 'fail' | 'continue';
  command: Template;
  environment: Array<{ name: string; value: Template }>;
  workingDir: Template | null;
  /** null → Terraform's default `["/bin/sh", "-c"]`. */
  interpreter: Template[] | null;
  quiet: boolean;
}

const KEY_ALIASES: Record<string, string> = { workingDir: 'working_dir', onFailure: 'on_failure' };
const LOCAL_EXEC_KEYS = new Set(['command', 'environment', 'working_dir', 'interpreter', 'when', 'on_failure', 'quiet', 'connection']);

export function parseProvisioners(raw: unknown, address: string): LocalExecProvisioner[] {
  if (raw === undefined || raw === null) return [];
  return provisionerBlocks(raw, address).map(({ type, body }, index) => {
    const where = `${address} provisioner[${index}]`;
    if (type !== 'local-exec') {
      throw new TfConfigError(`Unsupported provisioner "${type}" in ${where}: the tf-runner runs local-exec only`);
    }
    return parseLocalExec(body, index, where);
  });
}

function provisionerBlocks(raw: unknown, address: string): Array<{ type: string; body: Record<string, unknown> }> {
  const items = Array.isArray(raw) ? raw : [raw];
  return items.flatMap((item) => {
    if (!isRecord(item)) throw new TfConfigError(`${address}: each provisioner must be an object`);
    if (typeof item.type === 'string') {
      const { type, ...body } = item;
      return [{ type: type as string, body }];
    }
    return Object.entries(item).flatMap(([type, bodies]) =>
      (Array.isArray(bodies) ? bodies : [bodies]).map((body) => {
        if (!isRecord(body)) throw new TfConfigError(`${address}: provisioner "${type}" must be an object`);
        return { type, body };
      }),
    );
  });
}

function parseLocalExec(rawBody: Record<string, unknown>, index: number, where: string): LocalExecProvisioner {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rawBody)) {
    const name = KEY_ALIASES[key] ?? key;
    if (!LOCAL_EXEC_KEYS.has(name)) throw new TfConfigError(`Unsupported argument "${key}" in ${where}`);
    body[name] = value;
  }
  if (typeof body.command !== 'string' || body.command === '') {
    // Terraform: "Invalid local-exec provisioner command: The command must be a non-empty string."
    throw new TfConfigError(`${where}: command must be a non-empty string`);
  }
  return {
    index,
    when: parseWhen(body.when, where),
    onFailure: parseOnFailure(body.on_failure, where),
    command: parseTemplate(body.command, `${where}.command`),
    environment: parseEnvironment(body.environment, where),
    workingDir: optionalTemplate(body.working_dir, `${where}.working_dir`),
    interpreter: parseInterpreter(body.interpreter, where),
    quiet: parseQuiet(body.quiet, where),
  };
}

function parseWhen(raw: unknown, where: string): ProvisionerWhen {
  if (raw === undefined || raw === null || raw === 'create') return 'create';
  if (raw === 'destroy') return 'destroy';
  throw new TfConfigError(`${where}: when must be "create" or "destroy", got ${JSON.stringify(raw)}`);
}

function parseOnFailure(raw: unknown, where: string): 'fail' | 'continue' {
  if (raw === undefined || raw === null || raw === 'fail') return 'fail';
  if (raw === 'continue') return 'continue';
  throw new TfConfigError(`${where}: on_failure must be "fail" or "continue", got ${JSON.stringify(raw)}`);
}

function parseQuiet(raw: unknown, where: string): boolean {
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'boolean') return raw;
  throw new TfConfigError(`${where}: quiet must be a boolean`);
}

function parseEnvironment(raw: unknown, where: string): LocalExecProvisioner['environment'] {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) throw new TfConfigError(`${where}.environment must be a map of strings`);
  // Terraform's local-exec skips null entries of `environment`.
  return Object.entries(raw)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => {
      const name = parseLiteralTemplate(key, `${where}.environment key "${key}"`);
      return { name, value: parseTemplate(scalarString(value, `${where}.environment.${key}`), `${where}.environment.${key}`) };
    });
}

function parseInterpreter(raw: unknown, where: string): Template[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) throw new TfConfigError(`${where}.interpreter must be a list of strings`);
  // Terraform drops null elements and falls back to /bin/sh -c for an empty list.
  const items = raw.filter((item) => item !== null);
  if (items.length === 0) return null;
  return items.map((item, i) => parseTemplate(scalarString(item, `${where}.interpreter[${i}]`), `${where}.interpreter[${i}]`));
}

function optionalTemplate(raw: unknown, where: string): Template | null {
  if (raw === undefined || raw === null) return null;
  return parseTemplate(scalarString(raw, where), where);
}

/** Terraform converts JSON numbers and bools to strings where a string is expected. */
export function scalarString(raw: unknown, where: string): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw new TfConfigError(`${where} must be a string, got ${JSON.stringify(raw)}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
