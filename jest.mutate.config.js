// Jest for `npm run mutate` (StrykerJS): the in-process tests only. The end-to-end suites run the
// compiled executor in dist/ (a mutant in the sources never reaches them), so they could kill no
// mutant and only cost time; dist/ is not rebuilt either.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  globalSetup: undefined,
  // Stryker runs each mutant with jest's findRelatedTests. Jest follows imports only through files
  // under `roots`, so every source folder is a root (tests are still only those in __tests__); not the
  // project root, whose node_modules jest would crawl on every mutant.
  roots: ['__tests__', 'api', 'audit', 'cli', 'constructs', 'demo', 'emulator', 'importer', 'model', 'policy', 'reconciler', 'records', 'stacks'].map((dir) => `<rootDir>/${dir}`),
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/', '<rootDir>/node_modules/', '<rootDir>/reports/'],
  // Property suites are left out too: hundreds of synths per run, per mutant, and the example-based
  // suites cover the same rules.
  testPathIgnorePatterns: ['/node_modules/', '/__tests__/e2e/', '/__tests__/build/', '/__tests__/properties/', 'property', 'portable-stack', 'crash-safety'],
};
