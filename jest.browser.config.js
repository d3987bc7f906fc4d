/**
 * The browser tests (`npm run test:browser`): the live dashboard of `npm start` in Debian's Chromium,
 * driven by playwright-core. Kept out of `npm test` because they need /usr/bin/chromium; `.ci/run`
 * installs it and runs them.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
