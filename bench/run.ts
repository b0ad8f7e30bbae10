// `npm run bench`: one table of medians, each figure beside its baseline measured in the same run.
// Not a test and not run in CI. Settings can be narrowed with environment variables (see SETTINGS).
import { mkdirSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { ApiSettings, buildInputs, measureOnboardingAtRealLimits, measureOurs, OursResult, ScenarioResult } from './api-efficiency';
import { ColdStartResult, measureColdStart } from './cold-start';
import { measurePerUser, PerUserResult } from './per-user-pattern';
import { measureSynth, SynthPoint } from './synth';
import { DeployFigures, measureDeploy } from './deploy';
import { HostileYamlFigure, measureHostileYaml } from './hostile-yaml';
import { int, markdownTable, mb, ms, ratio, Row, seconds } from './table';
import { progress } from './util';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}="${raw}" is not a number`);
  return n;
}

/** The sections of the benchmark; BENCH_ONLY=yaml,hostile runs only those (and writes latest-yaml-hostile.md). */
const SECTIONS = ['synth', 'yaml', 'hostile', 'cold', 'deploy', 'api'] as const;
type Section = (typeof SECTIONS)[number];

function sectionsToRun(): readonly Section[] {
  const only = process.env.BENCH_ONLY;
  if (!only) return SECTIONS;
  const picked = only.split(',').map((s) => s.trim());
  const unknown = picked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`BENCH_ONLY names ${unknown.join(', ')}; sections are ${SECTIONS.join(', ')}`);
  return SECTIONS.filter((s) => picked.includes(s));
}

const SETTINGS = {
  sections: sectionsToRun(),
  sizes: (process.env.BENCH_SIZES ?? '10,100,1000,5000').split(',').map((s) => Number(s.trim())),
  /** Collaborators of the synth-from-access.yaml rows. */
  yamlSizes: (process.env.BENCH_YAML_SIZES ?? '1000,5000').split(',').map((s) => Number(s.trim())),
  hostileRuns: envNumber('BENCH_HOSTILE_RUNS', 3),
  runs: envNumber('BENCH_RUNS', 3),
  /** Time allowed per synth size before it stops at fewer runs (the 5,000 size is the slow one). */
  synthBudgetMs: envNumber('BENCH_SYNTH_BUDGET_S', 150) * 1000,
  coldIterations: envNumber('BENCH_COLD_ITERATIONS', 15),
  deployGrants: envNumber('BENCH_DEPLOY_GRANTS', 1000),
  api: {
    collaborators: envNumber('BENCH_COLLABORATORS', 1000),
    changes: 10,
    writesPerWindow: 60,
    windowMs: envNumber('BENCH_WINDOW_MS', 1000),
  } satisfies ApiSettings,
};

function synthRows(points: readonly SynthPoint[], fromYaml = false): Row[] {
  const rows: Row[] = [];
  for (const p of points) {
    const what = fromYaml ? 'synth from access.yaml (YAML parsing and validation included)' : 'synth';
    const label = `${what} ${int(p.grantsPerEnv)} grants x 3 envs (${int(3 * p.grantsPerEnv)} grants), ${p.runs} run(s)`;
    const targeted = p.grantsPerEnv === 1000 || p.grantsPerEnv === 5000;
    rows.push({
      measure: `${label}: whole process (node start to exit)`,
      ours: ms(p.ours.processMs),
      baseline: `${ms(p.raw.processMs)} raw cdktf`,
      ratio: ratio(p.ours.processMs, p.raw.processMs),
      target: targeted ? '<= 1.3x' : '',
      met: targeted ? p.ours.processMs <= 1.3 * p.raw.processMs : undefined,
    });
    rows.push({ measure: `${label}: construct + synth`, ours: ms(p.ours.ms), baseline: `${ms(p.raw.ms)} raw cdktf`, ratio: ratio(p.ours.ms, p.raw.ms), target: '' });
    const memoryTargeted = p.grantsPerEnv === 5000;
    rows.push({
      measure: `${label}: peak RSS`,
      ours: mb(p.ours.maxRssMb),
      baseline: mb(p.raw.maxRssMb),
      ratio: ratio(p.ours.maxRssMb, p.raw.maxRssMb),
      target: memoryTargeted ? '<= 2x' : '',
      met: memoryTargeted ? p.ours.maxRssMb <= 2 * p.raw.maxRssMb : undefined,
    });
  }
  return rows;
}

/** Cost per grant at each size: flat means synth grows linearly. */
function synthCurve(points: readonly SynthPoint[]): string {
  return points.map((p) => `${int(3 * p.grantsPerEnv)} grants: ${(p.ours.ms / (3 * p.grantsPerEnv)).toFixed(3)} ms/grant ours, ${(p.raw.ms / (3 * p.grantsPerEnv)).toFixed(3)} raw`).join('; ');
}

function hostileRows(figures: readonly HostileYamlFigure[], runs: number): Row[] {
  return figures.map((f) => ({
    measure: `\`segment-access validate\` refuses hostile YAML: ${f.name} (${runs} runs, whole process)`,
    ours: ms(f.ms),
    baseline: '',
    ratio: '',
    target: '< 1 s, exit 1, located',
    met: f.ms < 1000 && f.refused,
  }));
}

