/**
 * The runner's state file: Terraform's v4 state reduced to null_resource
 * instances. It records triggers, ids, taint and dependencies only; provisioner
 * environments and command output never reach it. Writes are atomic (temp file
 * + fsync + rename) so a process killed mid-apply leaves the last complete
 * state, never a torn one.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { TfStateError } from './errors';

export interface StateObject {
  address: string;
  id: string;
  triggers: Record<string, string> | null;
  tainted: boolean;
  /** Resources this instance depended on when written (Terraform uses them to order destroys). */
  dependencies: string[];
  /** Recorded like Terraform's `create_before_destroy` instance flag; orders destroys of removed resources. */
  createBeforeDestroy?: boolean;
  /** Set on an object deposed by a create_before_destroy replacement (Terraform's deposed key). */
  deposed?: string;
}

export interface TfState {
  version: 4;
  serial: number;
  lineage: string;
  resources: StateObject[];
}

const ADDRESS = /^null_resource\.[A-Za-z_][A-Za-z0-9_-]*$/;

export function emptyState(): TfState {
  return { version: 4, serial: 0, lineage: randomUUID(), resources: [] };
}

/** A missing file is an empty state, as for `terraform apply` in a fresh directory. */
export function readState(statePath: string): TfState {
  if (!fs.existsSync(statePath)) return emptyState();
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(statePath, 'utf8'));
  } catch (error) {
    throw new TfStateError(`${statePath} is not valid JSON: ${(error as Error).message}`);
  }
  return validateState(document, statePath);
}

/** Bumps the serial (Terraform increments it on every persisted change) and writes atomically. */
export function persistState(statePath: string, state: TfState): void {
  state.serial += 1;
  state.resources.sort(compareObjects);
  writeFileAtomic(statePath, `${JSON.stringify(state, null, 2)}\n`);
}

/** The live (non-deposed) object of a resource, if any. */
export function currentObject(state: TfState, address: string): StateObject | undefined {
  return state.resources.find((object) => object.address === address && object.deposed === undefined);
}

export function deposedObjects(state: TfState, address: string): StateObject[] {
  return state.resources.filter((object) => object.address === address && object.deposed !== undefined);
}

export function writeFileAtomic(file: string, contents: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, contents);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

function compareObjects(a: StateObject, b: StateObject): number {
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  return (a.deposed ?? '').localeCompare(b.deposed ?? '');
}

function validateState(document: unknown, source: string): TfState {
  const fail = (why: string): never => {
    throw new TfStateError(`${source}: ${why}`);
  };
  if (!isRecord(document)) return fail('state must be a JSON object');
  if (document.version !== 4) fail(`unsupported state version ${JSON.stringify(document.version)} (expected 4)`);
  if (typeof document.serial !== 'number' || typeof document.lineage !== 'string') fail('serial and lineage are required');
  if (!Array.isArray(document.resources)) return fail('resources must be a list');
  const resources = document.resources.map((raw, i): StateObject => {
    if (!isRecord(raw)) return fail(`resources[${i}] must be an object`);
    if (typeof raw.address !== 'string' || !ADDRESS.test(raw.address)) {
      return fail(`resources[${i}]: unsupported address ${JSON.stringify(raw.address)} (the tf-runner manages null_resource only)`);
    }
    if (typeof raw.id !== 'string' || raw.id === '') fail(`${raw.address}: id must be a non-empty string`);
    if (raw.triggers !== null && !isStringMap(raw.triggers)) fail(`${raw.address}: triggers must be a map of strings or null`);
    if (typeof raw.tainted !== 'boolean') fail(`${raw.address}: tainted must be a boolean`);
    if (!Array.isArray(raw.dependencies) || !raw.dependencies.every((d) => typeof d === 'string')) {
      fail(`${raw.address}: dependencies must be a list of addresses`);
    }
    if (raw.deposed !== undefined && typeof raw.deposed !== 'string') fail(`${raw.address}: deposed must be a string`);
    return {
      address: raw.address,
      id: raw.id as string,
      triggers: raw.triggers === null ? null : { ...(raw.triggers as Record<string, string>) },
      tainted: raw.tainted as boolean,
      dependencies: [...(raw.dependencies as string[])],
      ...(raw.createBeforeDestroy === true ? { createBeforeDestroy: true } : {}),
      ...(typeof raw.deposed === 'string' ? { deposed: raw.deposed } : {}),
    };
  });
  const live = resources.filter((object) => object.deposed === undefined).map((object) => object.address);
  const duplicate = live.find((address, i) => live.indexOf(address) !== i);
  if (duplicate) fail(`${duplicate} has more than one current object`);
  return { version: 4, serial: document.serial as number, lineage: document.lineage as string, resources };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}
