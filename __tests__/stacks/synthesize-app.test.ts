// A synth error is printed once, with no stack trace: the validation or guardrail report, then one line
// with the count and the exit code. Run as a team runs it: the real cdktf CLI (no terminal, as in CI) with
// the app under `ts-node --transpile-only` (cdktf's TypeScript default), and the app run directly.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CdkFramework, findFrameworkCli, FRAMEWORK } from '../../framework';
import { runCommand } from '../support/run-command';
import { REPO_ROOT } from '../support/example';
import { SYNTH_STOPPED_STACK, synthReportOf, synthStoppedText } from '../../stacks/synthesize-app';
import { SegmentAccessValidationError } from '../../model/validation';
import { checkedBlock } from '../support/doc-blocks';

const ACCESS = readFileSync(join(REPO_ROOT, 'access.yaml'), 'utf8');
const BAD_EMAIL = ACCESS.replace('email: bi-reporting@acme.example', 'email: bi-reporting.acme.example');
const BAD_EMAIL_LINE =
  '  - access.yaml:48:12 collaborators.2.email: received "bi-reporting.acme.example"; allowed: an email address, which has an "@" before its domain (this one has no "@"). ' +
  'Fix: write the service account\'s shared address (not a person\'s), e.g. "segment@agency.example"; for a named individual, set kind to PERSON.';

/** The example app (this repo's main.ts, importing the library by path), with its access.yaml. */
function project(access: string, main = readFileSync(join(REPO_ROOT, 'main.ts'), 'utf8')): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa-synth-error-'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'main.ts'), main.replace(/from '\.\//g, `from '${REPO_ROOT}/`));
  writeFileSync(join(dir, 'access.yaml'), access);
  writeFileSync(join(dir, 'cdktf.json'), readFileSync(join(REPO_ROOT, 'cdktf.json'), 'utf8'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, skipLibCheck: true } }));
  return dir;
}

/** CI's environment: no terminal, CI set, the documented settings for offline runs (docs/ci-and-security.md). */
const CI_ENV = { PATH: process.env.PATH, HOME: process.env.HOME, CI: '1', CHECKPOINT_DISABLE: '1', NPM_CONFIG_UPDATE_NOTIFIER: 'false' };
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
const lines = (text: string) => plain(text).split('\n').filter((l) => l.trim());
const withoutSpinner = (text: string) => lines(text).filter((l) => !/^[\u2800-\u28ff]/.test(l.trim()));

// The CLI frames the report its own way (stacks/synthesize-app.ts): cdktf prints it as an error annotation
// ("ERROR [segment-access]: ...", then its "Error: While synthesizing ..."); CDK Terrain prints it as the
// app wrote it, then one line of its own, which docs/cdk-terrain.md quotes (its timestamp aside).
const ON_CDK_TERRAIN = FRAMEWORK.package === CdkFramework.CDKTN;
const untimed = (line: string) => line.replace(/^\[\d{4}-\d\d-\d\dT[\d:.]+\] /, '[time] ');
const CDK_TERRAIN_OUTPUT = lines(checkedBlock('docs/cdk-terrain.md', 'synth error')).map(untimed);
/** The lines a cdktf block shows, as the CLI that runs this suite prints them. */
function asPrinted(cdktfLines: string[]): string[] {
  if (!ON_CDK_TERRAIN) return cdktfLines;
  const [first, ...rest] = cdktfLines;
  return [first.replace(/^ERROR \[segment-access\]: /, ''), ...rest.slice(0, -1), CDK_TERRAIN_OUTPUT[CDK_TERRAIN_OUTPUT.length - 1]];
}
const printed = (output: string) => withoutSpinner(output).map(untimed);

