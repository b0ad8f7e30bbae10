export interface RequestCounters {
  requests: number;
  reads: number;
  writes: number;
  rateLimited: number;
  serverErrors: number;
}

export interface EmulatorStats extends RequestCounters {
  /** Keyed by "METHOD /path-pattern", e.g. "GET /users/{userId}". */
  byRoute: Record<string, number>;
  byWorkspace: Record<string, RequestCounters>;
}

export interface RecordedRequest {
  method: string;
  routeKey: string;
  workspaceId?: string;
  status: number;
}

/** Counts Segment API traffic (not admin calls) so tests and benchmarks can assert on call volume. */
export class StatsRecorder {
  private stats: EmulatorStats = emptyStats();

  record(request: RecordedRequest): void {
    this.stats.byRoute[request.routeKey] = (this.stats.byRoute[request.routeKey] ?? 0) + 1;
    count(this.stats, request);
    if (request.workspaceId !== undefined) {
      const perWorkspace = (this.stats.byWorkspace[request.workspaceId] ??= emptyCounters());
      count(perWorkspace, request);
    }
  }

  snapshot(): EmulatorStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = emptyStats();
  }
}

export function isWriteMethod(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

function count(counters: RequestCounters, request: RecordedRequest): void {
  counters.requests += 1;
  if (isWriteMethod(request.method)) counters.writes += 1;
  else counters.reads += 1;
  if (request.status === 429) counters.rateLimited += 1;
  if (request.status >= 500) counters.serverErrors += 1;
}

function emptyCounters(): RequestCounters {
  return { requests: 0, reads: 0, writes: 0, rateLimited: 0, serverErrors: 0 };
}

function emptyStats(): EmulatorStats {
  return { ...emptyCounters(), byRoute: {}, byWorkspace: {} };
}
