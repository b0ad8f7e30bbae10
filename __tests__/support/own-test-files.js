// The test files jest.mutate.config.js selects for MUTATE_TESTS (its folders, less its ignore patterns),
// for own-tests-in-one-file.js; __tests__/mutation/own-tests-in-one-file.test.ts checks it against
// `jest --listTests`.
const { readdirSync } = require('fs');
const { join } = require('path');
const { testPathIgnorePatterns } = require('../../jest.mutate.config.js');

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

/** Absolute paths of the test files for `mutateTests` (MUTATE_TESTS's value; default: all of __tests__). */
function ownTestFiles(rootDir, mutateTests = '__tests__') {
  const ignored = testPathIgnorePatterns.map((pattern) => new RegExp(pattern));
  return mutateTests
    .split(',')
    .flatMap((dir) => testFilesUnder(join(rootDir, dir.trim())))
    .filter((path) => !ignored.some((pattern) => pattern.test(path)));
}

module.exports = { ownTestFiles };
