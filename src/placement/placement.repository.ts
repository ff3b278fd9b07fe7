import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan } from 'typeorm';
import { forUpdate } from '../common/database';
import { managerOf, type Tx } from '../common/tx';
import { PlacementReservationEntity } from './placement-reservation.entity';

@Injectable()
export class PlacementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private reservations(tx: Tx) {
    return managerOf(tx).getRepository(PlacementReservationEntity);
  }

  async insertReservations(tx: Tx, reservations: PlacementReservationEntity[]): Promise<void> {
    await this.reservations(tx).insert(reservations);
  }

  /** Those of `instanceIds` still reserved, locked until the transaction ends. */
  async lockReservations(tx: Tx, instanceIds: string[]): Promise<string[]> {
    const query = this.reservations(tx)
      .createQueryBuilder('r')
      .select('r.instanceId')
      .where('r.instanceId IN (:...instanceIds)', { instanceIds });
    return (await forUpdate(query).getMany()).map((row) => row.instanceId);
  }

  async deleteReservations(tx: Tx, instanceIds: string[]): Promise<void> {
    if (instanceIds.length > 0) await this.reservations(tx).delete({ instanceId: In(instanceIds) });
  }

  /** True when this call removed it; false when it was already gone (released, or swept as stale). */
  async deleteReservation(tx: Tx, instanceId: string): Promise<boolean> {
    const result = await this.reservations(tx).delete({ instanceId });
    return (result.affected ?? 0) > 0;
  }

  /** The users' reservations: slots held while the host creates their instances. */
  ofUsers(userIds: string[], tx?: Tx): Promise<PlacementReservationEntity[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    const rows = tx ? this.reservations(tx) : this.dataSource.getRepository(PlacementReservationEntity);
    return rows.find({ where: { userId: In(userIds) }, order: { instanceId: 'ASC' } });
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
