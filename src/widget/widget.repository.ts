import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { InstanceCost } from '../billing/thresholds/burn-rate';
import { SettlementRepository } from '../billing/settlement/settlement.repository';
import { InstanceEntity } from '../instances/instance.entity';

/** What the widget reads besides the account and the month's rollup: what is burning credit right now. */
@Injectable()
export class WidgetRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settlement: SettlementRepository,
  ) {}

  /** The user's instances that are not terminated; read without locks, since the widget only shows them. */
  liveInstances(userId: string): Promise<InstanceEntity[]> {
    return this.dataSource
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .where('i.user_id = :userId', { userId })
      .andWhere("i.state <> 'terminated'")
      .getMany();
  }

  /** The same costs the threshold engine projects the runway from, so the widget and the runway email agree. */
  costs(live: InstanceEntity[], capMonth: string): Promise<InstanceCost[]> {
    return this.settlement.liveCosts(this.dataSource.manager, live, capMonth);
  }
}
