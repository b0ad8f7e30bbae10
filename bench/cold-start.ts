import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { startEmulator } from '../emulator/server';
import { BENCH_NOW, BENCH_TOKEN, benchDefinition, buildApp, emptyProdSeed, TOKEN_ENV_VAR } from './definitions';
import { Environment } from '../model/enums';
import { median, progress, runProcess } from './util';

export interface ColdStartResult {
  readonly iterations: number;
  readonly nodeMs: number;
  readonly versionMs: number;
  readonly planMs: number;
  /** Exit codes seen for the no-change plan (0 expected). */
  readonly planExitCodes: readonly number[];
  readonly planApiCalls: number;
}

const EXECUTOR = resolve(__dirname, '..', 'cli', 'main.js');

/**
 * `node -e 0`, `segment-access --version` and a no-change `plan` (empty definition, empty workspace
 * on the emulator), spawned alternately so drift in machine load hits all three alike.
 */
export async function measureColdStart(iterations: number): Promise<ColdStartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-cold-'));
  const emulator = await startEmulator({ seed: emptyProdSeed() });
  try {
    // The desired-state file of an empty definition, as synth writes it.
    const { stacks } = buildApp(benchDefinition(0), join(dir, 'out'), [Environment.PROD]);
    const file = join(dir, 'desired-state.json');
    writeFileSync(file, stacks[0].workspace.desiredStateJson(new Date(BENCH_NOW)));
    const env = { ...process.env, PUBLIC_API_URL: emulator.url, [TOKEN_ENV_VAR]: BENCH_TOKEN };

    const node: number[] = [];
    const version: number[] = [];
    const plan: number[] = [];
    const codes: number[] = [];
    // One unmeasured round warms the file-system cache.
    await runProcess(process.execPath, ['-e', '0']);
    await runProcess(process.execPath, [EXECUTOR, '--version']);
    await runProcess(process.execPath, [EXECUTOR, 'plan', '--desired-state', file], env);
    emulator.resetStats();
    for (let i = 0; i < iterations; i++) {
      node.push((await runProcess(process.execPath, ['-e', '0'])).wallMs);
      const v = await runProcess(process.execPath, [EXECUTOR, '--version']);
      if (v.code !== 0) throw new Error(`segment-access --version exited ${v.code}: ${v.stderr}`);
      version.push(v.wallMs);
      const p = await runProcess(process.execPath, [EXECUTOR, 'plan', '--desired-state', file], env);
      codes.push(p.code ?? -1);
      if (p.code !== 0) progress(`plan exited ${p.code}: ${p.stderr.trim().split('\n')[0] ?? ''}`);
      plan.push(p.wallMs);
    }
    return {
      iterations,
      nodeMs: median(node),
      versionMs: median(version),
      planMs: median(plan),
      planExitCodes: [...new Set(codes)],
      planApiCalls: emulator.stats().requests / iterations,
    };
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
