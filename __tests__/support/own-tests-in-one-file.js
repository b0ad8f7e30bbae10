// For `npm run mutate` with MUTATE_ONE_FILE=1 (jest.mutate.config.js): the test files jest would run
// (own-test-files.js) loaded as one test file, each inside a describe named after its path, so its
// hooks stay its own.
// Why: Stryker runs each mutant with a test-name pattern of the tests covering it, but jest still loads
// every related test file in a fresh module registry (0.3 to 1.5 s each here; zod alone is 95 modules),
// so a mutant covered by the whole reconciler cost about 10 s, almost none of it running tests. In one
// file the modules load once per mutant. The tests are the same; they share one registry, which is
// why a run in this mode is checked against the usual mode on a sample (docs/performance-and-mutation.md).
const { join, relative } = require('path');
const { ownTestFiles } = require('./own-test-files');

const rootDir = join(__dirname, '..', '..');
const files = ownTestFiles(rootDir, process.env.MUTATE_TESTS);
if (files.length === 0) throw new Error(`MUTATE_ONE_FILE: no test files for MUTATE_TESTS=${process.env.MUTATE_TESTS}`);
for (const file of files) {
  describe(relative(rootDir, file), () => {
    require(file);
  });
}