function coldRows(c: ColdStartResult): Row[] {
  const planOk = c.planExitCodes.length === 1 && c.planExitCodes[0] === 0;
  return [
    {
      measure: `executor start as the provisioner runs it: \`node segment-access-executor.cjs --version\` in the stack dir (${c.iterations} runs)`,
      ours: ms(c.versionMs),
      baseline: `${ms(c.nodeMs)} \`node -e 0\``,
      ratio: ratio(c.versionMs, c.nodeMs),
      target: '<= 3x',
      met: c.versionMs <= 3 * c.nodeMs,
    },
    {
      measure: `executor no-change \`reconcile\` as the provisioner runs it, empty workspace (${c.iterations} runs, ${c.planApiCalls.toFixed(0)} API calls each, exit ${c.planExitCodes.join('/')})`,
      ours: ms(c.planMs),
      baseline: `${ms(c.nodeMs)} \`node -e 0\``,
      ratio: ratio(c.planMs, c.nodeMs),
      target: 'exit 0',
      met: planOk,
    },
  ];
}

function deployRows(d: DeployFigures): Row[] {
  const n = int(d.grants);
  return [
    { measure: `cdktf deploy of ${n} grants in one workspace, first (synth excluded: ${ms(d.synthMs)})`, ours: seconds(d.firstMs), baseline: `${seconds(d.perGrantApplyMs)} \`terraform apply\` of one terraform_data per grant`, ratio: ratio(d.firstMs, d.perGrantApplyMs), target: '<= 10 s', met: d.firstMs <= 10_000 },
    { measure: `cdktf deploy of ${n} grants, no change (${d.noChangeWrites} API writes)`, ours: seconds(d.noChangeMs), baseline: '', ratio: '', target: '<= 5 s, 0 writes', met: d.noChangeMs <= 5_000 && d.noChangeWrites === 0 },
    { measure: `cdktf deploy of ${n} grants, one grant's role changed`, ours: seconds(d.oneChangeMs), baseline: '', ratio: '', target: '<= 5 s', met: d.oneChangeMs <= 5_000 },
  ];
}

function traffic(s: ScenarioResult): string {
  return `${int(s.calls)} calls (${int(s.reads)} r / ${int(s.writes)} w, ${int(s.recordWrites)} record w, ${int(s.rateLimited)} x 429)`;
}

function time(s: ScenarioResult): string {
  return `${seconds(s.wallMs)} (scaled ${seconds(s.scaledMs)})`;
}

