import { DataSource } from 'typeorm';
import { Isolation, type Tx, UnitOfWork } from '../src/common/unit-of-work';
import { managerOf } from '../src/common/tx';
import { startTestApp, TestApp } from './support/test-app';
import { testEngine } from './support/test-database';

/**
 * What the isolation table (common/isolation.ts) promises, observed: a unit of work that reads a row, lets another
 * connection commit a change to it, and reads it again sees the change only at READ COMMITTED.
 */
const NAME = 'the isolation each kind of unit of work runs at';
const describeOnMysql = testEngine() === 'mysql' ? describe : describe.skip;
if (testEngine() !== 'mysql') {
  console.log(`[cloud-billing] skipped "${NAME}": SQLite has one isolation (set DATABASE_URL=mysql://…)`);
}

describeOnMysql(NAME, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DataSource).query('CREATE TABLE uow_probe (id INT PRIMARY KEY, value INT NOT NULL)');
  });
  afterAll(() => t.close());

  beforeEach(() => t.app.get(DataSource).query('REPLACE INTO uow_probe (id, value) VALUES (1, 0)'));

  const read = async (tx: Tx) =>
    Number((await managerOf(tx).query('SELECT value FROM uow_probe WHERE id = 1'))[0].value);

  /** The two values a unit of work of `isolation` reads around another connection's committed write. */
  const readsAround = (isolation: Isolation) =>
    t.app.get(UnitOfWork).run(
      async (tx) => {
        const before = await read(tx);
        await t.app.get(DataSource).query('UPDATE uow_probe SET value = value + 1 WHERE id = 1');
        return [before, await read(tx)];
      },
      { isolation },
    );

  it('lets placement see what others committed meanwhile (READ COMMITTED)', async () => {
    expect(await readsAround(Isolation.Placement)).toEqual([0, 1]);
  });

  it('keeps locked writes and snapshots on the snapshot they started with (REPEATABLE READ)', async () => {
    expect(await readsAround(Isolation.LockedWrites)).toEqual([0, 0]);
    expect(await readsAround(Isolation.Snapshot)).toEqual([1, 1]);
  });

  it('still runs placement at READ COMMITTED right after a unit that relied on the server default', async () => {
    // The runner names a level only when it differs from the server's; the level must not leak between units
    // sharing a pooled connection.
    for (let i = 0; i < 3; i++) {
      await readsAround(Isolation.LockedWrites);
      const [before, after] = await readsAround(Isolation.Placement);
      expect(after).toBe(before + 1);
    }
  });
});
