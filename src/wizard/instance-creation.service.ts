import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { describeError, PORT_TIMEOUT_MS } from '../billing/outbox/delivery-policy';
import type { LocationEntity } from '../catalog/location.entity';
import type { PlanEntity } from '../catalog/plan.entity';
import { CLOCK, INSTANCE_PROVISIONER, TUNING } from '../cloud-billing.constants';
import { type CloudBillingTuning, tuningValue } from '../cloud-billing.options';
import type { Clock } from '../common/clock';
import type { InstanceProvisioner } from '../host/ports';
import type { InstanceEntity } from '../instances/instance.entity';
import { ViewerCurrencyService } from '../currencies/viewer-currency.service';
import { InstanceRegistration, InstanceService } from '../instances/instance.service';
import { BatchOutcome, KeyedBatcher } from '../placement/keyed-batcher';
import { provisioningExpired, provisioningFailed } from '../placement/placement.errors';
import type { PlacementReservationEntity } from '../placement/placement-reservation.entity';
import { type PlacementRequest, PlacementService } from '../placement/placement.service';
import { creditRefusal } from './creation-rules';
import { CreationCreditService, CreditRefused } from './creation-credit.service';
import { OfferService } from './offer.service';
import { refusalException } from './wizard.errors';

export interface CreatedInstance {
  instance: InstanceEntity;
  plan: PlanEntity;
  location: LocationEntity;
}

/** Confirmations recorded by one transaction at most. */
const MAX_CONFIRM_BATCH = 100;

type Outcome = { kind: 'created' } | { kind: 'failed'; error: unknown } | { kind: 'timed-out' };

/**
 * Creates an instance for a user in three steps, so that nothing is ever half-created:
 * 1. placement reserves a slot on a hypervisor (one short transaction under the location's lock);
 * 2. the host creates the instance, outside any transaction;
 * 3. one transaction turns the reservation into a billed instance, from the moment the host confirmed
 *    (confirmations that arrive together share that transaction).
 * When the host refuses, the reservation is deleted and the user gets a 502 with nothing charged. When
 * nobody knows (timeout, or a crash before step 3), the slot is released and a terminate is queued,
 * by this request or by the placement sweep.
 */
@Injectable()
export class InstanceCreationService {
  private readonly logger = new Logger(InstanceCreationService.name);
  /** How long the host may take to create an instance: the `placement.provisionTimeoutMs` option. */
  private readonly provisionTimeoutMs: number;
  private readonly confirmations = new KeyedBatcher<number, InstanceRegistration, InstanceEntity | null>(
    (_locationId, registrations) => this.confirmBatch(registrations),
    MAX_CONFIRM_BATCH,
  );

  constructor(
    private readonly offers: OfferService,
    private readonly placement: PlacementService,
    private readonly instances: InstanceService,
    private readonly credit: CreationCreditService,
    private readonly viewerCurrency: ViewerCurrencyService,
    @Inject(INSTANCE_PROVISIONER) private readonly provisioner: InstanceProvisioner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TUNING) options: CloudBillingTuning,
  ) {
    this.provisionTimeoutMs = tuningValue(
      'placement.provisionTimeoutMs',
      options.placement?.provisionTimeoutMs,
      PORT_TIMEOUT_MS,
    );
  }

  async create(userId: string, planId: number, locationId: number, name: string): Promise<CreatedInstance> {
    const { plan, location, refusal } = await this.offers.assess(userId, planId, locationId, false);
    if (refusal) throw refusalException(refusal);
    const reservation = await this.reserve({
      instanceId: randomUUID(),
      userId,
      name,
      locationId: location.id,
      plan,
      // The balance rule again, under the account's lock in the transaction that takes the slot.
      admission: this.credit,
    });

    const outcome = await this.provision(reservation, plan);
    if (outcome.kind === 'failed') {
      await this.placement.release(reservation.instanceId);
      this.logger.warn(`the host refused to create ${reservation.instanceId}: ${describeError(outcome.error)}`);
      throw provisioningFailed(name);
    }
    if (outcome.kind === 'timed-out') {
      await this.placement.abandon(reservation, 'provisioner timed out');
      throw provisioningExpired(name);
    }

    const instance = await this.confirmations.submit(location.id, {
      id: reservation.instanceId,
      userId,
      name,
      planId: plan.id,
      locationId: location.id,
      hypervisorId: reservation.hypervisorId,
      atMs: this.clock.now().getTime(),
    });
    // The sweep found the reservation abandoned first and has queued the terminate.
    if (!instance) throw provisioningExpired(name);
    return { instance, plan, location };
  }

  /** A slot, or the refusal of the balance rule as decided under the lock, worded in the user's currency. */
  private async reserve(request: PlacementRequest): Promise<PlacementReservationEntity> {
    try {
      return await this.placement.reserve(request);
    } catch (error) {
      if (!(error instanceof CreditRefused)) throw error;
      const view = await this.viewerCurrency.forUser(request.userId);
      const refusal = creditRefusal(error.facts, (micros) => view.money(micros).formatted);
      throw refusal ? refusalException(refusal) : error;
    }
  }

  /** One transaction for every confirmation that arrived meanwhile: hosts tend to answer a burst together. */
  private async confirmBatch(registrations: InstanceRegistration[]): Promise<BatchOutcome<InstanceEntity | null>[]> {
    const { result } = await this.placement.confirm(
      registrations.map((registration) => registration.id),
      (tx, confirmed) =>
        this.instances.registerManyIn(
          tx,
          registrations.filter((registration) => confirmed.has(registration.id)),
        ),
      (tx) =>
        this.credit.lockOwners(
          tx,
          registrations.map((registration) => registration.userId),
        ),
    );
    const registered = new Map(result.map((instance) => [instance.id, instance]));
    return registrations.map((registration) => ({ ok: true, value: registered.get(registration.id) ?? null }));
  }

  private async provision(reservation: PlacementReservationEntity, plan: PlanEntity): Promise<Outcome> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timed-out' }), this.provisionTimeoutMs);
      timer.unref();
    });
    const call = Promise.resolve()
      .then(() =>
        this.provisioner.create(
          {
            instanceId: reservation.instanceId,
            userId: reservation.userId,
            hypervisorId: reservation.hypervisorId,
            name: reservation.name,
            vcpus: reservation.vcpus,
            ramMb: reservation.ramMb,
            diskGb: reservation.diskGb,
            gpus: plan.gpus,
          },
          `create:${reservation.instanceId}`,
        ),
      )
      .then(
        (): Outcome => ({ kind: 'created' }),
        (error: unknown): Outcome => ({ kind: 'failed', error }),
      );
    try {
      return await Promise.race([call, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
