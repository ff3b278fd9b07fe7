import { AccountRepository } from '../src/accounts/account.repository';
import { GrantService } from '../src/accounts/grants/grant.service';
import { LedgerService } from '../src/accounts/ledger.service';
import { Isolation, UnitOfWork } from '../src/common/unit-of-work';
import { balanceOf } from './support/billing-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

const NAME = 'a debit sees a grant committed after its transaction first read';
const describeOnMysql = testEngine() === 'mysql' ? describe : describe.skip;
if (testEngine() !== 'mysql') {
  console.log(`[cloud-billing] skipped "${NAME}": SQLite runs one transaction at a time (set DATABASE_URL=mysql://…)`);
}

/**
 * Under REPEATABLE READ a plain SELECT reads the snapshot of the transaction's first read. A debit that read
 * anything before it took the account's lock must still draw on a grant another transaction committed meanwhile:
 * otherwise the charge falls on plain credit, the grant keeps its remainder, and its expiry later takes credit the
 * user no longer has.
 */
describeOnMysql(NAME, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('draws the grant, so its expiry takes nothing', async () => {
    const unitOfWork = t.app.get(UnitOfWork);
    await unitOfWork.run(
      async (tx) => {
        // The snapshot starts here, before the grant exists.
        await t.app.get(AccountRepository).findEntryByKey(tx, 'nothing-yet');
        await t
          .as('admin')
          .post('/admin/accounts/zoe/grants', {
            amount: '10',
            reference: 'promo-zoe',
            expiresAt: '2026-03-11T00:00:00Z',
          })
          .expect(201);
        await t.app.get(LedgerService).post(tx, {
          userId: 'zoe',
          kind: 'adjustment',
          amount: -10_000_000,
          idempotencyKey: 'adjustment:use-zoe',
          note: 'usage',
        });
      },
      { isolation: Isolation.LockedWrites },
    );
    const [grant] = await t.app.get(GrantService).grantsOf('zoe');
    expect(grant.remaining).toBe(0);
    expect(await balanceOf(t, 'zoe')).toBe('0');
  });
});
