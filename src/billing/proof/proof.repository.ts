import { Injectable } from '@nestjs/common';
import { isMysql } from '../../common/database';
import { managerOf, type Tx } from '../../common/tx';
import { RuleUsageEntity } from '../settlement/rule-usage.entity';
import { UsageEntity } from '../settlement/usage.entity';
import type { UsageMonthAggregate } from './audit-screen';
import { auditUsageSql } from './audit-sql';
import { grantMismatchSql, overdrawnEntrySql } from './grant-audit-sql';
import { accountHourMismatchSql, rollupMismatchSql, unbilledReportsSql } from './ledger-usage-sql';
import { SettlementFailureEntity } from '../settlement/settlement-failure.entity';

export interface AccountAudit {
  userId: string;
  balance: bigint;
  entryCount: number;
  ledgerSum: bigint;
  lastBalanceAfter: bigint | null;
  /** Since when the account has waited for threshold evaluation; null when it is not due. */
  evaluationDueAtMs: number | null;
}

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');
/** mysql2 returns BIGINT and SUM as strings, better-sqlite3 as numbers: read both exactly. */
const big = (value: unknown) => BigInt(String(value));
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export interface AccountHourMismatch {
  userId: string;
  hourStartMs: number;
  ledger: bigint;
  usage: bigint;
}

/** The values of a statement whose only placeholders are lists of the user ids, as many times as it names them. */
const forEachList = (sql: string, userIds: string[]) =>
  Array.from({ length: (sql.match(/\?/g) ?? []).length / userIds.length }, () => userIds).flat();

export interface UnbilledReport {
  userId: string;
  instanceId: string;
  reportId: string;
  hourStartMs: number;
  receivedAtMs: number;
  late: boolean;
}

export interface RollupMismatch {
  /** A plan's month or a day (the instances' share), a day's share of rules or counters, or a rule's or counter's month. */
  scope: 'month' | 'day' | 'rule-day' | 'counter-day' | 'rule-month' | 'counter-month';
  userId: string;
  instanceId: string | null;
  planId: number | null;
  period: string;
  rollupCharge: bigint;
  rowCharge: bigint;
  rollupSeconds: bigint;
  rowSeconds: bigint;
}

/** A credit grant that breaks a rule of the grant model, with what its draws and expiry entry add up to. */
export interface GrantMismatch {
  grantId: number;
  userId: string;
  amount: bigint;
  remaining: bigint;
  /** Σ its draws. */
  drawn: bigint;
  /** What its `expiry` entry took (positive), 0 without one. */
  expired: bigint;
  hasExpiryEntry: boolean;
  expiresAtMs: number | null;
  closedAtMs: number | null;
  /** Open past its expiry though its owner has no hour before the expiry left to settle, and a run has had time. */
  overdue: boolean;
}

/** A debit whose draws on grants add up to more than the entry took, or whose entry is missing. */
export interface OverdrawnEntry {
  entryKey: string;
  userId: string;
  drawn: bigint;
  /** Null: no ledger entry has the key. */
  entryAmount: bigint | null;
  entryUserId: string | null;
}

/**
 * Reads for the billing proof and the audit, in the caller's snapshot (Isolation.Snapshot); it never writes. The
 * instances and segments are read through InstanceBillingService. The statements of audit-sql.ts and
 * ledger-usage-sql.ts, and accountsAfter here, read the accounts', ledger's and instances' tables by name: the
 * proof checks those features' rows against billing's own, and sums them in the database to do it in one pass.
 */
@Injectable()
export class ProofRepository {
  /**
   * The accounts' usage reports still unbilled that should not be: on time, in an hour their instance has settled
   * (settlement bills them with it), or late and received before `lateBeforeMs` (the hourly sweep had its turn).
   */
  async unbilledReports(tx: Tx, userIds: string[], lateBeforeMs: number): Promise<UnbilledReport[]> {
    if (userIds.length === 0) return [];
    const sql = unbilledReportsSql(placeholders(userIds.length));
    const rows: Record<string, unknown>[] = await managerOf(tx).query(sql, [...userIds, lateBeforeMs]);
    return rows.map((row) => ({
      userId: String(row.user_id),
      instanceId: String(row.instance_id),
      reportId: String(row.report_id),
      hourStartMs: Number(row.hour_start_ms),
      receivedAtMs: Number(row.received_at_ms),
      late: Number(row.late) === 1,
    }));
  }

