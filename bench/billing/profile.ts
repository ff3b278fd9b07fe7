import type { INestApplication } from '@nestjs/common';
import { BetterSqlite3QueryRunner } from 'typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner';
import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner';
import { AccountRepository } from '../../src/accounts/account.repository';
import { LedgerService } from '../../src/accounts/ledger.service';
import { MeteredHourService } from '../../src/billing/settlement/metered-hour.service';
import { SettlementRepository } from '../../src/billing/settlement/settlement.repository';
import { SettlementService } from '../../src/billing/settlement/settlement.service';
import { PlanPricingRepository } from '../../src/catalog/plan-pricing.repository';
import { UnitOfWork } from '../../src/common/unit-of-work';
import { InstanceBillingRepository } from '../../src/instances/instance-billing.repository';
import { MeteredUsageRepository } from '../../src/metering/metered-usage.repository';
import { MeteringLookupService } from '../../src/metering/metering-lookup.service';
import type { BenchEngine } from './bench-db';

/**
 * A throw-away profiler for the settlement: wraps methods of live Nest providers (nothing in src changes) and
 * TypeORM's MySQL query runner, and attributes wall time and SQL round trips to the innermost wrapped call.
 * Settlement runs its batches one after the other, so a plain stack is enough.
 */
export interface CallStats {
  calls: number;
  totalMs: number;
  /** Time not spent in a nested wrapped call. */
  selfMs: number;
  /** SQL statements issued directly by this call (not by nested wrapped calls). */
  queries: number;
  /** Time spent waiting for those statements (driver + server). */
  queryMs: number;
}

/** Statements of one kind (verb and table): how many, and how long they took to come back. */
export interface StatementStats {
  count: number;
  ms: number;
}

export class SettlementProfiler {
  readonly stats = new Map<string, CallStats>();
  readonly statements = new Map<string, StatementStats>();
  private readonly stack: { name: string; childMs: number }[] = [];
  private readonly restores: (() => void)[] = [];

  wrap(target: object, label: string, methods: string[]): void {
    const record = target as Record<string, unknown>;
    for (const method of methods) {
      const original = record[method];
      if (typeof original !== 'function') throw new Error(`${label}.${method} is not a method`);
      const name = `${label}.${method}`;
      const wrapped = this.timed(name, original as (...args: unknown[]) => unknown);
      record[method] = wrapped;
      this.restores.push(() => {
        record[method] = original;
      });
    }
  }

  /** Counts every statement TypeORM sends to the engine's driver. */
  countQueries(engine: BenchEngine): void {
    const runner = engine === 'mariadb' ? MysqlQueryRunner : BetterSqlite3QueryRunner;
    const prototype = runner.prototype as unknown as Record<string, unknown>;
    const original = prototype.query as (...args: unknown[]) => Promise<unknown>;
    const stats = this.stats;
    const stack = this.stack;
    const statements = this.statements;
    prototype.query = async function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const elapsed = performance.now() - started;
        const owner = stack.length > 0 ? stack[stack.length - 1].name : '(outside)';
        const entry = statsOf(stats, owner);
        entry.queries += 1;
        entry.queryMs += elapsed;
        const kind = statementKind(String(args[0]));
        const byKind = statements.get(kind) ?? { count: 0, ms: 0 };
        byKind.count += 1;
        byKind.ms += elapsed;
        statements.set(kind, byKind);
      }
    };
    this.restores.push(() => {
      prototype.query = original;
    });
  }

  restore(): void {
    for (const restore of this.restores.reverse()) restore();
    this.restores.length = 0;
  }

  report(): Record<string, CallStats> {
    const rounded = (n: number) => Math.round(n * 10) / 10;
    return Object.fromEntries(
      [...this.stats]
        .sort(([, a], [, b]) => b.selfMs - a.selfMs)
        .map(([name, s]) => [
          name,
          { ...s, totalMs: rounded(s.totalMs), selfMs: rounded(s.selfMs), queryMs: rounded(s.queryMs) },
        ]),
    );
  }

  /** Statements by kind, slowest first. */
  statementReport(): Record<string, StatementStats> {
    return Object.fromEntries(
      [...this.statements]
        .sort(([, a], [, b]) => b.ms - a.ms)
        .map(([kind, s]) => [kind, { count: s.count, ms: Math.round(s.ms * 10) / 10 }]),
    );
  }

  private timed(name: string, original: (...args: unknown[]) => unknown) {
    const stats = this.stats;
    const stack = this.stack;
    return async function (this: unknown, ...args: unknown[]) {
      const frame = { name, childMs: 0 };
      stack.push(frame);
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const elapsed = performance.now() - started;
        stack.pop();
        if (stack.length > 0) stack[stack.length - 1].childMs += elapsed;
        const entry = statsOf(stats, name);
        entry.calls += 1;
        entry.totalMs += elapsed;
        entry.selfMs += elapsed - frame.childMs;
      }
    };
  }
}

