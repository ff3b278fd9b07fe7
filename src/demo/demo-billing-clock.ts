import { Injectable, OnModuleInit } from '@nestjs/common';
import { BillingRunService } from '../index';
import { DemoClockListeners } from './clock-listeners';

/** Moving the demo clock runs what the hourly job would have run by then: settlement, thresholds, the outbox. */
@Injectable()
export class DemoBillingClock implements OnModuleInit {
  constructor(
    private readonly listeners: DemoClockListeners,
    private readonly billing: BillingRunService,
  ) {}

  onModuleInit(): void {
    this.listeners.register((now) => this.billing.run(now));
  }
}
