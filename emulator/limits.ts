import { validationError } from './errors';

/** Segment caps collections at about 200 items per call (list pages, invites, user ids, emails). */
export const MAX_ITEMS_PER_CALL = 200;
export const DEFAULT_PAGE_COUNT = 10;
/** Segment invites expire a week after they are sent. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Rejects an empty batch or one larger than Segment accepts in one call. */
export function checkBatchSize(items: readonly unknown[], field: string): void {
  if (items.length === 0) throw validationError(`${field} must contain at least one item.`, field);
  if (items.length > MAX_ITEMS_PER_CALL) {
    throw validationError(`${field} has ${items.length} items; at most ${MAX_ITEMS_PER_CALL} are allowed per call.`, field);
  }
}
