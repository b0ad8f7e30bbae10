// Jest for `npm run mutate` (StrykerJS): the in-process tests only. The end-to-end suites run the
// compiled executor in dist/ (a mutant in the sources never reaches them), so they could kill no
// mutant and only cost time; dist/ is not rebuilt either.
const base = require('./jest.config.js');

const mutateTestDirs = process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',').map((dir) => dir.trim()) : ['__tests__'];

// The synth-heavy property suites are left out too (hundreds of synths or real terraform plans per
// run, per mutant; the example-based suites cover the same rules); the redaction and output-encoding
// properties are pure and fast, and stay.
const testPathIgnorePatterns = [
  '/node_modules/',
  '/__tests__/e2e/',
  '/__tests__/build/',
  'hostile-definition',
  'hostile-props',
  'terraform-literals',
  'terraform-plan-canary',
  '\\.property\\.test',
  'portable-stack',
  'crash-safety',
  // Subprocesses: the packed package installed and deployed, the framework CLI's synth, the docs' commands.
  '/__tests__/scaffold/',
  '/__tests__/docs/',
  'synthesize-app',
  // Reads the sources as text (the hand-written mutant list): a mutant would "fail" it without being caught.
  '/__tests__/mutation/',
];

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  globalSetup: undefined,
  // Stryker runs each mutant with jest's findRelatedTests. Jest follows imports only through files
  // under `roots`, so every source folder is a root (tests are still only those in __tests__); not the
  // project root, whose node_modules jest would crawl on every mutant.
  roots: ['__tests__', 'api', 'audit', 'cli', 'constructs', 'demo', 'emulator', 'importer', 'model', 'policy', 'reconciler', 'records', 'stacks'].map((dir) => `<rootDir>/${dir}`),
  // MUTATE_TESTS=__tests__/model,__tests__/constructs narrows a run to those test folders: quicker on 2
  // cores, and it can only under-count kills (a survivor may still be killed by a suite left out).
  // MUTATE_ONE_FILE=1 runs them as one test file (__tests__/support/own-tests-in-one-file.js).
  testMatch: process.env.MUTATE_ONE_FILE ? ['<rootDir>/__tests__/support/own-tests-in-one-file.js'] : mutateTestDirs.map((dir) => `<rootDir>/${dir}/**/*.test.ts`),
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/', '<rootDir>/node_modules/', '<rootDir>/reports/'],
  testPathIgnorePatterns,
};
