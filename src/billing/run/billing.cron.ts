import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { OutboxService } from '../outbox/outbox.service';
import { BillingRunService } from './billing-run.service';

/**
 * A minute past every hour: the hour that just ended is complete, and a minute of slack
 * lets hosts' late events for it arrive first. Every replica may run it; settlement's
 * row locks and unique keys make the extra runs find nothing to do.
 */
export const HOURLY_SETTLEMENT_CRON = '0 1 * * * *';
/** Retries of emails and provisioner calls are due on their own backoff, so the outbox is swept often. */
export const OUTBOX_SWEEP_CRON = '*/30 * * * * *';

@Injectable()
export class BillingCron {
  constructor(
    private readonly billing: BillingRunService,
    private readonly outbox: OutboxService,
  ) {}

  @Cron(HOURLY_SETTLEMENT_CRON, { name: 'cloud-billing-hourly-settlement' })
  async settleHourly(): Promise<void> {
    await this.billing.run();
  }

  @Cron(OUTBOX_SWEEP_CRON, { name: 'cloud-billing-outbox' })
  async sweepOutbox(): Promise<void> {
    await this.outbox.deliverDue();
  }
}
