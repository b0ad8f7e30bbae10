import { validationError } from './errors';
import { DEFAULT_PAGE_COUNT, MAX_PAGE_COUNT } from './limits';
import { QueryParams } from './query';

export interface PageRequest {
  count: number;
  /** Index of the first item of the page. */
  offset: number;
}

/** PaginationOutput (SDK model/paginationOutput.ts): `next` and `previous` are left out where there is no such page. */
export interface PaginationOutput {
  current: string;
  next?: string;
  previous?: string;
  totalEntries: number;
}

export interface Page<T> {
  items: T[];
  pagination: PaginationOutput;
}

/**
 * Reads `pagination.count` / `pagination.cursor` (or the bracketed spelling; QueryParams folds both).
 * `maxCount` is the `maxPageCount` setting (Segment's pages say 1000 or 200).
 */
export function readPageRequest(query: QueryParams, maxCount: number = MAX_PAGE_COUNT): PageRequest {
  const rawCursor = query.getString('pagination.cursor');
  return { count: readPageCount(query, maxCount), offset: rawCursor === undefined ? 0 : decodeCursor(rawCursor) };
}

export function readPageCount(query: QueryParams, maxCount: number): number {
  const rawCount = query.getString('pagination.count');
  if (rawCount === undefined) return Math.min(DEFAULT_PAGE_COUNT, maxCount);
  const count = /^\d+$/.test(rawCount) ? Number(rawCount) : NaN;
  if (!(count >= 1 && count <= maxCount)) {
    throw validationError(`pagination.count must be an integer from 1 to ${maxCount}; got "${rawCount}".`, 'pagination.count');
  }
  return count;
}

/**
 * Offset pagination over items sorted by `keyOf`, with Segment's cursors: base64 of the offset,
 * so the first page is `MA==` (docs.segmentapis.com "Pagination": current "MA==", next "Mw==").
 * Pass `sorted: true` when the items are already in the order to page them in.
 */
export function paginate<T>(items: T[], keyOf: ((item: T) => string) | null, request: PageRequest): Page<T> {
  const sorted = keyOf === null ? [...items] : [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const { offset, count } = request;
  const pagination: PaginationOutput = { current: encodeCursor(offset), totalEntries: sorted.length };
  if (offset + count < sorted.length) pagination.next = encodeCursor(offset + count);
  if (offset > 0) pagination.previous = encodeCursor(Math.max(0, offset - count));
  return { items: sorted.slice(offset, offset + count), pagination };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(String(offset), 'utf8').toString('base64');
}

/** Only cursors this API could have issued: canonical base64 of a non-negative integer. */
function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (/^(0|[1-9]\d{0,8})$/.test(text) && encodeCursor(Number(text)) === cursor) return Number(text);
  throw validationError(`pagination.cursor "${cursor}" is not a cursor this API returned.`, 'pagination.cursor');
}
