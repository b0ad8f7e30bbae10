// The framework lines of CI (.ci/run): consumer repos installed from the packed tarball, one per
// framework, and the cdktf -> cdktn state hand-over. They install from the npm registry, so the default
// `npm test` leaves them out (jest.config.js ignores __tests__/consumers); .ci/run runs them.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/consumers'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600000,
};
