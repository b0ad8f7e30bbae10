/** Counters for one client; each HTTP request sent counts once, retries included. */
export interface ApiStats {
  /** HTTP requests sent (every attempt). */
  readonly calls: number;
  /** Of `calls`, GET requests. */
  readonly reads: number;
  /** Of `calls`, POST/PUT/PATCH/DELETE requests. */
  readonly writes: number;
  /** Of `calls`, repeats of an earlier failed attempt. */
  readonly retries: number;
  /** 429 responses received. */
  readonly rateLimited: number;
  /** 5xx responses received. */
  readonly serverErrors: number;
  /** Time spent waiting: retry backoff plus write pacing. */
  readonly waitedMs: number;
  /** Requests per `'METHOD /path-pattern'`, ids shown as `{id}` (e.g. `'PUT /group/{id}/users'`). */
  readonly byEndpoint: Readonly<Record<string, number>>;
}

export class StatsRecorder {
  private counters = StatsRecorder.empty();

  recordSend(endpoint: string, write: boolean, retry: boolean): void {
    const c = this.counters;
    c.calls += 1;
    if (write) c.writes += 1;
    else c.reads += 1;
    if (retry) c.retries += 1;
    c.byEndpoint[endpoint] = (c.byEndpoint[endpoint] ?? 0) + 1;
  }

  recordStatus(status: number): void {
    if (status === 429) this.counters.rateLimited += 1;
    if (status >= 500) this.counters.serverErrors += 1;
  }

  recordWait(ms: number): void {
    this.counters.waitedMs += ms;
  }

  /** A copy, so callers can keep it while the counters move on. */
  snapshot(): ApiStats {
    return { ...this.counters, byEndpoint: { ...this.counters.byEndpoint } };
  }

  reset(): void {
    this.counters = StatsRecorder.empty();
  }

  private static empty(): { -readonly [K in keyof ApiStats]: K extends 'byEndpoint' ? Record<string, number> : number } {
    return { calls: 0, reads: 0, writes: 0, retries: 0, rateLimited: 0, serverErrors: 0, waitedMs: 0, byEndpoint: {} };
  }
}
