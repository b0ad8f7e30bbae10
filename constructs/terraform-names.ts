/** A Terraform resource name from construct ids: readable, stable, and legal (letters, digits, `_`, `-`). */
export function terraformName(...parts: string[]): string {
  const name = parts
    .map((p) => p.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, ''))
    .filter(Boolean)
    .join('_')
    .toLowerCase();
  return /^[a-z_]/.test(name) ? name : `_${name}`;
}
