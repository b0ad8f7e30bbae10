/**
 * How nested query parameters are written. Segment accepts both:
 * - `dotted`: `userIds.0=a&pagination.count=200` (Segment's documented form; the default)
 * - `bracketed`: `userIds[0]=a&pagination[count]=200`, percent-encoded, as the TypeScript SDK
 *   sends through `request`/`qs`.
 */
export type QuerySyntax = 'dotted' | 'bracketed';

export type QueryScalar = string | number;
export type QueryValue =
  | QueryScalar
  | readonly QueryScalar[]
  | { readonly [key: string]: QueryScalar | undefined }
  | undefined;
export type QueryParams = { readonly [name: string]: QueryValue };

/** Serialises params to `?a.0=x&b.count=1` (empty string when nothing to send); undefined values are left out. */
export function encodeQuery(params: QueryParams, syntax: QuerySyntax = 'dotted'): string {
  const pairs: string[] = [];
  const add = (key: string, value: QueryScalar) => pairs.push(`${key}=${encodeURIComponent(String(value))}`);
  const nested = (name: string, part: string | number) => nestedKey(name, part, syntax);

  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') {
      add(encodeURIComponent(name), value);
    } else if (isArray(value)) {
      value.forEach((item, index) => add(nested(name, index), item));
    } else {
      for (const [part, item] of Object.entries(value)) {
        if (item !== undefined) add(nested(name, part), item);
      }
    }
  }
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/** `name.part` or `name[part]`, encoded. */
export function nestedKey(name: string, part: string | number, syntax: QuerySyntax): string {
  return syntax === 'dotted' ? `${encodeURIComponent(name)}.${encodeURIComponent(part)}` : encodeURIComponent(`${name}[${part}]`);
}

// Array.isArray does not narrow readonly arrays.
function isArray(value: unknown): value is readonly QueryScalar[] {
  return Array.isArray(value);
}
