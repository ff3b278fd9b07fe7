import { Inject, Injectable } from '@nestjs/common';
import { CatalogLookupService } from '../catalog/catalog-lookup.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { definedFields } from '../common/defined';
import { parseCredits, toSafeNumber } from '../common/money';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import type { MeteredCounterCreateDto, MeteredCounterUpdateDto, PriceRangeDto } from './metered-counter.dto';
import type { MeteredCounterEntity } from './metered-counter.entity';
import { type CounterRangeFields, MeteredCounterRepository } from './metered-counter.repository';
import { counterKeyTaken, counterNotFound, guardedWrite, retired, unknownPlans } from './metering.errors';
import { type CounterRows, toMeteredCounter } from './metering-rows';
import type { MeteredCounter } from './metering.types';
import { invalidRanges } from './rating/price-ranges';
import { parseQuantity } from '../common/quantities';
import { LIVE } from './retirable.entity';

const ADMIN_CHANGE = { isolation: Isolation.LockedWrites };

const scaledQuantity = (value: string | number) => toSafeNumber(parseQuantity(value));

/** Ranges as stored, once they price a counter: a 400 naming `ranges` and the rule when they cannot. */
function rangeFields(ranges: PriceRangeDto[]): CounterRangeFields[] {
  const parsed = ranges.map((range) => ({ from: parseQuantity(range.from), priceMicros: parseCredits(range.price) }));
  const problem = invalidRanges(parsed);
  if (problem) throw invalidField('ranges', problem.rule, problem.message);
  return parsed.map(({ from, priceMicros }) => ({ rangeFrom: toSafeNumber(from), priceMicros }));
}

const planDeletedMeanwhile = () =>
  invalidField('planIds', 'isExistingPlan', 'a plan it lists was deleted while the counter was being saved');

/**
 * Metered counters, for admins. Deleting one retires it (README, "Resource rules and metered counters"): it
 * stops billing from then on, its key is free again, and what it billed keeps its name.
 */
@Injectable()
export class MeteredCounterService {
  constructor(
    private readonly repository: MeteredCounterRepository,
    private readonly catalog: CatalogLookupService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(includeRetired: boolean): Promise<MeteredCounter[]> {
    return (await this.repository.list(includeRetired)).map(toMeteredCounter);
  }

  async create(dto: MeteredCounterCreateDto): Promise<MeteredCounter> {
    const planIds = dto.planIds ?? null;
    const counter: Omit<MeteredCounterEntity, 'id'> = {
      key: dto.key,
      name: dto.name,
      unitName: dto.unitName,
      measurementUnit: scaledQuantity(dto.measurementUnit),
      allPlans: planIds === null,
      createdAtMs: this.clock.now().getTime(),
      retiredAtMs: null,
      liveMarker: LIVE,
    };
    const ranges = rangeFields(dto.ranges);
    await this.checkPlans(planIds);
    const saved = await guardedWrite(
      () =>
        this.unitOfWork.run(async (tx) => {
          const id = await this.repository.insert(tx, counter, ranges, planIds ?? []);
          return this.repository.find(id, tx) as Promise<CounterRows>;
        }, ADMIN_CHANGE),
      { keyTaken: () => counterKeyTaken(dto.key), planGone: planDeletedMeanwhile },
    );
    return toMeteredCounter(saved);
  }

  async update(id: number, dto: MeteredCounterUpdateDto): Promise<MeteredCounter> {
    const { ranges, planIds, measurementUnit, ...plain } = definedFields(dto);
    const newRanges = ranges === undefined ? undefined : rangeFields(ranges);
    if (planIds !== undefined) await this.checkPlans(planIds);
    const saved = await guardedWrite(
      () =>
        this.unitOfWork.run(async (tx) => {
          const counter = await this.lockLive(tx, id);
          await this.repository.update(tx, id, {
            key: plain.key ?? counter.key,
            name: plain.name ?? counter.name,
            unitName: plain.unitName ?? counter.unitName,
            measurementUnit: measurementUnit === undefined ? counter.measurementUnit : scaledQuantity(measurementUnit),
            allPlans: planIds === undefined ? counter.allPlans : planIds === null,
          });
          if (newRanges) await this.repository.replaceRanges(tx, id, newRanges);
          if (planIds !== undefined) await this.repository.replacePlans(tx, id, planIds ?? []);
          return this.repository.find(id, tx) as Promise<CounterRows>;
        }, ADMIN_CHANGE),
      { keyTaken: () => counterKeyTaken(plain.key ?? ''), planGone: planDeletedMeanwhile },
    );
    return toMeteredCounter(saved);
  }

  async remove(id: number): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      await this.lockLive(tx, id);
      await this.repository.retire(tx, id, this.clock.now().getTime());
    }, ADMIN_CHANGE);
  }

  /** Every plan listed exists (null, every plan, needs no check); the foreign key holds it against deletion. */
  private async checkPlans(planIds: number[] | null): Promise<void> {
    if (planIds === null) return;
    const known = new Set((await this.catalog.allPlans()).map((plan) => plan.id));
    const missing = planIds.filter((planId) => !known.has(planId));
    if (missing.length > 0) throw unknownPlans(missing);
  }

  private async lockLive(tx: Tx, id: number): Promise<MeteredCounterEntity> {
    const counter = await this.repository.lock(tx, id);
    if (!counter) throw counterNotFound(id);
    if (counter.retiredAtMs !== null) throw retired(`counter ${id}`, counter.retiredAtMs);
    return counter;
  }
}
