export interface RateLimitOptions {
  /** Segment allows 60 write requests a minute per workspace. */
  writesPerWindow?: number;
  windowMs?: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAtMs: number;
  msBeforeNext: number;
}

interface Window {
  startedAtMs: number;
  used: number;
}

/** Fixed window per workspace, opened by the first write after the previous window ended. */
export class WriteRateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly windows = new Map<string, Window>();

  constructor(options: RateLimitOptions = {}, private readonly now: () => number = Date.now) {
    this.limit = options.writesPerWindow ?? 60;
    this.windowMs = options.windowMs ?? 60_000;
    if (!Number.isInteger(this.limit) || this.limit < 1) throw new RangeError(`writesPerWindow must be a positive integer`);
    if (!(this.windowMs > 0)) throw new RangeError(`windowMs must be positive`);
  }

  /** Counts one write for the workspace if it is allowed; a refused write does not use up the window. */
  take(workspaceId: string): RateLimitDecision {
    const nowMs = this.now();
    let window = this.windows.get(workspaceId);
    if (!window || nowMs >= window.startedAtMs + this.windowMs) {
      window = { startedAtMs: nowMs, used: 0 };
      this.windows.set(workspaceId, window);
    }
    const resetAtMs = window.startedAtMs + this.windowMs;
    const allowed = window.used < this.limit;
    if (allowed) window.used += 1;
    return {
      allowed,
      limit: this.limit,
      remaining: this.limit - window.used,
      resetAtMs,
      msBeforeNext: allowed ? 0 : Math.max(1, resetAtMs - nowMs),
    };
  }
}

/** X-RateLimit-Reset is the window's end in Unix epoch SECONDS, as Segment sends it. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetAtMs / 1000)),
  };
}
