// For `npm run mutate` with MUTATE_ONE_FILE=1 (jest.mutate.config.js): the test files jest would run
// (MUTATE_TESTS's folders, less the config's ignore patterns) loaded as one test file, each inside a
// describe named after its path, so its hooks stay its own.
// Why: Stryker runs each mutant with a test-name pattern of the tests covering it, but jest still loads
// every related test file in a fresh module registry (0.3 to 1.5 s each here; zod alone is 95 modules),
// so a mutant covered by the whole reconciler cost about 10 s, almost none of it running tests. In one
// file the modules load once per mutant. The tests are the same; they share one registry, which is
// why a run in this mode is checked against the usual mode on a sample (docs/performance-and-mutation.md).
const { readdirSync } = require('fs');
const { join, relative } = require('path');
const { testPathIgnorePatterns } = require('../../jest.mutate.config.js');

const rootDir = join(__dirname, '..', '..');
const folders = (process.env.MUTATE_TESTS ?? '__tests__').split(',').map((dir) => join(rootDir, dir.trim()));
const ignored = testPathIgnorePatterns.map((pattern) => new RegExp(pattern));

/** Every *.test.ts under dir, in a stable order. */
function testFilesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return testFilesUnder(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    });
}

const files = folders.flatMap(testFilesUnder).filter((path) => !ignored.some((pattern) => pattern.test(path)));
if (files.length === 0) throw new Error(`MUTATE_ONE_FILE: no test files under ${folders.join(', ')}`);
for (const file of files) {
  describe(relative(rootDir, file), () => {
    require(file);
  });
}
