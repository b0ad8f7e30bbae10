// MUTATE_ONE_FILE=1 must run exactly the tests the usual mutation mode runs: the files it loads are
// compared with jest's own selection under jest.mutate.config.js (`--listTests`), per test folder.
import { execFileSync } from 'child_process';
import { join } from 'path';
import { REPO_ROOT } from '../support/example';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ownTestFiles } = require(join(REPO_ROOT, '__tests__', 'support', 'own-test-files.js')) as {
  ownTestFiles(rootDir: string, mutateTests?: string): string[];
};

function jestSelection(mutateTests: string): string[] {
  const out = execFileSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'jest.mutate.config.js', '--listTests', '--json'], {
    cwd: REPO_ROOT,
    env: { ...process.env, MUTATE_TESTS: mutateTests, MUTATE_ONE_FILE: '' },
    encoding: 'utf8',
  });
  return (JSON.parse(out) as string[]).sort();
}

describe('the one-file mutation mode loads the test files jest would run', () => {
  test.each(['__tests__/reconciler', '__tests__/api', '__tests__/model,__tests__/policy', '__tests__'])('MUTATE_TESTS=%s', (mutateTests) => {
    const mine = ownTestFiles(REPO_ROOT, mutateTests);
    expect(mine.length).toBeGreaterThan(5);
    expect([...mine].sort()).toEqual(jestSelection(mutateTests));
  });

  test('ignored suites stay out (the property and crash-safety suites of the reconciler)', () => {
    const mine = ownTestFiles(REPO_ROOT, '__tests__/reconciler').map((f) => f.slice(REPO_ROOT.length));
    expect(mine).not.toContainEqual(expect.stringMatching(/crash-safety|\.property\.test/));
    expect(mine).toContainEqual(expect.stringMatching(/plan\.test\.ts$/));
  });
});
