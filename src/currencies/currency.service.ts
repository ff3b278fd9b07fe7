import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { parseScaledDecimal, RATE_DIGITS, toSafeNumber } from '../common/money';
import { isUniqueViolation } from '../common/database';
import { definedFields } from '../common/defined';
import type { CurrencyCreateDto, CurrencyUpdateDto } from './currency.dto';
import type { CurrencyEntity } from './currency.entity';
import { CurrencyRepository } from './currency.repository';

const valuePerCreditNanos = (value: string | number) => toSafeNumber(parseScaledDecimal(value, RATE_DIGITS));

/** Admin management of display currencies. */
@Injectable()
export class CurrencyService {
  constructor(private readonly repository: CurrencyRepository) {}

  list(): Promise<CurrencyEntity[]> {
    return this.repository.list();
  }

  async get(code: string): Promise<CurrencyEntity> {
    const currency = await this.repository.find(code);
    if (!currency) throw new NotFoundException(`currency ${code} does not exist`);
    return currency;
  }

  async create(dto: CurrencyCreateDto): Promise<CurrencyEntity> {
    if (await this.repository.find(dto.code)) throw new ConflictException(`currency ${dto.code} already exists`);
    const hasDefault = (await this.repository.findDefault()) !== null;
    try {
      return await this.repository.insert({
        code: dto.code,
        name: dto.name,
        valuePerCreditNanos: valuePerCreditNanos(dto.valuePerCredit),
        prefix: dto.prefix ?? '',
        suffix: dto.suffix ?? (dto.prefix ? '' : ` ${dto.code}`),
        decimals: dto.decimals ?? 2,
        enabled: dto.enabled ?? true,
        // The first currency becomes the default so that there is always exactly one.
        defaultMarker: hasDefault ? null : 1,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`currency ${dto.code} already exists`);
      throw error;
    }
  }

  async update(code: string, dto: CurrencyUpdateDto): Promise<CurrencyEntity> {
    const currency = await this.get(code);
    if (dto.enabled === false && currency.defaultMarker === 1) {
      throw new ConflictException(
        `${code} is the default currency; make another currency the default before disabling it`,
      );
    }
    const { valuePerCredit, ...plain } = definedFields(dto);
    Object.assign(currency, plain);
    if (valuePerCredit !== undefined) currency.valuePerCreditNanos = valuePerCreditNanos(valuePerCredit);
    return this.repository.transaction(async (manager) => {
      if (dto.enabled === false) await this.repository.resetPreferences(code, manager);
      return this.repository.save(currency, manager);
    });
  }

  async remove(code: string): Promise<void> {
    const currency = await this.get(code);
    if (currency.defaultMarker === 1) {
      throw new ConflictException(
        `${code} is the default currency and cannot be removed; make another currency the default first`,
      );
    }
    await this.repository.transaction(async (manager) => {
      await this.repository.resetPreferences(code, manager);
      await this.repository.remove(code, manager);
    });
  }

  async makeDefault(code: string): Promise<CurrencyEntity> {
    const currency = await this.get(code);
    if (!currency.enabled) throw new ConflictException(`${code} is disabled; enable it before making it the default`);
    await this.repository.transaction((manager) => this.repository.moveDefault(code, manager));
    return this.get(code);
  }
}
