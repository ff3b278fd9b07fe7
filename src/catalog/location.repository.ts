import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { forUpdate } from '../common/database';
import { LocationEntity } from './location.entity';
import { inTransaction } from '../common/transactions';

const IN_ORDER = { sortOrder: 'ASC', id: 'ASC' } as const;

@Injectable()
export class LocationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private locations(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(LocationEntity);
  }

  list(): Promise<LocationEntity[]> {
    return this.locations().find({ order: IN_ORDER });
  }

  listEnabled(): Promise<LocationEntity[]> {
    return this.locations().find({ where: { enabled: true }, order: IN_ORDER });
  }

  find(id: number, manager?: EntityManager): Promise<LocationEntity | null> {
    return this.locations(manager).findOneBy({ id });
  }

  exists(id: number, manager?: EntityManager): Promise<boolean> {
    return this.locations(manager).existsBy({ id });
  }

  findMany(ids: number[]): Promise<LocationEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.locations().find({ where: { id: In(ids) }, order: IN_ORDER });
  }

  findBySlug(slug: string): Promise<LocationEntity | null> {
    return this.locations().findOneBy({ slug });
  }

  insert(location: Omit<LocationEntity, 'id'>): Promise<LocationEntity> {
    return this.locations().save(this.locations().create(location));
  }

  save(location: LocationEntity): Promise<LocationEntity> {
    return inTransaction(this.dataSource, (manager) => this.locations(manager).save(location));
  }

  async remove(id: number): Promise<void> {
    await inTransaction(this.dataSource, (manager) => this.locations(manager).delete({ id }));
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  /** Where the location's round robin goes on from. */
  async moveCursor(id: number, lastHypervisorId: string, manager: EntityManager): Promise<void> {
    await this.locations(manager).update({ id }, { lastHypervisorId });
  }

  /** Row-locks the location so that membership changes to it run one at a time. */
  lock(id: number, manager: EntityManager): Promise<LocationEntity | null> {
    return forUpdate(
      this.locations(manager).createQueryBuilder('location').where('location.id = :id', { id }),
    ).getOne();
  }
}
