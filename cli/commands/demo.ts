import { spawn } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { parseCommandArgs, stringArg } from '../args';
import { startEmulator } from '../../emulator/server';
import { loadSeedFile } from '../../emulator/seed';
import { loadSynthesizedDesiredState, synthesizedDesiredStates } from '../desired-state-file';
import { clientForWorkspace, recordKeysFor, runNow } from '../api-context';
import { generateRecordKey } from '../../reconciler/record-key';
import { recordKeyVariable } from '../../reconciler/reconcile';
import { requireTerraform, terraformEnvironment } from '../terraform-runtime';
import { findFrameworkCli } from '../../framework/framework-cli';
import { planHasWrites, reconcile } from '../../reconciler/reconcile';
import type { DesiredState } from '../../model/desired-state';
import { DeployLog } from '../deploy-log';
import { accessSnapshot, renderDeploySummary, summarizeDeploy } from '../demo-summary';

const HELP = `Usage: segment-access demo [--seed FILE] [--outdir DIR] [--state-dir DIR] [--fresh] [--accept-invites]

\`synth\` of the prod, staging and dev stacks with the project's CDK framework CLI (\`cdktn\` from
CDK Terrain, or \`cdktf\`; it says which), the bundled Segment API emulator on loopback (state kept in
.segment-access/), then \`deploy prod staging dev\` with the real terraform binary against it (each
stack's output once it is done), a read-only live check, and one table per workspace of what the
deploy did: invited, re-permissioned, removed, unchanged, unmanaged and left alone, API calls. Run it
twice: the second run reports "No changes" for every stack and makes no API call. This repo's
\`npm start\`; a repo made by \`segment-access init\` has its own seed in demo/ too.

  --seed FILE        emulator seed (default demo/emulator-seed.json)
  --outdir DIR       synth output directory (default cdktf.out, as for both frameworks; may be outside the project)
  --state-dir DIR    where the emulator keeps its state (default .segment-access)
  --fresh            forget earlier demo runs (emulator state, the stacks' local Terraform state, the demo's record key); says what it removed
  --accept-invites   afterwards, accept every pending invite in the emulator, as the people would; says whose`;

const STACKS = ['prod', 'staging', 'dev'];

/**
 * The demo's record key: the environment's when set, else one generated on the first run and kept
 * (mode 0600) beside the emulator's state, so later runs verify what earlier ones signed. Real
 * deploys take it from a CI secret (docs/record-of-managed-users.md).
 */
function demoRecordKey(file: string, env: NodeJS.ProcessEnv, variable: string, log: (line: string) => void): string {
  const fromEnv = env[variable];
  if (fromEnv) return fromEnv;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = generateRecordKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  log(`   note: generated the demo's record key (${file}); a real deploy reads ${variable} from a CI secret`);
  return key;
}

/** Runs a child process, streaming its lines through `line`; resolves with its exit code. */
function stream(command: string, args: string[], env: NodeJS.ProcessEnv, line: (text: string) => void): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    const onData = (chunk: Buffer) => {
      const parts = (pending + chunk.toString('utf8')).split(/\r?\n/);
      pending = parts.pop() ?? '';
      for (const part of parts) line(part);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', fail);
    child.on('close', (code) => {
      if (pending) line(pending);
      done(code ?? 1);
    });
  });
}

/** The framework CLIs draw spinners and colours even with CI set; keep their real lines, as plain text. */
function plain(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const stripped = text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trimEnd();
  if (!stripped.trim() || /^[⠀-⣿]\s/.test(stripped.trim())) return undefined;
  return stripped;
}

/** The state file each stack's local backend uses (relative to the stack directory in cdk.tf.json). */
function localStateFiles(outdir: string): string[] {
  return STACKS.flatMap((stack) => {
    const stackDir = join(outdir, 'stacks', stack);
    const config = join(stackDir, 'cdk.tf.json');
    if (!existsSync(config)) return [];
    const path = (JSON.parse(readFileSync(config, 'utf8')) as { terraform?: { backend?: { local?: { path?: string } } } }).terraform?.backend?.local?.path;
    return path ? [resolve(stackDir, path), `${resolve(stackDir, path)}.backup`] : [];
  });
}

/** `--fresh`: forgets earlier runs; says what it removed (only files that existed). */
export function forgetEarlierRuns(files: readonly string[], log: (line: string) => void): void {
  const removed = files.filter((f) => existsSync(f));
  for (const f of removed) rmSync(f, { force: true });
  log(removed.length ? `--fresh: removed ${removed.map(shown).join(', ')}` : '--fresh: nothing to remove (no earlier run)');
}

