import type { WriteWaitReason } from './events';

export interface WritePacerOptions {
  readonly writesPerWindow: number;
  readonly windowMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Keeps writes under Segment's limit (60 per minute) on our side, so a large apply
 * waits politely instead of collecting 429s. A sliding window of send times: the
 * N+1th write waits until the oldest of the last N leaves the window.
 */
export class WritePacer {
  private readonly sendTimes: number[] = [];
  private holdUntilMs = 0;
  /** Reservations are made one at a time, so concurrent writers cannot both take the last slot. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WritePacerOptions) {}

  /** Waits until one more write may be sent, records it, and returns how long it waited. */
  acquire(onWait: (delayMs: number, reason: WriteWaitReason) => void): Promise<number> {
    const turn = this.queue.then(() => this.reserve(onWait));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Hold every further write until `epochMs` (the server said no writes remain before its reset). */
  holdUntil(epochMs: number): void {
    this.holdUntilMs = Math.max(this.holdUntilMs, epochMs);
  }

  private async reserve(onWait: (delayMs: number, reason: WriteWaitReason) => void): Promise<number> {
    const { writesPerWindow, windowMs, now, sleep } = this.options;
    const start = now();
    const windowFreesAt =
      this.sendTimes.length >= writesPerWindow ? this.sendTimes[this.sendTimes.length - writesPerWindow] + windowMs : 0;
    const sendAt = Math.max(start, windowFreesAt, this.holdUntilMs);
    const delayMs = sendAt - start;
    if (delayMs > 0) {
      onWait(delayMs, this.holdUntilMs >= windowFreesAt ? 'rate-limit-remaining' : 'window');
      await sleep(delayMs);
    }
    // The planned time, unless the clock says we are later (an injected sleep may not move the clock).
    this.sendTimes.push(Math.max(sendAt, now()));
    if (this.sendTimes.length > writesPerWindow) this.sendTimes.splice(0, this.sendTimes.length - writesPerWindow);
    return delayMs;
  }
}
