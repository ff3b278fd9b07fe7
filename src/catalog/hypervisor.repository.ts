import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { forUpdate } from '../common/database';
import { HypervisorEntity } from './location.entity';
import { inTransaction } from '../common/transactions';

@Injectable()
export class HypervisorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(HypervisorEntity);
  }

  list(): Promise<HypervisorEntity[]> {
    return this.rows().find({ order: { hypervisorId: 'ASC' } });
  }

  find(hypervisorId: string): Promise<HypervisorEntity | null> {
    return this.rows().findOneBy({ hypervisorId });
  }

  findIn(hypervisorId: string, manager: EntityManager): Promise<HypervisorEntity | null> {
    return this.rows(manager).findOneBy({ hypervisorId });
  }

  lock(hypervisorId: string, manager: EntityManager): Promise<HypervisorEntity | null> {
    const query = this.rows(manager).createQueryBuilder('h').where('h.hypervisorId = :id', { id: hypervisorId });
    return forUpdate(query).getOne();
  }

  /** The members of a location in round-robin order. */
  members(locationId: number, manager: EntityManager): Promise<HypervisorEntity[]> {
    return this.rows(manager).find({ where: { locationId }, order: { position: 'ASC', hypervisorId: 'ASC' } });
  }

  lockMany(hypervisorIds: string[], manager: EntityManager): Promise<HypervisorEntity[]> {
    if (hypervisorIds.length === 0) return Promise.resolve([]);
    const query = this.rows(manager)
      .createQueryBuilder('hypervisor')
      .where('hypervisor.hypervisorId IN (:...hypervisorIds)', { hypervisorIds });
    return forUpdate(query).getMany();
  }

  /** Members leave the location; their maintenance flag stays with them. */
  async releaseAll(locationId: number, manager: EntityManager): Promise<void> {
    await this.rows(manager).update({ locationId }, { locationId: null, position: 0 });
  }

  async assign(hypervisorId: string, locationId: number, position: number, manager: EntityManager): Promise<void> {
    await this.rows(manager).update({ hypervisorId }, { locationId, position });
  }

  async insert(row: HypervisorEntity, manager: EntityManager): Promise<void> {
    await this.rows(manager).insert(row);
  }

  /** Sets the maintenance flag, creating the row for a hypervisor in no location; membership is left alone. */
  async setEnabled(hypervisorId: string, enabled: boolean): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      this.rows(manager)
        .createQueryBuilder()
        .insert()
        .values({ hypervisorId, locationId: null, position: 0, enabled })
        .orUpdate(['enabled'], ['hypervisor_id'])
        .execute(),
    );
  }
}