function apiRows(o: OursResult, p: PerUserResult, settings: ApiSettings, real: ScenarioResult): Row[] {
  const n = int(settings.collaborators);
  const m = o.minimum;
  const fewer = (ours: ScenarioResult, theirs: ScenarioResult) => `${(theirs.calls / ours.calls).toFixed(1)}x fewer`;
  return [
    {
      measure: `onboarding ${n} into an empty workspace: calls vs minimum`,
      ours: traffic(o.onboarding),
      baseline: `${int(m.onboarding.calls)} minimum`,
      ratio: ratio(o.onboarding.calls, m.onboarding.calls),
      target: '',
    },
    {
      measure: `onboarding ${n}: calls vs minimum incl. necessary record writes (${o.permissionSets} permission sets)`,
      ours: int(o.onboarding.calls),
      baseline: `${int(m.onboarding.withRecord)} minimum + record`,
      ratio: ratio(o.onboarding.calls, m.onboarding.withRecord),
      target: '<= 1.2x',
      met: o.onboarding.calls <= 1.2 * m.onboarding.withRecord,
    },
    {
      measure: `onboarding ${n}: calls vs per-user pattern`,
      ours: int(o.onboarding.calls),
      baseline: traffic(p.onboarding),
      ratio: fewer(o.onboarding, p.onboarding),
      target: '>= 50x fewer',
      met: p.onboarding.calls >= 50 * o.onboarding.calls,
    },
    {
      measure: `onboarding ${n} at Segment's real limits (60 writes/min per endpoint, not scaled)`,
      ours: `${seconds(real.wallMs)} (${int(real.calls)} calls, at most ${int(real.maxWritesPerEndpoint)} writes to one endpoint, waited ${seconds(real.waitedMs)}, ${int(real.rateLimited)} x 429)`,
      baseline: `${seconds(p.onboarding.scaledMs)} per-user, scaled (${int(p.onboarding.writes)} POST /invites on one endpoint)`,
      ratio: ratio(real.wallMs, p.onboarding.scaledMs),
      target: '',
    },
    { measure: `onboarding ${n}: time, wall (scaled to 60 writes/min)`, ours: time(o.onboarding), baseline: `${time(p.onboarding)} per-user`, ratio: ratio(o.onboarding.wallMs, p.onboarding.wallMs), target: '' },
    {
      measure: `change ${settings.changes} roles in a workspace of ${n}: calls`,
      ours: traffic(o.change),
      baseline: `${traffic(p.change)} per-user; minimum ${int(m.change.calls)} (+record ${int(m.change.withRecord)})`,
      ratio: `${fewer(o.change, p.change)}; ${ratio(o.change.calls, m.change.calls)} of minimum`,
      target: '<= per-user',
      met: o.change.calls <= p.change.calls,
    },
    {
      measure: `change ${settings.changes} roles: time, wall (scaled)`,
      ours: time(o.change),
      baseline: `${time(p.change)} per-user`,
      ratio: ratio(o.change.wallMs, p.change.wallMs),
      target: '<= per-user',
      met: o.change.wallMs <= p.change.wallMs,
    },
    {
      measure: `no-change run on ${n}: calls`,
      ours: traffic(o.noChange),
      baseline: `${traffic(p.noChange)} per-user; minimum ${int(m.noChange.calls)} (+record ${int(m.noChange.withRecord)})`,
      ratio: `${fewer(o.noChange, p.noChange)}; ${ratio(o.noChange.calls, m.noChange.calls)} of minimum`,
      target: '',
    },
    { measure: `no-change run: writes`, ours: int(o.noChange.writes), baseline: `${int(p.noChange.writes)} per-user`, ratio: '', target: '0 writes', met: o.noChange.writes === 0 },
    { measure: `no-change run: time, wall (scaled)`, ours: time(o.noChange), baseline: `${time(p.noChange)} per-user`, ratio: ratio(o.noChange.wallMs, p.noChange.wallMs), target: '' },
  ];
}

