// Three projects: pure unit tests, HTTP end-to-end tests on SQLite (always), and the
// same end-to-end tests on MySQL/MariaDB when DATABASE_URL points at one.
// NestJS 12's packages are ES modules only: Jest (before Node 24.9) loads them once rewritten to CommonJS.
const transform = {
  '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  '/node_modules/.+\\.m?js$': '<rootDir>/test/support/esm-to-cjs.js',
};
const base = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@standard-schema)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  rootDir: __dirname,
};
const mysqlUrl = /^(mysql|mariadb):\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;

if (!mysqlUrl && !process.env.JEST_WORKER_ID) {
  console.log('[cloud-billing] DATABASE_URL is not a mysql:// URL: end-to-end tests run on SQLite only.');
}

const e2e = (name, db) => ({
  ...base,
  displayName: name,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  setupFiles: ['<rootDir>/test/support/setup-env.js'],
  globals: { TEST_DB: db },
});

module.exports = {
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/unit-no-database.js'],
    },
    e2e('e2e-sqlite', 'sqlite'),
    ...(mysqlUrl ? [e2e('e2e-mysql', 'mysql')] : []),
    // The demo host's pages in Chromium; the tests skip, saying why, where /usr/bin/chromium is missing.
    {
      ...base,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.js'],
    },
  ],
};
