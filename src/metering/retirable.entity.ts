import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { epochMsColumn } from '../common/column-types';

/** Marks the one live row of a key; retired rows carry NULL, which a unique index lets repeat. */
export const LIVE = 1 as const;

/**
 * What rules and counters share: they are never deleted, since hours billed under them name them. Deleting one
 * retires it: `retiredAtMs` is set and `liveMarker` cleared, so it stops billing from then on and its key is free
 * for a new one, while reports and re-rating still find it by id.
 */
export abstract class RetirableEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ name: 'created_at_ms', ...epochMsColumn })
  createdAtMs: number;

  @Column({ name: 'retired_at_ms', ...epochMsColumn, nullable: true })
  retiredAtMs: number | null;

  /** LIVE while it bills, NULL once retired: the unique key index covers live rows only. */
  @Column({ name: 'live_marker', type: 'int', nullable: true })
  liveMarker: typeof LIVE | null;
}
