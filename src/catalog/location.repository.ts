import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { claimAcrossNodes, claimKey } from '../common/cluster-claims.repository';
import { forUpdate } from '../common/database';
import { LocationEntity } from './location.entity';
import { managerOr, type Tx } from '../common/tx';

const IN_ORDER = { sortOrder: 'ASC', id: 'ASC' } as const;

@Injectable()
export class LocationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private locations(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(LocationEntity);
  }

  list(): Promise<LocationEntity[]> {
    return this.locations().find({ order: IN_ORDER });
  }

  listEnabled(): Promise<LocationEntity[]> {
    return this.locations().find({ where: { enabled: true }, order: IN_ORDER });
  }

  find(id: number, tx?: Tx): Promise<LocationEntity | null> {
    return this.locations(tx).findOneBy({ id });
  }

  exists(tx: Tx, id: number): Promise<boolean> {
    return this.locations(tx).existsBy({ id });
  }

  findMany(ids: number[]): Promise<LocationEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.locations().find({ where: { id: In(ids) }, order: IN_ORDER });
  }

  findBySlug(slug: string): Promise<LocationEntity | null> {
    return this.locations().findOneBy({ slug });
  }

  insert(tx: Tx, location: Omit<LocationEntity, 'id'>): Promise<LocationEntity> {
    return this.locations(tx).save(this.locations(tx).create(location));
  }

  save(tx: Tx, location: LocationEntity): Promise<LocationEntity> {
    return this.locations(tx).save(location);
  }

  async remove(tx: Tx, id: number): Promise<void> {
    await this.locations(tx).delete({ id });
  }

  /** Where the location's round robin goes on from. */
  async moveCursor(tx: Tx, id: number, lastHypervisorId: string): Promise<void> {
    await this.locations(tx).update({ id }, { lastHypervisorId });
  }

  /**
   * Row-locks the location so that placements in it and membership changes to it run one at a time, on every node
   * of a multi-primary cluster too: the claim comes first, before anything the holder decides on is read.
   */
  async lock(tx: Tx, id: number): Promise<LocationEntity | null> {
    await claimAcrossNodes(tx, [claimKey.location(id)]);
    return forUpdate(this.locations(tx).createQueryBuilder('location').where('location.id = :id', { id })).getOne();
  }
}
