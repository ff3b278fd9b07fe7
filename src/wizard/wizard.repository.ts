import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MonthlyUsageEntity } from '../billing/settlement/usage.entity';

/** Reads the wizard needs beyond the catalog's and the instances' own repositories. */
@Injectable()
export class WizardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** What settled hours have charged this instance on this plan in the month: what its cap is measured against. */
  async chargedThisMonth(instanceId: string, planId: number, monthKey: string): Promise<number> {
    const row = await this.dataSource.getRepository(MonthlyUsageEntity).findOneBy({ instanceId, planId, monthKey });
    return row?.charge ?? 0;
  }
}
