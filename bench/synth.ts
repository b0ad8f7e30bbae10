import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import type { SynthSample } from './synth-worker';
import { median, progress, runProcess } from './util';
import { benchRequestsYaml } from './definitions';

/** ours: a TypeScript AccessDefinition; yaml: the same collaborators read from access.yaml; raw: plain cdktf. */
export type SynthKind = 'ours' | 'yaml' | 'raw';

export interface SynthFigures {
  /** Median construction + synth time inside the worker. */
  readonly ms: number;
  readonly maxRssMb: number;
  /** Median wall time of the whole worker process (node start, module loading, synth, exit). */
  readonly processMs: number;
}

export interface SynthPoint {
  readonly grantsPerEnv: number;
  readonly runs: number;
  readonly ours: SynthFigures;
  readonly raw: SynthFigures;
}

const WORKER = join(__dirname, 'synth-worker.js');

async function sample(kind: SynthKind, n: number): Promise<SynthSample & { processMs: number }> {
  const outdir = mkdtempSync(join(tmpdir(), `sa-bench-synth-${kind}-`));
  try {
    // The requests file is input, written before the worker starts; reading it is part of the measure.
    const requests = join(outdir, 'access.yaml');
    if (kind === 'yaml') writeFileSync(requests, benchRequestsYaml(n));
    const run = await runProcess(process.execPath, [WORKER, kind, String(n), outdir, ...(kind === 'yaml' ? [requests] : [])]);
    if (run.code !== 0) throw new Error(`synth worker ${kind} ${n} exited ${run.code}:\n${run.stderr.slice(-2000)}`);
    const line = run.stdout.trim().split('\n').pop() ?? '';
    const s = JSON.parse(line) as SynthSample;
    if (s.grants !== n) throw new Error(`synth worker ${kind} ${n}: ${s.grants} grants in prod, expected ${n}`);
    return { ...s, processMs: run.wallMs };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function figures(samples: readonly (SynthSample & { processMs: number })[]): SynthFigures {
  return { ms: median(samples.map((s) => s.ms)), maxRssMb: median(samples.map((s) => s.maxRssMb)), processMs: median(samples.map((s) => s.processMs)) };
}

/**
 * Fresh worker processes, ours and raw alternating. Up to `runs` pairs per size; a size stops
 * early (at least one pair) when the next pair would go past `budgetMs` for that size.
 */
export async function measureSynth(sizes: readonly number[], runs: number, budgetMs: number, oursKind: Exclude<SynthKind, 'raw'> = 'ours'): Promise<SynthPoint[]> {
  const points: SynthPoint[] = [];
  for (const n of sizes) {
    const ours: (SynthSample & { processMs: number })[] = [];
    const raw: (SynthSample & { processMs: number })[] = [];
    const t0 = performance.now();
    for (let r = 0; r < runs; r++) {
      const pairStart = performance.now();
      // Alternate which goes first, so neither always meets a warmer (or hotter) machine.
      const order: SynthKind[] = r % 2 === 0 ? ['raw', oursKind] : [oursKind, 'raw'];
      for (const kind of order) (kind === 'raw' ? raw : ours).push(await sample(kind, n));
      const pairMs = performance.now() - pairStart;
      progress(
        `synth${oursKind === 'yaml' ? ' from access.yaml' : ''} ${n} x 3 envs, run ${r + 1}: ours ${ours[ours.length - 1].ms.toFixed(0)} ms, raw ${raw[raw.length - 1].ms.toFixed(0)} ms`,
      );
      if (r + 1 < runs && performance.now() - t0 + pairMs > budgetMs) {
        progress(`synth ${n}: stopping after ${r + 1} run(s) to stay within ${(budgetMs / 1000).toFixed(0)} s`);
        break;
      }
    }
    points.push({ grantsPerEnv: n, runs: ours.length, ours: figures(ours), raw: figures(raw) });
  }
  return points;
}
