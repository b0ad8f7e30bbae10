/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The framework lines (consumer repos from the npm registry) run through jest.consumers.config.js in .ci/run.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/consumers/'],
  // Type checking happens once in `tsc` (npm test runs it first); ts-jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  // The end-to-end tests run dist/: rebuild it when any source is newer (never test stale code).
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  testTimeout: 60000,
};
