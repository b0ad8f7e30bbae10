import { validationError } from './errors';
import { DEFAULT_PAGE_COUNT, MAX_ITEMS_PER_CALL } from './limits';
import { QueryParams } from './query';

export interface PageRequest {
  count: number;
  cursor?: string;
}

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

export function readPageRequest(query: QueryParams): PageRequest {
  const rawCount = query.getString('pagination.count');
  const rawCursor = query.getString('pagination.cursor');
  let count = DEFAULT_PAGE_COUNT;
  if (rawCount !== undefined && rawCount !== '') {
    count = /^\d+$/.test(rawCount) ? Number(rawCount) : NaN;
    if (!(count >= 1 && count <= MAX_ITEMS_PER_CALL)) {
      throw validationError(
        `pagination.count must be an integer from 1 to ${MAX_ITEMS_PER_CALL}; got "${rawCount}".`,
        'pagination.count',
      );
    }
  }
  return rawCursor ? { count, cursor: rawCursor } : { count };
}

/**
 * Keyset pagination over items sorted by `keyOf`: a cursor names the last key before
 * its page, so pages stay stable when items before the cursor are added or removed.
 */
export function paginate<T>(items: T[], keyOf: (item: T) => string, request: PageRequest): Page<T> {
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const keys = sorted.map(keyOf);
  const after = request.cursor === undefined ? null : decodeCursor(request.cursor);
  const start = after === null ? 0 : keys.filter((key) => compare(key, after) <= 0).length;
  const pageItems = sorted.slice(start, start + request.count);
  const pagination: PaginationOutput = { current: encodeCursor(after), totalEntries: sorted.length };
  if (start + request.count < sorted.length) pagination.next = encodeCursor(keys[start + request.count - 1]);
  if (start > 0) {
    const previousStart = Math.max(0, start - request.count);
    pagination.previous = encodeCursor(previousStart === 0 ? null : keys[previousStart - 1]);
  }
  return { items: pageItems, pagination };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeCursor(after: string | null): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null && 'after' in decoded) {
      const { after } = decoded as { after: unknown };
      if (after === null || typeof after === 'string') return after;
    }
  } catch {
    // Falls through to the validation error below.
  }
  throw validationError(`pagination.cursor "${cursor}" is not a cursor this API returned.`, 'pagination.cursor');
}
