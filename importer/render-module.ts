import { AccessLevel, CollaboratorKind, Environment, Region, WorkspaceRole } from '../model/enums';
import type { CollaboratorAccess } from '../stacks/access-definition';
import { IMPORT_PLACEHOLDER } from '../policy/placeholders';
import type { ImportedDefinition } from './build-definition';
import { ClosingComment, Code, CommentedOut, commentText, printValue, stringLiteral, TsArray, TsEntry, TsItem, TsObject, TsValue } from './ts-literals';

export interface RenderOptions {
  /** The module the generated file imports the types from. @default 'segment-access' */
  readonly moduleName?: string;
}

/** The name the generated module exports its definition as. */
export const EXPORT_NAME = 'ACCESS';

const ENUMS: Readonly<Record<string, { readonly name: string; readonly members: Readonly<Record<string, string>> }>> = {
  role: { name: 'WorkspaceRole', members: WorkspaceRole },
  level: { name: 'AccessLevel', members: AccessLevel },
  kind: { name: 'CollaboratorKind', members: CollaboratorKind },
  environment: { name: 'Environment', members: Environment },
  region: { name: 'Region', members: Region },
};

const AUDIT_KEYS = new Set(['ticket', 'requestedBy', 'approvedBy', 'justification', 'reason']);

function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Converts the definition to printable values: enum members and constants by name, comments attached. */
class ModuleWriter {
  public readonly usedEnums = new Set<string>();
  private readonly constantsByValue: ReadonlyMap<string, string>;

  constructor(private readonly imported: ImportedDefinition) {
    this.constantsByValue = new Map(imported.constants.map((c) => [c.value, c.name]));
  }

  private enumRef(kind: string, value: string): Code | undefined {
    const e = ENUMS[kind];
    const member = e && Object.entries(e.members).find(([, v]) => v === value)?.[0];
    if (!member) return undefined;
    this.usedEnums.add(e.name);
    return new Code(`${e.name}.${member}`);
  }

  public value(value: unknown, path: readonly string[]): TsValue {
    const key = path[path.length - 1];
    if (typeof value === 'string') {
      // `role` inside customPermissions is a Segment role name, not a preset.
      const isEnumField = key in ENUMS && !path.includes('customPermissions') && !path.includes('labels');
      const asEnum = isEnumField ? this.enumRef(key, value) : undefined;
      if (asEnum) return asEnum;
      const constant = AUDIT_KEYS.has(key) ? this.constantsByValue.get(value) : undefined;
      return constant ? new Code(constant) : value;
    }
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return new TsArray(value.map((v, i): TsItem => ({ value: this.value(v, [...path, String(i)]) })));
    if (value && typeof value === 'object') {
      // Environments are written as `[Environment.PROD]`, so the definition reads like the hand-written ones.
      const environmentKeys = key === 'workspaces' || key === 'environments';
      return new TsObject(
        Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]): TsEntry => ({ key: environmentKeys ? (this.enumRef('environment', k) ?? k) : k, value: this.value(v, [...path, k]) })),
      );
    }
    throw new Error(`cannot write ${String(value)} into the access definition`);
  }

  /** A collaborator or group entry, with its notes. */
  public entry(entry: { id: string } & object, path: readonly string[]): TsItem {
    const obj = this.value(entry, path) as TsObject;
    const kindNote = this.imported.kindNotes.get(entry.id);
    const overrides = this.imported.overrideNotes.get(entry.id);
    const entries = obj.entries.map((e): TsEntry => {
      if (kindNote && e.key === 'kind') return { ...e, trailing: kindNote };
      if (overrides && e.key === 'environments' && e.value instanceof TsObject) {
        return {
          ...e,
          value: new TsObject(
            e.value.entries.map((o) => {
              const env = o.key instanceof Code ? Object.entries(Environment).find(([member]) => o.key instanceof Code && o.key.text === `Environment.${member}`)?.[1] : o.key;
              const note = env ? overrides.get(env as Environment) : undefined;
              return note ? { ...o, comments: wrap(note) } : o;
            }),
          ),
        };
      }
      return e;
    });
    return { value: new TsObject(entries), comments: (this.imported.entryNotes.get(entry.id) ?? []).flatMap((n) => wrap(n)) };
  }
}

