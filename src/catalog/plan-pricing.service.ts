import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/tx';
import { PlanPricingRepository, type PlanPrices } from './plan-pricing.repository';

export type { PlanPrices } from './plan-pricing.repository';

/** The prices billing rates hours with: one statement for a batch's plans, in the caller's unit of work if given. */
@Injectable()
export class PlanPricingService {
  constructor(private readonly repository: PlanPricingRepository) {}

  /** By plan id; a plan that does not exist is missing from the map (settlement then refuses its instances). */
  pricesOf(planIds: number[], tx?: Tx): Promise<Map<number, PlanPrices>> {
    return this.repository.pricesOf(planIds, tx);
  }
}
