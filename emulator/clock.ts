/** Wall clock plus an offset, so tests and demos can age invites past Segment's 7-day expiry. */
export class EmulatorClock {
  constructor(
    private offset = 0,
    private readonly realNow: () => number = Date.now,
  ) {}

  nowMs(): number {
    return this.realNow() + this.offset;
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  get offsetMs(): number {
    return this.offset;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Clock can only move forward; got ${ms} ms`);
    this.offset += ms;
  }

  setOffset(ms: number): void {
    this.offset = ms;
  }
}