  /** The instance's rule usage rows, superseded ones too, by hour. */
  ruleUsageOf(tx: Tx, instanceId: string): Promise<RuleUsageEntity[]> {
    return managerOf(tx)
      .getRepository(RuleUsageEntity)
      .find({
        where: { instanceId },
        order: { hourStartMs: 'ASC', periodStartMs: 'ASC', ruleId: 'ASC', revision: 'ASC' },
      });
  }

  /** The instance's usage rows, current ones (what is charged now) and superseded ones (what a re-rating replaced). */
  usageOf(tx: Tx, instanceId: string): Promise<UsageEntity[]> {
    return managerOf(tx)
      .getRepository(UsageEntity)
      .find({
        where: { instanceId },
        order: { hourStartMs: 'ASC', periodStartMs: 'ASC', planId: 'ASC', revision: 'ASC', id: 'ASC' },
      });
  }

  /** Per instance, plan and month, what the audit's screen needs, summed up by the database. */
  async usageAggregates(tx: Tx, instanceIds: string[]): Promise<Map<string, UsageMonthAggregate[]>> {
    const result = new Map<string, UsageMonthAggregate[]>();
    if (instanceIds.length === 0) return result;
    const manager = managerOf(tx);
    const sql = auditUsageSql(isMysql(manager), placeholders(instanceIds.length));
    const rows: Record<string, unknown>[] = await manager.query(sql, instanceIds);
    for (const row of rows) {
      const instanceId = String(row.instance_id);
      const aggregate: UsageMonthAggregate = {
        planId: Number(row.plan_id),
        monthKey: String(row.month_key),
        rowCount: Number(row.row_count),
        hourCount: Number(row.hour_count),
        pieceCount: Number(row.piece_count),
        firstHourMs: Number(row.first_hour),
        lastHourMs: Number(row.last_hour),
        outsideRows: Number(row.outside_rows),
        unbackedRows: Number(row.unbacked_rows),
        badRows: Number(row.bad_rows),
        upfrontRows: Number(row.upfront_rows),
        firstUpfrontHourMs: numberOrNull(row.first_upfront_hour),
        firstCappedHourMs: numberOrNull(row.first_capped_hour),
        lastChargedHourMs: numberOrNull(row.last_charged_hour),
      };
      result.set(instanceId, [...(result.get(instanceId) ?? []), aggregate]);
    }
    return result;
  }

  /** The next accounts after `afterUserId` with their ledger's sum and latest balance_after, in one statement. */
  async accountsAfter(tx: Tx, afterUserId: string, limit: number): Promise<AccountAudit[]> {
    const rows: Record<string, unknown>[] = await managerOf(tx).query(
      `SELECT a.user_id AS user_id, a.balance AS balance,
         (SELECT COUNT(*) FROM cloud_billing_ledger_entries e WHERE e.user_id = a.user_id) AS entry_count,
         (SELECT COALESCE(SUM(e.amount), 0) FROM cloud_billing_ledger_entries e WHERE e.user_id = a.user_id) AS ledger_sum,
         (SELECT e.balance_after FROM cloud_billing_ledger_entries e WHERE e.user_id = a.user_id
           ORDER BY e.id DESC LIMIT 1) AS last_balance_after,
         a.evaluation_due_at_ms AS evaluation_due_at_ms
       FROM cloud_billing_accounts a
       WHERE a.user_id > ?
       ORDER BY a.user_id
       LIMIT ?`,
      [afterUserId, limit],
    );
    return rows.map((row) => ({
      userId: String(row.user_id),
      balance: big(row.balance),
      entryCount: Number(row.entry_count),
      ledgerSum: big(row.ledger_sum),
      lastBalanceAfter: row.last_balance_after === null ? null : big(row.last_balance_after),
      evaluationDueAtMs: row.evaluation_due_at_ms === null ? null : Number(row.evaluation_due_at_ms),
    }));
  }

