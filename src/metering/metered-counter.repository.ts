import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import { forUpdate } from '../common/database';
import { managerOf, managerOr, type Tx } from '../common/tx';
import { CounterPlanEntity, CounterRangeEntity, MeteredCounterEntity } from './metered-counter.entity';
import type { CounterRows } from './metering-rows';
import { LIVE } from './retirable.entity';

const IN_ORDER = { key: 'ASC', id: 'ASC' } as const;

export type MeteredCounterFields = Pick<
  MeteredCounterEntity,
  'key' | 'name' | 'unitName' | 'measurementUnit' | 'allPlans'
>;
/** A range as written: `from` scaled by 10^6, price in micro-credits; its position is its place in the list. */
export type CounterRangeFields = Pick<CounterRangeEntity, 'rangeFrom' | 'priceMicros'>;

@Injectable()
export class MeteredCounterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(tx?: Tx): EntityManager {
    return managerOr(tx, this.dataSource);
  }

  private counters(tx?: Tx) {
    return this.manager(tx).getRepository(MeteredCounterEntity);
  }

  async list(includeRetired: boolean): Promise<CounterRows[]> {
    const where: FindOptionsWhere<MeteredCounterEntity> = includeRetired ? {} : { liveMarker: LIVE };
    return this.withChildren(await this.counters().find({ where, order: IN_ORDER }));
  }

  async find(id: number, tx?: Tx): Promise<CounterRows | null> {
    const counter = await this.counters(tx).findOneBy({ id });
    return counter ? (await this.withChildren([counter], tx))[0] : null;
  }

  /** The live counters that apply to the plan (those for every plan and those that list it); with `key`, that one. */
  async liveForPlan(planId: number, key: string | null, tx?: Tx): Promise<CounterRows[]> {
    const query = this.counters(tx)
      .createQueryBuilder('counter')
      .where('counter.liveMarker = :live', { live: LIVE })
      .andWhere(
        '(counter.allPlans = :all OR EXISTS (SELECT 1 FROM cloud_billing_counter_plans p ' +
          'WHERE p.counter_id = counter.id AND p.plan_id = :planId))',
        // Booleans are stored as 1 on both engines.
        { all: 1, planId },
      );
    if (key !== null) query.andWhere('counter.key = :key', { key });
    const counters = await query.orderBy('counter.key', 'ASC').addOrderBy('counter.id', 'ASC').getMany();
    return this.withChildren(counters, tx);
  }

  /** The live counter with this key, whatever plans it applies to, or null. */
  liveByKey(key: string, tx?: Tx): Promise<MeteredCounterEntity | null> {
    return this.counters(tx).findOneBy({ key, liveMarker: LIVE });
  }

  /** The keys of these counters, retired ones included, by id. */
  async keysOf(ids: number[], tx?: Tx): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.counters(tx).find({ select: { id: true, key: true }, where: { id: In(ids) } });
    return new Map(rows.map((row) => [row.id, row.key]));
  }

  /** The counter, locked until the unit of work ends, so a concurrent change or deletion waits for this one. */
  lock(tx: Tx, id: number): Promise<MeteredCounterEntity | null> {
    return forUpdate(this.counters(tx).createQueryBuilder('counter').where('counter.id = :id', { id })).getOne();
  }

  async insert(
    tx: Tx,
    counter: Omit<MeteredCounterEntity, 'id'>,
    ranges: CounterRangeFields[],
    planIds: number[],
  ): Promise<number> {
    const { id } = await this.counters(tx).save(this.counters(tx).create(counter));
    await this.replaceRanges(tx, id, ranges);
    await this.replacePlans(tx, id, planIds);
    return id;
  }

  async update(tx: Tx, id: number, fields: MeteredCounterFields): Promise<void> {
    await this.counters(tx).update({ id }, fields);
  }

  async replaceRanges(tx: Tx, counterId: number, ranges: CounterRangeFields[]): Promise<void> {
    const repository = managerOf(tx).getRepository(CounterRangeEntity);
    await repository.delete({ counterId });
    await repository.insert(ranges.map((range, position) => ({ counterId, position, ...range })));
  }

  async replacePlans(tx: Tx, counterId: number, planIds: number[]): Promise<void> {
    const repository = managerOf(tx).getRepository(CounterPlanEntity);
    await repository.delete({ counterId });
    if (planIds.length > 0) await repository.insert(planIds.map((planId) => ({ counterId, planId })));
  }

  async retire(tx: Tx, id: number, atMs: number): Promise<void> {
    await this.counters(tx).update({ id, liveMarker: LIVE }, { retiredAtMs: atMs, liveMarker: null });
  }

  private async withChildren(counters: MeteredCounterEntity[], tx?: Tx): Promise<CounterRows[]> {
    if (counters.length === 0) return [];
    const counterId = In(counters.map((counter) => counter.id));
    const ranges = await this.manager(tx).getRepository(CounterRangeEntity).findBy({ counterId });
    const plans = await this.manager(tx).getRepository(CounterPlanEntity).findBy({ counterId });
    return counters.map((counter) => ({
      counter,
      ranges: ranges.filter((range) => range.counterId === counter.id),
      planIds: plans.filter((plan) => plan.counterId === counter.id).map((plan) => plan.planId),
    }));
  }
}