/** A path as the user reads it: relative to the working directory when inside it. */
function shown(path: string): string {
  return path.startsWith(`${process.cwd()}/`) ? path.slice(process.cwd().length + 1) : path;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('demo', argv, {
    seed: { type: 'string' },
    outdir: { type: 'string' },
    'state-dir': { type: 'string' },
    fresh: { type: 'boolean' },
    'accept-invites': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = (line = '') => process.stdout.write(`${line}\n`);
  const terraform = requireTerraform();
  // The project's own framework CLI, run with this node (CDK Terrain's needs Node >= 22.19: checked here).
  const cli = findFrameworkCli(process.cwd());
  log(`== ${terraform.binary} ${terraform.version}; ${cli.description}`);
  const seedPath = resolve(stringArg(values, 'seed') ?? 'demo/emulator-seed.json');
  const outdir = resolve(stringArg(values, 'outdir') ?? 'cdktf.out');
  const workDir = resolve(stringArg(values, 'state-dir') ?? '.segment-access');
  const emulatorState = join(workDir, 'demo-emulator-state.json');
  const keyFile = join(workDir, 'demo-record-key');
  if (values.fresh) forgetEarlierRuns([emulatorState, keyFile, ...localStateFiles(outdir)], log);
  mkdirSync(workDir, { recursive: true });

  // No colour, no prompts, no update checks: the output is read in CI logs.
  const baseEnv = terraformEnvironment({ ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', NPM_CONFIG_UPDATE_NOTIFIER: 'false' }, (notice) => log(`   note: ${notice}`));
  const framework = (args: string[], env: NodeJS.ProcessEnv, line: (text: string) => void) =>
    stream(process.execPath, [cli.script, ...args, '--output', outdir], env, (text) => {
      const plainLine = plain(text);
      if (plainLine !== undefined) line(plainLine);
    });

  log(`== ${cli.framework} synth`);
  const synthCode = await framework(['synth'], baseEnv, log);
  if (synthCode !== 0) throw new Error(`${cli.framework} synth failed (exit ${synthCode}); nothing was deployed.`);

  const emulator = await startEmulator({ seed: seedPath, stateFile: emulatorState });
  log(`== Segment API emulator on ${emulator.url} (state: ${shown(emulatorState)})`);
  log(`   PUBLIC_API_URL=${emulator.url} points the executor at it; each plan still names the workspace's declared region.`);
  try {
    const seed = loadSeedFile(seedPath);
    const env: NodeJS.ProcessEnv = { ...baseEnv, PUBLIC_API_URL: emulator.url };
    const deployed: DesiredState[] = [];
    for (const synthesized of synthesizedDesiredStates(outdir, STACKS)) {
      const desired = loadSynthesizedDesiredState(synthesized);
      const workspace = seed.workspaces.find((w) => w.id === desired.workspace.id);
      if (!workspace) throw new Error(`The emulator seed has no workspace ${desired.workspace.id} for stack ${synthesized.stack}.`);
      // Demo tokens live in the seed; real tokens only ever come from the environment.
      env[desired.workspace.tokenEnvVar] = workspace.tokens[0];
      const keyVariable = recordKeyVariable(desired);
      env[keyVariable] = demoRecordKey(keyFile, env, keyVariable, log);
      deployed.push(desired);
    }

    log();
    log(`== ${cli.framework} deploy ${STACKS.join(' ')} (${terraform.binary} ${terraform.version}; each stack's output once it is done)`);
    const snapshot = (id: string) => accessSnapshot(emulator.state.listUsers(id), emulator.state.listInvites(id));
    const before = new Map(deployed.map((d) => [d.workspace.id, snapshot(d.workspace.id)]));
    emulator.resetStats();
    const started = Date.now();
    const output = new DeployLog(STACKS, (stack, lines) => {
      if (stack === undefined) lines.forEach((l) => log(l));
      else {
        log(`-- ${stack}`);
        lines.forEach((l) => log(`   ${l}`));
      }
    }, cli.framework);
    const deployCode = await framework(['deploy', ...STACKS, '--skip-synth', '--auto-approve', '--no-color'], env, (line) => output.add(line));
    output.flush();
    const deployStats = emulator.stats();
    log(`${cli.framework} deploy took ${((Date.now() - started) / 1000).toFixed(1)} s; the executor made ${deployStats.requests} API calls (${deployStats.reads} reads, ${deployStats.writes} writes).`);
    if (deployCode !== 0) throw new Error(`${cli.framework} deploy failed (exit ${deployCode}); see its output above. A failed reconciler stays tainted and runs again on the next deploy.`);
    const summaries = deployed.map((d) =>
      summarizeDeploy(`${d.workspace.name} (${d.workspace.id})`, new Set(d.collaborators.map((c) => c.email)), before.get(d.workspace.id)!, snapshot(d.workspace.id), deployStats.byWorkspace[d.workspace.id] ?? NO_CALLS),
    );

    log();
    log('== live check: `segment-access plan` against each workspace (read-only)');
    for (const desired of deployed) {
      const ws = desired.workspace;
      const api = clientForWorkspace(ws, log, env);
      const { plan } = await reconcile({ api, desired, now: runNow(), dryRun: true, keys: recordKeysFor(desired, env) });
      log(`${ws.name} (${ws.id}): ${planHasWrites(plan) ? `${plan.changes.length} change(s) pending` : 'in sync with the code'} (${api.stats.reads} reads, ${api.stats.writes} writes)`);
    }
    if (values['accept-invites']) {
      log();
      for (const desired of deployed) {
        const pending = emulator.state.listInvites(desired.workspace.id).map((i) => i.email);
        if (pending.length) emulator.acceptInvites(desired.workspace.id, pending);
        log(`--accept-invites: ${desired.workspace.name}: ${pending.length ? `accepted ${pending.length} pending invite(s), as the people would (${pending.join(', ')}); the next run adopts them as members` : 'no pending invite'}`);
      }
    }
    log();
    log(`Records (inventory, access matrix, hand-off notes): ${shown(join(outdir, 'records'))}`);
    log(`Terraform state: ${localStateFiles(outdir).filter((f) => !f.endsWith('.backup')).map(shown).join(', ')}`);
    log('Run the demo again: every stack reports "No changes" and the executor makes no API call.');
    log();
    log('== What this deploy did, per workspace');
    for (const summary of summaries) renderDeploySummary(summary).forEach((l) => log(l));
  } finally {
    await emulator.stop();
  }
  return 0;
}

const NO_CALLS = { requests: 0, reads: 0, writes: 0, rateLimited: 0, serverErrors: 0 };
