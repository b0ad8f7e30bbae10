import { validationError } from './errors';

/** Writes take at most this many items per call (design.md: collections are limited to about 200 per call). */
export const MAX_ITEMS_PER_CALL = 200;
/** "If pagination is optional and not provided, the count will default to 200" (docs.segmentapis.com "Pagination"). */
export const DEFAULT_PAGE_COUNT = 200;
/** "The number of items to retrieve in a page, between 1 and 1000" (SDK model/paginationInput.ts). */
export const MAX_PAGE_COUNT = 1000;

/** Rejects an empty batch or one larger than Segment accepts in one call. */
export function checkBatchSize(items: readonly unknown[], field: string): void {
  if (items.length === 0) throw validationError(`${field} must contain at least one item.`, field);
  if (items.length > MAX_ITEMS_PER_CALL) {
    throw validationError(`${field} has ${items.length} items; at most ${MAX_ITEMS_PER_CALL} are allowed per call.`, field);
  }
}
