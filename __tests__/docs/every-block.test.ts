// Every fenced block of the README and of docs/ is checked, so none goes stale: commands are parsed
// (the program exists, and every option is one its --help lists; npm scripts and test paths exist),
// TypeScript compiles against the package, YAML reads as requests (or is the shipped workflow), JSON
// parses, and every quoted output carries a `<!-- checked: NAME -->` marker that a test compares with
// real output. Blocks that cannot be checked here are listed below, each with its reason. Relative
// links must lead to files that exist.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import * as ts from 'typescript';
import { load as parseYaml } from 'js-yaml';
import { spawnSync } from 'child_process';
import { parseAccessRequests } from '../../requests/load';
import { findFrameworkCli } from '../../framework';
import { REPO_ROOT } from '../support/example';
import { bashCommands, DOC_FILES, DocBlock, docBlocks } from '../support/doc-blocks';

const ALL: DocBlock[] = DOC_FILES.flatMap(docBlocks);
const where = (b: DocBlock) => `${b.file}:${b.line}`;

/** Blocks that cannot be checked on this machine, by file and first line, each with the reason. */
const NOT_CHECKED: readonly { readonly file: string; readonly firstLine: string; readonly reason: string }[] = [];
const allowed = (b: DocBlock) => NOT_CHECKED.find((n) => n.file === b.file && b.text.split('\n')[0] === n.firstLine);

const TEST_SOURCES: readonly { path: string; text: string }[] = (() => {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  return walk(join(REPO_ROOT, '__tests__'))
    .filter((p) => !p.endsWith('every-block.test.ts'))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
})();

