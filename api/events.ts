import type { HttpMethod } from './http-method';

/** Why a request is sent again. */
export type RetryReason = 'rate-limited' | 'server-error' | 'network' | 'timeout';

/** Why a write waits before it is sent. */
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
      readonly type: 'write-wait';
      readonly method: HttpMethod;
      readonly path: string;
      readonly reason: WriteWaitReason;
      readonly delayMs: number;
    };
