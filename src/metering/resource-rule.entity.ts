import { Column, Entity } from 'typeorm';
import { booleanTransformer, microCreditsColumn } from '../common/column-types';
import type { QuantitySource, RuleKind } from './metering.types';
import { RetirableEntity } from './retirable.entity';
import { scaledQuantityColumn } from './scaled-quantity.column';

/** A plan's resource rule. `on_states` lists the states of its filter, comma-separated in RULE_STATES order. */
@Entity('cloud_billing_resource_rules')
export class ResourceRuleEntity extends RetirableEntity {
  @Column({ name: 'plan_id', type: 'int' })
  planId: number;

  @Column({ name: 'rule_key', type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  unit: string;

  @Column({ name: 'price', ...microCreditsColumn })
  priceMicros: number;

  @Column({ name: 'period_seconds', type: 'int' })
  periodSeconds: number;

  @Column({ type: 'varchar', length: 16 })
  kind: RuleKind;

  @Column({ name: 'quantity_source', type: 'varchar', length: 16 })
  quantitySource: QuantitySource;

  @Column({ name: 'fixed_quantity', ...scaledQuantityColumn, nullable: true })
  fixedQuantity: number | null;

  @Column({ name: 'on_states', type: 'varchar', length: 64 })
  onStates: string;

  @Column({ name: 'except_states', type: 'boolean', transformer: booleanTransformer })
  exceptStates: boolean;

  /** The most it charges one instance in a calendar month of the billing zone; null: no cap. */
  @Column({ name: 'monthly_cap', ...microCreditsColumn, nullable: true })
  monthlyCapMicros: number | null;
}
