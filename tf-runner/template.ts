/**
 * Terraform JSON-syntax string templates, reduced to what a null_resource
 * provisioner may use. In `.tf.json` every string is a template: `${...}` is an
 * interpolation, `%{...}` a directive, and `$${` / `%%{` are the escapes for a
 * literal `${` / `%{`. Destroy-time provisioners may only reference `self`, so
 * the runner evaluates `self.id`, `self.triggers.KEY` and `self.triggers["KEY"]`
 * and rejects everything else up front instead of guessing.
 */
import { TfConfigError } from './errors';

export type TemplatePart =
  | { kind: 'literal'; text: string }
  | { kind: 'self-id' }
  | { kind: 'self-trigger'; key: string };

export interface Template {
  source: string;
  parts: TemplatePart[];
}

/** The object `self` is bound to: the instance being created or destroyed. */
export interface SelfObject {
  id: string;
  triggers: Record<string, string> | null;
}

const SUPPORTED = '${self.id}, ${self.triggers.KEY} and ${self.triggers["KEY"]}';

export function parseTemplate(source: string, where: string, allowSelf = true): Template {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('$${', i) || source.startsWith('%%{', i)) {
      literal += source[i + 1] + '{';
      i += 3;
    } else if (source.startsWith('%{', i)) {
      throw new TfConfigError(
        `Unsupported template directive "${source.slice(i, closingBrace(source, i + 2, where) + 1)}" in ${where}: ` +
          'the tf-runner does not evaluate %{...} directives (write %%{ for a literal %{)',
      );
    } else if (source.startsWith('${', i)) {
      const end = closingBrace(source, i + 2, where);
      if (!allowSelf) throw literalOnly(source.slice(i, end + 1), where);
      if (literal) parts.push({ kind: 'literal', text: literal });
      literal = '';
      parts.push(parseSelfReference(source.slice(i, end + 1), where));
      i = end + 1;
    } else {
      literal += source[i];
      i += 1;
    }
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  return { source, parts };
}

/** A template that must not reference anything (triggers, map keys): Terraform allows `self` only in provisioners. */
export function parseLiteralTemplate(source: string, where: string): string {
  return parseTemplate(source, where, false)
    .parts.map((part) => (part.kind === 'literal' ? part.text : ''))
    .join('');
}

export function renderTemplate(template: Template, self: SelfObject, where: string): string {
  return template.parts
    .map((part) => {
      if (part.kind === 'literal') return part.text;
      if (part.kind === 'self-id') return self.id;
      const value = self.triggers?.[part.key];
      if (value === undefined) {
        // Terraform: "Invalid index: The given key does not identify an element in this collection value."
        throw new TfConfigError(`Invalid index in ${where}: self.triggers has no element "${part.key}"`);
      }
      return value;
    })
    .join('');
}

function literalOnly(interpolation: string, where: string): TfConfigError {
  return new TfConfigError(
    `Unsupported interpolation "${interpolation}" in ${where}: only provisioners may reference self, and the tf-runner ` +
      'resolves no other references here (write $${ for a literal ${)',
  );
}

function closingBrace(source: string, from: number, where: string): number {
  let inString = false;
  for (let i = from; i < source.length; i += 1) {
    const ch = source[i];
    if (inString && ch === '\\') i += 1;
    else if (ch === '"') inString = !inString;
    else if (ch === '}' && !inString) return i;
  }
  throw new TfConfigError(`Unterminated template sequence in ${where}: "${source}"`);
}

function parseSelfReference(interpolation: string, where: string): TemplatePart {
  const expression = interpolation.slice(2, -1).trim();
  if (expression === 'self.id') return { kind: 'self-id' };
  const dotted = /^self\.triggers\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression);
  if (dotted) return { kind: 'self-trigger', key: dotted[1] };
  const indexed = /^self\.triggers\[\s*("(?:[^"\\]|\\.)*")\s*\]$/.exec(expression);
  if (indexed) return { kind: 'self-trigger', key: JSON.parse(indexed[1]) as string };
  throw new TfConfigError(
    `Unsupported interpolation "${interpolation}" in ${where}: the tf-runner only evaluates ${SUPPORTED} ` +
      '(write $${ for a literal ${)',
  );
}
