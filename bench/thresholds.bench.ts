/**
 * npx ts-node --transpile-only bench/thresholds.bench.ts [accounts] — what the durable threshold state costs a
 * billing run on MariaDB: the reconciliation's walk over the accounts (nothing out of step, then after a threshold
 * change puts most of them out of step) and the walk over the accounts due for evaluation, page by page, with the
 * plans MariaDB chooses. Uses DATABASE_URL when it is mysql://, else mysql://root@127.0.0.1:3306, in a database of
 * its own that it drops at the end. Seeds 100,000 accounts unless told otherwise.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AccountRepository, EvaluationDue } from '../src/accounts/account.repository';
import { THRESHOLD_PAGE_SIZE } from '../src/billing/thresholds/threshold-backlog.service';
import type { ThresholdSettings } from '../src/billing/thresholds/threshold-rules';
import { AccountThresholdStateRepository } from '../src/accounts/account-threshold-state.repository';
import { dataSourceOptionsFromUrl } from '../src/common/data-source-options';
import { managerOf } from '../src/common/tx';
import { Isolation, UnitOfWork } from '../src/common/unit-of-work';
import {
  benchDatabaseName,
  connect,
  createDatabase,
  databaseUrl,
  dropDatabase,
  serverUrl,
  valuesClause,
} from './billing/database';

const CREDIT = 1_000_000;
const settings: ThresholdSettings = {
  lowBalanceThreshold: 10 * CREDIT,
  negativeBalanceThreshold: 0,
  suspensionThreshold: -5 * CREDIT,
  autoUnsuspend: true,
  runwayWarningHours: 0,
};

/** Every tenth account in each standing, its flags what the thresholds above call for; a few never credited. */
function accountRow(i: number): unknown[] {
  const userId = `u${String(i).padStart(7, '0')}`;
  const kind = i % 10;
  const balance = kind <= 6 ? 50 * CREDIT : kind === 7 ? 5 * CREDIT : kind === 8 ? -CREDIT : -10 * CREDIT;
  const neverCredited = i % 100 === 1;
  const low = !neverCredited && kind >= 7 ? 1 : null;
  const negative = !neverCredited && kind >= 8 ? 1 : null;
  const suspended = !neverCredited && kind === 9 ? '2026-03-10 00:00:00' : null;
  const now = '2026-03-10 00:00:00';
  return [userId, neverCredited ? 0 : balance, suspended, low, negative, now, now];
}

function instanceRow(i: number): unknown[] {
  const [userId, , suspendedAt] = accountRow(i);
  const suspended = suspendedAt !== null;
  return [`vm-${i}`, userId, `vm-${i}`, 1, suspended ? 'suspended' : 'running', 0, 0, 0, suspended ? 1 : null];
}

/** Every account's balance written once, 500 a transaction: through setBalances, or its UPDATE without the mark. */
async function updateBalances(dataSource: DataSource, count: number, marked: boolean): Promise<void> {
  const accounts = new AccountRepository(dataSource);
  const unitOfWork = new UnitOfWork(dataSource);
  for (let start = 0; start < count; start += 500) {
    const balances = new Map<string, number>();
    for (let i = start; i < Math.min(count, start + 500); i++) balances.set(accountRow(i)[0] as string, i);
    await unitOfWork.run(
      async (tx) => {
        if (marked) return accounts.setBalances(tx, balances, Date.now());
        const cases = [...balances].map(() => 'WHEN ? THEN ?').join(' ');
        // The statement setBalances would run without the mark, written out here as a repository would.
        await managerOf(tx).query(
          `UPDATE cloud_billing_accounts SET balance = CASE user_id ${cases} END, updated_at = ?
         WHERE user_id IN (${[...balances].map(() => '?').join(', ')})`,
          [...[...balances].flat(), new Date(), ...balances.keys()],
        );
      },
      { isolation: Isolation.LockedWrites },
    );
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: Math.round(performance.now() - started), result };
}

async function walkOutOfStep(repository: AccountThresholdStateRepository, current: ThresholdSettings) {
  let found = 0;
  let pages = 0;
  for (let after = ''; ;) {
    const page = await repository.outOfStep(after, THRESHOLD_PAGE_SIZE, current);
    if (page.length === 0) return { found, pages };
    found += page.length;
    pages += 1;
    after = page[page.length - 1];
  }
}

