import { Column, Entity, PrimaryColumn } from 'typeorm';
import { booleanTransformer, microCreditsColumn } from '../common/column-types';
import { RetirableEntity } from './retirable.entity';
import { scaledQuantityColumn } from './scaled-quantity.column';

/** A metered counter; its price ranges and, unless `allPlans`, its plans are child rows. */
@Entity('cloud_billing_metered_counters')
export class MeteredCounterEntity extends RetirableEntity {
  @Column({ name: 'counter_key', type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'unit_name', type: 'varchar', length: 32 })
  unitName: string;

  @Column({ name: 'measurement_unit', ...scaledQuantityColumn })
  measurementUnit: number;

  @Column({ name: 'all_plans', type: 'boolean', transformer: booleanTransformer })
  allPlans: boolean;
}

/** One price range of a counter, in order: from `rangeFrom` measurement units (scaled by 10^6) on, `price` each. */
@Entity('cloud_billing_counter_ranges')
export class CounterRangeEntity {
  @PrimaryColumn({ name: 'counter_id', type: 'int' })
  counterId: number;

  @PrimaryColumn({ type: 'int' })
  position: number;

  @Column({ name: 'range_from', ...scaledQuantityColumn })
  rangeFrom: number;

  @Column({ name: 'price', ...microCreditsColumn })
  priceMicros: number;
}

@Entity('cloud_billing_counter_plans')
export class CounterPlanEntity {
  @PrimaryColumn({ name: 'counter_id', type: 'int' })
  counterId: number;

  @PrimaryColumn({ name: 'plan_id', type: 'int' })
  planId: number;
}
