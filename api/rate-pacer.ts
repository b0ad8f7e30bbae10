import type { WriteWaitReason } from './events';

export interface RatePacerOptions {
  /** Writes per endpoint per window: Segment allows each IAM write endpoint 60 requests a minute. */
  readonly writesPerWindow: number;
  readonly windowMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

interface EndpointState {
  /** Send times of the last `writesPerWindow` writes. */
  readonly sendTimes: number[];
  /** Segment said no request remains before this instant (X-RateLimit-Remaining: 0). */
  holdUntilMs: number;
  /** Reservations are made one at a time, so concurrent callers cannot both take the last slot. */
  queue: Promise<unknown>;
}

/**
 * Keeps requests under Segment's limits on our side, per endpoint ("METHOD /pattern"), as Segment
 * counts them (SDK api/iAMUsersApi.ts: "The rate limit for this endpoint is 60 requests per
 * minute"). Writes: a sliding window of send times, so the N+1th write to an endpoint waits until the
 * oldest of its last N leaves the window; writes to other endpoints go ahead. Reads and writes alike
 * wait when the server announced that an endpoint has nothing left until its reset.
 */
export class RatePacer {
  private readonly endpoints = new Map<string, EndpointState>();

  constructor(private readonly options: RatePacerOptions) {}

  /** Waits until one more request to `endpoint` may be sent, records it, and returns how long it waited. */
  acquire(endpoint: string, write: boolean, onWait: (delayMs: number, reason: WriteWaitReason) => void): Promise<number> {
    const state = this.stateOf(endpoint);
    const turn = state.queue.then(() => this.reserve(state, write, onWait));
    state.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Hold further requests to `endpoint` until `epochMs` (the server said none remain before its reset). */
  holdUntil(endpoint: string, epochMs: number): void {
    const state = this.stateOf(endpoint);
    state.holdUntilMs = Math.max(state.holdUntilMs, epochMs);
  }

  private stateOf(endpoint: string): EndpointState {
    let state = this.endpoints.get(endpoint);
    if (!state) {
      state = { sendTimes: [], holdUntilMs: 0, queue: Promise.resolve() };
      this.endpoints.set(endpoint, state);
    }
    return state;
  }

  private async reserve(state: EndpointState, write: boolean, onWait: (delayMs: number, reason: WriteWaitReason) => void): Promise<number> {
    const { writesPerWindow, windowMs, now, sleep } = this.options;
    const start = now();
    const times = state.sendTimes;
    const windowFreesAt = write && times.length >= writesPerWindow ? times[times.length - writesPerWindow] + windowMs : 0;
    const sendAt = Math.max(start, windowFreesAt, state.holdUntilMs);
    const delayMs = sendAt - start;
    if (delayMs > 0) {
      onWait(delayMs, state.holdUntilMs >= windowFreesAt ? 'rate-limit-remaining' : 'window');
      await sleep(delayMs);
    }
    if (write) {
      // The planned time, unless the clock says we are later (an injected sleep may not move the clock).
      times.push(Math.max(sendAt, now()));
      if (times.length > writesPerWindow) times.splice(0, times.length - writesPerWindow);
    }
    return delayMs;
  }
}
