import { Inject, Injectable } from '@nestjs/common';
import { AccountStateService } from '../accounts/account-state.service';
import { LedgerService } from '../accounts/ledger.service';
import { LiveCostService } from '../billing/thresholds/live-cost.service';
import { CatalogLookupService } from '../catalog/catalog-lookup.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { claimAcrossNodes, claimKey } from '../common/cluster-claims.repository';
import type { Tx } from '../common/unit-of-work';
import { InstanceLookupService } from '../instances/instance-lookup.service';
import { MeteringLookupService } from '../metering/metering-lookup.service';
import type { AdmissionDecision, PlacementAdmission } from '../placement/placement-admission';
import type { PlacementRequest } from '../placement/placement.service';
import { PlacementService } from '../placement/placement.service';
import type { SettingsEntity } from '../settings/settings.entity';
import { SettingsService } from '../settings/settings.service';
import { decideInTurn, liveInstancesCredit, newInstanceCredit } from './creation-credit';
import { CreditFacts, creditRefusal } from './creation-rules';
import { planPricing } from './quote-figures';
import { ruleCosts } from './rule-costs';

/** A creation the balance rule refused under the account's lock; the wizard words it in the user's currency. */
export class CreditRefused extends Error {
  constructor(readonly facts: CreditFacts) {
    super('the balance does not cover what creating needs');
  }
}

/**
 * Credit needed to create: what the user's balance is held against, for the quote (read as it is now) and for
 * creation (decided again under the account's row lock, in the transaction that reserves the slot, so concurrent
 * creations take turns and each counts the ones reserved before it).
 */
@Injectable()
export class CreationCreditService implements PlacementAdmission {
  constructor(
    private readonly ledger: LedgerService,
    private readonly accounts: AccountStateService,
    private readonly instances: InstanceLookupService,
    private readonly liveCosts: LiveCostService,
    private readonly placement: PlacementService,
    private readonly catalog: CatalogLookupService,
    private readonly metering: MeteringLookupService,
    private readonly settings: SettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The balance rule's facts for one creation of `planId`, as things stand now (no lock): what the quote shows.
   * Without `withCommitted`, only the new plan's own hours: a floor for a first look before the locked check (read
   * unlocked, an instance being confirmed can be counted twice, as reserved and as live; the quote may show that
   * for a moment, a creation must not be refused for it).
   */
  async factsFor(userId: string, planId: number, settings: SettingsEntity, withCommitted = true): Promise<CreditFacts> {
    const balance = (await this.accounts.find(userId))?.balance ?? 0;
    const hours = settings.creationCreditHours;
    const facts = { balance, allowCreateOnNegativeBalance: settings.allowCreateOnNegativeBalance, creditHours: hours };
    if (!needsCredit(settings)) return { ...facts, creditNeeded: 0n };
    const committed = withCommitted ? await this.committed(userId, settings) : 0n;
    const [cost] = await this.costs([planId], hours);
    return { ...facts, creditNeeded: committed + (cost ?? 0n) };
  }

  /**
   * Runs first in the placement transaction: locks the requesting users' accounts (sorted, before the location,
   * as every writer of balances locks them first) and reads what each has committed. Reservations are read before
   * the live instances: a confirmation turns one into the other, and it takes the same account lock.
   */
  async prepare(tx: Tx, requests: readonly PlacementRequest[]): Promise<AdmissionDecision> {
    const settings = await this.settings.get();
    if (settings.allowCreateOnNegativeBalance) return (asked) => asked.map(() => null);
    const userIds = [...new Set(requests.map((request) => request.userId))];
    await claimOwners(tx, userIds);
    const accounts = await this.ledger.lockAccounts(tx, userIds);
    const hours = settings.creationCreditHours;
    const committed = new Map<string, bigint>();
    for (const userId of userIds)
      committed.set(userId, needsCredit(settings) ? await this.committed(userId, settings, tx) : 0n);
    const planIds = [...new Set(requests.map((request) => request.plan.id))];
    const costOf = new Map((await this.costs(planIds, hours, tx)).map((cost, i) => [planIds[i], cost]));
    return (asked) => {
      const verdicts = new Map<PlacementRequest, Error | null>();
      for (const userId of userIds) {
        const own = asked.filter((request) => request.userId === userId);
        const balance = accounts.get(userId)?.balance ?? 0;
        const facts = { balance, allowCreateOnNegativeBalance: false, creditHours: hours };
        const refusals = decideInTurn(
          committed.get(userId) ?? 0n,
          own.map((request) => (needsCredit(settings) ? (costOf.get(request.plan.id) ?? 0n) : 0n)),
          (creditNeeded) =>
            creditRefusal({ ...facts, creditNeeded }, unworded) ? new CreditRefused({ ...facts, creditNeeded }) : null,
        );
        own.forEach((request, k) => verdicts.set(request, refusals[k]));
      }
      return asked.map((request) => verdicts.get(request) ?? null);
    };
  }

  /**
   * What confirming creations locks first: the owners' accounts, so a credit check holding one never sees an
   * instance on its way as neither reserved nor live (nor as both).
   */
  async lockOwners(tx: Tx, userIds: string[]): Promise<void> {
    await claimOwners(tx, userIds);
    await this.ledger.lockAccounts(tx, userIds);
  }

  /** Micro-credits the user's live instances burn over the setting's hours, and their instances on the way. */
  private async committed(userId: string, settings: SettingsEntity, tx?: Tx): Promise<bigint> {
    const hours = settings.creationCreditHours;
    const reserved = await this.placement.reservationsOf([userId], tx);
    const live = await this.instances.liveForUser(userId, tx);
    const burn = liveInstancesCredit(await this.liveCosts.of(live, this.clock.now(), settings.timeZone, tx), hours);
    const onTheWay = await this.costs(
      reserved.map((reservation) => reservation.planId),
      hours,
      tx,
    );
    return onTheWay.reduce((sum, cost) => sum + cost, burn);
  }

  /** newInstanceCredit of each plan id, in order (a plan no longer there costs nothing: it cannot be created). */
  private async costs(planIds: number[], hours: number, tx?: Tx): Promise<bigint[]> {
    if (planIds.length === 0) return [];
    const distinct = [...new Set(planIds)];
    const [plans, rulesByPlan] = await Promise.all([
      Promise.all(distinct.map((id) => this.catalog.plan(id))),
      this.metering.rulesOfPlans(distinct, tx),
    ]);
    const byId = new Map<number, bigint>();
    distinct.forEach((id, i) => {
      const plan = plans[i];
      // A deleted rule stays on record for the hours it billed; a new instance gets only the live ones.
      const rules = (rulesByPlan.get(id) ?? []).filter((rule) => rule.retiredAt === null);
      byId.set(id, plan ? newInstanceCredit(planPricing(plan), ruleCosts(rules), hours) : 0n);
    });
    return planIds.map((id) => byId.get(id) ?? 0n);
  }
}

/** The decision only asks whether the rule refuses; the words come later, in the user's currency. */
const unworded = () => '';

/**
 * Credit checks and confirmations decide on what a user has committed without writing the account: on a
 * multi-primary cluster they claim it, so two on different nodes cannot both pass (common/cluster-claims).
 */
const claimOwners = (tx: Tx, userIds: readonly string[]) => claimAcrossNodes(tx, userIds.map(claimKey.account));

/** Whether the rule asks for more than a balance of 0, so that what the user has running matters. */
const needsCredit = (settings: SettingsEntity): boolean =>
  !settings.allowCreateOnNegativeBalance && settings.creationCreditHours > 0;
