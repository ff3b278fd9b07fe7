import { ConflictException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountEntity, LedgerEntryEntity } from '../src/accounts/account.entity';
import { LedgerService } from '../src/accounts/ledger.service';
import { asTx } from '../src/common/tx';
import { Isolation, type Tx, UnitOfWork } from '../src/common/unit-of-work';
import { startTestApp, TestApp } from './support/test-app';

const credits = (n: number) => n * 1_000_000;

/** LedgerService as the billing engine uses it: inside its own transactions, on the real database. */
describe('LedgerService', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let dataSource: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  // The plugin's own way in: row locks on MySQL, one transaction at a time on SQLite's single connection.
  const inTransaction = <T>(work: (tx: Tx) => Promise<T>) =>
    t.app.get(UnitOfWork).run(work, { isolation: Isolation.LockedWrites });
  const balance = async (userId: string) =>
    (await dataSource.getRepository(AccountEntity).findOneBy({ userId }))?.balance ?? null;
  const entries = (userId: string) =>
    dataSource.getRepository(LedgerEntryEntity).find({ where: { userId }, order: { id: 'ASC' } });
  const sumOf = async (userId: string) => (await entries(userId)).reduce((sum, e) => sum + e.amount, 0);

  it('refuses to post outside a transaction, where the row lock would not hold', async () => {
    // A handle forged from the data source's own manager, as only a cast could make one.
    const outside = asTx(dataSource.manager);
    const post = ledger.post(outside, { userId: 'u1', kind: 'topup', amount: 1, idempotencyKey: 'k' });
    await expect(post).rejects.toThrow(/inside a transaction/);
    expect(await balance('u1')).toBeNull();
  });

  it('posts once per key, creating the account on first use, and refuses the key for another account', async () => {
    const input = { userId: 'u1', kind: 'topup' as const, amount: credits(5), idempotencyKey: 'topup:k1' };
    const first = await inTransaction((m) => ledger.post(m, input));
    expect(first).toMatchObject({ created: true, entry: { amount: credits(5), balanceAfter: credits(5) } });
    const again = await inTransaction((m) => ledger.post(m, { ...input, amount: credits(50) }));
    expect(again).toEqual({ created: false, entry: first.entry });
    await expect(inTransaction((m) => ledger.post(m, { ...input, userId: 'u2' }))).rejects.toBeInstanceOf(
      ConflictException,
    );
    expect(await balance('u1')).toBe(credits(5));
    expect(await balance('u2')).toBeNull();
  });

  it('is undone with the caller’s transaction: no entry and no balance change survive a rollback', async () => {
    const failed = inTransaction(async (m) => {
      await ledger.post(m, { userId: 'u1', kind: 'charge', amount: -credits(2), idempotencyKey: 'charge:rolled' });
      throw new Error('the settlement failed after posting');
    });
    await expect(failed).rejects.toThrow('the settlement failed');
    expect(await balance('u1')).toBe(credits(5));
    expect((await entries('u1')).map((e) => e.idempotencyKey)).toEqual(['topup:k1']);
  });

  it('refuses a zero or unsafe amount and an over-long key', async () => {
    const base = { userId: 'u1', kind: 'adjustment' as const, idempotencyKey: 'adjustment:x' };
    await expect(inTransaction((m) => ledger.post(m, { ...base, amount: 0 }))).rejects.toThrow(RangeError);
    await expect(inTransaction((m) => ledger.post(m, { ...base, amount: 0.5 }))).rejects.toThrow(RangeError);
    const longKey = { ...base, amount: 1, idempotencyKey: 'k'.repeat(161) };
    await expect(inTransaction((m) => ledger.post(m, longKey))).rejects.toThrow(RangeError);
    expect(await entries('u1')).toHaveLength(1);
  });

  it('locks and creates accounts for a batch, then posts a later settlement of the same hour under the next key', async () => {
    const hour = (userId: string, amount: number) => ({
      userId,
      amount,
      hourStartMs: Date.parse('2026-03-10T11:00:00.000Z'),
      idempotencyKey: `charge:${userId}:2026-03-10T11:00:00.000Z`,
      note: 'usage 2026-03-10T11:00Z',
    });
    const charges = [hour('u3', -credits(1.5)), hour('u1', -credits(2)), hour('u4', 0)];
    const locked = await inTransaction(async (m) => {
      const accounts = await ledger.lockAccounts(m, ['u4', 'u3', 'u1', 'u3']);
      await ledger.postCharges(m, charges);
      return accounts;
    });
    expect([...locked.keys()].sort()).toEqual(['u1', 'u3', 'u4']);
    expect(locked.get('u1')?.balance).toBe(credits(5));
    expect(await balance('u1')).toBe(credits(3));
    expect(await balance('u3')).toBe(-credits(1.5));
    // A zero charge leaves the (new) account at 0 with no entry.
    expect(await balance('u4')).toBe(0);
    expect(await entries('u4')).toEqual([]);
    // Settlement charges each instance-hour once; a second charge for the hour is an instance registered late.
    expect(await inTransaction((m) => ledger.postCharges(m, charges))).toEqual({ posted: 2 });
    expect(await inTransaction((m) => ledger.postCharges(m, [hour('u1', -credits(1))]))).toEqual({ posted: 1 });
    expect(await balance('u1')).toBe(credits(0));
    expect((await entries('u1')).map((entry) => entry.idempotencyKey)).toEqual([
      expect.stringMatching(/^topup/),
      'charge:u1:2026-03-10T11:00:00.000Z',
      'charge:u1:2026-03-10T11:00:00.000Z:2',
      'charge:u1:2026-03-10T11:00:00.000Z:3',
    ]);
    // A positive charge is refused before anything is written.
    await expect(inTransaction((m) => ledger.postCharges(m, [hour('u5', -1), hour('u6', 1)]))).rejects.toThrow(
      RangeError,
    );
    expect(await balance('u5')).toBeNull();
  });

  it('keeps every balance equal to its ledger under concurrent batches and top-ups', async () => {
    const users = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const batches = Array.from({ length: 8 }, (_, hourIndex) =>
      inTransaction(async (m) => {
        // Each batch names the users in a different order: lockAccounts must still lock in one order.
        const order = hourIndex % 2 ? [...users].reverse() : users;
        await ledger.lockAccounts(m, order);
        await ledger.postCharges(
          m,
          order.map((userId) => ({
            userId,
            amount: -credits(1),
            hourStartMs: hourIndex * 3_600_000,
            idempotencyKey: `charge:${userId}:h${hourIndex}`,
          })),
        );
      }),
    );
    const topUps = users.flatMap((userId) =>
      [0, 1, 2].map((i) =>
        inTransaction((m) =>
          ledger.post(m, { userId, kind: 'topup', amount: credits(10), idempotencyKey: `topup:${userId}-${i}` }),
        ),
      ),
    );
    await Promise.all([...batches, ...topUps]);
    for (const userId of users) {
      expect(await balance(userId)).toBe(credits(30 - 8));
      expect(await sumOf(userId)).toBe(credits(22));
      const list = await entries(userId);
      expect(list).toHaveLength(11);
      // Entries in id order chain their balances: no post saw a stale balance.
      let running = 0;
      for (const entry of list) {
        running += entry.amount;
        expect(entry.balanceAfter).toBe(running);
      }
    }
  });
});