function headerLines(imported: ImportedDefinition): string[] {
  const lines = [
    `Access definition imported by \`segment-access import\` on ${imported.day} from the live workspaces:`,
    ...imported.snapshots.map(
      (s) =>
        `  ${s.environment}: ${s.workspace.name} (${s.workspace.id}): ${s.users.length} member(s), ${s.invites.length} pending invite(s), ${s.groups.length} user group(s)`,
    ),
    '',
    ...wrap('It reproduces their access exactly, so the first deploy changes no one\'s access: it adopts everyone declared here and only records them as managed. Review it like any access change, then commit it.'),
    '',
    'What the Public API cannot say is marked in comments here:',
    ...(imported.approvalReference === null
      ? [`- who requested and approved each access, its ticket, and why roles differ: "${IMPORT_PLACEHOLDER}" values,`, '  which the guardrails (SA-AUDIT-001) reject until they are written;']
      : ['- who requested and approved each access: recorded as predating this code (--approval-reference);']),
    '- whether an address is a service account or a named person: all are service accounts (the default),',
    '  except personal mailboxes, imported as PERSON;',
    '- SSO, SCIM and seat limits, unless given to the import: declare them in each workspace;',
    '- the permissions of pending invites: listed at the end of `collaborators`, commented out.',
  ];
  return lines;
}

/** Header lines hold workspace names: escaped like every live string. */
function comment(lines: readonly string[]): string {
  return lines.map((l) => (l ? `// ${commentText(l)}` : '//')).join('\n');
}

/**
 * The definition as a TypeScript module, ready to commit: formatted, commented, every live string a
 * literal. Deterministic: the same import gives the same bytes.
 */
export function renderDefinitionModule(imported: ImportedDefinition, options: RenderOptions = {}): string {
  const writer = new ModuleWriter(imported);
  const { definition } = imported;
  const collaborators: TsItem[] = definition.collaborators.map((c, i) => writer.entry(c, ['collaborators', String(i)]));
  const closing: ClosingComment[] = [];
  if (imported.pendingOnly.length) {
    closing.push(
      ...wrap(
        'Pending invites. Segment shows no permissions for an invite, so these are not declared and nothing touches them. Confirm each (uncomment it, give it the grant it should have, and write its ticket: the next deploy re-issues the invite with exactly those permissions) or delete the invite in Segment.',
      ),
    );
    imported.pendingOnly.forEach((p: CollaboratorAccess, i) => {
      closing.push(`${p.email}: ${imported.pendingNotes.get(p.id) ?? ''}`);
      closing.push(new CommentedOut(writer.entry(p, ['collaborators', String(definition.collaborators.length + i)]).value));
    });
  }
  const people = imported.notImported.filter((n) => !n.email.startsWith('group "'));
  if (people.length) {
    closing.push(...wrap('Members not declared here: they are left exactly as they are, and never touched (not managed):'));
    for (const n of people) closing.push(`  ${n.environment}: ${n.email}: ${n.reason}`);
  }
  const entries: TsEntry[] = [
    { key: 'workspaces', value: writer.value(definition.workspaces, ['workspaces']) },
    { key: 'collaborators', value: new TsArray(collaborators, closing) },
  ];
  const groupClosing: ClosingComment[] = [];
  for (const g of imported.groupsWithoutPermissions) groupClosing.push(`${g.environment}: user group "${g.name}" (${g.memberCount} member(s)) holds no permissions: nothing to declare`);
  for (const n of imported.notImported.filter((x) => x.email.startsWith('group "'))) groupClosing.push(`${n.environment}: ${n.email} is not declared: ${n.reason}`);
  if (definition.groupGrants) {
    entries.push({ key: 'groupGrants', value: new TsArray(definition.groupGrants.map((g, i) => writer.entry(g, ['groupGrants', String(i)])), groupClosing) });
  }
  const body = printValue(new TsObject(entries), '', `export const ${EXPORT_NAME}: AccessDefinition = `);

  const names = ['AccessDefinition', ...[...writer.usedEnums].sort()];
  const constants = imported.constants.flatMap((c) => [`// ${c.comment}`, `export const ${c.name} = ${stringLiteral(c.value)};`]);
  return [
    comment(headerLines(imported)),
    `import { ${names.join(', ')} } from ${stringLiteral(options.moduleName ?? 'segment-access')};`,
    '',
    ...(constants.length ? [...constants, ''] : []),
    `export const ${EXPORT_NAME}: AccessDefinition = ${body};`,
    '',
  ].join('\n');
}