/** `INSERT cloud_billing_usage`, `SELECT cloud_billing_accounts FOR UPDATE`, `COMMIT`: the verb and first table. */
export function statementKind(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  const verb = (/^\w+/.exec(text)?.[0] ?? '?').toUpperCase();
  const table = /(?:FROM|INTO|UPDATE|JOIN)\s+[`"]?(\w+)/i.exec(text)?.[1];
  const upsert = /ON (DUPLICATE KEY|CONFLICT)/i.test(text) ? ' (upsert)' : '';
  const locking = /FOR UPDATE\s*$/i.test(text) ? ' FOR UPDATE' : '';
  return table ? `${verb} ${table}${upsert}${locking}` : verb;
}

function statsOf(stats: Map<string, CallStats>, name: string): CallStats {
  let entry = stats.get(name);
  if (!entry) stats.set(name, (entry = { calls: 0, totalMs: 0, selfMs: 0, queries: 0, queryMs: 0 }));
  return entry;
}

/** Times every repository and ledger call of a batch, and counts its SQL round trips. */
export function profileSettlement(app: INestApplication, engine: BenchEngine): SettlementProfiler {
  const profiler = new SettlementProfiler();
  profiler.wrap(app.get(SettlementService), 'SettlementService', ['settleBatch']);
  profiler.wrap(app.get(UnitOfWork), 'UnitOfWork', ['run']);
  profiler.wrap(app.get(InstanceBillingRepository), 'InstanceBillingRepository', [
    'dueHours',
    'usersDueAt',
    'lockDueInstances',
    'segmentsOverlapping',
    'markSettled',
  ]);
  profiler.wrap(app.get(PlanPricingRepository), 'PlanPricingRepository', ['pricesOf']);
  profiler.wrap(app.get(SettlementRepository), 'SettlementRepository', [
    'monthlyUsage',
    'insertUsage',
    'saveMonthlyUsage',
    'dailyUsage',
    'saveDailyUsage',
    'meteredMonthly',
    'prepaidRows',
    'insertRuleUsage',
    'saveMeteredMonthly',
    'clearFailures',
  ]);
  profiler.wrap(app.get(MeteredHourService), 'MeteredHourService', ['settle']);
  profiler.wrap(app.get(MeteringLookupService), 'MeteringLookupService', ['rulesOfPlans', 'countersById']);
  profiler.wrap(app.get(MeteredUsageRepository), 'MeteredUsageRepository', ['unbilledBefore', 'markBilled']);
  profiler.wrap(app.get(LedgerService), 'LedgerService', ['lockAccounts', 'postCharges', 'post']);
  profiler.wrap(app.get(AccountRepository), 'AccountRepository', [
    'ensureAccounts',
    'lockAccounts',
    'existingKeys',
    'chargesPerHour',
    'insertEntries',
    'setBalances',
    'markEvaluationDue',
  ]);
  profiler.countQueries(engine);
  return profiler;
}
