import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { booleanTransformer } from '../common/column-types';

/** What every admin-ordered catalog entry has (locations, plan groups); each entity adds its own table and fields. */
export abstract class CatalogEntryEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  slug: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'boolean', transformer: booleanTransformer })
  enabled: boolean;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}
