import { Inject, Injectable, Logger } from '@nestjs/common';
import { OutboxService } from '../billing/outbox/outbox.service';
import type { Resources } from '../catalog/capacity';
import { notFound } from '../catalog/catalog.errors';
import { hypervisorView, type HypervisorView } from '../catalog/hypervisor-view';
import { CLOCK, HYPERVISOR_INVENTORY } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import type { HypervisorInfo, HypervisorInventory } from '../host/ports';
import { NO_ALLOCATION } from '../catalog/hypervisor-allocations';
import { LocationMembersService } from '../catalog/location-members.service';
import { placeAdmitted, prepareAdmissions } from './admitted-placement';
import { AllocationRepository } from './allocation.repository';
import { BatchOutcome, KeyedBatcher } from './keyed-batcher';
import type { PlacementAdmission } from './placement-admission';
import { noCapacity } from './placement.errors';
import type { PlacementReservationEntity } from './placement-reservation.entity';
import { PlacementRepository } from './placement.repository';

/**
 * A reservation older than this belongs to a request that died between placing and confirming:
 * well past the provisioner's 30-second timeout and the confirming write that follows it.
 */
export const STALE_RESERVATION_MS = 5 * 60_000;
const SWEEP_BATCH = 100;
/** Placements written by one transaction at most; also keeps the multi-row insert small. */
const MAX_PLACEMENT_BATCH = 100;

export interface PlacementRequest {
  instanceId: string;
  userId: string;
  name: string;
  locationId: number;
  plan: Resources & { id: number; name: string };
  /** A rule the request must also pass under the placement's locks; none: capacity alone decides. */
  admission?: PlacementAdmission;
}

/**
 * Puts new instances on hypervisors, round-robin within a location. Each placement holds the
 * location's row lock from reading the cursor and the members' allocations to recording the
 * reservation and moving the cursor, so placements in one location take turns — across replicas
 * too — and none can take room another is taking. The reservation holds the slot while the host
 * creates the instance; `confirm` turns it into the instance, `release` / `abandon` give it back.
 */
@Injectable()
export class PlacementService {
  private readonly logger = new Logger(PlacementService.name);
  private readonly batcher = new KeyedBatcher<number, PlacementRequest, PlacementReservationEntity>(
    (locationId, requests) => this.placeBatch(locationId, requests),
    MAX_PLACEMENT_BATCH,
  );