async function walkDue(accounts: AccountRepository) {
  let found = 0;
  let pages = 0;
  for (let after: EvaluationDue | null = null; ;) {
    const page = await accounts.evaluationsDue(after, THRESHOLD_PAGE_SIZE);
    if (page.length === 0) return { found, pages };
    found += page.length;
    pages += 1;
    after = page[page.length - 1];
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const server = serverUrl();
  const name = benchDatabaseName();
  await createDatabase(server, name);
  const dataSource = new DataSource(dataSourceOptionsFromUrl(databaseUrl(server, name)));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const sql = await connect(server, name);
    const seed = await timed(async () => {
      for (let start = 0; start < count; start += 1000) {
        const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => accountRow(start + k));
        const { sql: values, params } = valuesClause(rows);
        await sql.query(
          `INSERT INTO cloud_billing_accounts (user_id, balance, billing_suspended_at, low_notified_at_ms,
             negative_notified_at_ms, created_at, updated_at) VALUES ${values}`,
          params,
        );
      }
      // One instance an account: suspended by billing where the account is, running elsewhere.
      for (let start = 0; start < count; start += 1000) {
        const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => instanceRow(start + k));
        const { sql: values, params } = valuesClause(rows);
        await sql.query(
          `INSERT INTO cloud_billing_instances (id, user_id, name, plan_id, state, created_at_ms, last_event_at_ms,
             settled_until_ms, billing_suspended_at_ms) VALUES ${values}`,
          params,
        );
      }
      await sql.query('ANALYZE TABLE cloud_billing_accounts, cloud_billing_instances');
    });
    await sql.end();
    const state = new AccountThresholdStateRepository(dataSource);
    const accounts = new AccountRepository(dataSource);

    const inStep = await timed(() => walkOutOfStep(state, settings));
    const raised = { ...settings, lowBalanceThreshold: 60 * CREDIT };
    const afterChange = await timed(() => walkOutOfStep(state, raised));
    await dataSource.query('UPDATE cloud_billing_accounts SET evaluation_due_at_ms = 1000 + MOD(CRC32(user_id), 3)');
    const due = await timed(() => walkDue(accounts));
    const counted = await timed(() => accounts.countEvaluationsDue());
    // The mark rides on the balance UPDATE: the same 500-account statements with it and without it (as before).
    // Alternated, twice each, so warming up and a busy machine weigh on both alike.
    const balanceUpdates = { withMarkMs: [] as number[], withoutMarkMs: [] as number[] };
    for (const marked of [false, true, false, true]) {
      await dataSource.query('UPDATE cloud_billing_accounts SET evaluation_due_at_ms = NULL');
      const { ms } = await timed(() => updateBalances(dataSource, count, marked));
      (marked ? balanceUpdates.withMarkMs : balanceUpdates.withoutMarkMs).push(ms);
    }
    const plan = async (query: string, parameters: unknown[]) =>
      ((await dataSource.query(`EXPLAIN ${query}`, parameters)) as Record<string, unknown>[]).map(
        (row) => `${row.table}: type=${row.type} key=${row.key} rows=${row.rows} ${row.Extra ?? ''}`,
      );
    const [dueSql, dueParameters] = dataSource
      .getRepository('AccountEntity')
      .createQueryBuilder('account')
      .where('account.evaluation_due_at_ms IS NOT NULL')
      .andWhere('account.evaluation_due_at_ms >= :d', { d: 1001 })
      .andWhere('(account.evaluation_due_at_ms > :d OR account.user_id > :u)', { u: 'u0050000' })
      .orderBy('account.evaluation_due_at_ms')
      .addOrderBy('account.user_id')
      .limit(THRESHOLD_PAGE_SIZE)
      .getQueryAndParameters();
    console.log(
      JSON.stringify(
        {
          accounts: count,
          seedMs: seed.ms,
          reconcileInStep: { ...inStep.result, ms: inStep.ms },
          reconcileAfterLowRaised: { ...afterChange.result, ms: afterChange.ms },
          dueWalk: { ...due.result, ms: due.ms },
          countDueMs: counted.ms,
          balanceUpdates,
          dueQueryPlan: await plan(dueSql, dueParameters),
        },
        null,
        2,
      ),
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropDatabase(server, name);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
