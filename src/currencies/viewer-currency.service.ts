import { BadRequestException, Injectable } from '@nestjs/common';
import { Money, toMoney, toUnitPriceMoney } from '../common/money';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import type { CurrencyEntity } from './currency.entity';
import { CurrencyRepository } from './currency.repository';

export interface ViewerCurrency {
  currency: CurrencyEntity;
  preferredCurrency: string | null;
  /** A total: balance, cost, charge. A bigint for sums that may leave the safe integer range (a quote's). */
  money(micros: number | bigint): Money;
  /** A price per hour or per unit, with the decimals it needs to be exact. */
  unitPrice(micros: number | bigint): Money;
}

/** Which currency a user sees amounts in, and their choice of it. */
@Injectable()
export class ViewerCurrencyService {
  constructor(
    private readonly repository: CurrencyRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async forUser(userId: string): Promise<ViewerCurrency> {
    const preference = await this.repository.findPreference(userId);
    const preferred = preference?.currencyCode ? await this.repository.find(preference.currencyCode) : null;
    const currency = preferred?.enabled ? preferred : await this.defaultCurrency();
    return {
      currency,
      preferredCurrency: preferred?.enabled ? preferred.code : null,
      money: (micros) => toMoney(micros, currency),
      unitPrice: (micros) => toUnitPriceMoney(micros, currency),
    };
  }

  /**
   * Checks and saves the choice under the currency's row lock: an admin disabling or deleting it at the same
   * moment either goes first (the choice is refused) or after (and moves the user back to the default).
   */
  async setPreference(userId: string, code: string | null): Promise<ViewerCurrency> {
    await this.unitOfWork.run(
      async (tx) => {
        if (code !== null) {
          const currency = await this.repository.lockOne(tx, code);
          if (!currency?.enabled) {
            throw invalidField('currency', 'isEnabledCurrency', `${code} is not one of the enabled currencies`);
          }
        }
        await this.repository.savePreference(tx, userId, code);
      },
      { isolation: Isolation.LockedWrites },
    );
    return this.forUser(userId);
  }

  private async defaultCurrency(): Promise<CurrencyEntity> {
    const currency = await this.repository.findDefault();
    // The migrations seed a default and the service never removes it, so this is a broken database.
    if (!currency) throw new BadRequestException('no default currency is configured');
    return currency;
  }
}
