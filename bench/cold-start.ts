import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startEmulator } from '../emulator/server';
import { BENCH_RECORD_KEY, BENCH_TOKEN, benchDefinition, buildApp, emptyProdSeed, TOKEN_ENV_VAR } from './definitions';
import { BUNDLED_EXECUTOR_FILE } from '../constructs/executor';
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

/**
 * `node -e 0`, then the executor exactly as the provisioner runs it (`node segment-access-executor.cjs`
 * in the synthesized stack directory): `--version`, and a no-change `reconcile` of an empty definition
 * against an empty workspace on the emulator. Spawned alternately so machine load hits all alike.
 */
export async function measureColdStart(iterations: number): Promise<ColdStartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-cold-'));
  const emulator = await startEmulator({ seed: emptyProdSeed() });
  try {
    // An empty definition's stack, as synth writes it: desired state and the bundled executor.
    const { app, stacks } = buildApp(benchDefinition(0), join(dir, 'out'), [Environment.PROD]);
    app.synth();
    const stackDir = join(dir, 'out', 'stacks', 'prod');
    const file = stacks[0].workspace.desiredStateFileName;
    const env = { ...process.env, PUBLIC_API_URL: emulator.url, [TOKEN_ENV_VAR]: BENCH_TOKEN, SEGMENT_ACCESS_RECORD_KEY: BENCH_RECORD_KEY, SEGMENT_ACCESS_DESIRED_STATE: file };
    const executor = (args: string[]) => runProcess('node', [BUNDLED_EXECUTOR_FILE, ...args], env, stackDir);

    const node: number[] = [];
    const version: number[] = [];
    const plan: number[] = [];
    const codes: number[] = [];
    // One unmeasured round warms the file-system cache.
    await runProcess(process.execPath, ['-e', '0']);
    await executor(['--version']);
    await executor(['reconcile']);
    emulator.resetStats();
    for (let i = 0; i < iterations; i++) {
      node.push((await runProcess(process.execPath, ['-e', '0'])).wallMs);
      const v = await executor(['--version']);
      if (v.code !== 0) throw new Error(`segment-access-executor --version exited ${v.code}: ${v.stderr}`);
      version.push(v.wallMs);
      const p = await executor(['reconcile']);
      codes.push(p.code ?? -1);
      if (p.code !== 0) progress(`reconcile exited ${p.code}: ${p.stderr.trim().split('\n')[0] ?? ''}`);
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