  constructor(
    private readonly repository: PlacementRepository,
    private readonly allocations: AllocationRepository,
    private readonly catalogRows: LocationMembersService,
    private readonly outbox: OutboxService,
    @Inject(HYPERVISOR_INVENTORY) private readonly inventory: HypervisorInventory,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Reserves a slot on the next member with room; 409 "no capacity in <location> for <plan>" when
   * none has. Requests for one location that arrive while its placement transaction runs wait here
   * and are placed together in the next one, in arrival order: one lock, one read and one write for
   * the lot rather than each queueing for the lock with a database connection held.
   */
  reserve(request: PlacementRequest): Promise<PlacementReservationEntity> {
    return this.batcher.submit(request.locationId, request);
  }

  private async placeBatch(
    locationId: number,
    requests: PlacementRequest[],
  ): Promise<BatchOutcome<PlacementReservationEntity>[]> {
    // The host's report is read before the lock: it may be slow, and capacity changes rarely.
    const reported = await this.reported();
    return this.unitOfWork.run(
      async (tx) => {
        // The admissions lock what they decide on (accounts) before the location: accounts come first everywhere.
        const decide = await prepareAdmissions(tx, requests);
        const location = await this.catalogRows.lockLocation(tx, locationId);
        if (!location) return requests.map(() => ({ ok: false, error: notFound('location', locationId) }));
        const members = await this.catalogRows.members(tx, location.id);
        const allocations = await this.allocations.ofLocation(tx, location.id);
        const views = members.map((row) =>
          hypervisorView(reported.get(row.hypervisorId), row, allocations.get(row.hypervisorId) ?? NO_ALLOCATION),
        );
        const placed = placeAdmitted(views, location.lastHypervisorId, requests, decide);
        const createdAtMs = this.clock.now().getTime();
        const outcomes = requests.map((request, index): BatchOutcome<PlacementReservationEntity> => {
          const refusal = placed.refusals[index];
          if (refusal) return { ok: false, error: refusal };
          const hypervisorId = placed.picks[index];
          if (hypervisorId === null) return { ok: false, error: noCapacity(location.name, request.plan.name) };
          const { id: planId, vcpus, ramMb, diskGb } = request.plan;
          const { instanceId, userId, name } = request;
          return {
            ok: true,
            value: { instanceId, userId, planId, locationId, hypervisorId, name, vcpus, ramMb, diskGb, createdAtMs },
          };
        });
        const reservations = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
        if (reservations.length > 0) {
          await this.repository.insertReservations(tx, reservations);
          await this.catalogRows.moveCursor(tx, location.id, placed.cursor as string);
        }
        return outcomes;
      },
      { isolation: Isolation.Placement },
    );
  }

  /**
   * Runs `work` in the unit of work that deletes the reservations, handing it those still there, so
   * each slot passes from its reservation to what `work` records without a moment where it is free.
   * A reservation that is gone was taken by the sweep as abandoned: `work` must not record it.
   */
  confirm<T>(
    instanceIds: string[],
    work: (tx: Tx, confirmed: Set<string>) => Promise<T>,
    lockFirst?: (tx: Tx) => Promise<unknown>,
  ): Promise<{ confirmed: Set<string>; result: T }> {
    return this.unitOfWork.run(
      async (tx) => {
        // What an admission locks (the owners' accounts), so it never sees a slot between reservation and instance.
        if (lockFirst) await lockFirst(tx);
        const confirmed = new Set(await this.repository.lockReservations(tx, instanceIds));
        await this.repository.deleteReservations(tx, [...confirmed]);
        return { confirmed, result: await work(tx, confirmed) };
      },
      { isolation: Isolation.Placement },
    );
  }

  /** The users' reservations not yet confirmed or released: instances on their way (in `tx` when given). */
  reservationsOf(userIds: string[], tx?: Tx): Promise<PlacementReservationEntity[]> {
    return this.repository.ofUsers(userIds, tx);
  }

  /** Gives the slot back after the host said it did not create the instance. */
  async release(instanceId: string): Promise<void> {
    await this.unitOfWork.run((tx) => this.repository.deleteReservation(tx, instanceId), {
      isolation: Isolation.Placement,
    });
  }

  /**
   * Gives the slot back when nobody knows whether the host created the instance (the call timed
   * out, or the process died before confirming): a terminate goes through the outbox, so an
   * instance the host did create is removed rather than left running unbilled. Hosts must treat
   * terminating an instance they do not know as done. False when the reservation was already gone.
   */
  abandon(reservation: PlacementReservationEntity, reason: string): Promise<boolean> {
    return this.unitOfWork.run(
      async (tx) => {
        if (!(await this.repository.deleteReservation(tx, reservation.instanceId))) return false;
        await this.outbox.enqueue(tx, {
          dedupeKey: `provisioner:terminate:${reservation.instanceId}:abandoned`,
          channel: 'provisioner',
          action: 'terminate',
          userId: reservation.userId,
          instanceId: reservation.instanceId,
          payload: { reason, hypervisorId: reservation.hypervisorId, at: this.clock.now().toISOString() },
        });
        return true;
      },
      { isolation: Isolation.Placement },
    );
  }

  /** Abandons reservations older than STALE_RESERVATION_MS; what the placement cron runs. */
  async sweepStale(now: Date = this.clock.now()): Promise<number> {
    let swept = 0;
    for (;;) {
      const stale = await this.repository.staleReservations(now.getTime() - STALE_RESERVATION_MS, SWEEP_BATCH);
      for (const reservation of stale) if (await this.abandon(reservation, 'provisioning never confirmed')) swept += 1;
      if (stale.length < SWEEP_BATCH) break;
    }
    if (swept > 0) this.logger.warn(`released ${swept} reservation(s) whose provisioning was never confirmed`);
    return swept;
  }

  /**
   * Runs `work` in a unit of work holding the locks placement takes for the hypervisor (its
   * location's row, then its own), with its capacity and allocation as seen under them: what a
   * resize needs so that neither a placement nor another resize takes the same room meanwhile.
   */
  async withHypervisorLocked<T>(
    hypervisorId: string,
    work: (tx: Tx, hypervisor: HypervisorView) => Promise<T>,
  ): Promise<T> {
    const reported = await this.reported();
    return this.unitOfWork.run(
      async (tx) => {
        // Location before hypervisor, the order membership changes lock them in. The membership read
        // unlocked may move before the locks are ours; then the locks are taken again for the new one.
        let row = await this.catalogRows.findHypervisor(tx, hypervisorId);
        for (;;) {
          const locationId = row?.locationId ?? null;
          if (locationId !== null) await this.catalogRows.lockLocation(tx, locationId);
          row = await this.catalogRows.lockHypervisor(tx, hypervisorId);
          if ((row?.locationId ?? null) === locationId) break;
        }
        const allocation = (await this.allocations.of(tx, hypervisorId)).get(hypervisorId) ?? NO_ALLOCATION;
        return work(tx, hypervisorView(reported.get(hypervisorId), row ?? undefined, allocation));
      },
      { isolation: Isolation.Placement },
    );
  }

  private async reported(): Promise<Map<string, HypervisorInfo>> {
    return new Map((await this.inventory.listHypervisors()).map((info) => [info.id, info]));
  }
}
