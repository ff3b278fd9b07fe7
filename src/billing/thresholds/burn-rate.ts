import type { InstanceEntity } from '../../instances/instance.entity';
import { hourlyRateFor, PlanPricing } from '../rating';

/** Micro-credits per hour the user's live instances cost in their current states (monthly-only plans are prepaid: 0). */
export function burnRatePerHour(instances: InstanceEntity[], pricing: ReadonlyMap<number, PlanPricing>): number {
  let total = 0;
  for (const instance of instances) {
    const plan = pricing.get(instance.planId);
    if (plan && instance.state !== 'terminated') total += hourlyRateFor(plan, instance.state);
  }
  return total;
}
