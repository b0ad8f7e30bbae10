import { fc } from '@fast-check/jest';

/**
 * Property-test settings, one place: a fixed seed by default (CI reproduces every failure), and run
 * counts sized for CI. Run longer or with another seed:
 *   FC_NUM_RUNS=2000 FC_SEED=$RANDOM npx jest __tests__/properties
 * A failure prints its seed and path; pass them back as FC_SEED (and the path via fc's `path`) to replay.
 */
export const FC_SEED = Number(process.env.FC_SEED ?? 20261127);

/** Scales each property's CI run count: FC_NUM_RUNS sets the count of the most expensive ones, the others get proportionally more. */
export function numRuns(ciDefault: number): number {
  const requested = process.env.FC_NUM_RUNS;
  if (requested === undefined || requested === '') return ciDefault;
  const n = Number(requested);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FC_NUM_RUNS is "${requested}"; use a whole number of runs, e.g. FC_NUM_RUNS=500`);
  return n;
}

fc.configureGlobal({ seed: FC_SEED, endOnFailure: true });

export { fc };