  /** Account-hours of these users whose ledger entries do not add up to their usage rows. */
  async accountHourMismatches(tx: Tx, userIds: string[]): Promise<AccountHourMismatch[]> {
    if (userIds.length === 0) return [];
    const rows: Record<string, unknown>[] = await managerOf(tx).query(
      accountHourMismatchSql(placeholders(userIds.length)),
      forEachList(accountHourMismatchSql(placeholders(userIds.length)), userIds),
    );
    return rows.map((row) => ({
      userId: String(row.user_id),
      hourStartMs: Number(row.hour_start_ms),
      ledger: big(row.ledger),
      usage: big(row.usage_charge),
    }));
  }

  /** Monthly and daily rollups of these users that do not hold what their usage rows add up to. */
  async rollupMismatches(tx: Tx, userIds: string[]): Promise<RollupMismatch[]> {
    if (userIds.length === 0) return [];
    const sql = rollupMismatchSql(placeholders(userIds.length));
    const rows: Record<string, unknown>[] = await managerOf(tx).query(sql, forEachList(sql, userIds));
    return rows.map((row) => ({
      scope: String(row.scope) as RollupMismatch['scope'],
      userId: String(row.user_id),
      instanceId: row.instance_id === null ? null : String(row.instance_id),
      planId: numberOrNull(row.plan_id),
      period: String(row.period),
      rollupCharge: big(row.rollup_charge),
      rowCharge: big(row.row_charge),
      rollupSeconds: big(row.rollup_seconds),
      rowSeconds: big(row.row_seconds),
    }));
  }

  /**
   * Grants of these users that break a rule: amount = remaining + Σ draws + expired, remaining ≥ 0, closed means 0
   * left, an expiry entry means closed; and open past an expiry at or before `overdueUpToMs` with nothing left to
   * settle before it.
   */
  async grantMismatches(tx: Tx, userIds: string[], overdueUpToMs: number): Promise<GrantMismatch[]> {
    if (userIds.length === 0) return [];
    const manager = managerOf(tx);
    const rows: Record<string, unknown>[] = await manager.query(
      grantMismatchSql(isMysql(manager), placeholders(userIds.length)),
      [overdueUpToMs, ...userIds],
    );
    return rows.map((row) => ({
      grantId: Number(row.grant_id),
      userId: String(row.user_id),
      amount: big(row.amount),
      remaining: big(row.remaining),
      drawn: big(row.drawn),
      expired: big(row.expired),
      hasExpiryEntry: Number(row.has_expiry_entry) === 1,
      expiresAtMs: numberOrNull(row.expires_at_ms),
      closedAtMs: numberOrNull(row.closed_at_ms),
      overdue: Number(row.overdue) === 1,
    }));
  }

  /** Debits of these users whose draws exceed what the entry took. */
  async overdrawnEntries(tx: Tx, userIds: string[]): Promise<OverdrawnEntry[]> {
    if (userIds.length === 0) return [];
    const rows: Record<string, unknown>[] = await managerOf(tx).query(
      overdrawnEntrySql(placeholders(userIds.length)),
      userIds,
    );
    return rows.map((row) => ({
      entryKey: String(row.entry_key),
      userId: String(row.user_id),
      drawn: big(row.drawn),
      entryAmount: row.entry_amount === null ? null : big(row.entry_amount),
      entryUserId: row.entry_user_id === null ? null : String(row.entry_user_id),
    }));
  }

  /** Accounts the last runs could not settle, by user. */
  async settlementFailures(tx: Tx): Promise<Map<string, SettlementFailureEntity>> {
    const failures = await managerOf(tx).getRepository(SettlementFailureEntity).find();
    return new Map(failures.map((failure) => [failure.userId, failure]));
  }
}
