import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { parseScaledDecimal, RATE_DIGITS, toSafeNumber } from '../common/money';
import { isUniqueViolation } from '../common/database';
import { definedFields } from '../common/defined';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import type { CurrencyCreateDto, CurrencyUpdateDto } from './currency.dto';
import type { CurrencyEntity } from './currency.entity';
import { CurrencyRepository } from './currency.repository';

const valuePerCreditNanos = (value: string | number) => toSafeNumber(parseScaledDecimal(value, RATE_DIGITS));

function pick(currencies: CurrencyEntity[], code: string): CurrencyEntity {
  const currency = currencies.find((candidate) => candidate.code === code);
  if (!currency) throw new NotFoundException(`currency ${code} does not exist`);
  return currency;
}

/**
 * Admin management of display currencies. There is always exactly one default and it is enabled: each
 * change checks that rule inside one transaction holding every currency row (see `lockAll`), and the
 * database backs it (a unique default marker, and a CHECK that the marked row is enabled).
 */
@Injectable()
export class CurrencyService {
  constructor(
    private readonly repository: CurrencyRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  list(): Promise<CurrencyEntity[]> {
    return this.repository.list();
  }

  async get(code: string): Promise<CurrencyEntity> {
    const currency = await this.repository.find(code);
    if (!currency) throw new NotFoundException(`currency ${code} does not exist`);
    return currency;
  }

  async create(dto: CurrencyCreateDto): Promise<CurrencyEntity> {
    const exists = () => new ConflictException(`currency ${dto.code} already exists`);
    const currency = {
      code: dto.code,
      name: dto.name,
      valuePerCreditNanos: valuePerCreditNanos(dto.valuePerCredit),
      prefix: dto.prefix ?? '',
      suffix: dto.suffix ?? (dto.prefix ? '' : ` ${dto.code}`),
      decimals: dto.decimals ?? 2,
      enabled: dto.enabled ?? true,
    };
    try {
      return await this.unitOfWork.run(
        async (tx) => {
          const currencies = await this.repository.lockAll(tx);
          if (currencies.some((existing) => existing.code === dto.code)) throw exists();
          // The first currency becomes the default so that there is always exactly one.
          const first = !currencies.some((existing) => existing.isDefault);
          if (first && !currency.enabled) {
            throw invalidField('enabled', 'defaultIsEnabled', 'must be true: the first currency becomes the default');
          }
          return this.repository.insert(tx, { ...currency, isDefault: first });
        },
        { isolation: Isolation.LockedWrites },
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw exists();
      throw error;
    }
  }

  update(code: string, dto: CurrencyUpdateDto): Promise<CurrencyEntity> {
    const { valuePerCredit, ...plain } = definedFields(dto);
    return this.unitOfWork.run(
      async (tx) => {
        const currency = pick(await this.repository.lockAll(tx), code);
        if (dto.enabled === false && currency.isDefault) {
          throw new ConflictException(
            `${code} is the default currency; make another currency the default before disabling it`,
          );
        }
        Object.assign(currency, plain);
        if (valuePerCredit !== undefined) currency.valuePerCreditNanos = valuePerCreditNanos(valuePerCredit);
        if (dto.enabled === false) await this.repository.resetPreferences(tx, code);
        return this.repository.save(tx, currency);
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  async remove(code: string): Promise<void> {
    await this.unitOfWork.run(
      async (tx) => {
        const currency = pick(await this.repository.lockAll(tx), code);
        if (currency.isDefault) {
          throw new ConflictException(
            `${code} is the default currency and cannot be removed; make another currency the default first`,
          );
        }
        await this.repository.resetPreferences(tx, code);
        await this.repository.remove(tx, code);
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  makeDefault(code: string): Promise<CurrencyEntity> {
    return this.unitOfWork.run(
      async (tx) => {
        const currencies = await this.repository.lockAll(tx);
        const currency = pick(currencies, code);
        if (!currency.enabled)
          throw new ConflictException(`${code} is disabled; enable it before making it the default`);
        const current = currencies.find((candidate) => candidate.isDefault);
        if (current !== currency) await this.repository.moveDefault(tx, current?.code ?? null, code);
        return { ...currency, isDefault: true };
      },
      { isolation: Isolation.LockedWrites },
    );
  }
}
