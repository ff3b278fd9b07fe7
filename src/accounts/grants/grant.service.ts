import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { DomainEvents } from '../../common/domain-events';
import { Isolation, type Tx, UnitOfWork } from '../../common/unit-of-work';
import { invalidField } from '../../common/validation';
import type { AuthenticatedUser } from '../../host/ports';
import type { LedgerEntryEntity } from '../account.entity';
import { AccountRepository } from '../account.repository';
import { BalanceChangedEvent } from '../balance-changed.event';
import { AccountService } from '../account.service';
import { LedgerService } from '../ledger.service';
import type { CreditGrantEntity } from './credit-grant.entity';
import { creditSplit } from './grant-draws';
import type { GrantTerms } from './grant-ledger.service';
import type { AccountGrantDto } from './grant.dto';
import { GrantRepository } from './grant.repository';

export interface CreditSplit {
  paid: number;
  promotional: number;
  nextExpiry: { amount: number; atMs: number } | null;
}

export interface PostedGrant {
  entry: LedgerEntryEntity;
  grant: CreditGrantEntity;
  created: boolean;
}

/** Credit grants as admins give them and users read them; promo codes post theirs through postGrant. */
@Injectable()
export class GrantService {
  constructor(
    private readonly repository: GrantRepository,
    private readonly accountRepository: AccountRepository,
    private readonly ledger: LedgerService,
    private readonly accounts: AccountService,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: DomainEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** An admin's grant: promotional credit (kind `grant`) or paid credit with a priority or expiry (`topup`). */
  async grant(userId: string, dto: AccountGrantDto, admin: AuthenticatedUser): Promise<PostedGrant> {
    const { amount, currency } = await this.accounts.resolveAmount(dto);
    const field = dto.currencyAmount !== undefined && dto.currencyAmount !== null ? 'currencyAmount' : 'amount';
    if (amount <= 0) throw invalidField(field, 'isPositive', 'a grant must be greater than 0');
    const expiresAtMs = this.futureExpiry(dto.expiresAt);
    const category = dto.category ?? 'promotional';
    const kind = category === 'promotional' ? 'grant' : 'topup';
    const terms: GrantTerms = { category, priority: dto.priority ?? 0, expiresAtMs };
    const posted = await this.unitOfWork.run(
      (tx) =>
        this.postGrant(tx, {
          userId,
          amount,
          kind,
          idempotencyKey: `${kind}:${dto.reference}`,
          terms,
          currency,
          note: dto.note?.trim() || null,
          createdBy: admin.id,
        }),
      { isolation: Isolation.LockedWrites },
    );
    await this.events.emit(new BalanceChangedEvent(userId));
    return posted;
  }

  /**
   * Posts a credit with its grant in the caller's transaction. A key posted before answers its first entry and
   * grant; a key posted before without a grant (a plain top-up with that reference) is a conflict of references.
   */
  async postGrant(
    tx: Tx,
    input: {
      userId: string;
      amount: number;
      kind: 'grant' | 'topup';
      idempotencyKey: string;
      terms: GrantTerms;
      currency?: { code: string; amount: string; valuePerCreditNanos: number } | null;
      note?: string | null;
      createdBy?: string | null;
    },
  ): Promise<PostedGrant> {
    const { entry, created } = await this.ledger.post(tx, { ...input, grant: input.terms });
    const grant = await this.repository.findByKey(tx, entry.idempotencyKey);
    if (!grant) {
      throw invalidField(
        'reference',
        'unique',
        `${entry.idempotencyKey} was already used for a credit without a grant`,
      );
    }
    return { entry, grant, created };
  }

  async creditOf(userId: string): Promise<CreditSplit> {
    const [account, open] = await Promise.all([
      this.accountRepository.findAccount(userId),
      this.repository.openGrantsOf(userId),
    ]);
    const live = open.filter((grant) => grant.remaining > 0);
    const { paid, promotional } = creditSplit(account?.balance ?? 0, live);
    const expiring = live
      .filter((grant) => grant.expiresAtMs !== null)
      .sort((a, b) => (a.expiresAtMs as number) - (b.expiresAtMs as number));
    const next = expiring[0];
    const nextExpiry = next
      ? {
          atMs: next.expiresAtMs as number,
          amount: expiring
            .filter((grant) => grant.expiresAtMs === next.expiresAtMs)
            .reduce((total, grant) => total + grant.remaining, 0),
        }
      : null;
    return { paid, promotional, nextExpiry };
  }

  /** Open grants whose expiry has come, by id after `afterId` (a key-paginated walk). */
  expiredOpen(nowMs: number, afterId: number, limit: number): Promise<CreditGrantEntity[]> {
    return this.repository.expiredOpen(nowMs, afterId, limit);
  }

  /**
   * Closes an expired grant, its remainder leaving the balance as an `expiry` entry dated at the expiry. Under the
   * account's and the grant's row locks, and keyed `expiry:<grant>`: a second replica or a rerun after a crash
   * finds it closed and does nothing. True when credit left the balance.
   */
  async expire(grantId: number, userId: string): Promise<boolean> {
    const nowMs = this.clock.now().getTime();
    const expired = await this.unitOfWork.run(
      async (tx) => {
        await this.ledger.lockAccounts(tx, [userId]);
        const grant = await this.repository.lockGrant(tx, grantId);
        if (!grant || grant.closedAtMs !== null || grant.expiresAtMs === null || grant.expiresAtMs > nowMs) {
          return false;
        }
        if (grant.remaining === 0) {
          await this.repository.close(tx, grant.id, nowMs);
          return false;
        }
        await this.ledger.post(tx, {
          userId,
          kind: 'expiry',
          amount: -grant.remaining,
          idempotencyKey: `expiry:${grant.id}`,
          hourStartMs: grant.expiresAtMs,
          closesGrantId: grant.id,
          note: `${grant.category} credit ${grant.idempotencyKey.slice(grant.idempotencyKey.indexOf(':') + 1)} expired`,
        });
        return true;
      },
      { isolation: Isolation.LockedWrites },
    );
    if (expired) await this.events.emit(new BalanceChangedEvent(userId));
    return expired;
  }

  grantByKey(tx: Tx, idempotencyKey: string): Promise<CreditGrantEntity | null> {
    return this.repository.findByKey(tx, idempotencyKey);
  }

  grantsOf(userId: string): Promise<CreditGrantEntity[]> {
    return this.repository.grantsOf(userId);
  }

  private futureExpiry(expiresAt: string | undefined): number | null {
    if (expiresAt === undefined || expiresAt === null) return null;
    const ms = Date.parse(expiresAt);
    if (!(ms > this.clock.now().getTime())) {
      throw invalidField('expiresAt', 'inFuture', 'must be in the future: credit cannot be granted already expired');
    }
    return ms;
  }
}
