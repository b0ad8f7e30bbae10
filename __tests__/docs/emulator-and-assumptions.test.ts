import { App } from '../../framework';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { EmulatorProfile, emulatorSettingsSchema, loadSeedFile, PROFILE_SETTINGS } from '../../emulator';
import { Environment } from '../../model/enums';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { BehaviourWorld, danaAccess, desiredOf, settingsFromEnvironment, T0 } from '../support/behaviour-world';
import { E2E_TOKEN } from '../support/e2e';
import { checkedBlock } from '../support/doc-blocks';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { runCommand } from '../support/run-command';

// docs/emulator-and-assumptions.md: its sample output, tables and commands, checked against the code.

const REPO = resolve(__dirname, '..', '..');
const DOC = readFileSync(join(REPO, 'docs', 'emulator-and-assumptions.md'), 'utf8');
const CLI = join(REPO, 'dist', 'cli', 'main.js');

/** The rows of the Markdown table whose header row starts with `header`. */
function tableRows(header: string): string[][] {
  const lines = DOC.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header} |`));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
  }
  return rows;
}

describe('docs/emulator-and-assumptions.md', () => {
  test('the doctor sample is real output: the emulator under the case-preserving profile, after one deploy, `doctor --outdir`', async () => {
    const world = await BehaviourWorld.start(EmulatorProfile.CASE_PRESERVING);
    const dir = mkdtempSync(join(tmpdir(), 'doctor-doc-'));
    try {
      const people = [collaboratorAccess('Alex'), danaAccess()];
      await world.deploy(desiredOf(people));
      const outdir = join(dir, 'cdktf.out');
      const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: T0.toISOString() } });
      new SegmentAccessStack(app, 'prod', { definition: e2eDefinition(people), environment: Environment.PROD });
      app.synth();
      // doctor's clock is the emulator's (Segment's), pinned as a scheduled job would see it.
      const env = { PATH: process.env.PATH, PUBLIC_API_URL: world.emulator.url, SEGMENT_E2E_TOKEN: E2E_TOKEN, SEGMENT_ACCESS_NOW: new Date(world.emulator.state.clock.nowMs()).toISOString() };
      const before = world.emulator.stats().writes;
      const result = await runCommand('node', [CLI, 'doctor', '--outdir', outdir], env);
      const sample = checkedBlock('docs/emulator-and-assumptions.md', 'doctor sample').trimEnd();
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout.trimEnd()).toBe(sample);
      expect(world.emulator.stats().writes).toBe(before);
      expect(result.stdout).not.toContain(E2E_TOKEN);
      expect(result.stdout).not.toMatch(/@/);

      // --json: the same, for machines; the settings line is what SEGMENT_ACCESS_EMULATOR_SETTINGS takes.
      const json = JSON.parse((await runCommand('node', [CLI, 'doctor', '--outdir', outdir, '--json'], env)).stdout);
      expect(json.verdict).toBe('ok');
      expect(json.workspaces[0].closestProfile).toBe('case-preserving');
      const printed = /Emulator settings that match: (\{.*\}) \(closest profile/.exec(result.stdout)![1];
      expect(JSON.parse(printed)).toEqual(json.workspaces[0].emulatorSettings);
      expect(settingsFromEnvironment({ SEGMENT_ACCESS_EMULATOR_SETTINGS: printed })[0][1]).toMatchObject(json.workspaces[0].emulatorSettings);

      // --workspace-id / --token-env: a token of another workspace fails, naming the fix (exit 1).
      const wrong = await runCommand('node', [CLI, 'doctor', '--workspace-id', 'wsNotThisOne', '--token-env', 'SEGMENT_E2E_TOKEN'], env);
      expect(wrong.code).toBe(1);
      expect(wrong.stdout).toContain('fail  token        belongs to workspace wsE2eProd01 ("Acme E2E", slug acme-e2e), not to wsNotThisOne');
      expect(wrong.stdout).toContain('fix: Set SEGMENT_E2E_TOKEN to a token of workspace wsNotThisOne');
      expect(wrong.stdout).not.toContain(E2E_TOKEN);
    } finally {
      await world.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the settings table names every setting and every value the emulator takes', () => {
    const rows = tableRows('behaviour');
    const settingsCells = rows.map((row) => row[1]).join('\n');
    for (const key of Object.keys(emulatorSettingsSchema.shape).filter((k) => k !== 'strict')) expect(settingsCells).toContain(`\`${key}\``);
    for (const [key, schema] of Object.entries(emulatorSettingsSchema.shape)) {
      const options = (schema as { def?: { innerType?: { options?: unknown[] } } }).def?.innerType?.options;
      for (const value of options ?? []) expect({ key, listed: settingsCells.includes(`\`${String(value)}\``) }).toEqual({ key, listed: true });
    }
    // Every row says where Segment documents the behaviour, or that it does not.
    for (const row of rows) expect(row[2]).toMatch(/segment-docs|SDK|docs\.segmentapis\.com|not documented|the checklist/);
  });

  test('the profiles table is PROFILE_SETTINGS', () => {
    const rows = tableRows('profile');
    expect(rows.map((row) => row[0])).toEqual(Object.values(EmulatorProfile).map((p) => `\`${p}\``));
    for (const [name, settings] of rows) {
      const profile = name.replace(/`/g, '') as EmulatorProfile;
      const listed = Object.fromEntries([...settings.matchAll(/`(\w+): ([^`]+)`/g)].map((m) => [m[1], m[2]]));
      expect(listed).toEqual(Object.fromEntries(Object.entries(PROFILE_SETTINGS[profile]).map(([k, v]) => [k, String(v)])));
    }
  });

  test('every option the commands use is one the CLI takes', async () => {
    const help = async (command: string) => (await runCommand('node', [CLI, command, '--help'], { PATH: process.env.PATH })).stdout;
    const [emulator, doctor] = [await help('emulator'), await help('doctor')];
    for (const option of ['--seed', '--port', '--state-file', '--profile']) expect(emulator).toContain(option);
    for (const option of ['--workspace-id', '--token-env', '--region', '--stack', '--json', '--outdir']) expect(doctor).toContain(option);
    expect(DOC).toContain('--profile case-preserving');
    expect(DOC).toContain('--seed demo/emulator-seed.json');
    expect(() => loadSeedFile(join(REPO, 'demo', 'emulator-seed.json'))).not.toThrow();
    const example = /SEGMENT_ACCESS_EMULATOR_SETTINGS='(\{.*\})' npx jest __tests__\/matrix/.exec(DOC)![1];
    expect(settingsFromEnvironment({ SEGMENT_ACCESS_EMULATOR_SETTINGS: example })).toHaveLength(1);
  });
});
