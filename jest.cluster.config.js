// npm run test:cluster — the engine on a three-node MariaDB Galera cluster (scripts/galera-cluster.sh), with app
// replicas on every node. Separate from `npm test`: it starts its own servers and runs for minutes, one file at a time.
const base = require('./jest.config.js');
const unit = base.projects.find((project) => project.displayName === 'unit');

module.exports = {
  testTimeout: 900_000,
  maxWorkers: 1,
  reporters: base.reporters,
  projects: [
    {
      ...unit,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
      setupFilesAfterEnv: [],
      setupFiles: ['<rootDir>/test/support/setup-env.js'],
      globals: { TEST_DB: 'mysql' },
    },
  ],
};
