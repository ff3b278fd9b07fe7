import type { PlanPricing } from './types';

/** Test fixture: a plan with only the prices a test names; every other price unset. */
export const plan = (prices: Partial<PlanPricing>): PlanPricing => ({
  planId: 1,
  hourlyPrice: null,
  monthlyPrice: null,
  stoppedHourlyPrice: null,
  suspendedHourlyPrice: null,
  ...prices,
});

export const at = (iso: string) => new Date(iso);
