export interface RateLimitOptions {
  /**
   * Writes allowed per endpoint per window: Segment limits each IAM write endpoint to 60 requests
   * a minute (SDK api/iAMUsersApi.ts, "The rate limit for this endpoint is 60 requests per minute").
   * @default 60
   */
  writesPerWindow?: number;
  /**
   * Reads allowed per endpoint per window. Segment documents reads only as "higher than" writes;
   * the number is an assumption. @default 1000
   */
  readsPerWindow?: number;
  /** @default 60000 */
  windowMs?: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  consumed: number;
  remaining: number;
  resetAtMs: number;
  msBeforeNext: number;
}

interface Window {
  startedAtMs: number;
  used: number;
}

/**
 * Fixed windows per workspace and endpoint ("METHOD /pattern"), each opened by the first request
 * after the previous window ended. A refused request does not count.
 */
export class RateLimiter {
  readonly writesPerWindow: number;
  readonly readsPerWindow: number;
  readonly windowMs: number;
  private readonly windows = new Map<string, Window>();

  constructor(
    options: RateLimitOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.writesPerWindow = options.writesPerWindow ?? 60;
    this.readsPerWindow = options.readsPerWindow ?? 1000;
    this.windowMs = options.windowMs ?? 60_000;
    for (const [name, value] of [['writesPerWindow', this.writesPerWindow], ['readsPerWindow', this.readsPerWindow]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    if (!(this.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${this.windowMs}`);
  }

  take(workspaceId: string, endpoint: string, write: boolean): RateLimitDecision {
    const limit = write ? this.writesPerWindow : this.readsPerWindow;
    const nowMs = this.now();
    const key = `${workspaceId} ${endpoint}`;
    let window = this.windows.get(key);
    if (!window || nowMs >= window.startedAtMs + this.windowMs) {
      window = { startedAtMs: nowMs, used: 0 };
      this.windows.set(key, window);
    }
    const resetAtMs = window.startedAtMs + this.windowMs;
    const allowed = window.used < limit;
    if (allowed) window.used += 1;
    return {
      allowed,
      consumed: window.used,
      remaining: limit - window.used,
      resetAtMs,
      msBeforeNext: allowed ? 0 : Math.max(1, resetAtMs - nowMs),
    };
  }
}

/**
 * The headers every response carries (docs.segmentapis.com "Rate Limits"): X-RateLimit-Reset is a
 * timestamp in RFC 5322 format. `toUTCString()` gives the IMF-fixdate form ("Thu, 20 Aug 2026
 * 16:00:25 GMT"), which is an RFC 5322 date; it has second precision, so it is rounded up.
 */
export function rateLimitHeaders(decision: Pick<RateLimitDecision, 'consumed' | 'remaining' | 'resetAtMs'>): Record<string, string> {
  return {
    'X-RateLimit-Consumed': String(decision.consumed),
    'X-RateLimit-Remaining': String(Math.max(0, decision.remaining)),
    'X-RateLimit-Reset': new Date(Math.ceil(decision.resetAtMs / 1000) * 1000).toUTCString(),
  };
}
