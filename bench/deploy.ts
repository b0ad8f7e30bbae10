import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { startEmulator } from '../emulator/server';
import { terraformEnvironment } from '../cli/terraform-runtime';
import { Environment } from '../model/enums';
import { BENCH_RECORD_KEY, BENCH_TOKEN, benchDefinition, buildApp, changedIndices, emptyProdSeed, TOKEN_ENV_VAR } from './definitions';
import { progress, runProcess } from './util';

export interface DeployFigures {
  readonly grants: number;
  /** `app.synth()` of the prod stack, reported apart from deploy. */
  readonly synthMs: number;
  /** `cdktf deploy prod --skip-synth` into an empty workspace: init, plan, apply, the executor onboarding everyone. */
  readonly firstMs: number;
  readonly noChangeMs: number;
  /** After one grant's role changed (synth excluded). */
  readonly oneChangeMs: number;
  /** Baseline: one terraform_data per grant (the previous design), `terraform apply` of N resources whose provisioner is `true`. */
  readonly perGrantApplyMs: number;
  readonly noChangeWrites: number;
}

const CDKTF = resolve(__dirname, '..', '..', 'node_modules', '.bin', 'cdktf');

/**
 * Real-Terraform deploy times for N grants in one workspace. The emulator's write limit is lifted so
 * the figures are Terraform's and the executor's own time; API time at Segment's limits is in the
 * API rows of the benchmark.
 */
export async function measureDeploy(n: number): Promise<DeployFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-deploy-'));
  const emulator = await startEmulator({ seed: emptyProdSeed(), rateLimit: { writesPerWindow: 1_000_000, windowMs: 60_000 } });
  // cdktf reads cdktf.json from its working directory; --skip-synth means the app is never run.
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'false', sendCrashReports: 'false' }));
  const outdir = join(dir, 'cdktf.out');
  const env = terraformEnvironment({ ...process.env, CI: '1', NO_COLOR: '1', PUBLIC_API_URL: emulator.url, [TOKEN_ENV_VAR]: BENCH_TOKEN, SEGMENT_ACCESS_RECORD_KEY: BENCH_RECORD_KEY });
  const synth = (changed: ReadonlySet<number>) => {
    const t0 = performance.now();
    const { app } = buildApp(benchDefinition(n, changed), outdir, [Environment.PROD]);
    app.synth();
    return performance.now() - t0;
  };
  const deploy = async (label: string) => {
    const run = await runProcessIn(dir, CDKTF, ['deploy', 'prod', '--skip-synth', '--auto-approve', '--no-color', '--output', outdir], env);
    if (run.code !== 0) throw new Error(`cdktf deploy (${label}) exited ${run.code}:\n${(run.stdout + run.stderr).slice(-3000)}`);
    progress(`deploy ${n} grants, ${label}: ${(run.wallMs / 1000).toFixed(1)} s`);
    return run.wallMs;
  };
  try {
    const synthMs = synth(new Set());
    const firstMs = await deploy('first');
    emulator.resetStats();
    const noChangeMs = await deploy('no change');
    const noChangeWrites = emulator.stats().writes;
    synth(new Set(changedIndices(n, 1)));
    const oneChangeMs = await deploy('one grant changed');
    const perGrantApplyMs = await measurePerGrantApply(join(dir, 'per-grant'), n, env);
    return { grants: n, synthMs, firstMs, noChangeMs, oneChangeMs, perGrantApplyMs, noChangeWrites };
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runProcessIn(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  return runProcess(command, args, env, cwd);
}

async function measurePerGrantApply(dir: string, n: number, env: NodeJS.ProcessEnv): Promise<number> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    resources[`grant_${i}`] = { triggers_replace: { email: `svc-${i}@example.com`, role: 'MEMBER' }, provisioner: [{ 'local-exec': { command: 'true' } }] };
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resources } }));
  const init = await runProcess('terraform', ['init', '-input=false', '-no-color'], env, dir);
  if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
  const apply = await runProcess('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], env, dir);
  if (apply.code !== 0) throw new Error(`terraform apply (per grant) failed: ${apply.stderr}`);
  progress(`per-grant baseline: ${n} terraform_data resources applied in ${(apply.wallMs / 1000).toFixed(1)} s`);
  return apply.wallMs;
}
