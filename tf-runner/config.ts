/**
 * Reads a cdktf-synthesized stack (`cdktf.out/stacks/<stack>/cdk.tf.json`).
 * Only what a null_resource stack needs is accepted: the `terraform` block, the
 * `null` provider and `null_resource` resources. Anything else is rejected with
 * a message naming it, because silently ignoring configuration would make the
 * runner diverge from what Terraform would do with the same file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TfConfigError } from './errors';
import { isRecord, LocalExecProvisioner, parseProvisioners, scalarString } from './config-provisioners';
import { parseLiteralTemplate } from './template';

export const STACK_CONFIG_FILE = 'cdk.tf.json';
export const RESOURCE_TYPE = 'null_resource';

export interface NullResourceConfig {
  address: string;
  name: string;
  /** null when the block has no `triggers` (Terraform distinguishes null from {}). */
  triggers: Record<string, string> | null;
  /** Direct `depends_on`, normalized to `null_resource.<name>`. */
  dependsOn: string[];
  createBeforeDestroy: boolean;
  preventDestroy: boolean;
  provisioners: LocalExecProvisioner[];
}

export interface StackConfig {
  /** In the order the file declares them. */
  resources: NullResourceConfig[];
}

const TOP_LEVEL_KEYS = new Set(['//', 'terraform', 'provider', 'resource']);
const RESOURCE_KEYS = new Set(['//', 'triggers', 'depends_on', 'provisioner', 'lifecycle', 'provider', 'connection']);
const LIFECYCLE_KEYS = new Set(['create_before_destroy', 'prevent_destroy']);
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function loadStackConfig(stackDir: string): StackConfig {
  const file = path.join(stackDir, STACK_CONFIG_FILE);
  if (!fs.existsSync(file)) throw new TfConfigError(`No ${STACK_CONFIG_FILE} in ${stackDir}`);
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TfConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseStackConfig(document, file);
}

export function parseStackConfig(document: unknown, source = STACK_CONFIG_FILE): StackConfig {
  if (!isRecord(document)) throw new TfConfigError(`${source}: the document must be a JSON object`);
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw new TfConfigError(`${source}: unsupported top-level block "${key}" (the tf-runner supports terraform, provider "null" and null_resource)`);
    }
  }
  checkProviders(document.provider, source);
  const resources = parseResources(document.resource, source);
  const config = { resources };
  checkDependencies(config);
  return config;
}

export function findResource(config: StackConfig, address: string): NullResourceConfig | undefined {
  return config.resources.find((resource) => resource.address === address);
}

/** Every resource `address` depends on, directly or not, sorted (what Terraform records in state). */
export function transitiveDependencies(config: StackConfig, address: string): string[] {
  const seen = new Set<string>();
  const visit = (current: string): void => {
    for (const dependency of findResource(config, current)?.dependsOn ?? []) {
      if (!seen.has(dependency)) {
        seen.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(address);
  return [...seen].sort();
}

function checkProviders(raw: unknown, source: string): void {
  if (raw === undefined) return;
  if (!isRecord(raw)) throw new TfConfigError(`${source}: provider must be an object`);
  for (const name of Object.keys(raw)) {
    if (name !== 'null') throw new TfConfigError(`${source}: unsupported provider "${name}" (the tf-runner supports the null provider only)`);
  }
}

function parseResources(raw: unknown, source: string): NullResourceConfig[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) throw new TfConfigError(`${source}: resource must be an object`);
  return Object.entries(raw).flatMap(([type, blocks]) => {
    if (type !== RESOURCE_TYPE) {
      throw new TfConfigError(`${source}: unsupported resource type "${type}" (the tf-runner supports ${RESOURCE_TYPE} only)`);
    }
    if (!isRecord(blocks)) throw new TfConfigError(`${source}: resource.${type} must be an object`);
    return Object.entries(blocks).map(([name, body]) => parseResource(name, body));
  });
}

function parseResource(name: string, body: unknown): NullResourceConfig {
  const address = `${RESOURCE_TYPE}.${name}`;
  if (!NAME.test(name)) throw new TfConfigError(`Invalid resource name "${name}"`);
  if (!isRecord(body)) throw new TfConfigError(`${address} must be an object`);
  for (const key of Object.keys(body)) {
    if (!RESOURCE_KEYS.has(key)) throw new TfConfigError(`${address}: "${key}" is not supported by the tf-runner`);
  }
  checkProviderReference(body.provider, address);
  const lifecycle = parseLifecycle(body.lifecycle, address);
  return {
    address,
    name,
    triggers: parseTriggers(body.triggers, address),
    dependsOn: parseDependsOn(body.depends_on, address),
    createBeforeDestroy: lifecycle.createBeforeDestroy,
    preventDestroy: lifecycle.preventDestroy,
    provisioners: parseProvisioners(body.provisioner, address),
  };
}

function parseTriggers(raw: unknown, address: string): Record<string, string> | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) throw new TfConfigError(`${address}.triggers must be a map of strings`);
  const triggers: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const where = `${address}.triggers["${key}"]`;
    triggers[parseLiteralTemplate(key, where)] = parseLiteralTemplate(scalarString(value, where), where);
  }
  return triggers;
}

