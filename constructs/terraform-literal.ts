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

/** `terraformLiteralString` applied to every string, key or value, of a JSON-like value. */
export function terraformLiteral<T>(value: T): T {
  if (typeof value === 'string') return terraformLiteralString(value) as T;
  if (Array.isArray(value)) return value.map((item) => terraformLiteral(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[terraformLiteralString(key)] = terraformLiteral(item);
    return out as T;
  }
  return value;
}
