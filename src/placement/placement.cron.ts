import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { PlacementService } from './placement.service';

/**
 * Every minute: a reservation left behind by a process that died while the host was creating
 * the instance holds room until it is swept, so the sweep runs often. Every replica may run it;
 * each reservation is deleted (and its terminate queued) by exactly one of them.
 */
export const PLACEMENT_SWEEP_CRON = '0 * * * * *';

@Injectable()
export class PlacementCron {
  constructor(private readonly placement: PlacementService) {}

  @Cron(PLACEMENT_SWEEP_CRON, { name: 'cloud-billing-placement-sweep' })
  async sweepStaleReservations(): Promise<void> {
    await this.placement.sweepStale();
  }
}
