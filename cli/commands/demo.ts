import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'fs';
import { join, resolve } from 'path';
import { parseCommandArgs, stringArg } from '../args';
import { startEmulator } from '../../emulator/server';
import { loadSeedFile } from '../../emulator/seed';
import { applyStack } from '../../tf-runner/apply';
import { planStackDir } from '../../tf-runner/plan-stack-dir';
import { hasChanges } from '../../tf-runner/plan';
import { renderPlan } from '../../tf-runner/render-plan';
import { loadDesiredState } from '../desired-state-file';
import { clientForWorkspace, runNow } from '../api-context';
import { planHasWrites, reconcile } from '../../reconciler/reconcile';
import type { DesiredState } from '../../model/desired-state';

const HELP = `Usage: segment-access demo [--seed FILE] [--outdir DIR] [--fresh] [--accept-invites] [--no-synth]

The main job of this repo: synthesizes the prod, staging and dev stacks (\`cdktf synth\`), starts the
bundled Segment API emulator (state kept in .segment-access/), and deploys each stack to it through
the same provisioner commands Terraform runs. Run it twice: the second run reports no changes.

  --seed FILE        emulator seed (default demo/emulator-seed.json)
  --outdir DIR       cdktf output directory (default cdktf.out)
  --fresh            forget earlier demo runs (emulator state and local Terraform state)
  --accept-invites   afterwards, accept every pending invite in the emulator, as the people would
  --no-synth         deploy what is already in --outdir`;

const STACKS = ['prod', 'staging', 'dev'];

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('demo', argv, {
    seed: { type: 'string' },
    outdir: { type: 'string' },
    fresh: { type: 'boolean' },
    'accept-invites': { type: 'boolean' },
    'no-synth': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = (line = '') => process.stdout.write(`${line}\n`);
  const seedPath = resolve(stringArg(values, 'seed') ?? 'demo/emulator-seed.json');
  const outdir = resolve(stringArg(values, 'outdir') ?? 'cdktf.out');
  const workDir = resolve('.segment-access');
  const emulatorState = join(workDir, 'demo-emulator-state.json');
  const localState = (stack: string) => join(workDir, `${stack}.local-state.json`);
  if (values.fresh) for (const f of [emulatorState, ...STACKS.map(localState)]) rmSync(f, { force: true });
  mkdirSync(workDir, { recursive: true });

  if (!values['no-synth']) {
    log('== cdktf synth');
    const synth = spawnSync('npx', ['cdktf', 'synth', '--output', outdir], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1' } });
    // cdktf draws a spinner; keep only its real lines.
    const output = `${synth.stdout}${synth.stderr}`.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').split(/\r?\n/);
    const lines = output.map((l) => l.trim()).filter((l) => l && !/^[⠀-⣿]\s+(Synthesizing|Processing)/.test(l));
    for (const line of lines) log(line);
    if (synth.status !== 0) throw new Error(`cdktf synth failed (exit ${synth.status}); nothing was deployed.`);
  }

  const emulator = await startEmulator({ seed: seedPath, stateFile: emulatorState });
  log(`== Segment API emulator on ${emulator.url} (state: ${emulatorState})`);
  const seed = loadSeedFile(seedPath);
  const deployed: { desired: DesiredState; env: NodeJS.ProcessEnv }[] = [];
  try {
    for (const stack of STACKS) {
      const stackDir = join(outdir, 'stacks', stack);
      if (!existsSync(stackDir)) throw new Error(`${stackDir} does not exist: run \`npx cdktf synth\` first.`);
      const env: NodeJS.ProcessEnv = { ...process.env, PUBLIC_API_URL: emulator.url, NPM_CONFIG_UPDATE_NOTIFIER: 'false' };
      for (const file of readdirSync(stackDir).filter((f) => /^segment-access\..+\.json$/.test(f))) {
        const desired = loadDesiredState(join(stackDir, file));
        const workspace = seed.workspaces.find((w) => w.id === desired.workspace.id);
        if (!workspace) throw new Error(`The emulator seed has no workspace ${desired.workspace.id} for stack ${stack}.`);
        // Demo tokens live in the seed; real tokens only ever come from the environment.
        env[desired.workspace.tokenEnvVar] = workspace.tokens[0];
        deployed.push({ desired, env });
      }
      log();
      log(`== deploy stack ${stack} (as \`cdktf deploy ${stack}\` would)`);
      const plan = planStackDir({ stackDir, statePath: localState(stack) });
      log(renderPlan(plan));
      if (!hasChanges(plan)) continue;
      await applyStack({ stackDir, statePath: localState(stack), env, log });
    }
    if (values['accept-invites']) {
      for (const ws of emulator.state.workspaceIds()) {
        const pending = emulator.state.listInvites(ws).map((i) => i.email);
        if (pending.length) emulator.acceptInvites(ws, pending);
      }
    }
    log();
    log('== live check: `segment-access plan` against each workspace');
    for (const { desired, env } of deployed) {
      const ws = desired.workspace;
      const api = clientForWorkspace(ws, log, env);
      const { plan } = await reconcile({ api, desired, now: runNow(), dryRun: true });
      log(`${ws.name} (${ws.id}): ${planHasWrites(plan) ? `${plan.changes.length} change(s) pending` : 'in sync with the code'} (${api.stats.reads} reads, ${api.stats.writes} writes)`);
    }
    log();
    log('== Segment workspaces now (emulator)');
    for (const ws of emulator.state.workspaceIds()) {
      const summary = emulator.state.workspace(ws);
      log(`${summary.name} (${ws}):`);
      for (const u of emulator.state.listUsers(ws)) log(`  member   ${u.email}`);
      for (const i of emulator.state.listInvites(ws)) log(`  invited  ${i.email}`);
    }
    const stats = emulator.stats();
    log(`Emulator served ${stats.requests} API requests: ${stats.reads} reads, ${stats.writes} writes, ${stats.rateLimited} rate-limited.`);
    log(`Records (inventory, access matrix, hand-off notes): ${join(outdir, 'records')}`);
    log('Run the demo again: it reports no changes.');
  } finally {
    await emulator.stop();
  }
  return 0;
}
