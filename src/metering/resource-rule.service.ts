import { Inject, Injectable } from '@nestjs/common';
import { CatalogLookupService } from '../catalog/catalog-lookup.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { definedFields } from '../common/defined';
import { formatCredits, parseCredits, toSafeNumber } from '../common/money';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidInput } from '../common/validation';
import { guardedWrite, planNotFound, retired, ruleKeyTaken, ruleNotFound } from './metering.errors';
import { statesText, toResourceRule } from './metering-rows';
import type { ResourceRule } from './metering.types';
import { formatQuantity, parseQuantity } from './rating/quantities';
import type { ResourceRuleCreateDto, ResourceRuleUpdateDto } from './resource-rule.dto';
import type { ResourceRuleEntity } from './resource-rule.entity';
import { type ResourceRuleFields, ResourceRuleRepository } from './resource-rule.repository';
import { LIVE } from './retirable.entity';
import { ruleTermViolations } from './rule-terms';

const ADMIN_CHANGE = { isolation: Isolation.LockedWrites };

/** A rule as stored, from what the API takes; refuses (400, nothing written) fields that do not go together. */
function ruleFields(input: ResourceRuleCreateDto): ResourceRuleFields {
  const fields: ResourceRuleFields = {
    key: input.key,
    name: input.name,
    unit: input.unit,
    priceMicros: parseCredits(input.price),
    periodSeconds: input.periodSeconds,
    kind: input.kind,
    quantitySource: input.quantitySource,
    fixedQuantity: input.fixedQuantity === undefined ? null : toSafeNumber(parseQuantity(input.fixedQuantity)),
    onStates: statesText(input.on),
    exceptStates: input.except ?? false,
  };
  const fixedQuantity = fields.fixedQuantity === null ? null : BigInt(fields.fixedQuantity);
  const violations = ruleTermViolations({ ...fields, fixedQuantity });
  if (violations.length > 0) throw invalidInput(violations);
  return fields;
}

/** A stored rule as the API would create it, so that a PATCH is checked as the whole rule it leaves. */
function inputOf(rule: ResourceRule): ResourceRuleCreateDto {
  return {
    key: rule.key,
    name: rule.name,
    unit: rule.unit,
    price: formatCredits(rule.priceMicros),
    periodSeconds: rule.periodSeconds,
    kind: rule.kind,
    quantitySource: rule.quantitySource,
    ...(rule.fixedQuantity === null ? {} : { fixedQuantity: formatQuantity(rule.fixedQuantity) }),
    on: [...rule.filter.on],
    except: rule.filter.except,
  };
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
          const input = { ...inputOf(await this.lockLive(tx, planId, ruleId)), ...patch };
          // The host reports a "reported" quantity: the fixed one goes, unless this very PATCH sends one.
          if (patch.quantitySource === 'reported' && patch.fixedQuantity === undefined) delete input.fixedQuantity;
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
