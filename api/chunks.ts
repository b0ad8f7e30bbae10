import { nestedKey, type QuerySyntax } from './query';

/** Segment's collection writes take about 200 items per call (design.md section 3). */
export const MAX_ITEMS_PER_CALL = 200;

/**
 * Servers and proxies commonly refuse request lines over 8 KiB (nginx's default), so a
 * DELETE whose query lists emails also stays under this many characters; 200 ordinary
 * addresses fit.
 */
export const MAX_QUERY_CHARS = 7_500;

/** Splits items into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number = MAX_ITEMS_PER_CALL): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Like `chunk`, but also keeps each chunk's `name.N=value&...` query under `MAX_QUERY_CHARS`. */
export function chunkForQuery(name: string, items: readonly string[], syntax: QuerySyntax): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const item of items) {
    let cost = queryPairLength(name, current.length, item, syntax);
    if (current.length > 0 && (current.length >= MAX_ITEMS_PER_CALL || chars + cost > MAX_QUERY_CHARS)) {
      chunks.push(current);
      current = [];
      chars = 0;
      cost = queryPairLength(name, 0, item, syntax);
    }
    current.push(item);
    chars += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Length of `key=value&` for one array item. */
function queryPairLength(name: string, index: number, value: string, syntax: QuerySyntax): number {
  return nestedKey(name, index, syntax).length + 1 + encodeURIComponent(value).length + 1;
}
