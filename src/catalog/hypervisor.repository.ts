import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { forUpdate } from '../common/database';
import { HypervisorEntity } from './location.entity';
import { managerOr, type Tx } from '../common/tx';

@Injectable()
export class HypervisorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(HypervisorEntity);
  }

  list(): Promise<HypervisorEntity[]> {
    return this.rows().find({ order: { hypervisorId: 'ASC' } });
  }

  find(hypervisorId: string, tx?: Tx): Promise<HypervisorEntity | null> {
    return this.rows(tx).findOneBy({ hypervisorId });
  }

  lock(tx: Tx, hypervisorId: string): Promise<HypervisorEntity | null> {
    const query = this.rows(tx).createQueryBuilder('h').where('h.hypervisorId = :id', { id: hypervisorId });
    return forUpdate(query).getOne();
  }

  /** The members of a location in round-robin order. */
  members(tx: Tx, locationId: number): Promise<HypervisorEntity[]> {
    return this.rows(tx).find({ where: { locationId }, order: { position: 'ASC', hypervisorId: 'ASC' } });
  }

  lockMany(tx: Tx, hypervisorIds: string[]): Promise<HypervisorEntity[]> {
    if (hypervisorIds.length === 0) return Promise.resolve([]);
    const query = this.rows(tx)
      .createQueryBuilder('hypervisor')
      .where('hypervisor.hypervisorId IN (:...hypervisorIds)', { hypervisorIds });
    return forUpdate(query).getMany();
  }

  /** Members leave the location; their maintenance flag stays with them. */
  async releaseAll(tx: Tx, locationId: number): Promise<void> {
    await this.rows(tx).update({ locationId }, { locationId: null, position: 0 });
  }

  async assign(tx: Tx, hypervisorId: string, locationId: number, position: number): Promise<void> {
    await this.rows(tx).update({ hypervisorId }, { locationId, position });
  }

  async insert(tx: Tx, row: HypervisorEntity): Promise<void> {
    await this.rows(tx).insert(row);
  }

  /** Sets the maintenance flag, creating the row for a hypervisor in no location; membership is left alone. */
  async setEnabled(tx: Tx, hypervisorId: string, enabled: boolean): Promise<void> {
    await this.rows(tx)
      .createQueryBuilder()
      .insert()
      .values({ hypervisorId, locationId: null, position: 0, enabled })
      .orUpdate(['enabled'], ['hypervisor_id'])
      .execute();
  }
}
