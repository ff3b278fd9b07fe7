import { CounterPlanEntity, CounterRangeEntity, MeteredCounterEntity } from './metered-counter.entity';
import { MeteredUsageEntity } from './metered-usage.entity';
import { ResourceRuleEntity } from './resource-rule.entity';

export const METERING_ENTITIES = [
  ResourceRuleEntity,
  MeteredCounterEntity,
  CounterRangeEntity,
  CounterPlanEntity,
  MeteredUsageEntity,
];
