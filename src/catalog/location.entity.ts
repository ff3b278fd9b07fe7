import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CatalogEntryEntity } from './catalog-entry.entity';
import { booleanTransformer } from '../common/column-types';

@Entity('cloud_billing_locations')
export class LocationEntity extends CatalogEntryEntity {
  /** The round-robin cursor: placement puts the next instance on the member after this one. */
  @Column({ name: 'last_hypervisor_id', type: 'varchar', length: 64, nullable: true })
  lastHypervisorId: string | null;
}

/**
 * What the plugin records about a host hypervisor; its name, capacity and
 * online flag stay with the host's inventory. The id being the primary key is
 * what keeps a hypervisor in at most one location.
 */
@Entity('cloud_billing_hypervisors')
export class HypervisorEntity {
  @PrimaryColumn({ name: 'hypervisor_id', type: 'varchar', length: 64 })
  hypervisorId: string;

  @Column({ name: 'location_id', type: 'int', nullable: true })
  locationId: number | null;

  /** Place in the location's round-robin order, from 0. */
  @Column({ type: 'int', default: 0 })
  position: number;

  /** false = maintenance: placement skips it. */
  @Column({ type: 'boolean', default: true, transformer: booleanTransformer })
  enabled: boolean;
}
