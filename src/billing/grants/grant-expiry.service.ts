import { Injectable, Logger } from '@nestjs/common';
import { GrantService } from '../../accounts/grants/grant.service';
import { InstanceBillingService } from '../../instances/instance-billing.service';

const PAGE = 500;

export interface GrantExpirySummary {
  /** Grants whose remainder left the balance in this run. */
  expired: number;
  /** Expired grants left open because their owner still has hours before the expiry to settle. */
  waiting: number;
}

/**
 * Expires grants after settlement, in each billing run. A grant pays the hours that began before its expiry, so
 * it waits while its owner has such an hour unsettled (an account that failed, a catch-up not finished):
 * expiring it first would make those hours fall on paid credit.
 */
@Injectable()
export class GrantExpiryService {
  private readonly logger = new Logger(GrantExpiryService.name);

  constructor(
    private readonly grants: GrantService,
    private readonly instances: InstanceBillingService,
  ) {}

  async expireDue(nowMs: number): Promise<GrantExpirySummary> {
    const summary: GrantExpirySummary = { expired: 0, waiting: 0 };
    for (let afterId = 0; ;) {
      const page = await this.grants.expiredOpen(nowMs, afterId, PAGE);
      if (page.length === 0) break;
      afterId = page[page.length - 1].id;
      for (const grant of page) {
        const unsettled = await this.instances.usersUnsettledBefore([grant.userId], grant.expiresAtMs as number);
        if (unsettled.size > 0) {
          summary.waiting += 1;
          continue;
        }
        try {
          if (await this.grants.expire(grant.id, grant.userId)) summary.expired += 1;
        } catch (error) {
          // One account's failure must not stop the others' expiries; it is retried next run.
          this.logger.error(`expiring grant ${grant.id} of ${grant.userId} failed: ${(error as Error).message}`);
        }
      }
    }
    return summary;
  }
}
