import { Inject, Injectable, Logger } from '@nestjs/common';
import { canonicalCurrencyAmount } from '../accounts/currency-amount.validator';
import { OutboxService } from '../billing/outbox/outbox.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { currencyToCredits, MoneyFormatError } from '../common/money';
import { MAX_CREDIT_AMOUNT_CREDITS, MAX_CREDIT_AMOUNT_MICROS } from '../common/money-bounds';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import { ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { BudgetUpdateDto } from './budget.dto';
import { BudgetEvaluationService } from './budget-evaluation.service';
import { BudgetRepository } from './budget.repository';
import { budgetMonthLabel, budgetUsedUp, DEFAULT_ALERT_LEVELS } from './budget-rules';
import { BudgetStatus, BudgetStatusService, settingsOf } from './budget-status.service';

/**
 * Users' monthly budgets: set, read, removed, and what the wizard asks before creating an instance. Public (the
 * widget and the wizard use it; a host may too).
 */
@Injectable()
export class BudgetService {
  private readonly logger = new Logger(BudgetService.name);

  constructor(
    private readonly repository: BudgetRepository,
    private readonly status: BudgetStatusService,
    private readonly evaluation: BudgetEvaluationService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly outbox: OutboxService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Where the user's budget stands this month; null without one. */
  get(userId: string): Promise<BudgetStatus | null> {
    return this.status.of(userId);
  }

  /**
   * Replaces the budget: `amount` is in the user's display currency and stored in credits, converted once now.
   * Everything is checked before anything is written. Then evaluated at once, so a budget set below what the
   * month has already spent alerts (and acts) now rather than at the next billing run.
   */
  async set(userId: string, dto: BudgetUpdateDto): Promise<BudgetStatus> {
    const view = await this.viewerCurrency.forUser(userId);
    const currency = view.currency;
    if (dto.currency !== undefined && dto.currency !== currency.code) {
      throw invalidField(
        'currency',
        'isDisplayCurrency',
        `the budget is set in your display currency, ${currency.code}`,
      );
    }
    const given = canonicalCurrencyAmount(dto.amount) as string;
    if (given.startsWith('-')) throw invalidField('amount', 'min', 'a budget must be 0 or more');
    const amount = creditsWithinBound(given, currency);
    const nowMs = this.clock.now().getTime();
    await this.unitOfWork.run(
      (tx) =>
        this.repository.upsert(tx, {
          userId,
          amount,
          currencyCode: currency.code,
          currencyAmount: given,
          alertLevels: [...(dto.alertLevels ?? DEFAULT_ALERT_LEVELS)].sort((a, b) => a - b).join(','),
          action: dto.action ?? 'alert',
          createdAtMs: nowMs,
          updatedAtMs: nowMs,
        }),
      { isolation: Isolation.LockedWrites },
    );
    await this.evaluateNow(userId);
    return (await this.status.of(userId)) as BudgetStatus;
  }

  /** Removes the budget; true when there was one. Alerts already sent this month stay sent. */
  remove(userId: string): Promise<boolean> {
    return this.unitOfWork.run((tx) => this.repository.delete(tx, userId), { isolation: Isolation.LockedWrites });
  }

  /**
   * Why the user may not create an instance now, or null: their budget's action is `block-new` and this month's
   * spend has reached it. Read live, so raising or removing the budget lifts it at once.
   */
  async creationBlock(userId: string): Promise<string | null> {
    const row = await this.repository.find(userId);
    if (!row || row.action !== 'block-new') return null;
    const { spend, month } = await this.status.spendThisMonth(userId);
    if (!budgetUsedUp(spend, row.amount)) return null;
    const { money } = await this.viewerCurrency.forUser(userId);
    const settings = settingsOf(row);
    return (
      `your monthly budget of ${money(settings.amount).formatted} is used up ` +
      `(${money(spend).formatted} spent in ${budgetMonthLabel(month.key)}); new instances can be created ` +
      'again next month, or raise the budget'
    );
  }

  /** Never throws: the budget is saved; what was not evaluated now the next billing run evaluates. */
  private async evaluateNow(userId: string): Promise<void> {
    try {
      await this.evaluation.evaluate(userId);
      await this.outbox.deliverDue();
    } catch (error) {
      this.logger.error(`budget of ${userId} saved, its evaluation failed: ${(error as Error).message}`);
    }
  }
}

/** The credits a currency amount converts to, held to the bound every credit amount has. */
function creditsWithinBound(given: string, currency: Parameters<typeof currencyToCredits>[1]): number {
  try {
    const amount = currencyToCredits(given, currency);
    if (amount <= MAX_CREDIT_AMOUNT_MICROS) return amount;
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
  }
  throw invalidField('amount', 'maxCredits', `converts to more than ${MAX_CREDIT_AMOUNT_CREDITS} credits`);
}
