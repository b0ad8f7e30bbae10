/** A review or evidence period: a calendar quarter (2026-Q4), a month (2026-11), or two days (2026-10-01..2026-12-31). */
export interface Period {
  readonly id: string;
  /** Inclusive start (00:00 UTC of the first day). */
  readonly start: Date;
  /** Exclusive end (00:00 UTC of the day after the last). */
  readonly end: Date;
}

const utc = (y: number, m: number, d = 1) => new Date(Date.UTC(y, m, d));

export function parsePeriod(text: string): Period {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(text);
  if (quarter) {
    const [y, q] = [Number(quarter[1]), Number(quarter[2])];
    return { id: text, start: utc(y, (q - 1) * 3), end: utc(y, q * 3) };
  }
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (month) return { id: text, start: utc(Number(month[1]), Number(month[2]) - 1), end: utc(Number(month[1]), Number(month[2])) };
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (range) {
    const start = new Date(`${range[1]}T00:00:00Z`);
    const last = new Date(`${range[2]}T00:00:00Z`);
    if (!Number.isNaN(start.getTime()) && !Number.isNaN(last.getTime()) && start <= last && start.toISOString().startsWith(range[1]) && last.toISOString().startsWith(range[2])) {
      return { id: text, start, end: new Date(last.getTime() + 86_400_000) };
    }
  }
  throw new Error(`The period is "${text}"; write a quarter (2026-Q4), a month (2026-11) or two days (2026-10-01..2026-12-31).`);
}
