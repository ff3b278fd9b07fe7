import { DataSource, QueryRunner } from 'typeorm';
import { EnabledDefaultCurrency1763740010000 } from '../migrations/1763740010000-enabled-default-currency';
import { startTestApp, TestApp } from './support/test-app';

const eur = { code: 'EUR', name: 'Euro', valuePerCredit: '0.0092' };

/** The database itself keeps the default currency enabled; migrating repairs a default lost to the old race. */
describe('migration 1763740010000-enabled-default-currency', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await t.as('admin').post('/admin/currencies', eur).expect(201);
  });
  afterEach(() => t.close());

  const defaults = async () =>
    (await t.as('admin').get('/admin/currencies').expect(200)).body
      .filter((currency: { isDefault: boolean }) => currency.isDefault)
      .map(({ code, enabled }: { code: string; enabled: boolean }) => ({ code, enabled }));

  /** Runs SQL the way the migration runner does (on SQLite, foreign keys off while a table is rebuilt). */
  async function withQueryRunner(work: (queryRunner: QueryRunner) => Promise<void>): Promise<void> {
    const queryRunner = t.app.get(DataSource).createQueryRunner();
    await queryRunner.beforeMigration();
    try {
      await work(queryRunner);
    } finally {
      await queryRunner.afterMigration();
      await queryRunner.release();
    }
  }

  it('refuses a disabled default and a second default, whatever writes the row', async () => {
    await withQueryRunner(async (queryRunner) => {
      await expect(
        queryRunner.query("UPDATE cloud_billing_currencies SET enabled = 0 WHERE code = 'USD'"),
      ).rejects.toThrow();
      await expect(
        queryRunner.query("UPDATE cloud_billing_currencies SET default_marker = 1 WHERE code = 'EUR'"),
      ).rejects.toThrow();
    });
    expect(await defaults()).toEqual([{ code: 'USD', enabled: true }]);
  });

  it.each([
    [
      'a disabled default is enabled again',
      "UPDATE cloud_billing_currencies SET enabled = 0 WHERE code = 'USD'",
      'USD',
    ],
    [
      'with no default, the first enabled currency becomes it',
      "UPDATE cloud_billing_currencies SET default_marker = NULL, enabled = CASE WHEN code = 'EUR' THEN 1 ELSE 0 END",
      'EUR',
    ],
  ])('repairs a broken default on the way up: %s; preferences survive', async (_name, breakage, repaired) => {
    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const migration = new EnabledDefaultCurrency1763740010000();
    await withQueryRunner(async (queryRunner) => {
      await migration.down(queryRunner);
      await queryRunner.query(breakage);
      await migration.up(queryRunner);
    });
    expect(await defaults()).toEqual([{ code: repaired, enabled: true }]);
    expect((await t.as('alice').get('/me/preferences').expect(200)).body).toEqual({
      currency: 'EUR',
      preferredCurrency: 'EUR',
    });
    await t.as('bob').get('/me/account').expect(200);
  });
});
