import type { IConstruct } from 'constructs';

/** Context key (or env var SEGMENT_ACCESS_NOW) that pins "now" for synth, so tests and re-runs are reproducible. */
export const NOW_CONTEXT_KEY = 'segment-access:now';

/** Unpinned, "now" is read once per app, so every stack and record of one synth agrees on it. */
const APP_NOW = new WeakMap<IConstruct, Date>();

/** The instant synth decides expiry against. */
export function synthNow(scope: IConstruct): Date {
  const pinned = (scope.node.tryGetContext(NOW_CONTEXT_KEY) as string | undefined) ?? process.env.SEGMENT_ACCESS_NOW;
  if (pinned === undefined) {
    const root = scope.node.root;
    if (!APP_NOW.has(root)) APP_NOW.set(root, new Date());
    return APP_NOW.get(root)!;
  }
  const at = new Date(pinned);
  if (Number.isNaN(at.getTime())) {
    throw new Error(`Context "${NOW_CONTEXT_KEY}" / SEGMENT_ACCESS_NOW is "${pinned}", which is not a date. Use an ISO date such as "2026-11-27" or "2026-11-27T12:00:00Z".`);
  }
  return at;
}
