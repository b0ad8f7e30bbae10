import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { forgetEarlierRuns } from '../../cli/commands/demo';

test('demo --fresh removes the earlier run\'s files and says which (only those that existed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sa-fresh-'));
  const files = ['emu.json', 'demo-record-key', 'terraform.prod.tfstate', 'terraform.dev.tfstate'].map((f) => join(dir, f));
  for (const f of files.slice(0, 3)) writeFileSync(f, 'x');
  const said: string[] = [];
  forgetEarlierRuns(files, (l) => said.push(l));
  expect(said).toEqual([`--fresh: removed ${files.slice(0, 3).join(', ')}`]);
  expect(files.some((f) => existsSync(f))).toBe(false);
  forgetEarlierRuns(files, (l) => said.push(l));
  expect(said[1]).toBe('--fresh: nothing to remove (no earlier run)');
});
