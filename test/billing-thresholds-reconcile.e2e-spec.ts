import { DataSource } from 'typeorm';
import { ThresholdEvaluationDue1763740009000 } from '../migrations/1763740009000-threshold-evaluation-due';
import { AccountEntity, LedgerEntryEntity } from '../src/accounts/account.entity';
import { AccountThresholdStateService } from '../src/accounts/account-threshold-state.service';
import { LedgerService } from '../src/accounts/ledger.service';
import { decideThresholds, ThresholdSettings } from '../src/billing/thresholds/threshold-rules';
import { Isolation, type Tx, UnitOfWork } from '../src/common/unit-of-work';
import { DemoClock } from '../src/demo/demo-clock';
import { createPlan, registerInstance } from './support/billing-fixtures';
import { startTestApp, TEST_CLOCK_START, TestApp } from './support/test-app';

const C = 1_000_000;

interface Standing {
  userId: string;
  balance: number;
  neverCredited: boolean;
  low: boolean;
  negative: boolean;
  suspended: boolean;
  running: boolean;
}

/** Every balance around the thresholds (low 10, negative 0, suspension below -5) with every combination of flags. */
function standings(): Standing[] {
  const all: Standing[] = [];
  for (const balance of [-10, -5, -1, 0, 5, 10, 20].map((credits) => credits * C)) {
    for (let flags = 0; flags < 8; flags++) {
      const [low, negative, suspended] = [1, 2, 4].map((bit) => (flags & bit) !== 0);
      const base = { balance, low, negative, suspended, running: false, neverCredited: false };
      all.push({ ...base, userId: `u${balance / C}-${flags}` });
      if (balance === 0) all.push({ ...base, userId: `u0-${flags}-never`, neverCredited: true });
      if (balance < -5 * C) all.push({ ...base, userId: `u${balance / C}-${flags}-running`, running: true });
    }
  }
  return all;
}

/** What the reconciliation must find: an account whose evaluation would change its recorded state. */
function outOfStep(s: Standing, settings: ThresholdSettings): boolean {
  const decision = decideThresholds(s.balance, null, settings, {
    ...s,
    lowNotified: s.low,
    negativeNotified: s.negative,
    runwayNotified: false,
  });
  return (
    decision.next.lowNotified !== s.low ||
    decision.next.negativeNotified !== s.negative ||
    (decision.suspend && (!s.suspended || s.running)) ||
    decision.unsuspend
  );
}

describe('threshold reconciliation', () => {
  let t: TestApp;
  let sql: DataSource;
  const all = standings();
  beforeAll(async () => {
    t = await startTestApp();
    sql = t.app.get(DataSource);
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-5', runwayWarningHours: 0 }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '1' });
    for (const s of all.filter((s) => s.running)) {
      await registerInstance(t, `vm-${s.userId}`, s.userId, planId, TEST_CLOCK_START.toISOString());
    }
    const at = TEST_CLOCK_START;
    await sql.getRepository(AccountEntity).save(
      all.map((s) => ({
        userId: s.userId,
        balance: s.balance,
        billingSuspendedAtMs: s.suspended ? at.getTime() : null,
        lowNotifiedAtMs: s.low ? at.getTime() : null,
        negativeNotifiedAtMs: s.negative ? at.getTime() : null,
        runwayNotifiedAtMs: null,
        evaluationDueAtMs: null,
        createdAt: at,
        updatedAt: at,
      })),
    );
    // The balance is the sum of the entries; an account at 0 that was credited has two that cancel out.
    const entries = all
      .filter((s) => !s.neverCredited)
      .flatMap((s) => (s.balance === 0 ? [C, -C] : [s.balance]).map((amount, i) => ({ s, amount, i })));
    await sql.getRepository(LedgerEntryEntity).insert(
      entries.map(({ s, amount, i }) => ({
        userId: s.userId,
        kind: amount > 0 ? 'topup' : 'adjustment',
        amount,
        balanceAfter: i === 0 ? amount : s.balance,
        idempotencyKey: `seed:${s.userId}:${i}`,
        createdAt: at,
      })),
    );
  });
  afterAll(() => t.close());

  const settingsWith = (autoUnsuspend: boolean): ThresholdSettings => ({
    lowBalanceThreshold: 10 * C,
    negativeBalanceThreshold: 0,
    suspensionThreshold: -5 * C,
    autoUnsuspend,
    runwayWarningHours: 0,
  });
  /** The reconciliation's walk, in pages of 7 so that paging is exercised. */
  const found = async (settings: ThresholdSettings) => {
    const users: string[] = [];
    for (;;) {
      const page = await t.app.get(AccountThresholdStateService).outOfStep(users.at(-1) ?? '', 7, settings);
      if (page.length === 0) return users;
      users.push(...page);
    }
  };
  const expected = (settings: ThresholdSettings) =>
    all
      .filter((s) => outOfStep(s, settings))
      .map((s) => s.userId)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  it.each([true, false])('finds exactly the accounts evaluation would change (auto-unsuspend %s)', async (auto) => {
    const settings = settingsWith(auto);
    expect(expected(settings).length).toBeGreaterThan(20);
    expect(await found(settings)).toEqual(expected(settings));
  });

  it('brings every account into step in one run, and the next run finds nothing', async () => {
    const due = expected(settingsWith(true));
    const first = (await t.as('admin').post('/admin/billing/run').expect(200)).body;
    expect(first.thresholds).toMatchObject({ reconciled: due.length, evaluated: due.length, failed: 0, stillDue: 0 });
    expect(await found(settingsWith(true))).toEqual([]);
    const second = (await t.as('admin').post('/admin/billing/run').expect(200)).body;
    expect(second.thresholds).toMatchObject({ reconciled: 0, evaluated: 0, emails: 0, suspended: 0, resumed: 0 });
  });
});

