import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { CurrencyEntity } from '../currencies/currency.entity';
import { monthKey } from '../billing/rating/month-window';
import { CLOCK, PAYMENT_GATEWAY } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { parseCredits } from '../common/money';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { invalidField, invalidInput } from '../common/validation';
import { CurrencyService } from '../currencies/currency.service';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { PaymentGateway } from '../host/ports';
import { SettingsService } from '../settings/settings.service';
import { AutoTopUpTriggerService } from './auto-top-up-trigger.service';
import { AutoTopUpRule, ruleViolations } from './auto-top-up-rule';
import type { AutoTopUpAttemptEntity, AutoTopUpRuleEntity } from './auto-top-up.entities';
import type { AutoTopUpRuleDto } from './auto-top-up.dto';
import { AutoTopUpRepository } from './auto-top-up.repository';

/** Attempts the user's page lists, newest first. */
export const RECENT_ATTEMPTS = 10;

export interface AutoTopUpView {
  rule: AutoTopUpRuleEntity | null;
  month: string;
  monthTotalMicros: number;
  attempts: AutoTopUpAttemptEntity[];
  view: ViewerCurrency;
}

/** A user's rule: read, set, removed. Without the host's payment gateway the feature does not exist (404). */
@Injectable()
export class AutoTopUpService {
  constructor(
    private readonly repository: AutoTopUpRepository,
    private readonly trigger: AutoTopUpTriggerService,
    private readonly currencies: CurrencyService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly settings: SettingsService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway | null,
  ) {}

  get offered(): boolean {
    return this.gateway !== null;
  }

  async get(userId: string): Promise<AutoTopUpView> {
    this.assertOffered();
    const month = monthKey(this.clock.now(), (await this.settings.get()).timeZone);
    const [rule, attempts, monthTotalMicros, view] = await Promise.all([
      this.repository.findRule(userId),
      this.repository.recentAttempts(userId, RECENT_ATTEMPTS),
      this.repository.monthTotal(userId, month),
      this.viewerCurrency.forUser(userId),
    ]);
    return { rule, month, monthTotalMicros, attempts, view };
  }

  /**
   * Replaces the rule (PUT: the same body twice leaves the same rule). A rule whose threshold is already above the
   * balance acts at once: the user asked to be kept above it.
   */
  async set(userId: string, dto: AutoTopUpRuleDto): Promise<AutoTopUpView> {
    this.assertOffered();
    const rule = toRule(dto);
    const violations = ruleViolations(rule);
    if (violations.length > 0) throw invalidInput(violations);
    const currencyCode = dto.currency ?? (await this.viewerCurrency.forUser(userId)).currency.code;
    const currency = await this.currencies.get(currencyCode).catch((error: unknown): CurrencyEntity | null => {
      if (error instanceof NotFoundException) return null;
      throw error;
    });
    if (!currency?.enabled) {
      throw invalidField('currency', 'isEnabledCurrency', `${currencyCode} is not one of the enabled currencies`);
    }
    const nowMs = this.clock.now().getTime();
    await this.unitOfWork.run(
      async (tx) => {
        const existing = await this.repository.lockRule(tx, userId);
        await this.repository.saveRule(tx, {
          userId,
          currencyCode: currency.code,
          ...rule,
          attemptSeq: existing?.attemptSeq ?? 0,
          updatedAtMs: nowMs,
        });
      },
      { isolation: Isolation.LockedWrites },
    );
    await this.trigger.afterBalanceChange(userId);
    return this.get(userId);
  }

  /** Opts out: no new attempt starts, and pending ones that cannot have taken money yet are cancelled. */
  async remove(userId: string): Promise<void> {
    this.assertOffered();
    const nowMs = this.clock.now().getTime();
    await this.unitOfWork.run(
      async (tx) => {
        await this.repository.lockRule(tx, userId);
        await this.repository.deleteRule(tx, userId);
        await this.repository.cancelUncharged(tx, userId, nowMs);
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  private assertOffered(): void {
    if (!this.offered) throw new NotFoundException('auto top-up is not offered by this panel');
  }
}

function toRule(dto: AutoTopUpRuleDto): AutoTopUpRule {
  const credits = (value: string | number | undefined) => (value === undefined ? null : parseCredits(value));
  return {
    thresholdMicros: parseCredits(dto.threshold),
    amountMicros: credits(dto.amount),
    targetMicros: credits(dto.target),
    monthlyLimitMicros: parseCredits(dto.monthlyLimit),
  };
}
