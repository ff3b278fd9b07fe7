import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, IsNull, Not } from 'typeorm';
import { managerOf, managerOr, type Tx } from '../common/tx';
import { MeteredUsageEntity } from './metered-usage.entity';

const IN_ORDER = { atMs: 'ASC', id: 'ASC' } as const;

@Injectable()
export class MeteredUsageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private reports(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(MeteredUsageEntity);
  }

  findByReportId(reportId: string, tx?: Tx): Promise<MeteredUsageEntity | null> {
    return this.reports(tx).findOneBy({ reportId });
  }

  /** The last reading of the counter on the instance, by time (the later-stored of two at one instant), or null. */
  latestReading(tx: Tx, instanceId: string, counterId: number): Promise<MeteredUsageEntity | null> {
    return this.reports(tx).findOne({
      where: { instanceId, counterId, reading: Not(IsNull()) },
      order: { atMs: 'DESC', id: 'DESC' },
    });
  }

  async insert(tx: Tx, row: Omit<MeteredUsageEntity, 'id'>): Promise<MeteredUsageEntity> {
    const repository = managerOf(tx).getRepository(MeteredUsageEntity);
    return repository.save(repository.create(row));
  }

  /** The instance's reports dated in [fromMs, toMs], by time. */
  ofInstanceBetween(instanceId: string, fromMs: number, toMs: number): Promise<MeteredUsageEntity[]> {
    return this.reports().find({ where: { instanceId, atMs: Between(fromMs, toMs) }, order: IN_ORDER });
  }
}
