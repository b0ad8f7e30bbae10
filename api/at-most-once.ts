import { SegmentApiError } from './errors';
import type { HttpMethod } from './http-method';

/**
 * A failure after which a write may or may not have been applied: no response at all, or a 5xx (a
 * gateway may answer 502 after Segment applied the call and its response was lost).
 */
export function outcomeUnknown(error: unknown): boolean {
  return error instanceof SegmentApiError && (error.status === 0 || error.status >= 500);
}

export interface AtMostOnceWrite<T> {
  readonly method: HttpMethod;
  readonly path: string;
  /** Sends what is still to do; `priorAttempts` counts towards the client's retries. */
  send(priorAttempts: number): Promise<T>;
  /**
   * Re-reads Segment after a failure: the result when nothing is left to do, or undefined to send
   * again (having narrowed what `send` sends to what is still to do).
   */
  reread(): Promise<T | undefined>;
  /** Also re-read after a 404: a batch delete naming something already gone (the rest may still need deleting). */
  readonly rereadOnNotFound?: boolean;
}

export interface RepeatPolicy {
  readonly maxAttempts: number;
  pause(method: HttpMethod, path: string, attempt: number, message: string): Promise<void>;
}

/**
 * Creates and deletes are never repeated blindly: after a lost response, Segment is read again first,
 * so a retried `POST /groups` never makes a second group (Segment may allow two with one name) and a
 * retried `POST /invites` never meets its own invites as "already invited".
 */
export async function writeAtMostOnce<T>(write: AtMostOnceWrite<T>, policy: RepeatPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write.send(attempt - 1);
    } catch (error) {
      const notFound = write.rereadOnNotFound === true && error instanceof SegmentApiError && error.status === 404;
      if ((!outcomeUnknown(error) && !notFound) || attempt >= policy.maxAttempts) throw error;
      if (!notFound) await policy.pause(write.method, write.path, attempt, `${(error as Error).message}; reading the workspace again before repeating it`);
      const done = await write.reread();
      if (done !== undefined) return done;
    }
  }
}
