// Quoted output in the guides, compared with what the code really produces: the plan a reviewer reads
// (real terraform), a grant's validation error, the access matrix, the repo layout, and the benchmark
// and mutation tables (against the results files they summarize).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from '../../framework';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../../model/enums';
import type { AccessDefinition } from '../../stacks/access-definition';
import { startEmulator } from '../../emulator/server';
import { exampleDefinition } from '../../stacks/example-workspaces';
import { loadAccessRequests } from '../../requests/load';
import { generateRecordKey } from '../../reconciler/record-key';
import { REPO_ROOT, EXAMPLE_REQUESTS_FILE } from '../support/example';
import { blockLines, checkedBlock, quotedIn } from '../support/doc-blocks';
import { deployStack, terraform } from '../support/terraform';
import { TEST_NOW } from '../support/synth';
import { collaborator, workspace } from '../support/fixtures';
import { testStack } from '../support/synth';
import { errorOf } from '../support/validation';

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

/** The lines of a Markdown table right after a `<!-- checked: NAME -->` marker. */
function markedTable(file: string, name: string): string[] {
  const text = read(file);
  const at = text.indexOf(`<!-- checked: ${name} -->\n`);
  if (at < 0) throw new Error(`${file} has no table marked "checked: ${name}"`);
  return text.slice(at).split('\n').slice(1).filter((l, i, all) => l.startsWith('|') && all.slice(0, i).every((x) => x.startsWith('|')));
}

