import { Inject, Injectable } from '@nestjs/common';
import { CatalogLookupService } from '../catalog/catalog-lookup.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { definedFields } from '../common/defined';
import { parseCredits, toSafeNumber } from '../common/money';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidInput } from '../common/validation';
import { guardedWrite, planNotFound, retired, ruleKeyTaken, ruleNotFound } from './metering.errors';
import { statesText, toResourceRule } from './metering-rows';
import type { ResourceRule } from './metering.types';
import { parseQuantity } from '../common/quantities';
import { mapResourceRule, type ResourceRuleCreateDto, type ResourceRuleUpdateDto } from './resource-rule.dto';
import type { ResourceRuleEntity } from './resource-rule.entity';
import { type ResourceRuleFields, ResourceRuleRepository } from './resource-rule.repository';
import { LIVE } from './retirable.entity';
import { ruleTermViolations } from './rule-terms';

const ADMIN_CHANGE = { isolation: Isolation.LockedWrites };

/** What a rule is made from: a create body, or a rule as the API shows it with a PATCH applied over it. */
type RuleInput = Omit<ResourceRuleCreateDto, 'fixedQuantity' | 'monthlyCap'> & {
  fixedQuantity?: string | number | null;
  monthlyCap?: string | number | null;
};

/** A rule as stored, from what the API takes; refuses (400, nothing written) fields that do not go together. */
function ruleFields(input: RuleInput): ResourceRuleFields {
  const fields: ResourceRuleFields = {
    key: input.key,
    name: input.name,
    unit: input.unit,
    priceMicros: parseCredits(input.price),
    periodSeconds: input.periodSeconds,
    kind: input.kind,
    quantitySource: input.quantitySource,
    fixedQuantity: input.fixedQuantity == null ? null : toSafeNumber(parseQuantity(input.fixedQuantity)),
    onStates: statesText(input.on),
    exceptStates: input.except ?? false,
    monthlyCapMicros: input.monthlyCap == null ? null : parseCredits(input.monthlyCap),
  };
  if (fields.monthlyCapMicros === 0) {
    throw invalidInput([
      { field: 'monthlyCap', rule: 'positiveCap', message: 'monthlyCap must be above 0 (send null for no cap)' },
    ]);
  }
  const fixedQuantity = fields.fixedQuantity === null ? null : BigInt(fields.fixedQuantity);
  const violations = ruleTermViolations({ ...fields, fixedQuantity });
  if (violations.length > 0) throw invalidInput(violations);
  return fields;
}

/**
 * A plan's resource rules, for admins. Deleting one retires it (README, "Resource rules and metered counters"):
 * it stops billing from then on, its key is free again, and what it billed keeps its name.
 */
@Injectable()
export class ResourceRuleService {
  constructor(
    private readonly repository: ResourceRuleRepository,
    private readonly catalog: CatalogLookupService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(planId: number, includeRetired: boolean): Promise<ResourceRule[]> {
    await this.requirePlan(planId);
    return (await this.repository.listOfPlan(planId, includeRetired)).map(toResourceRule);
  }

  async create(planId: number, dto: ResourceRuleCreateDto): Promise<ResourceRule> {
    await this.requirePlan(planId);
    const fields = ruleFields(dto);
    const row = { ...fields, planId, createdAtMs: this.clock.now().getTime(), retiredAtMs: null, liveMarker: LIVE };
    const saved = await guardedWrite(() => this.unitOfWork.run((tx) => this.repository.insert(tx, row), ADMIN_CHANGE), {
      keyTaken: () => ruleKeyTaken(planId, dto.key),
      planGone: () => planNotFound(planId),
    });
    return toResourceRule(saved);
  }

  async update(planId: number, ruleId: number, dto: ResourceRuleUpdateDto): Promise<ResourceRule> {
    await this.requirePlan(planId);
    const patch = definedFields(dto);
    const saved = await guardedWrite(
      () =>
        this.unitOfWork.run(async (tx) => {
          // Checked as the whole rule it leaves, so fields that no longer go together are refused.
          const input: RuleInput = { ...mapResourceRule(await this.lockLive(tx, planId, ruleId)), ...patch };
          // The host reports a "reported" quantity: the fixed one goes, unless this very PATCH sends one.
          if (patch.quantitySource === 'reported' && patch.fixedQuantity === undefined) input.fixedQuantity = null;
          await this.repository.update(tx, ruleId, ruleFields(input));
          return (await this.repository.find(ruleId, tx)) as ResourceRuleEntity;
        }, ADMIN_CHANGE),
      { keyTaken: () => ruleKeyTaken(planId, patch.key ?? ''), planGone: () => planNotFound(planId) },
    );
    return toResourceRule(saved);
  }

  async remove(planId: number, ruleId: number): Promise<void> {
    await this.requirePlan(planId);
    await this.unitOfWork.run(async (tx) => {
      await this.lockLive(tx, planId, ruleId);
      await this.repository.retire(tx, ruleId, this.clock.now().getTime());
    }, ADMIN_CHANGE);
  }

  private async requirePlan(planId: number): Promise<void> {
    if (!(await this.catalog.plan(planId))) throw planNotFound(planId);
  }

  /** The rule, locked, if it is this plan's and still bills; a rule of another plan is not found here. */
  private async lockLive(tx: Tx, planId: number, ruleId: number): Promise<ResourceRule> {
    const row = await this.repository.lock(tx, ruleId);
    if (!row || row.planId !== planId) throw ruleNotFound(planId, ruleId);
    if (row.retiredAtMs !== null) throw retired(`rule ${ruleId} of plan ${planId}`, row.retiredAtMs);
    return toResourceRule(row);
  }
}
