// docs/import.md, run as written against the workspaces of the shipped seed (demo/emulator-seed.json):
// the import command, its summary, `init --from-import`, plan and deploy, and the adoption the deploy
// reports, in a project where segment-access is installed (linked to this repo: it is not published here).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { startEmulator } from '../../emulator/server';
import { loadSeedFile } from '../../emulator/seed';
import { generateRecordKey } from '../../reconciler/record-key';
import { findFrameworkCli } from '../../framework';
import { blockLines, checkedBlock, quotedIn, runBashBlock } from '../support/doc-blocks';

const REPO = resolve(__dirname, '..', '..');
const SEED = join(REPO, 'demo', 'emulator-seed.json');
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

/** A project with this repo's packages installed, segment-access among them (with its bin). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa-import-doc-'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const name of readdirSync(join(REPO, 'node_modules')).filter((n) => n !== '.bin')) symlinkSync(join(REPO, 'node_modules', name), join(dir, 'node_modules', name));
  for (const bin of readdirSync(join(REPO, 'node_modules', '.bin'))) symlinkSync(join(REPO, 'node_modules', '.bin', bin), join(dir, 'node_modules', '.bin', bin));
  symlinkSync(REPO, join(dir, 'node_modules', 'segment-access'));
  symlinkSync(join(REPO, 'dist', 'cli', 'main.js'), join(dir, 'node_modules', '.bin', 'segment-access'));
  return dir;
}

test('docs/import.md: import the shipped seed\'s workspaces, start a repo from it, and the first deploy adopts everyone', async () => {
  const emulator = await startEmulator({ seed: SEED, rateLimit: { writesPerWindow: 1000, windowMs: 60_000 } });
  const dir = project();
  try {
    const tokens = Object.fromEntries(loadSeedFile(SEED).workspaces.map((w) => [`SEGMENT_${w.slug.split('-')[1].toUpperCase()}_TOKEN`, w.tokens[0]]));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CI: '1',
      PUBLIC_API_URL: emulator.url,
      ...tokens,
      SEGMENT_ACCESS_RECORD_KEY: generateRecordKey(),
      SEGMENT_ACCESS_NOW: '2026-12-01T09:00:00Z',
      SEGMENT_ACCESS_AUDIT_DELAY_MS: '0',
      CHECKPOINT_DISABLE: '1',
    };
    // The placeholders (`=...`) are this test's values, already in the environment; the framework CLI is
    // the one installed (on CI's CDK Terrain line `cdktn`, with the same commands: docs/cdk-terrain.md).
    const cli = findFrameworkCli(REPO).framework;
    const placeholders = (c: string) => (/^export \w+=\.\.\./.test(c) ? 'true' : c.replace(/^npx cdktf /, `npx ${cli} `));

    const imported = await runBashBlock(checkedBlock('docs/import.md', 'import'), env, dir, placeholders);
    expect({ codes: imported.codes, output: imported.codes.every((c) => c === 0) ? '' : imported.output }).toEqual({ codes: [0, 0], output: '' });
    expect(quotedIn(blockLines(checkedBlock('docs/import.md', 'import summary')), imported.output.split('\n'))).toEqual({ ok: true });
    const before = emulator.stats();
    expect(before.writes).toBe(0);

    // `npm install` in the new repo: this project's installed packages, linked.
    const adopt = await runBashBlock(checkedBlock('docs/import.md', 'adopt'), env, dir, (c) => placeholders(c).replace(/&& npm install$/, '&& ln -s ../node_modules node_modules'));
    const output = plain(adopt.output);
    expect({ codes: adopt.codes, output: adopt.codes.every((c) => c === 0) ? '' : output }).toEqual({ codes: [0, 0, 0, 0, 0, 0], output: '' });
    expect(output).toContain('+ "marketing-analyst@acme.example" = {');
    const executorLines = output.split('\n').map((l) => l.replace(/^.*\(local-exec\):\s*/, ''));
    expect(quotedIn(blockLines(checkedBlock('docs/import.md', 'adoption')), executorLines)).toEqual({ ok: true });
    // Adoption wrote only the record: nobody's access changed in any workspace.
    for (const w of loadSeedFile(SEED).workspaces) expect(emulator.state.listUsers(w.id).map((u) => u.email).sort()).toEqual(w.users!.map((u) => u.email).sort());
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);
