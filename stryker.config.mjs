// StrykerJS configuration for `npm run mutate` (docs/performance-and-mutation.md).
// With MUTATE_ONE_FILE=1 the tests are one jest file (__tests__/support/own-tests-in-one-file.js), whose
// requires jest cannot follow statically, so findRelatedTests would find no test; each mutant then runs
// the tests that cover it (perTest coverage) without it.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    configFile: 'jest.mutate.config.js',
    enableFindRelatedTests: !process.env.MUTATE_ONE_FILE
  },
  coverageAnalysis: 'perTest',
  mutate: [
    'reconciler/**/*.ts',
    'model/**/*.ts',
    'api/**/*.ts',
    'policy/**/*.ts',
    '!**/index.ts'
  ],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 3000,
  thresholds: {
    high: 90,
    low: 80,
    break: null
  },
  reporters: [
    'clear-text',
    'progress',
    'json'
  ],
  jsonReporter: {
    fileName: 'reports/mutation/mutation.json'
  },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: [
    'cdktf.out',
    'bench/results',
    '.segment-access',
    '*.log'
  ]
};