describe('a synth error under the framework CLI', () => {
  const cli = findFrameworkCli(REPO_ROOT);
  const synth = (dir: string) => runCommand(process.execPath, [cli.script, 'synth'], CI_ENV, dir);
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('one bad field: the report once, no stack trace, at most 10 lines in all, exit 1; the last good synth\'s stacks are gone', async () => {
    const dir = project(ACCESS);
    dirs.push(dir);
    const good = await synth(dir);
    expect(good.code).toBe(0);
    expect(`${good.stdout}${good.stderr}`).not.toContain('[ERROR]');
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(['dev', 'prod', 'staging']);

    writeFileSync(join(dir, 'access.yaml'), BAD_EMAIL);
    const bad = await synth(dir);
    const output = `${bad.stdout}${bad.stderr}`;
    expect(bad.code).toBe(1);
    expect(lines(output).length).toBeLessThanOrEqual(10);
    expect(plain(output).split(BAD_EMAIL_LINE)).toHaveLength(2);
    expect(plain(output)).toContain('segment-access: synth stopped: 1 problem; exit code 1.');
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain('Command output on');
    // Only the CLI's own closing line, on CDK Terrain, is logged as an error; the report is not printed as a log.
    expect(lines(output).filter((l) => l.includes('[ERROR]'))).toHaveLength(ON_CDK_TERRAIN ? 1 : 0);
    // The README and docs/requests-and-controls.md show this very output on cdktf (the spinner's line aside,
    // drawn only on a terminal), docs/cdk-terrain.md on CDK Terrain.
    expect(printed(output)).toEqual(asPrinted(lines(checkedBlock('README.md', 'synth error'))));
    expect(printed(output)).toEqual(asPrinted(lines(checkedBlock('docs/requests-and-controls.md', 'synth error'))));
    if (ON_CDK_TERRAIN) expect(printed(output)).toEqual(CDK_TERRAIN_OUTPUT);
    // Nothing of the previous synth is left to plan, audit or deploy: cdktf keeps only the stack that carries
    // the report; on CDK Terrain the app withdrew the manifest and every stack.
    if (ON_CDK_TERRAIN) {
      expect(readdirSync(join(dir, 'cdktf.out')).filter((f) => f === 'manifest.json' || f === 'stacks')).toEqual([]);
    } else {
      expect(readdirSync(join(dir, 'cdktf.out', 'stacks'))).toEqual([SYNTH_STOPPED_STACK]);
    }
  }, 120_000);

  test('under ts-node --transpile-only, a misspelt enum member in the workspace configuration reads as set to nothing, not missing', async () => {
    const main = readFileSync(join(REPO_ROOT, 'main.ts'), 'utf8').replace(
      'new SegmentAccessStack(app, environment, { definition, environment });',
      'new SegmentAccessStack(app, environment, { definition: { ...definition, workspaces: { [environment]: { ...definition.workspaces[environment]!, environment: (Environment as any).PRODD } } }, environment });',
    );
    expect(main).toContain('PRODD');
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'cdktf.json'), 'utf8')).app).toBe('npx ts-node --transpile-only main.ts');
    const dir = project(ACCESS, main);
    dirs.push(dir);
    const result = await synth(dir);
    expect(result.code).toBe(1);
    expect(plain(result.stdout)).toContain('environment: received undefined (the field is set, to nothing: a misspelt enum member, e.g. PlanTier.BUSNESS?)');
    expect(result.stdout).not.toContain('the field is missing');
    expect(lines(`${result.stdout}${result.stderr}`).length).toBeLessThanOrEqual(10);
  }, 120_000);

  test('a guardrail error: its report once, then the count', async () => {
    const dir = project(ACCESS.replace('email: bi-reporting@acme.example', 'email: bi.reporting@gmail.com'));
    dirs.push(dir);
    const result = await synth(dir);
    const output = plain(`${result.stdout}${result.stderr}`);
    expect(result.code).toBe(1);
    expect(output.match(/\[prod\/Workspace\/ReportingService\] \[SA-EMAIL-001\]/g)).toHaveLength(1);
    expect(output).toContain('segment-access: synth stopped: 4 problems; exit code 1.');
    expect(output).not.toMatch(/\n\s+at /);
    // docs/guardrails.md shows this very output (on cdktf; the same report on CDK Terrain, framed as its CLI frames it).
    expect(printed(output)).toEqual(asPrinted(lines(checkedBlock('docs/guardrails.md', 'guardrail error'))));
  }, 120_000);
});

describe('a synth error when the app runs on its own (node main.js, ts-node main.ts)', () => {
  const run = async (access: string) => {
    const dir = project(access);
    try {
      return await runCommand(process.execPath, [join(REPO_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', 'main.ts'], CI_ENV, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('prints the report and the count line on stderr, nothing else, exit 1', async () => {
    const result = await run(BAD_EMAIL);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `Invalid input at access requests "access.yaml":\n${BAD_EMAIL_LINE}\nsegment-access: synth stopped: 1 problem; exit code 1.\n`,
    });
  }, 60_000);
});

describe('which errors are reports', () => {
  test('validation and guardrail errors are; any other error is a bug and keeps its stack trace', () => {
    const validation = new SegmentAccessValidationError('X "a"', [
      { field: 'f', received: 1, allowed: 'a', fix: 'b' },
      { field: 'g', received: 2, allowed: 'a', fix: 'b' },
    ]);
    expect(synthReportOf(validation)).toEqual({ report: validation.message, count: 2 });
    expect(synthReportOf(new Error('a bug'))).toBeUndefined();
    expect(synthReportOf('text')).toBeUndefined();
    // Control characters in a report are shown, never obeyed.
    expect(synthStoppedText({ report: 'a\u001b[31mred', count: 1 })).toBe('a\\x1b[31mred\nsegment-access: synth stopped: 1 problem; exit code 1.');
  });
});
