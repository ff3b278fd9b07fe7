import { Inject, Injectable } from '@nestjs/common';
import { AccountService } from '../accounts/account.service';
import { BalanceChangedEvent } from '../accounts/balance-changed.event';
import { GrantService } from '../accounts/grants/grant.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { parseCredits } from '../common/money';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidInput, type FieldViolation } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { PromoCodeEntity } from './promo-code.entity';
import type { PromoCodeCreateDto, PromoCodeRedeemDto } from './promo-code.dto';
import { promoErrors } from './promo-code.errors';
import { PromoCodeRepository } from './promo-code.repository';

const DAY_MS = 86_400_000;

export interface Redemption {
  code: PromoCodeEntity;
  amount: number;
  creditExpiresAtMs: number | null;
  created: boolean;
}

/** Promo codes: admins create them, users redeem them for a promotional grant, within the code's limits. */
@Injectable()
export class PromoCodeService {
  constructor(
    private readonly repository: PromoCodeRepository,
    private readonly grants: GrantService,
    private readonly accounts: AccountService,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: DomainEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The code is the idempotency key: creating it again with the same terms answers it, other terms are a 409. */
  async create(
    dto: PromoCodeCreateDto,
    admin: AuthenticatedUser,
  ): Promise<{ code: PromoCodeEntity; created: boolean }> {
    const nowMs = this.clock.now().getTime();
    const terms = this.termsOf(dto, nowMs);
    return this.unitOfWork.run(
      async (tx) => {
        const existing = await this.repository.lock(tx, terms.code);
        if (existing) {
          if (!sameTerms(existing, terms)) throw promoErrors.taken(terms.code);
          return { code: existing, created: false };
        }
        const code: PromoCodeEntity = { ...terms, redemptions: 0, createdBy: admin.id, createdAtMs: nowMs };
        await this.repository.insert(tx, code);
        return { code, created: true };
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  list(): Promise<PromoCodeEntity[]> {
    return this.repository.list();
  }

  /** Ends a code now: no further redemptions; credit already granted stays. */
  async end(code: string): Promise<PromoCodeEntity> {
    const nowMs = this.clock.now().getTime();
    return this.unitOfWork.run(
      async (tx) => {
        const promo = await this.repository.lock(tx, code);
        if (!promo) throw promoErrors.unknown(code);
        if (promo.codeExpiresAtMs === null || promo.codeExpiresAtMs > nowMs) {
          await this.repository.endAt(tx, code, nowMs);
          promo.codeExpiresAtMs = nowMs;
        }
        return promo;
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  /**
   * Redeems under the code's row lock, so concurrent redemptions are counted one after another and never pass
   * its limits; the redemption, the counter and the grant commit together. A retry with the same reference
   * answers the first redemption.
   */
  async redeem(userId: string, dto: PromoCodeRedeemDto): Promise<Redemption> {
    const nowMs = this.clock.now().getTime();
    const redemption = await this.unitOfWork.run((tx) => this.redeemIn(tx, userId, dto, nowMs), {
      isolation: Isolation.LockedWrites,
    });
    if (redemption.created) await this.events.emit(new BalanceChangedEvent(userId));
    return redemption;
  }

  private async redeemIn(tx: Tx, userId: string, dto: PromoCodeRedeemDto, nowMs: number): Promise<Redemption> {
    const code = await this.repository.lock(tx, dto.code);
    if (!code) throw promoErrors.unknown(dto.code);
    if (dto.reference) {
      const earlier = await this.repository.redemptionByReference(tx, userId, dto.reference);
      if (earlier) {
        if (earlier.code !== code.code) throw promoErrors.taken(dto.reference);
        const grant = await this.grants.grantByKey(tx, earlier.grantKey);
        return { code, amount: code.amount, creditExpiresAtMs: grant?.expiresAtMs ?? null, created: false };
      }
    }
    if (code.codeExpiresAtMs !== null && code.codeExpiresAtMs <= nowMs) throw promoErrors.expired(code.code);
    if (code.maxRedemptions !== null && code.redemptions >= code.maxRedemptions) {
      throw promoErrors.exhausted(code.code);
    }
    const before = await this.repository.countOfUser(tx, code.code, userId);
    if (before >= code.maxPerUser) throw promoErrors.perUser(code.code, code.maxPerUser);
    if (code.newAccountsOnly && (await this.accounts.hasEntries(userId, tx))) {
      throw promoErrors.newAccountsOnly(code.code);
    }
    const creditExpiresAtMs =
      code.creditValidDays !== null ? nowMs + code.creditValidDays * DAY_MS : code.creditExpiresAtMs;
    if (creditExpiresAtMs !== null && creditExpiresAtMs <= nowMs) throw promoErrors.creditExpired(code.code);

    const sequence = before + 1;
    const grantKey = `grant:promo:${code.code}:${userId}:${sequence}`;
    await this.repository.insertRedemption(tx, {
      code: code.code,
      userId,
      sequence,
      reference: dto.reference ?? `${code.code}#${sequence}`,
      grantKey,
      redeemedAtMs: nowMs,
    });
    await this.repository.countRedemption(tx, code.code, code.redemptions + 1);
    await this.grants.postGrant(tx, {
      userId,
      amount: code.amount,
      kind: 'grant',
      idempotencyKey: grantKey,
      terms: { category: 'promotional', priority: code.priority, expiresAtMs: creditExpiresAtMs },
      note: `promo code ${code.code}`,
    });
    return { code, amount: code.amount, creditExpiresAtMs, created: true };
  }

  private termsOf(
    dto: PromoCodeCreateDto,
    nowMs: number,
  ): Omit<PromoCodeEntity, 'redemptions' | 'createdBy' | 'createdAtMs'> {
    const violations: FieldViolation[] = [];
    const future = (field: string, value: string | undefined): number | null => {
      if (value === undefined || value === null) return null;
      const ms = Date.parse(value);
      if (!(ms > nowMs)) violations.push({ field, rule: 'inFuture', message: 'must be in the future' });
      return ms;
    };
    const codeExpiresAtMs = future('codeExpiresAt', dto.codeExpiresAt);
    const creditExpiresAtMs = future('creditExpiresAt', dto.creditExpiresAt);
    const creditValidDays = dto.creditValidDays ?? null;
    if (creditExpiresAtMs !== null && creditValidDays !== null) {
      const message = 'send creditExpiresAt or creditValidDays, not both';
      violations.push({ field: 'creditValidDays', rule: 'oneCreditExpiry', message });
    }
    const amount = parseCredits(dto.amount);
    if (amount <= 0) violations.push({ field: 'amount', rule: 'isPositive', message: 'must be more than 0' });
    if (violations.length > 0) throw invalidInput(violations);
    return {
      code: dto.code,
      amount,
      priority: dto.priority ?? 0,
      codeExpiresAtMs,
      creditExpiresAtMs,
      creditValidDays,
      maxRedemptions: dto.maxRedemptions ?? null,
      maxPerUser: dto.maxPerUser ?? 1,
      newAccountsOnly: dto.newAccountsOnly ?? false,
    };
  }
}

function sameTerms(
  existing: PromoCodeEntity,
  terms: Omit<PromoCodeEntity, 'redemptions' | 'createdBy' | 'createdAtMs'>,
) {
  return (Object.keys(terms) as (keyof typeof terms)[]).every((key) => existing[key] === terms[key]);
}
