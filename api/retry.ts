// When to retry and how long to wait. Pure functions, so the policy is testable without a server.

export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 10_000;
/** 429 without any hint: the write limit is per minute, so back off on a coarser scale. */
export const RATE_LIMIT_BACKOFF_BASE_MS = 1_000;
export const RATE_LIMIT_BACKOFF_CAP_MS = 60_000;
/** Added on top of a server-announced wait so parallel clients do not all return at the same instant. */
export const RATE_LIMIT_JITTER_MS = 250;
/** Guards against a nonsensical reset header making us wait for hours. */
export const MAX_RATE_LIMIT_WAIT_MS = 120_000;

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Exponential backoff with full jitter; `retry` is 1 for the first retry. */
export function serverErrorDelayMs(retry: number, random: () => number): number {
  return Math.round(random() * exponentialCeiling(retry, BACKOFF_BASE_MS, BACKOFF_CAP_MS));
}

export interface RateLimitHints {
  /** `data.msBeforeNext` from the 429 body. */
  readonly msBeforeNext?: number;
  /** The raw `X-RateLimit-Reset` header. */
  readonly resetHeader?: string | null;
}

/** How long to wait after a 429: the body's hint, else the reset header, else backoff. */
export function rateLimitDelayMs(hints: RateLimitHints, retry: number, nowMs: number, random: () => number): number {
  const announced = hints.msBeforeNext ?? msUntilReset(hints.resetHeader, nowMs);
  if (announced !== undefined) {
    return Math.round(Math.min(announced, MAX_RATE_LIMIT_WAIT_MS) + random() * RATE_LIMIT_JITTER_MS);
  }
  // Equal jitter: a 429 retried at once is certain to fail again, so keep at least half the ceiling.
  const ceiling = exponentialCeiling(retry, RATE_LIMIT_BACKOFF_BASE_MS, RATE_LIMIT_BACKOFF_CAP_MS);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Reads `X-RateLimit-Reset`. Segment sends "a timestamp, in RFC 5322 format" (docs.segmentapis.com
 * "Rate Limits", e.g. "Thu, 20 Aug 2026 16:00:25 GMT"). Numbers are still accepted, since proxies
 * and other emulators send them: too large to be seconds is epoch milliseconds, an epoch in seconds,
 * or too small to be an epoch is seconds from now.
 */
export function msUntilReset(header: string | null | undefined, nowMs: number): number | undefined {
  const resetAtMs = resetEpochMs(header, nowMs);
  return resetAtMs === undefined ? undefined : Math.max(0, resetAtMs - nowMs);
}

const RFC_5322_DATE = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:GMT|UT|UTC|Z|[+-]\d{4})$/i;

function resetEpochMs(header: string | null | undefined, nowMs: number): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const value = Number(text);
    const EPOCH_MS_THRESHOLD = 1e11; // ~ year 5138 in seconds, ~ 1973 in milliseconds
    const EPOCH_SECONDS_THRESHOLD = 1e9; // 2001 in seconds; anything smaller is a delta
    return value >= EPOCH_MS_THRESHOLD ? value : value >= EPOCH_SECONDS_THRESHOLD ? value * 1000 : nowMs + value * 1000;
  }
  if (!RFC_5322_DATE.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

/** `msBeforeNext` may sit beside `errors` or inside an error's `data`. */
export function findMsBeforeNext(body: unknown): number | undefined {
  if (!isRecord(body)) return undefined;
  const candidates = [body.data, ...(Array.isArray(body.errors) ? body.errors.map((error) => (isRecord(error) ? error.data : undefined)) : [])];
  for (const candidate of candidates) {
    if (isRecord(candidate) && typeof candidate.msBeforeNext === 'number' && candidate.msBeforeNext >= 0) {
      return candidate.msBeforeNext;
    }
  }
  return undefined;
}

function exponentialCeiling(retry: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
