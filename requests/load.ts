import { basename } from 'path';
import type { z } from 'zod';
import type { CollaboratorAccess, GroupAccess } from '../stacks/access-definition';
import { recordDeclaredAt } from '../model/declared-at';
import { ConcealedValue, illFormedProblems, SegmentAccessValidationError, ValidationProblem, wellFormed } from '../model/validation';
import { looksLikeSecret } from '../model/token-variable-names';
import { terminalLines } from '../model/output-encoding';
import { AccessRequestsSchema } from './schema';
import { emailFix } from '../constructs/segment-collaborator';
import { isControlKey } from './control-keys';
import { DEFAULT_YAML_LIMITS, SafeYaml, YamlLimits } from './safe-yaml';
import { parseDataFile, readDataFileText } from './data-file';

/** What an access requests file asks for: the collaborators and group grants of an AccessDefinition. */
export interface AccessRequests {
  readonly collaborators: CollaboratorAccess[];
  readonly groupGrants: GroupAccess[];
}

export interface LoadAccessRequestsOptions {
  /** Limits on the YAML (size, aliases, nesting). @default DEFAULT_YAML_LIMITS */
  readonly limits?: Partial<YamlLimits>;
}

/** Fixes by the field's last name: said in the file's terms (YAML values, not TypeScript enums). */
const FIELD_FIXES: Readonly<Record<string, string>> = Object.freeze({
  role: 'write one of OWNER, ADMIN, MEMBER, READ_ONLY, or CUSTOM with customPermissions.',
  kind: 'write SERVICE_ACCOUNT, PERSON or CONTRACTOR (or leave it out for a service account).',
  level: 'write ADMIN or READ_ONLY.',
  expiresOn: 'write the day the access ends as YYYY-MM-DD, e.g. 2027-03-31.',
  reason: 'say why this environment differs, in at least 10 characters: reviewers read it in plans and reports.',
  id: 'give each entry a stable id: a letter, then letters, digits, "_" or "-" (changing it later replaces the grant).',
  version: 'write version: 1, or leave the line out.',
  environments: 'use the keys prod, staging and dev.',
  labels: 'write labels as a mapping of text, e.g. { environment: prod }.',
  ticket: 'write the ticket as text; quote it if it is only digits, e.g. "1042".',
  displayName: 'write the name shown in reports and hand-off notes, e.g. Northwind Analytics.',
  grant: 'give the grant, at least { role: READ_ONLY }.',
  collaborators: 'list the collaborators under collaborators: (an empty list is [ ]).',
});

function fixFor(file: string, value: unknown): (field: string) => string {
  return (field) => {
    const path = field.split('.');
    const last = [...path].reverse().find((segment) => !/^\d+$/.test(segment)) ?? field;
    // An email's fix names who is behind it: the entry's kind (a person's address, or a service account's).
    if (last === 'email' && path.length === 3) return emailFix(entryField(value, path[0], path[1], 'kind'));
    return FIELD_FIXES[last] ?? `set ${field} to an allowed value in ${file}.`;
  };
}

/** `value[list][index][field]` of the parsed YAML, or undefined wherever the shape differs. */
function entryField(value: unknown, list: string, index: string, field: string): unknown {
  const entries = (value as Record<string, unknown> | null)?.[list];
  const entry = Array.isArray(entries) ? entries[Number(index)] : undefined;
  return entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[field] : undefined;
}

/** A misspelt or control key, each as its own problem at the key's line. */
function unknownKeyProblems(issue: z.core.$ZodIssue & { code: 'unrecognized_keys' }, yaml: SafeYaml, file: string): ValidationProblem[] {
  const input = (issue.input ?? {}) as Record<string, unknown>;
  return issue.keys.map((key) => {
    const field = [...issue.path.map(String), key].join('.');
    const value = input[key];
    const received = typeof value === 'string' && looksLikeSecret(value) ? ConcealedValue.token(value) : value;
    const at = yaml.locate(issue.path, key);
    if (isControlKey(key, issue.path.length)) {
      return {
        at,
        field,
        received,
        allowed: `request fields only (\`${key}\` is a control setting)`,
        fix: `\`${key}\` is a control setting; set it in the workspace configuration (code), not in ${file}. A requests file asks for access; it cannot change how the tool runs or which rules apply.`,
      };
    }
    const environment = issue.path[issue.path.length - 1] === 'environments';
    return {
      at,
      field,
      received,
      allowed: environment ? 'the environments prod, staging and dev' : 'only the documented fields (see schema/access.schema.json)',
      fix: environment ? `use the keys prod, staging and dev (not "${key}").` : `remove or correct the misspelt key "${key}".`,
    };
  });
}

function where(file: string): string {
  return `access requests "${file}"`;
}

/**
 * Parses and validates the text of an access requests file. Throws one SegmentAccessValidationError
 * listing every problem, each located (`file:line:column`), with the field, the value, what is
 * allowed and the fix. Nothing in the file is ever run or resolved: it is data.
 */
export function parseAccessRequests(text: string, file = 'access.yaml', options: LoadAccessRequestsOptions = {}): AccessRequests {
  const name = basename(file);
  const { yaml } = parseDataFile(text, file, AccessRequestsSchema, {
    where: where(file),
    limits: options.limits,
    fixFor: (field, value) => fixFor(name, value)(field),
    unknownKey: (issue, parsed) => unknownKeyProblems(issue, parsed, name),
  });
  // A value can hold a lone surrogate only if the text has one or writes one with a double-quoted escape
  // (`\uD800`, `\U0000D800`): every value is walked only then. (The stacks check every string again.)
  if (!wellFormed(text) || text.includes('\\')) {
    const broken = illFormedProblems(yaml.value).map((p) => ({ ...p, at: yaml.locate(p.field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))) }));
    if (broken.length) throw new SegmentAccessValidationError(where(file), broken);
  }
  // The file's own data (not zod's output with defaults filled in): the constructs apply the defaults,
  // exactly as for a TypeScript definition, and an override carries only what it changes.
  const data = yaml.value as { collaborators: CollaboratorAccess[]; groupGrants?: GroupAccess[] };
  // Where each entry is, worked out only for a message that names it.
  data.collaborators.forEach((c, i) => recordDeclaredAt(c, () => yaml.entryAt('collaborators', i)));
  (data.groupGrants ?? []).forEach((g, i) => recordDeclaredAt(g, () => yaml.entryAt('groupGrants', i)));
  return { collaborators: data.collaborators, groupGrants: data.groupGrants ?? [] };
}

/** Reads, parses and validates an access requests file (see parseAccessRequests). */
export function loadAccessRequests(file: string, options: LoadAccessRequestsOptions = {}): AccessRequests {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const text = readDataFileText(file, limits.maxBytes, where(file), `create ${file} (see docs/requests-and-controls.md), or pass the path of the requests file.`, 'access requests file');
  return parseAccessRequests(text, file, options);
}

/**
 * loadAccessRequests for an app's entry point (main.ts): an invalid file prints its problems once,
 * with no stack trace, and ends the synth with exit code 1 before anything is synthesized.
 */
export function loadAccessRequestsOrExit(file: string, options: LoadAccessRequestsOptions = {}): AccessRequests {
  try {
    return loadAccessRequests(file, options);
  } catch (error) {
    if (!(error instanceof SegmentAccessValidationError)) throw error;
    process.stderr.write(`${terminalLines(error.message)}\n`);
    return process.exit(1);
  }
}
