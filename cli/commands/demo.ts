import { spawn } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
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

const HELP = `Usage: segment-access demo [--seed FILE] [--outdir DIR] [--state-dir DIR] [--fresh] [--accept-invites]

The main job of this repo: \`synth\` of the prod, staging and dev stacks with the project's CDK
framework CLI (\`cdktn\` from CDK Terrain, or \`cdktf\`; it says which), the bundled Segment API
emulator on loopback (state kept in .segment-access/), then \`deploy prod staging dev\` with the real
terraform binary against it, and a read-only live check. Run it twice: the second run reports
"No changes" for every stack and makes no API writes.

  --seed FILE        emulator seed (default demo/emulator-seed.json)
  --outdir DIR       synth output directory (default cdktf.out, as for both frameworks; may be outside the project)
  --state-dir DIR    where the emulator keeps its state (default .segment-access)
  --fresh            forget earlier demo runs (emulator state, the stacks' local Terraform state, the demo's record key)
  --accept-invites   afterwards, accept every pending invite in the emulator, as the people would`;

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
  if (values.fresh) for (const f of [emulatorState, keyFile, ...localStateFiles(outdir)]) rmSync(f, { force: true });
  mkdirSync(workDir, { recursive: true });

  // No colour, no prompts, no update checks: the output is read in CI logs.
  const baseEnv = terraformEnvironment({ ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', NPM_CONFIG_UPDATE_NOTIFIER: 'false' }, (notice) => log(`   note: ${notice}`));
  const framework = (args: string[], env: NodeJS.ProcessEnv) => stream(process.execPath, [cli.script, ...args, '--output', outdir], env, (text) => {
    const line = plain(text);
    if (line !== undefined) log(line);
  });

  log(`== ${cli.framework} synth`);
  const synthCode = await framework(['synth'], baseEnv);
  if (synthCode !== 0) throw new Error(`${cli.framework} synth failed (exit ${synthCode}); nothing was deployed.`);

  const emulator = await startEmulator({ seed: seedPath, stateFile: emulatorState });
  log(`== Segment API emulator on ${emulator.url} (state: ${emulatorState})`);
  try {
    const seed = loadSeedFile(seedPath);
    const env: NodeJS.ProcessEnv = { ...baseEnv, PUBLIC_API_URL: emulator.url };
    const deployed: DesiredState[] = [];
    for (const synthesized of synthesizedDesiredStates(outdir, STACKS)) {
      {
        const desired = loadSynthesizedDesiredState(synthesized);
        const stack = synthesized.stack;
        const workspace = seed.workspaces.find((w) => w.id === desired.workspace.id);
        if (!workspace) throw new Error(`The emulator seed has no workspace ${desired.workspace.id} for stack ${stack}.`);
        // Demo tokens live in the seed; real tokens only ever come from the environment.
        env[desired.workspace.tokenEnvVar] = workspace.tokens[0];
        const keyVariable = recordKeyVariable(desired);
        env[keyVariable] = demoRecordKey(keyFile, env, keyVariable, log);
        deployed.push(desired);
      }
    }

    log();
    log(`== ${cli.framework} deploy ${STACKS.join(' ')} (${terraform.binary} ${terraform.version})`);
    emulator.resetStats();
    const started = Date.now();
    const deployCode = await framework(['deploy', ...STACKS, '--skip-synth', '--auto-approve', '--no-color'], env);
    const deployStats = emulator.stats();
    log(`${cli.framework} deploy took ${((Date.now() - started) / 1000).toFixed(1)} s; the executor made ${deployStats.requests} API calls (${deployStats.reads} reads, ${deployStats.writes} writes).`);
    if (deployCode !== 0) throw new Error(`${cli.framework} deploy failed (exit ${deployCode}); see its output above. A failed reconciler stays tainted and runs again on the next deploy.`);

    if (values['accept-invites']) {
      for (const ws of emulator.state.workspaceIds()) {
        const pending = emulator.state.listInvites(ws).map((i) => i.email);
        if (pending.length) emulator.acceptInvites(ws, pending);
      }
    }
    log();
    log('== live check: `segment-access plan` against each workspace (read-only)');
    for (const desired of deployed) {
      const ws = desired.workspace;
      const api = clientForWorkspace(ws, log, env);
      const { plan } = await reconcile({ api, desired, now: runNow(), dryRun: true, keys: recordKeysFor(desired, env) });
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
    log(`Records (inventory, access matrix, hand-off notes): ${join(outdir, 'records')}`);
    log(`Terraform state: ${localStateFiles(outdir).filter((f) => !f.endsWith('.backup')).map((f) => dirname(f) === process.cwd() ? f.slice(process.cwd().length + 1) : f).join(', ')}`);
    log('Run the demo again: every stack reports "No changes" and the executor makes no API call.');
  } finally {
    await emulator.stop();
  }
  return 0;
}
