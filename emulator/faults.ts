import { z } from 'zod';

const rate = z.number().min(0).max(1);

export const faultOptionsSchema = z
  .object({
    /** Seeds the random choices, so a run with the same requests fails the same way. */
    seed: z.number().int().optional(),
    /** Share of requests answered 500/502/503 WITHOUT being applied. */
    serverErrorRate: rate.optional(),
    /** Share of writes that are applied and then answered 502, as when the response is lost on the way. */
    lostResponseRate: rate.optional(),
    /**
     * The next `count` writes that succeed (to one of `routes`, "METHOD /pattern" as in the stats; any
     * write when absent) are applied and then answered 502: their response is lost.
     */
    lostResponses: z
      .object({ count: z.number().int().positive(), routes: z.array(z.string().regex(/^(POST|PUT|PATCH|DELETE) \//)).min(1).optional() })
      .strict()
      .optional(),
    /** The next `requests` requests are answered 429, whatever the rate limit says. */
    rateLimitStorm: z
      .object({ requests: z.number().int().nonnegative(), msBeforeNext: z.number().int().positive().optional() })
      .strict()
      .optional(),
    latencyMs: z.number().nonnegative().optional(),
    /** Share of requests delayed by `latencyMs`; every request is delayed when absent. */
    slowRate: rate.optional(),
  })
  .strict();

export type FaultOptions = z.infer<typeof faultOptionsSchema>;

const SERVER_ERROR_STATUSES = [500, 502, 503] as const;
export type ServerErrorStatus = (typeof SERVER_ERROR_STATUSES)[number];
const DEFAULT_STORM_MS_BEFORE_NEXT = 1000;

/** Decides, deterministically from its seed, which requests fail and how. */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number = seededRandom(1);
  private stormRemaining = 0;
  private lostRemaining = 0;

  constructor(options: FaultOptions = {}) {
    this.configure(options);
  }

  /** Replaces the fault settings and restarts the random sequence from the seed. */
  configure(options: FaultOptions): void {
    this.options = faultOptionsSchema.parse(options);
    this.random = seededRandom(this.options.seed ?? 1);
    this.stormRemaining = this.options.rateLimitStorm?.requests ?? 0;
    this.lostRemaining = this.options.lostResponses?.count ?? 0;
  }

  describe(): FaultOptions & { stormRequestsRemaining: number; lostResponsesRemaining: number } {
    return { ...structuredClone(this.options), stormRequestsRemaining: this.stormRemaining, lostResponsesRemaining: this.lostRemaining };
  }

  /** msBeforeNext for a request caught in a 429 storm, or undefined once the storm is over. */
  takeStormRequest(): number | undefined {
    if (this.stormRemaining <= 0) return undefined;
    this.stormRemaining -= 1;
    return this.options.rateLimitStorm?.msBeforeNext ?? DEFAULT_STORM_MS_BEFORE_NEXT;
  }

  serverErrorStatus(): ServerErrorStatus | undefined {
    if (!this.happens(this.options.serverErrorRate)) return undefined;
    return SERVER_ERROR_STATUSES[Math.floor(this.random() * SERVER_ERROR_STATUSES.length)];
  }

  /** Whether the response to this applied write (`routeKey` "METHOD /pattern") is lost. */
  loseResponse(routeKey: string, succeeded: boolean): boolean {
    const targeted = this.options.lostResponses;
    if (succeeded && this.lostRemaining > 0 && (!targeted?.routes || targeted.routes.includes(routeKey))) {
      this.lostRemaining -= 1;
      return true;
    }
    return this.happens(this.options.lostResponseRate);
  }

  delayMs(): number {
    const latency = this.options.latencyMs ?? 0;
    if (latency === 0) return 0;
    return this.options.slowRate === undefined || this.happens(this.options.slowRate) ? latency : 0;
  }

  private happens(probability: number | undefined): boolean {
    if (!probability) return false;
    if (probability >= 1) return true;
    return this.random() < probability;
  }
}

/** mulberry32: tiny, fast, and good enough to spread faults evenly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
