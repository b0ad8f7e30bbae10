// The hand-written mutant list (scripts/hand-mutants.js) is checked against the current sources on
// every run, without running jest on any mutant: a refactor that moves a line makes this fail, so the
// list cannot rot into mutants that no longer apply.
import { readFileSync } from 'fs';
import { join } from 'path';
import { REPO_ROOT } from '../support/example';

interface HandMutant {
  readonly id: string;
  readonly folder: string;
  readonly file: string;
  readonly search: string;
  readonly replace: string;
  readonly description: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require(join(REPO_ROOT, 'scripts', 'hand-mutants.js')) as {
  MUTANTS: readonly HandMutant[];
  FOLDERS: readonly string[];
  problemOf(mutant: HandMutant, root?: string): string | undefined;
  occurrences(text: string, search: string): number;
};
const { MUTANTS, FOLDERS, problemOf, occurrences } = script;

describe('scripts/hand-mutants.js', () => {
  test.each(MUTANTS.map((m) => [m.id, m] as const))('%s: its search text occurs exactly once in its file, inside its folder', (_id, mutant) => {
    expect(problemOf(mutant)).toBeUndefined();
    expect(occurrences(readFileSync(join(REPO_ROOT, mutant.file), 'utf8'), mutant.search)).toBe(1);
  });

  test('ids are unique, every mutant says what promise it breaks, and the list is the size the issue asks for', () => {
    expect(new Set(MUTANTS.map((m) => m.id)).size).toBe(MUTANTS.length);
    expect(MUTANTS.length).toBeGreaterThanOrEqual(25);
    for (const m of MUTANTS) {
      expect(m.id.startsWith(`${m.folder}-`)).toBe(true);
      expect(m.description.length).toBeGreaterThan(40);
    }
    // At least three per folder, four or more in the folders Stryker measures.
    for (const folder of FOLDERS) expect(MUTANTS.filter((m) => m.folder === folder).length).toBeGreaterThanOrEqual(['api', 'policy', 'model', 'reconciler'].includes(folder) ? 4 : 3);
  });

  test('a stale mutant is reported, not applied: a search text that is missing or occurs twice', () => {
    const [first] = MUTANTS;
    expect(problemOf({ ...first, search: `${first.search} // not in the file` })).toMatch(/occurs 0 times/);
    expect(problemOf({ ...first, folder: 'model' })).toMatch(/is not in model\//);
    expect(problemOf({ ...first, replace: first.search })).toMatch(/the replacement is the search text/);
    expect(occurrences('a.b a.b', 'a.b')).toBe(2);
  });
});
