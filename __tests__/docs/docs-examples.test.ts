import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import * as ts from 'typescript';
import { parseAccessRequests } from '../../requests/load';
import { SegmentAccessValidationError } from '../../model/validation';
import { ControlRuleId } from '../../model/control-acknowledgements';
import { terraform } from '../support/terraform';
import { runCommand } from '../support/run-command';
import { E2EWorld } from '../support/e2e';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { EXAMPLE_REQUESTS_FILE, REPO_ROOT } from '../support/example';

// Every example in docs/requests-and-controls.md, docs/ci-and-security.md and the README sections this
// change wrote is checked against the code: YAML read by the real loader, TypeScript compiled against
// the package, commands run, output compared with real output.

const DOCS = ['docs/requests-and-controls.md', 'docs/ci-and-security.md', 'README.md'];
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

interface Block {
  readonly file: string;
  readonly lang: string;
  readonly text: string;
  /** The `<!-- docs-example: ... -->` marker right before it, if any. */
  readonly marker?: string;
}

function blocks(file: string): Block[] {
  const out: Block[] = [];
  const re = /(?:<!-- (?:docs-example|checked): ([^>]+) -->\n)?```(\w*)\n([\s\S]*?)```/g;
  for (let m = re.exec(read(file)); m; m = re.exec(read(file))) out.push({ file, lang: m[2], text: m[3], marker: m[1]?.trim() });
  return out;
}

const ALL = DOCS.flatMap(blocks);

/** A YAML fragment (an indented `grant:`) read as the grant of one collaborator. */
function asRequestsFile(text: string): string {
  const first = text.split('\n').find((l) => l.trim() && !l.trim().startsWith('#')) ?? '';
  if (!first.startsWith(' ')) return text;
  return `collaborators:\n  - id: Example\n    email: example@acme.example\n    displayName: Example\n${text}`;
}

describe('the examples in the docs', () => {
  const yamlBlocks = ALL.filter((b) => b.lang === 'yaml' && !b.text.includes('actions/checkout') && !b.text.includes('secrets.'));

  test.each(yamlBlocks.filter((b) => b.marker === undefined).map((b) => [`${b.file}: ${b.text.split('\n')[0]}`, b] as const))('valid requests: %s', (_name, block) => {
    expect(() => parseAccessRequests(asRequestsFile(block.text))).not.toThrow();
  });

  test('the refused example prints exactly the error shown after it', () => {
    const refused = yamlBlocks.filter((b) => b.marker === 'refused access.yaml');
    expect(refused).toHaveLength(1);
    let message = '';
    try {
      parseAccessRequests(refused[0].text, 'access.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(SegmentAccessValidationError);
      message = (error as Error).message;
    }
    expect(`${message}\n`).toBe(ALL.find((b) => b.marker === 'refused output')!.text);
  });

  test('the README excerpt is the example app\'s own access.yaml, as written there', () => {
    const excerpt = ALL.find((b) => b.file === 'README.md' && b.lang === 'yaml' && b.text.includes('NorthwindLead'))!;
    const file = readFileSync(EXAMPLE_REQUESTS_FILE, 'utf8');
    for (const line of excerpt.text.split('\n').filter((l) => l.trim() && !l.includes('  #') && !l.startsWith('collaborators') && !l.startsWith('version'))) {
      expect(file).toContain(line.trimEnd());
    }
  });

  test("the example app's main.ts is quoted as it is", () => {
    expect(ALL.some((b) => b.lang === 'ts' && b.text === read('main.ts'))).toBe(true);
  });

  test('the TypeScript examples of the guide compile against the package', () => {
    const examples = blocks('docs/requests-and-controls.md').filter((b) => b.lang === 'ts' && b.text.includes("from 'segment-access'"));
    expect(examples.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'sa-docs-ts-'));
    const files = examples.map((b, i) => {
      const file = join(dir, `example-${i}.ts`);
      writeFileSync(file, b.text);
      return file;
    });
    const program = ts.createProgram(files, {
      noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true, skipLibCheck: true, types: ['node'], typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
      baseUrl: REPO_ROOT, paths: { 'segment-access': [join(REPO_ROOT, 'index.ts')], cdktf: [join(REPO_ROOT, 'node_modules', 'cdktf')] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => files.includes(d.file?.fileName ?? ''));
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  }, 60_000);

  test('`segment-access validate` prints what the guide shows, for the example app', async () => {
    const shown = ALL.find((b) => b.marker === 'validate output')!;
    const cli = resolve(REPO_ROOT, 'dist', 'cli', 'main.js');
    const result = await runCommand(process.execPath, [cli, 'validate', 'access.yaml'], { PATH: process.env.PATH }, REPO_ROOT);
    expect(result).toEqual({ code: 0, stdout: shown.text, stderr: '' });
  });

  test('the CI guide quotes the shipped workflow and CODEOWNERS as they are', () => {
    const workflow = read('templates/github/workflows/segment-access.yml');
    const codeowners = read('templates/CODEOWNERS');
    const quoted = blocks('docs/ci-and-security.md');
    for (const b of quoted.filter((x) => x.lang === 'yaml')) expect(workflow).toContain(b.text);
    const commands = quoted.filter((x) => x.marker === 'workflow commands');
    expect(commands).toHaveLength(1);
    for (const line of commands.flatMap((x) => x.text.split('\n').filter(Boolean))) expect(workflow).toContain(`run: ${line}`);
    for (const line of quoted.filter((x) => x.marker === 'codeowners').flatMap((x) => x.text.split('\n').filter(Boolean))) expect(codeowners).toContain(line);
  });

  test('the plan excerpt of the guide is real terraform output', async () => {
    const shown = ALL.find((b) => b.marker === 'controls plan')!;
    const world = await E2EWorld.start();
    try {
      world.synth(e2eDefinition([collaboratorAccess('Ana')]));
      await world.deploy();
      world.synth(
        e2eDefinition([collaboratorAccess('Ana')], { authoritative: true, acknowledgements: [{ ruleId: ControlRuleId.AUTHORITATIVE, reason: 'Agreed with the platform team in SEC-12.' }] }),
      );
      const run = (args: string[]) => terraform(args, { cwd: world.stackDir, env: world.env });
      await run(['init', '-input=false', '-no-color']);
      const plan = await run(['plan', '-input=false', '-no-color']);
      const squeeze = (line: string) => line.trim().replace(/\s+/g, ' ');
      const lines = plan.output.split('\n').map(squeeze);
      for (const line of shown.text.split('\n').filter((l) => l.trim())) expect(lines).toContain(squeeze(line));
    } finally {
      await world.stop();
    }
  });
});