/** cdktf writes `"null_resource.foo"`, some versions `"${null_resource.foo}"`. */
function parseDependsOn(raw: unknown, address: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new TfConfigError(`${address}.depends_on must be a list`);
  return raw.map((entry) => {
    const text = typeof entry === 'string' ? entry.trim() : '';
    const unwrapped = /^\$\{(.*)\}$/.exec(text)?.[1].trim() ?? text;
    const [type, name, ...rest] = unwrapped.split('.');
    if (type !== RESOURCE_TYPE || !name || !NAME.test(name) || rest.length > 0) {
      throw new TfConfigError(`${address}.depends_on: unsupported entry ${JSON.stringify(entry)} (expected "${RESOURCE_TYPE}.<name>")`);
    }
    return `${type}.${name}`;
  });
}

function parseLifecycle(raw: unknown, address: string): { createBeforeDestroy: boolean; preventDestroy: boolean } {
  if (raw === undefined || raw === null) return { createBeforeDestroy: false, preventDestroy: false };
  if (!isRecord(raw)) throw new TfConfigError(`${address}.lifecycle must be an object`);
  for (const [key, value] of Object.entries(raw)) {
    if (!LIFECYCLE_KEYS.has(key)) throw new TfConfigError(`${address}.lifecycle.${key} is not supported by the tf-runner`);
    if (typeof value !== 'boolean') throw new TfConfigError(`${address}.lifecycle.${key} must be a boolean`);
  }
  return { createBeforeDestroy: raw.create_before_destroy === true, preventDestroy: raw.prevent_destroy === true };
}

function checkProviderReference(raw: unknown, address: string): void {
  if (raw === undefined || (typeof raw === 'string' && /^null(\.[A-Za-z_][A-Za-z0-9_-]*)?$/.test(raw))) return;
  throw new TfConfigError(`${address}: provider ${JSON.stringify(raw)} is not the null provider`);
}

/** Terraform rejects references to undeclared resources and dependency cycles before planning. */
function checkDependencies(config: StackConfig): void {
  const declared = new Set(config.resources.map((resource) => resource.address));
  for (const resource of config.resources) {
    for (const dependency of resource.dependsOn) {
      if (!declared.has(dependency)) {
        throw new TfConfigError(`${resource.address}.depends_on: reference to undeclared resource ${dependency}`);
      }
    }
  }
  for (const resource of config.resources) {
    if (transitiveDependencies(config, resource.address).includes(resource.address)) {
      throw new TfConfigError(`Cycle: ${resource.address} depends on itself through depends_on`);
    }
  }
}
