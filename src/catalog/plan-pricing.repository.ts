import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { managerOr, type Tx } from '../common/tx';
import { PlanEntity } from './plan.entity';

/** A plan's prices in micro-credits under its id, as billing rates hours with them; null where it sets none. */
export type PlanPrices = Pick<
  PlanEntity,
  'hourlyPrice' | 'monthlyPrice' | 'stoppedHourlyPrice' | 'suspendedHourlyPrice'
> & {
  planId: number;
};

@Injectable()
export class PlanPricingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Read through the entity, so its transformer checks the BIGINTs; in `tx` when given one. */
  async pricesOf(planIds: number[], tx?: Tx): Promise<Map<number, PlanPrices>> {
    if (planIds.length === 0) return new Map();
    const manager = managerOr(tx, this.dataSource);
    const plans = await manager.getRepository(PlanEntity).find({
      select: { id: true, hourlyPrice: true, monthlyPrice: true, stoppedHourlyPrice: true, suspendedHourlyPrice: true },
      where: { id: In(planIds) },
    });
    return new Map(
      plans.map((plan) => [
        plan.id,
        {
          planId: plan.id,
          hourlyPrice: plan.hourlyPrice,
          monthlyPrice: plan.monthlyPrice,
          stoppedHourlyPrice: plan.stoppedHourlyPrice,
          suspendedHourlyPrice: plan.suspendedHourlyPrice,
        },
      ]),
    );
  }
}
