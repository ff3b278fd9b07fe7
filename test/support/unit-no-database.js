// Unit specs (src/**/*.spec.ts) run without a database: loading a database driver fails the spec at once, saying
// where such a test belongs. Database tests live in test/ and use test/support/test-database.ts.
for (const driver of ['mysql2', 'mysql2/promise', 'better-sqlite3']) {
  jest.mock(driver, () => {
    throw new Error(`a unit spec loaded the database driver ${driver}: database tests belong in test/ (*.e2e-spec.ts)`);
  });
}