function endpoints(s: ScenarioResult): string {
  return Object.entries(s.byEndpoint)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([e, k]) => `${e} ${k}`)
    .join(', ');
}

function crossCheck(label: string, s: ScenarioResult): string[] {
  return s.emulatorRequests === s.calls && s.emulatorRateLimited === s.rateLimited
    ? []
    : [`- WARNING ${label}: client counted ${s.calls} calls / ${s.rateLimited} x 429, emulator ${s.emulatorRequests} / ${s.emulatorRateLimited}.`];
}

function apiMethod(ours: OursResult, scale: number): string[] {
  const m = ours.minimum;
  return [
    `- API: emulator limit ${SETTINGS.api.writesPerWindow} writes per endpoint per ${SETTINGS.api.windowMs} ms (${scale}x faster than Segment's 60/min per endpoint), client paced the same per endpoint; scaled time = wall x ${scale} (it scales CPU and read time too, so it overstates runs that stay under the write limit). ` +
      'The real-limits row runs onboarding once more at 60 writes per 60 000 ms per endpoint, emulator and client alike, and reports its wall time as is. ' +
      'Ours = `reconcile()` in-process with a new client per run; per-user = the official provider\'s pattern (design.md 3) against a fresh emulator: one POST /invites + a full GET /users scan per new user; GET /users/{id} per managed user on every refresh; one PUT per changed user.',
    `- Minimum (200 items per call): onboarding = ${m.onboarding.explain} = ${m.onboarding.calls}; ` +
      `with record = ${m.onboarding.withRecord} (${m.onboarding.withRecordExplain}). Change = ${m.change.explain} = ${m.change.calls}; with record ${m.change.withRecord} (${m.change.withRecordExplain}). ` +
      `No change = ${m.noChange.explain} = ${m.noChange.calls}; with record ${m.noChange.withRecord} (${m.noChange.withRecordExplain}).`,
  ];
}

