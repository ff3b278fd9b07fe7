import { Inject, Injectable, Logger } from '@nestjs/common';
import { OutboxService } from '../billing/outbox/outbox.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import type { InstanceEntity } from '../instances/instance.entity';
import { InstanceLookupService } from '../instances/instance-lookup.service';
import { InstanceService } from '../instances/instance.service';
import type { CatalogNames } from './me-instance.dto';
import { OfferService } from './offer.service';
import { ownOrNotFound } from './own-instance';

/** A user's own instances: list, read, terminate. */
@Injectable()
export class MyInstancesService {
  private readonly logger = new Logger(MyInstancesService.name);

  constructor(
    private readonly instances: InstanceLookupService,
    private readonly lifecycle: InstanceService,
    private readonly offers: OfferService,
    private readonly outbox: OutboxService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(userId: string): Promise<{ instances: InstanceEntity[]; names: CatalogNames }> {
    const [instances, names] = await Promise.all([this.instances.listForUser(userId), this.offers.names()]);
    return { instances, names };
  }

  async get(userId: string, id: string): Promise<InstanceEntity> {
    return ownOrNotFound(await this.instances.find(id), userId, id);
  }

  names(): Promise<CatalogNames> {
    return this.offers.names();
  }

  /**
   * Terminates at the clock's now: billing stops at that second, the allocation is freed, and the
   * host's terminate is queued in the same unit of work, which runs as placement's (it frees room).
   * Terminating it again changes nothing.
   */
  async terminate(userId: string, id: string): Promise<InstanceEntity> {
    const nowMs = this.clock.now().getTime();
    const { instance, queued } = await this.unitOfWork.run(
      async (tx) => {
        const locked = ownOrNotFound(await this.instances.findForUpdate(tx, id), userId, id);
        if (locked.state === 'terminated') return { instance: locked, queued: false };
        await this.terminateLocked(tx, locked, nowMs);
        return { instance: locked, queued: true };
      },
      { isolation: Isolation.Placement },
    );
    if (queued) await this.deliverSoon();
    return instance;
  }

  private async terminateLocked(tx: Tx, instance: InstanceEntity, nowMs: number): Promise<void> {
    // Never before its last event: a host event stamped a moment ahead of the clock must not be undone.
    const atMs = Math.max(nowMs, instance.lastEventAtMs);
    await this.lifecycle.transition(tx, instance, 'terminated', atMs);
    await this.outbox.enqueue(tx, {
      dedupeKey: `provisioner:terminate:${instance.id}:${atMs}`,
      channel: 'provisioner',
      action: 'terminate',
      userId: instance.userId,
      instanceId: instance.id,
      payload: { reason: 'user', at: new Date(atMs).toISOString() },
    });
  }

  /** The host hears of it now rather than at the outbox's next sweep; a failed call stays queued for that sweep. */
  private async deliverSoon(): Promise<void> {
    try {
      await this.outbox.deliverDue();
    } catch (error) {
      this.logger.warn(`outbox delivery after a termination failed; the outbox cron retries: ${String(error)}`);
    }
  }
}