describe('every block of the README and docs/ is checked', () => {
  test('the pages hold blocks (the extraction works)', () => {
    expect(ALL.length).toBeGreaterThan(40);
    expect(DOC_FILES).toContain('docs/import.md');
  });

  test('a quoted output (text, or no language) is marked `checked:` and compared with real output by a test', () => {
    const unmarked = ALL.filter((b) => !['bash', 'ts', 'yaml', 'json'].includes(b.lang) && !b.marker && !allowed(b)).map(where);
    expect(unmarked).toEqual([]);
  });

  test('every marker names a block that a test reads from that page', () => {
    // How a test reads a marked block: checkedBlock('<page>', '<name>'), or its page's own accessor.
    const reads = (b: DocBlock, t: string) => {
      const { kind, name } = b.marker!;
      const page = b.file.split('/').pop()!;
      if (t.includes(`checkedBlock('${b.file}', '${name}')`)) return true;
      if (!t.includes(page)) return false;
      return kind === 'example' ? t.includes(`.get('${name}')`) || t.includes(`example('${name}')`) : kind === 'checked' ? t.includes(`block('${name}')`) : t.includes(`'${name}'`);
    };
    const orphans = ALL.filter((b) => b.marker && !TEST_SOURCES.some((t) => reads(b, t.text)));
    expect(orphans.map((b) => `${where(b)} ${b.marker!.kind}: ${b.marker!.name}`)).toEqual([]);
  });

  test('no block is left unchecked but the listed ones, and each listed one still exists', () => {
    for (const n of NOT_CHECKED) expect(ALL.some((b) => b.file === n.file && b.text.split('\n')[0] === n.firstLine)).toBe(true);
  });

  test('relative links lead to files that exist', () => {
    const broken: string[] = [];
    for (const file of DOC_FILES) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(m[1])) continue;
        if (!existsSync(resolve(REPO_ROOT, dirname(file), m[1]))) broken.push(`${file}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('commands (bash blocks) name programs, subcommands and options that exist', () => {
  const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const helps = new Map<string, string>();
  const help = (key: string, run: () => string) => {
    if (!helps.has(key)) helps.set(key, run());
    return helps.get(key)!;
  };
  const saHelp = (sub?: string) => help(`sa ${sub ?? ''}`, () => spawnSync(process.execPath, [CLI, ...(sub ? [sub, '--help'] : ['--help'])], { encoding: 'utf8' }).stdout);
  const cdktfHelp = (sub: string) =>
    help(`cdktf ${sub}`, () => {
      const r = spawnSync(process.execPath, [findFrameworkCli(REPO_ROOT).script, sub, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: '1', CHECKPOINT_DISABLE: '1' } });
      return `${r.stdout}${r.stderr}`;
    });
  const words = (command: string) => [...command.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((m) => m[0]);
  const flagsOf = (args: string[]) => args.filter((a) => /^--[a-z]/.test(a)).map((a) => a.split('=')[0]);

  /** What is wrong with one simple command, or undefined. */
  function problem(command: string): string | undefined {
    let w = words(command);
    while (w.length && /^[A-Z_][A-Z0-9_]*=/.test(w[0])) w = w.slice(1);
    if (w[0] === 'do') w = w.slice(1);
    const [program, ...args] = w;
    if (!program || ['done', 'for', 'cd', 'echo', 'printf', 'unset'].includes(program)) return undefined;
    if (program === 'export') {
      if (!args.every((a) => /^[A-Z_][A-Z0-9_]*=/.test(a))) return `export of something that is not NAME=value: ${args.join(' ')}`;
      // A value computed by a command ("$(segment-access keygen)"): that command is checked too.
      return args.flatMap((a) => [...a.matchAll(/\$\(([^)]*)\)/g)].map((m) => problem(m[1]))).find((p) => p !== undefined);
    }
    if (program === 'npm') {
      const [sub, name] = args;
      if (sub === 'run') return scripts[name] ? undefined : `npm run ${name}: no such script in package.json`;
      if (sub === 'start' || sub === 'test') return scripts[sub] ? undefined : `npm ${sub}: no such script`;
      return ['ci', 'install', 'i'].includes(sub) ? undefined : `npm ${sub}: not a command the docs should need`;
    }
    if (program === 'npx' && args[0] === 'jest') {
      const missing = args.slice(1).filter((a) => !a.startsWith('-') && !existsSync(join(REPO_ROOT, a)));
      return missing.length ? `jest: no such test path ${missing.join(', ')}` : undefined;
    }
    const [tool, sub, ...rest] = program === 'npx' ? args : [program, ...args];
    if (tool === 'segment-access') {
      if (!new RegExp(`^  ${sub} `, 'm').test(saHelp())) return `segment-access ${sub}: no such command`;
      const text = saHelp(sub);
      const unknown = flagsOf(rest).filter((f) => !text.includes(f));
      return unknown.length ? `segment-access ${sub}: ${unknown.join(', ')} not in its --help` : undefined;
    }
    if (tool === 'cdktf' || tool === 'cdktn') {
      // CDK Terrain's CLI is cdktf's under another name (docs/cdk-terrain.md): checked against cdktf's.
      const text = cdktfHelp(sub);
      if (!text.includes(`${sub}`) || /Unknown (command|argument)/i.test(text)) return `${tool} ${sub}: no such command`;
      const unknown = flagsOf(rest).filter((f) => !text.includes(f));
      return unknown.length ? `${tool} ${sub}: ${unknown.join(', ')} not in its --help` : undefined;
    }
    if (program === 'gh') {
      // GitHub's CLI is not on this machine; the docs use it for one thing, whose JSON `approvals verify`
      // reads (recorded answers in __tests__/approvals): `gh pr view <number> --json reviews`.
      const ok = args[0] === 'pr' && args[1] === 'view' && /^\d+$/.test(args[2] ?? '') && args[3] === '--json' && args[4] === 'reviews';
      return ok ? undefined : `gh ${args.join(' ')}: only \`gh pr view <number> --json reviews\` is documented`;
    }
    return `no check for the program "${program}"`;
  }

  const blocks = ALL.filter((b) => b.lang === 'bash' && !allowed(b));
  test.each(blocks.map((b) => [where(b), b] as const))('%s', (_where, block) => {
    const problems = bashCommands(block.text)
      .flatMap((line) => line.split(/\s*(?:&&|\|\||;|\|)\s*/))
      .map((c) => [c, problem(c)] as const)
      .filter(([, p]) => p !== undefined)
      .map(([c, p]) => `${c}: ${p}`);
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('TypeScript blocks compile against the package', () => {
  // A block that is a file of this repo (main.ts) is compiled where it lives, by `tsc -p tsconfig.json` (npm test).
  const repoFile = (b: DocBlock) => ['main.ts'].find((f) => readFileSync(join(REPO_ROOT, f), 'utf8') === b.text);
  const blocks = ALL.filter((b) => b.lang === 'ts' && !allowed(b) && !repoFile(b));

  test('a block quoting a file of this repo quotes it as it is, and tsc compiles that file', () => {
    const quoted = ALL.filter((b) => b.lang === 'ts' && repoFile(b));
    expect(quoted.length).toBeGreaterThan(0);
    const tsconfig = readFileSync(join(REPO_ROOT, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toContain('"include": ["*.ts"');
  });
  // A snippet that names these without declaring them means an app's own (as the prose around it says).
  const FREE: Record<string, string> = {
    app: 'App',
    stack: 'TerraformStack',
    grant: 'WorkspaceGrant',
    definition: 'AccessDefinition',
    ACCESS: 'AccessDefinition',
  };

  test('every TypeScript block type-checks (strict), imports completed for snippets that show none', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = new Set(Object.keys(require('../../index') as object));
    for (const type of ['AccessDefinition', 'SegmentWorkspaceProps']) exported.add(type);
    const FRAMEWORK_NAMES = ['App', 'Testing', 'TerraformStack', 'S3Backend'];
    const dir = mkdtempSync(join(tmpdir(), 'sa-doc-ts-'));
    // What a snippet imports from its own app: a definition module, as `segment-access import` writes one.
    writeFileSync(join(dir, 'access.ts'), "import { AccessDefinition } from 'segment-access';\nexport declare const ACCESS: AccessDefinition;\n");
    const files = blocks.map((b, i) => {
      let text = b.text;
      if (!/^import /m.test(text)) {
        const used = (names: Iterable<string>) => [...names].filter((n) => new RegExp(`\\b${n}\\b`).test(text));
        const declared = (n: string) => new RegExp(`\\b(const|let|var|function|class)\\s+${n}\\b`).test(text);
        const free = Object.entries(FREE).filter(([n]) => new RegExp(`\\b${n}\\b`).test(text) && !declared(n));
        const fromPackage = new Set([...used(exported), ...free.map(([, t]) => t).filter((t) => exported.has(t))]);
        const fromFramework = new Set([...used(FRAMEWORK_NAMES), ...free.map(([, t]) => t).filter((t) => FRAMEWORK_NAMES.includes(t))]);
        for (const n of fromFramework) fromPackage.delete(n);
        text = [
          fromPackage.size ? `import { ${[...fromPackage].join(', ')} } from 'segment-access';` : '',
          fromFramework.size ? `import { ${[...fromFramework].join(', ')} } from '${'cdk'}tf';` : '',
          ...free.map(([n, t]) => `declare const ${n}: ${t};`),
          'export {};',
          text,
        ].join('\n');
      }
      const file = join(dir, `block-${i}.ts`);
      writeFileSync(file, text);
      return file;
    });
    const program = ts.createProgram(files, {
      noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true, skipLibCheck: true, types: ['node', 'jest'], typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
      // CDK Terrain's types are cdktf's under another name (docs/cdk-terrain.md's tsconfig line maps them the other way).
      baseUrl: REPO_ROOT,
      // Whichever framework is installed (CI's CDK Terrain line has no cdktf), as this repo's tsconfig.json maps it.
      paths: {
        'segment-access': [join(REPO_ROOT, 'index.ts')],
        cdktf: [join(REPO_ROOT, 'node_modules', 'cdktf'), join(REPO_ROOT, 'node_modules', 'cdktn')],
        cdktn: [join(REPO_ROOT, 'node_modules', 'cdktf'), join(REPO_ROOT, 'node_modules', 'cdktn')],
        'cdktf/*': [join(REPO_ROOT, 'node_modules', 'cdktf', '*'), join(REPO_ROOT, 'node_modules', 'cdktn', '*')],
      },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => files.includes(d.file?.fileName ?? ''))
      .map((d) => `${where(blocks[files.indexOf(d.file!.fileName)])}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  }, 120_000);
});

describe('YAML and JSON blocks', () => {
  const workflow = readFileSync(join(REPO_ROOT, 'templates', 'github', 'workflows', 'segment-access.yml'), 'utf8');
  /** A YAML fragment (an indented `grant:`) read as the grant of one collaborator. */
  const asRequestsFile = (text: string) =>
    text.split('\n').find((l) => l.trim() && !l.trim().startsWith('#'))?.startsWith(' ')
      ? `collaborators:\n  - id: Example\n    email: example@acme.example\n    displayName: Example\n${text}`
      : text;

  test.each(ALL.filter((b) => b.lang === 'yaml' && !b.marker && !allowed(b)).map((b) => [where(b), b] as const))('%s: the shipped workflow, or valid requests', (_w, block) => {
    if (/^\s*(- name:|uses:|run:|jobs:)/m.test(block.text)) expect(workflow).toContain(block.text);
    else expect(() => parseAccessRequests(asRequestsFile(block.text))).not.toThrow();
    expect(() => parseYaml(block.text)).not.toThrow();
  });

  test.each(ALL.filter((b) => b.lang === 'json').map((b) => [where(b), b] as const))('%s parses', (_w, block) => {
    expect(() => JSON.parse(block.text)).not.toThrow();
  });
});