function apiFootnotes(ours: OursResult, perUser: PerUserResult): string[] {
  return [
    `Where our calls go (onboarding): ${endpoints(ours.onboarding)}.`,
    `Change: ${endpoints(ours.change)}. No change: ${endpoints(ours.noChange)}.`,
    ...crossCheck('ours onboarding', ours.onboarding),
    ...crossCheck('ours change', ours.change),
    ...crossCheck('ours no-change', ours.noChange),
    ...crossCheck('per-user onboarding', perUser.onboarding),
    ...crossCheck('per-user change', perUser.change),
    ...crossCheck('per-user no-change', perUser.noChange),
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const date = new Date().toISOString();
  const cpu = cpus();
  progress(`settings: ${JSON.stringify(SETTINGS)}`);

  const run = (section: Section) => SETTINGS.sections.includes(section);
  const synth = run('synth') ? await measureSynth(SETTINGS.sizes, SETTINGS.runs, SETTINGS.synthBudgetMs) : [];
  const yamlSynth = run('yaml') ? await measureSynth(SETTINGS.yamlSizes, SETTINGS.runs, SETTINGS.synthBudgetMs, 'yaml') : [];
  const hostile = run('hostile') ? await measureHostileYaml(SETTINGS.hostileRuns) : [];
  if (run('cold')) progress('cold start');
  const cold = run('cold') ? await measureColdStart(SETTINGS.coldIterations) : undefined;
  if (run('deploy')) progress('real-Terraform deploy');
  const deploy = run('deploy') ? await measureDeploy(SETTINGS.deployGrants) : undefined;
  let api: { ours: OursResult; perUser: PerUserResult; realLimits: ScenarioResult } | undefined;
  if (run('api')) {
    progress('API efficiency: building the desired states');
    const inputs = buildInputs(SETTINGS.api);
    const ours = await measureOurs(SETTINGS.api, inputs);
    const perUser = await measurePerUser(SETTINGS.api, inputs);
    api = { ours, perUser, realLimits: await measureOnboardingAtRealLimits(SETTINGS.api.collaborators, inputs) };
  }
  const totalMs = performance.now() - started;

  const rows = [
    ...synthRows(synth),
    ...synthRows(yamlSynth, true),
    ...hostileRows(hostile, SETTINGS.hostileRuns),
    ...(cold ? coldRows(cold) : []),
    ...(deploy ? deployRows(deploy) : []),
    ...(api ? apiRows(api.ours, api.perUser, SETTINGS.api, api.realLimits) : []),
  ];
  const scale = 60_000 / SETTINGS.api.windowMs;
  const partial = SETTINGS.sections.length < SECTIONS.length;
  const text = [
    `# segment-access benchmark${partial ? ` (sections: ${SETTINGS.sections.join(', ')})` : ''}`,
    '',
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`,
    `- Date: ${date}; benchmark run time ${seconds(totalMs)} (after \`npm run build\`)`,
    ...(synth.length || yamlSynth.length
      ? [
          `- Synth: medians of fresh worker processes (ours and raw alternating), up to ${SETTINGS.runs} runs per size (run counts in each row; a size stops early past ${(SETTINGS.synthBudgetMs / 1000).toFixed(0)} s). ` +
            'Ours: one AccessDefinition (5 % ADMIN with justification, ~50 % MEMBER with SourceAccess to a source by catalog name, the rest READ_ONLY; service accounts with ticket/requestedBy) built into prod/staging/dev SegmentAccessStacks, guardrails and records on. ' +
            'Raw: an App with three TerraformStacks, each a NullProvider + N null_resources with 7 string triggers (what one resource per grant by hand would be). Both `app.synth()` to a temp dir; "construct + synth" excludes node and module start, "whole process" includes them. Ours writes, per synth: cdk.tf.json, the desired state and the bundled executor per stack, and once for the app the inventory (JSON, CSV, Markdown), the access matrix and one hand-off notes document.',
        ]
      : []),
    ...(yamlSynth.length
      ? ['- Synth from access.yaml: the same collaborators written as an access requests file (YAML, written before the worker starts) and the workspaces in code, as main.ts joins them; the worker reads, parses (safe YAML) and validates (zod) the file inside "construct + synth", then builds and synthesizes as "ours".']
      : []),
    ...(hostile.length ? ['- Hostile YAML: `node dist/cli/main.js validate <file>` as CI runs it, median wall time from spawn to exit; met = under 1 s and refused (exit 1, a `file:line:column` problem, no stack trace).'] : []),
    ...(cold ? [`- Cold start: medians of ${SETTINGS.coldIterations} spawns each, \`node -e 0\` / \`--version\` / \`reconcile\` alternating, the executor as the provisioner runs it; reconcile reads an emulator in this process.`] : []),
    ...(deploy
      ? [`- Deploy: \`cdktf deploy prod --skip-synth --auto-approve\` with the real terraform binary, one workspace of ${SETTINGS.deployGrants} grants, emulator write limit lifted (Terraform's and the executor's own time); baseline \`terraform apply\` of one terraform_data per grant with a \`true\` provisioner, as the previous per-grant design synthesized.`]
      : []),
    ...(api ? apiMethod(api.ours, scale) : []),
    '',
    markdownTable(rows),
    '',
    ...(synth.length ? [`Synth cost per grant (construct + synth; flat = linear): ${synthCurve(synth)}.`, ''] : []),
    ...(yamlSynth.length ? [`Synth from access.yaml, cost per grant: ${synthCurve(yamlSynth)}.`, ''] : []),
    ...(api ? apiFootnotes(api.ours, api.perUser) : []),
    '',
  ].join('\n');

  process.stdout.write(text);
  const dir = resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  // A partial run (BENCH_ONLY) keeps the full results and records its own beside them.
  const file = join(dir, partial ? `latest-${SETTINGS.sections.join('-')}.md` : 'latest.md');
  writeFileSync(file, text);
  progress(`done in ${seconds(performance.now() - started)}; wrote ${file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
