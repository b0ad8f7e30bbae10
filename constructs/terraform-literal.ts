/**
 * Every string in Terraform JSON is a template: `${...}` and `%{...}` are evaluated, in object keys as
 * well as values (verified with terraform 1.11: a key `${upper("k")}` plans as `KEY`). cdktf passes
 * them through. Doubling the introducer (`$${`, `%%{`) is Terraform's own escape for a literal, so a
 * string from the definition reaches the plan exactly as written, and can never call `file()`.
 * https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function terraformLiteralString(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

const INTRODUCER = /[$%]\{/;

/** JSON escapes neither `$`, `%` nor `{`, so one native serialisation finds every key or value that needs escaping. */
function needsEscaping(value: unknown): boolean {
  return INTRODUCER.test(typeof value === 'string' ? value : JSON.stringify(value) ?? '');
}

function escapeAll(value: unknown): unknown {
  if (typeof value === 'string') return terraformLiteralString(value);
  if (Array.isArray(value)) return value.map(escapeAll);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[terraformLiteralString(key)] = escapeAll(item);
    return out;
  }
  return value;
}

/**
 * `terraformLiteralString` applied to every string, key or value, of a JSON-like value. A value with
 * nothing to escape (the common case, at thousands of grants) is returned as it is, not copied.
 */
export function terraformLiteral<T>(value: T): T {
  return needsEscaping(value) ? (escapeAll(value) as T) : value;
}
