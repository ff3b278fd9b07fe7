import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { LedgerService } from '../accounts/ledger.service';
import { monthKey } from '../billing/rating';
import { BillingSettledEvent } from '../billing/run/billing-settled.event';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { isUniqueViolation } from '../common/database';
import { DomainEvents } from '../common/domain-events';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { ViewerCurrencyService } from '../currencies/viewer-currency.service';
import { InstanceBillingService } from '../instances/instance-billing.service';
import { UsageReportService } from '../reports/usage-report.service';
import { SettingsService } from '../settings/settings.service';
import { chargedHours, monthBounds, nextMonth } from './statement-calendar';
import type { StatementEntity } from './statement.entities';
import { buildStatementLines, statementTotals } from './statement-lines';
import { StatementsRepository } from './statements.repository';
import { usageChargeLines } from './usage-charge-lines';

/** Accounts looked at per page of a closing pass. */
const ACCOUNTS_PAGE = 500;

export interface StatementCloseSummary {
  closed: number;
  failed: number;
}

/**
 * Closes monthly statements. A user's month closes once every hour of it is settled for every one of their
 * instances, in a pass after each billing run. Who gets one: every account with a ledger entry the statement takes
 * (an entry of the month, or a late one of a month already closed), or a balance to carry (a non-zero opening);
 * an account with neither gets none for that month. Exactly once: one transaction locks the account, takes the
 * next number from the counter row (a rollback gives it back: no gaps) and writes the statement, its lines and its
 * entries' membership; the unique (user, month) key turns a second replica's attempt into a no-op.
 */
@Injectable()
export class StatementCloseService implements OnModuleInit {
  private readonly logger = new Logger(StatementCloseService.name);

  constructor(
    private readonly repository: StatementsRepository,
    private readonly settings: SettingsService,
    private readonly instances: InstanceBillingService,
    private readonly reports: UsageReportService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly ledger: LedgerService,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: DomainEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on(BillingSettledEvent, async (event) => {
      await this.closeDue(event.now);
    });
  }

  /** Closes every month before `now`'s whose hours are all settled, for every account; safe to run again. */
  async closeDue(now: Date = this.clock.now()): Promise<StatementCloseSummary> {
    const { timeZone } = await this.settings.get();
    const current = monthKey(now, timeZone);
    const summary: StatementCloseSummary = { closed: 0, failed: 0 };
    for (let after = ''; ;) {
      const users = await this.repository.accountsAfter(after, ACCOUNTS_PAGE);
      if (users.length === 0) break;
      after = users[users.length - 1];
      const latest = await this.repository.latestOf(users);
      // Only accounts carrying nothing forward start from their oldest unstated entry; read for the page at once.
      const carrying = (userId: string) => (latest.get(userId)?.closingBalance ?? 0) !== 0;
      const oldest = await this.repository.oldestUnstatedAtMs(users.filter((userId) => !carrying(userId)));
      for (const userId of users) {
        try {
          const start = { latest: latest.get(userId) ?? null, oldestUnstatedMs: oldest.get(userId) ?? null };
          summary.closed += await this.closeUser(userId, start, current, timeZone);
        } catch (error) {
          // One account's failure leaves the others to close; its months are retried by the next pass.
          summary.failed += 1;
          this.logger.error(`statements of ${userId} not closed: ${(error as Error).message}`);
        }
      }
    }
    if (summary.closed > 0 || summary.failed > 0) {
      this.logger.log(`statements: ${summary.closed} closed, ${summary.failed} failed`);
    }
    return summary;
  }

  /** The user's months from the one after their latest statement up to `current` (excluded), in order. */
  private async closeUser(
    userId: string,
    { latest, oldestUnstatedMs }: { latest: StatementEntity | null; oldestUnstatedMs: number | null },
    current: string,
    timeZone: string,
  ): Promise<number> {
    let month: string | null = latest && latest.closingBalance !== 0 ? nextMonth(latest.month) : null;
    if (month === null) {
      // Nothing to carry: the next statement is the month of the oldest entry no statement holds yet.
      if (oldestUnstatedMs === null) return 0;
      month = monthKey(new Date(oldestUnstatedMs), timeZone);
      if (latest && month <= latest.month) month = nextMonth(latest.month);
    }
    let closed = 0;
    for (; month < current; month = nextMonth(month)) {
      const { endMs } = monthBounds(month, timeZone);
      if (!(await this.instances.settledThrough(userId, endMs))) break;
      if ((await this.close(userId, month, timeZone)) === 'closed') closed += 1;
    }
    return closed;
  }

  /**
   * Closes one user's month: 'closed' when this call wrote it, 'exists' when it was closed already (also by
   * another replica a moment ago), 'empty' when there is nothing to state (no entries, nothing carried).
   */
  async close(userId: string, month: string, timeZone: string): Promise<'closed' | 'exists' | 'empty'> {
    const { startMs, endMs } = monthBounds(month, timeZone);
    if (await this.repository.find(userId, month)) return 'exists';
    const view = await this.viewerCurrency.forUser(userId);
    const hours = chargedHours(month, timeZone);
    try {
      return await this.unitOfWork.run(
        async (tx) => {
          // The account's lock: no entry of the user is posted while the statement reads them.
          await this.ledger.lockAccounts(tx, [userId]);
          if (await this.repository.find(userId, month, tx)) return 'exists';
          const previous = await this.repository.previous(tx, userId, month);
          const entries = await this.repository.unstatedBefore(tx, userId, endMs);
          const opening = previous?.closingBalance ?? 0;
          if (entries.length === 0 && opening === 0) return 'empty';
          // The hours whose entries it takes, itemised under the same lock: the lines add up to those entries, so
          // the correction line holds only entries of earlier months posted after their statement closed.
          const usage = usageChargeLines(
            await this.reports.chargesByHours(userId, hours.fromMs, hours.untilMs, tx),
            view,
          );
          const lines = buildStatementLines(entries, usage);
          const totals = statementTotals(opening, lines);
          const number = await this.repository.takeNumber(tx);
          const { currency } = view;
          const statement: StatementEntity = {
            number,
            userId,
            month,
            periodStartMs: startMs,
            periodEndMs: endMs,
            timeZone,
            openingBalance: opening,
            closingBalance: totals.closing,
            currencyCode: currency.code,
            valuePerCreditNanos: currency.valuePerCreditNanos,
            currencyPrefix: currency.prefix,
            currencySuffix: currency.suffix,
            currencyDecimals: currency.decimals,
            closedAtMs: this.clock.now().getTime(),
          };
          await this.repository.insert(
            tx,
            statement,
            lines,
            entries.map((entry) => entry.id),
          );
          return 'closed';
        },
        { isolation: Isolation.LockedWrites },
      );
    } catch (error) {
      // Another replica inserted the same (user, month) first; its statement stands, and our number went back.
      if (isUniqueViolation(error) && (await this.repository.find(userId, month))) return 'exists';
      throw error;
    }
  }
}