describe('the mark a balance change leaves', () => {
  let t: TestApp;
  let sql: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    sql = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const dueSince = async (userId: string) =>
    (await sql.getRepository(AccountEntity).findOneBy({ userId }))?.evaluationDueAtMs ?? null;
  const inUnitOfWork = <T>(work: (tx: Tx) => Promise<T>) =>
    t.app.get(UnitOfWork).run(work, { isolation: Isolation.LockedWrites });
  const post = (tx: Tx, userId: string, amount: number, key: string) =>
    t.app
      .get(LedgerService)
      .post(tx, { userId, kind: amount > 0 ? 'topup' : 'adjustment', amount, idempotencyKey: key });

  it('commits with the balance or not at all, and keeps the oldest change until evaluated', async () => {
    const rolledBack = inUnitOfWork(async (m) => {
      await post(m, 'ann', C, 'topup:a1');
      throw new Error('the request failed after posting');
    });
    await expect(rolledBack).rejects.toThrow('after posting');
    expect(await dueSince('ann')).toBeNull();

    await inUnitOfWork((m) => post(m, 'ann', C, 'topup:a2'));
    expect(await dueSince('ann')).toBe(TEST_CLOCK_START.getTime());
    // A minute later, another change: the account has waited since the first.
    t.app.get(DemoClock).set(new Date(TEST_CLOCK_START.getTime() + 60_000));
    await inUnitOfWork((m) => post(m, 'ann', -C, 'adjustment:a3'));
    expect(await dueSince('ann')).toBe(TEST_CLOCK_START.getTime());
  });

  it('1763740009000 reverts and re-applies, the accounts kept, and marks nothing on the way up', async () => {
    const balances = async () => (await sql.getRepository(AccountEntity).find()).map((a) => [a.userId, a.balance]);
    const before = await balances();
    const queryRunner = sql.createQueryRunner();
    try {
      const migration = new ThresholdEvaluationDue1763740009000();
      // As TypeORM's migration runner does: on SQLite, dropping a column rebuilds the table its entries reference.
      await queryRunner.beforeMigration();
      await migration.down(queryRunner);
      expect(await queryRunner.hasColumn('cloud_billing_accounts', 'evaluation_due_at_ms')).toBe(false);
      await migration.up(queryRunner);
      await queryRunner.afterMigration();
    } finally {
      await queryRunner.release();
    }
    expect(await balances()).toEqual(before);
    expect(await dueSince('ann')).toBeNull();
  });

  it('is left by an hourly charge too', async () => {
    await inUnitOfWork((m) =>
      t.app
        .get(LedgerService)
        .postCharges(m, [
          { userId: 'bea', amount: -C, hourStartMs: TEST_CLOCK_START.getTime(), idempotencyKey: 'charge:bea:h1' },
        ]),
    );
    expect(await dueSince('bea')).toBe(t.app.get(DemoClock).now().getTime());
  });
});
