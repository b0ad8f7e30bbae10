import { AuditCursor } from './behaviours';
import { validationError } from './errors';
import type { AuditEventRecord } from './model';
import { Page, PageRequest, paginate, PaginationOutput, readPageCount, readPageRequest } from './pagination';
import type { QueryParams } from './query';

/** A time cursor: events at or before `atMs`, less the first `skip` of those stamped exactly `atMs` (already listed). */
interface TimePosition {
  atMs: number;
  skip: number;
}

export interface AuditPageInput {
  query: QueryParams;
  mode: AuditCursor;
  maxCount: number;
  /** The emulator clock. */
  nowMs: number;
  /** The endTime the caller gave, if any. */
  explicitEndTime: string | undefined;
  /** Events up to `endTime` (newest first), as the other filters leave them. */
  list(endTime: string | undefined): AuditEventRecord[];
}

/**
 * One page of the audit trail. With offset cursors it pages like every list. With time cursors
 * (`auditCursor: time`) the cursor holds the time the next page ends at, and an explicit endTime
 * wins over it, as the SDK's description reads ("Defaults to the current time, or the end time from
 * the pagination cursor"): a client that sends endTime with every page gets its first page again.
 */
export function pageAuditEvents(input: AuditPageInput): Page<AuditEventRecord> {
  if (input.mode === AuditCursor.OFFSET) {
    return paginate(input.list(input.explicitEndTime), null, readPageRequest(input.query, input.maxCount) satisfies PageRequest);
  }
  const count = readPageCount(input.query, input.maxCount);
  const rawCursor = input.query.getString('pagination.cursor');
  const fromCursor = rawCursor === undefined || input.explicitEndTime !== undefined ? undefined : decodeTimeCursor(rawCursor);
  const endTime = input.explicitEndTime ?? (fromCursor ? new Date(fromCursor.atMs).toISOString() : undefined);
  let events = input.list(endTime);
  if (fromCursor) {
    let skipped = 0;
    events = events.filter((event) => !(Date.parse(event.timestamp) === fromCursor.atMs && skipped++ < fromCursor.skip));
  }
  const items = events.slice(0, count);
  const pagination: PaginationOutput = { current: rawCursor ?? encodeTimeCursor({ atMs: endTime ? Date.parse(endTime) : input.nowMs, skip: 0 }), totalEntries: events.length };
  if (events.length > count) {
    const lastMs = Date.parse(items[items.length - 1].timestamp);
    const sameTime = items.filter((event) => Date.parse(event.timestamp) === lastMs).length;
    pagination.next = encodeTimeCursor({ atMs: lastMs, skip: sameTime + (fromCursor?.atMs === lastMs ? fromCursor.skip : 0) });
  }
  return { items, pagination };
}

function encodeTimeCursor(position: TimePosition): string {
  return Buffer.from(`t:${position.atMs}:${position.skip}`, 'utf8').toString('base64url');
}

function decodeTimeCursor(cursor: string): TimePosition {
  const match = /^t:(\d{1,15}):(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || encodeTimeCursor({ atMs: Number(match[1]), skip: Number(match[2]) }) !== cursor) {
    throw validationError(`pagination.cursor "${cursor}" is not a cursor this API returned.`, 'pagination.cursor');
  }
  return { atMs: Number(match[1]), skip: Number(match[2]) };
}