describe('docs/deploying.md: the plan excerpt is real terraform output', () => {
  test('the example\'s prod stack after one collaborator added, one role changed and one removed', async () => {
    const emulator = await startEmulator({ seed: join(REPO_ROOT, 'demo', 'emulator-seed.json'), rateLimit: { writesPerWindow: 1000, windowMs: 60_000 } });
    const dir = mkdtempSync(join(tmpdir(), 'sa-plan-doc-'));
    try {
      const outdir = join(dir, 'cdktf.out');
      const synth = (definition: AccessDefinition) => {
        const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
        new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
        app.synth();
      };
      const stackDir = join(outdir, 'stacks', 'prod');
      const env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PUBLIC_API_URL: emulator.url,
        SEGMENT_PROD_TOKEN: 'demo-prod-token',
        SEGMENT_ACCESS_RECORD_KEY: generateRecordKey(),
        SEGMENT_ACCESS_NOW: TEST_NOW,
        SEGMENT_ACCESS_AUDIT_DELAY_MS: '0',
      };
      const example = exampleDefinition(loadAccessRequests(EXAMPLE_REQUESTS_FILE));
      synth(example);
      await deployStack(stackDir, env);
      const changed: AccessDefinition = {
        ...example,
        collaborators: [
          ...example.collaborators
            .filter((c) => c.email !== 'segment@northwind-analytics.example')
            .map((c) => (c.email === 'bi-reporting@acme.example' ? { ...c, grant: { ...c.grant, role: WorkspaceRole.MEMBER, sourceAccess: { Web: { level: AccessLevel.READ_ONLY, sources: ['web'] } } } } : c)),
          {
            id: 'Auditor',
            email: 'auditor@acme.example',
            displayName: 'External auditor',
            kind: CollaboratorKind.CONTRACTOR,
            requestedBy: 'dana.lee@acme.example',
            ticket: 'ACCESS-1200',
            grant: { role: WorkspaceRole.READ_ONLY, expiresOn: '2027-01-31' },
          },
        ],
      };
      synth(changed);
      const plan = await terraform(['plan', '-input=false', '-no-color'], { cwd: stackDir, env });
      expect(plan.code).toBe(0);
      // The resource id (random) and the digests are the run's own; everything else must read as quoted.
      const mask = (s: string) => s.replace(/"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/g, '"<id>"').replace(/"[0-9a-f]{64}"/g, '"<sha256>"');
      const shown = blockLines(checkedBlock('docs/deploying.md', 'plan excerpt')).map(mask);
      expect(quotedIn(shown, plan.output.split('\n').map(mask))).toEqual({ ok: true });
    } finally {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('docs/roles-and-permissions.md', () => {
  test('a grant\'s validation error reads as quoted', () => {
    const stack = testStack('prod');
    const err = errorOf(() => workspace(stack).addGrant('Ana', { collaborator: collaborator(stack, 'Ana'), role: WorkspaceRole.READ_ONLY, expiresOn: '31/03/2027' }));
    expect(`${err.message}\n`).toBe(checkedBlock('docs/roles-and-permissions.md', 'grant error'));
  });
});

describe('docs/records.md', () => {
  test('the access matrix excerpt is what synth writes for the example app', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sa-records-doc-'));
    try {
      const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
      const definition = exampleDefinition(loadAccessRequests(EXAMPLE_REQUESTS_FILE));
      for (const environment of [Environment.PROD, Environment.STAGING, Environment.DEV]) new SegmentAccessStack(app, environment, { definition, environment });
      app.synth();
      const matrix = readFileSync(join(outdir, 'records', 'access-matrix.md'), 'utf8').split('\n');
      const shown = markedTable('docs/records.md', 'access matrix');
      expect(shown.length).toBeGreaterThan(3);
      for (const line of shown) expect(matrix).toContain(line);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('docs/architecture.md', () => {
  test('the layout names every top-level folder of this repo that is in git, and only paths that exist', () => {
    const layout = blockLines(checkedBlock('docs/architecture.md', 'layout'));
    const named = layout.flatMap((l) => l.split(/\s{2,}/)[0].split(',').map((p) => p.trim()));
    for (const path of named) expect([path, existsSync(join(REPO_ROOT, path))]).toEqual([path, true]);
    const folders = readdirSync(REPO_ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'dist', 'cdktf.out', 'reports', 'schema'].includes(e.name))
      .map((e) => `${e.name}/`);
    expect(folders.filter((f) => !named.includes(f))).toEqual([]);
  });
});

describe('docs/performance-and-mutation.md summarizes the results files', () => {
  const doc = read('docs/performance-and-mutation.md');
  const tableRows = (text: string) => text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));

  test('every row of the benchmark table is a row of bench/results/latest.md', () => {
    const results = tableRows(read('bench/results/latest.md'));
    const rows = tableRows(doc).filter((r) => /^\| (synth|executor|cdktf deploy|onboarding|change|no-change)/.test(r) && r.split('|').length === 8);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((r) => !results.includes(r))).toEqual([]);
  });

  test('every figure of the access.yaml table is in its results files', () => {
    const results = readdirSync(join(REPO_ROOT, 'bench', 'results')).filter((f) => f.startsWith('latest-')).map((f) => read(join('bench', 'results', f))).join('\n');
    const table = doc.slice(doc.indexOf('| measure | TypeScript definition | from access.yaml | target |'));
    const figures = [...table.slice(0, table.indexOf('\n\n')).matchAll(/\d+\.\d+x|\d+(?=-\d+ ms)|\d+(?= ms)/g)].map((m) => m[0]);
    expect(figures.length).toBeGreaterThan(8);
    expect(figures.filter((f) => !results.includes(f))).toEqual([]);
  });

  test('every folder row of the whole-suite mutation table is in reports/mutation/latest.md', () => {
    const report = tableRows(read('reports/mutation/latest.md')).map((r) => r.split('|').slice(1, 7).map((c) => c.trim()).join('|'));
    const rows = markedTable('docs/performance-and-mutation.md', 'mutation whole suite').slice(2);
    expect(rows.map((r) => r.split('|')[1].trim())).toEqual(['`api/`', '`policy/`', '`model/`', '`reconciler/`']);
    for (const row of rows) expect(report).toContain(row.split('|').slice(1, 7).map((c) => c.trim().replace(/`/g, '')).join('|'));
  });

  test('every folder row of the own-tests mutation table is in reports/mutation/own-tests.md', () => {
    const report = tableRows(read('reports/mutation/own-tests.md')).map((r) => r.split('|').slice(1, 7).map((c) => c.trim()).join('|'));
    const rows = markedTable('docs/performance-and-mutation.md', 'mutation own tests').slice(2);
    // Every folder the summary holds (a folder not measured on its own is left out of both, and the doc says so).
    expect(rows.map((r) => r.split('|')[1].trim().replace(/`/g, '')).sort()).toEqual(report.map((r) => r.split('|')[0]).filter((f) => /^[a-z]+\/$/.test(f)).sort());
    for (const row of rows) expect(report).toContain(row.split('|').slice(1, 7).map((c) => c.trim().replace(/`/g, '')).join('|'));
  });

  test('the hand-written mutant table is reports/mutation/hand-mutants.md, before and after the tests added for them', () => {
    const shown = markedTable('docs/performance-and-mutation.md', 'hand-written mutants').slice(2).map((r) => r.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
    const [before, after] = [handMutantsByFolder('reports/mutation/hand-mutants-before.md'), handMutantsByFolder('reports/mutation/hand-mutants.md')];
    expect(shown.map(([folder]) => folder)).toEqual([...after.keys()]);
    for (const [folder, mutants, killedBefore, killedAfter] of shown) {
      expect([mutants, killedBefore, killedAfter]).toEqual([after.get(folder)!.mutants, before.get(folder)!.killed, after.get(folder)!.killed].map(String));
    }
    for (const [file, rate] of [['hand-mutants-before.md', /before the tests added for them: (\d+ of \d+ \(\d+%\))/], ['hand-mutants.md', /after: (\d+ of \d+ \(\d+%\))/]] as const) {
      expect(read(`reports/mutation/${file}`)).toContain(`Killed by their own folder's tests: ${rate.exec(doc)![1]}.`);
    }
  });
});

/** The per-folder table of a hand-mutants report: folder -> how many mutants, how many killed by own tests. */
function handMutantsByFolder(file: string): Map<string, { mutants: number; killed: number }> {
  const rows = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n').filter((l) => /^\| [a-z]+\/ \| \d+ \| \d+ \|$/.test(l));
  return new Map(rows.map((r) => r.split('|').slice(1, -1).map((c) => c.trim())).map(([folder, mutants, killed]) => [folder, { mutants: Number(mutants), killed: Number(killed) }]));
}

describe("the README's mutation section shows the results files", () => {
  const readme = read('README.md');
  const readmeRows = () => markedTable('README.md', 'mutation scores').slice(2).map((r) => r.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
  const scoreOf = (file: string, folder: string) => read(file).split('\n').find((l) => l.startsWith(`| ${folder} |`))?.split('|')[2].trim();

  test('own-test and whole-suite scores per folder are those of own-tests.md and latest.md', () => {
    const scored = readmeRows().filter(([folder]) => /^(api|policy|model|reconciler)\/$/.test(folder));
    expect(scored.map(([folder]) => folder)).toEqual(['api/', 'policy/', 'model/', 'reconciler/']);
    for (const [folder, own, whole] of scored) {
      expect(own === 'not measured' ? undefined : own.split(' ')[0]).toBe(scoreOf('reports/mutation/own-tests.md', folder));
      expect(whole).toBe(scoreOf('reports/mutation/latest.md', folder));
    }
  });

  test('hand-written mutants killed per folder, and the kill rate before and after, are those of hand-mutants*.md', () => {
    const [before, after] = [handMutantsByFolder('reports/mutation/hand-mutants-before.md'), handMutantsByFolder('reports/mutation/hand-mutants.md')];
    const sum = (m: Map<string, { mutants: number; killed: number }>, folders: string[]) => folders.reduce((n, f) => n + m.get(f)!.killed, 0);
    const rows = readmeRows();
    for (const [label, , , hand] of rows) {
      const folders = label.split(', ');
      const total = folders.reduce((n, f) => n + after.get(f)!.mutants, 0);
      expect(hand).toBe(`${sum(after, folders)} of ${total} (${sum(before, folders)} before)`);
    }
    expect(rows.flatMap(([label]) => label.split(', ')).sort()).toEqual([...after.keys()].sort());
    const rates = [...readme.matchAll(/(\d+ of \d+ \(\d+%\))/g)].map((m) => m[1]);
    expect(rates).toHaveLength(2);
    expect(read('reports/mutation/hand-mutants-before.md')).toContain(`Killed by their own folder's tests: ${rates[0]}.`);
    expect(read('reports/mutation/hand-mutants.md')).toContain(`Killed by their own folder's tests: ${rates[1]}.`);
  });
});
