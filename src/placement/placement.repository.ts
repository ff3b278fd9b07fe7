import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import { forUpdate } from '../common/database';
import { PlacementReservationEntity } from './placement-reservation.entity';
import { inTransaction } from '../common/transactions';

@Injectable()
export class PlacementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * READ COMMITTED on MySQL/MariaDB, for two reasons. Once a lock is ours, every read sees what the
   * previous holder committed, not a snapshot from before we waited for it. And no gap locks: under
   * REPEATABLE READ, deleting confirmed reservations locks the gaps that placements insert new ones
   * into, and the two deadlock (a deadlock that still happens is retried by inTransaction).
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work, 'READ COMMITTED');
  }

  async insertReservations(reservations: PlacementReservationEntity[], manager: EntityManager): Promise<void> {
    await manager.getRepository(PlacementReservationEntity).insert(reservations);
  }

  /** Those of `instanceIds` still reserved, locked until the transaction ends. */
  async lockReservations(instanceIds: string[], manager: EntityManager): Promise<string[]> {
    const query = manager
      .getRepository(PlacementReservationEntity)
      .createQueryBuilder('r')
      .select('r.instanceId')
      .where('r.instanceId IN (:...instanceIds)', { instanceIds });
    return (await forUpdate(query).getMany()).map((row) => row.instanceId);
  }

  async deleteReservations(instanceIds: string[], manager: EntityManager): Promise<void> {
    if (instanceIds.length > 0)
      await manager.getRepository(PlacementReservationEntity).delete({ instanceId: In(instanceIds) });
  }

  /** True when this call removed it; false when it was already gone (released, or swept as stale). */
  async deleteReservation(instanceId: string, manager: EntityManager): Promise<boolean> {
    const result = await manager.getRepository(PlacementReservationEntity).delete({ instanceId });
    return (result.affected ?? 0) > 0;
  }

  /** Reservations made before `beforeMs`, oldest first. */
  staleReservations(beforeMs: number, limit: number): Promise<PlacementReservationEntity[]> {
    return this.dataSource.getRepository(PlacementReservationEntity).find({
      where: { createdAtMs: LessThan(beforeMs) },
      order: { createdAtMs: 'ASC', instanceId: 'ASC' },
      take: limit,
    });
  }
}
