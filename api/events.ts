import type { HttpMethod } from './http-method';

/** Why a request is sent again. */
export type RetryReason = 'rate-limited' | 'server-error' | 'network' | 'timeout';

/**
 * Why a request waits before it is sent: `window` = the endpoint's own write window is full;
 * `rate-limit-remaining` = Segment said the endpoint has nothing left until its reset (or answered 429).
 */
export type WriteWaitReason = 'window' | 'rate-limit-remaining';

/** Progress the client reports through `onEvent`. Paths never carry query strings (they hold emails) or the token. */
export type ApiEvent =
  | {
      readonly type: 'response';
      readonly method: HttpMethod;
      readonly path: string;
      readonly status: number;
      readonly attempt: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'retry';
      readonly method: HttpMethod;
      readonly path: string;
      readonly reason: RetryReason;
      /** HTTP status of the failed attempt; 0 when there was no response. */
      readonly status: number;
      /** The attempt that failed (1-based). */
      readonly attempt: number;
      readonly maxAttempts: number;
      readonly delayMs: number;
      readonly message: string;
    }
  | {
      /** Paced per endpoint: writes by our own window, any request by Segment's X-RateLimit-Remaining: 0. */
      readonly type: 'rate-wait';
      readonly method: HttpMethod;
      readonly path: string;
      readonly reason: WriteWaitReason;
      readonly delayMs: number;
    };
