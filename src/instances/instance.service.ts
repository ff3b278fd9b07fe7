import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CatalogLookupService } from '../catalog/catalog-lookup.service';
import { SettingsService } from '../settings/settings.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { isUniqueViolation } from '../common/database';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import { stateAfter, TransitionEvent } from './instance-lifecycle';
import type { HostInstanceCreateDto, InstanceEventDto } from './instance.dto';
import { InstanceEntity } from './instance.entity';
import { InstanceRepository } from './instance.repository';
import {
  noResources,
  parseReportedResources,
  type ResourceQuantities,
  resourcesJson,
  withReported,
} from './resource-quantities';

const HOUR_MS = 3_600_000;

/** A new instance as billing records it. */
export interface InstanceRegistration {
  id: string;
  userId: string;
  name: string;
  planId: number;
  locationId: number | null;
  hypervisorId: string | null;
  atMs: number;
  /** The resources it starts with; none when left out. */
  quantities?: ResourceQuantities;
}

/** Instances as the billing engine sees them: each reported event closes one segment and opens the next. */
@Injectable()
export class InstanceService {
  constructor(
    private readonly repository: InstanceRepository,
    private readonly settings: SettingsService,
    private readonly catalog: CatalogLookupService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<InstanceEntity> {
    const instance = await this.repository.find(id);
    if (!instance) throw new NotFoundException(`instance ${id} does not exist`);
    return instance;
  }

  /** Registers an instance the host created. Sending the same registration again changes nothing. */
  async register(dto: HostInstanceCreateDto): Promise<{ instance: InstanceEntity; created: boolean }> {
    const atMs = await this.reportedInstant(dto.at);
    const quantities = dto.resources ? withReported(noResources(), parseReportedResources(dto.resources)) : undefined;
    const existing = await this.repository.find(dto.id);
    if (existing) return { instance: this.sameRegistration(existing, dto, atMs), created: false };
    try {
      // A host event: the unique id refuses a second registration, and the plan and location are read with it.
      const instance = await this.unitOfWork.run(
        async (tx) => {
          await this.requireCatalog(tx, dto.planId, dto.locationId ?? null);
          return this.registerIn(tx, {
            id: dto.id,
            userId: dto.userId,
            name: dto.name,
            planId: dto.planId,
            locationId: dto.locationId ?? null,
            hypervisorId: dto.hypervisorId ?? null,
            atMs,
            quantities,
          });
        },
        { isolation: Isolation.LockedWrites },
      );
      return { instance, created: true };
    } catch (error) {
      // Two identical registrations at once: the loser answers with the winner's row.
      if (!isUniqueViolation(error)) throw error;
      return { instance: this.sameRegistration(await this.get(dto.id), dto, atMs), created: false };
    }
  }

  /**
   * Records a new running instance in the caller's transaction: its row, its first segment and its
   * "created" event. Billing counts it from `atMs`. The caller has checked the plan and location.
   */
  async registerIn(tx: Tx, registration: InstanceRegistration): Promise<InstanceEntity> {
    const [instance] = await this.registerManyIn(tx, [registration]);
    return instance;
  }

  /** registerIn for several instances at once, in three statements. */
  async registerManyIn(tx: Tx, registrations: InstanceRegistration[]): Promise<InstanceEntity[]> {
    const created = registrations.map(({ atMs, quantities = noResources(), ...identity }) => ({
      instance: {
        ...identity,
        state: 'running',
        createdAtMs: atMs,
        terminatedAtMs: null,
        lastEventAtMs: atMs,
        settledUntilMs: Math.floor(atMs / HOUR_MS) * HOUR_MS,
        billingSuspendedAtMs: null,
      } satisfies InstanceEntity,
      quantities,
    }));
    await this.repository.insertNew(tx, created);
    return created.map(({ instance }) => instance);
  }

  /** The resources the instance holds now (its open segment's); none once terminated. */
  heldResources(id: string): Promise<ResourceQuantities> {
    return this.repository.openQuantitiesOf(id);
  }

  /**
   * Applies a host event in the caller's transaction (which has locked the owner's account first); the same
   * event (type, time and body) sent again is a no-op (`applied: false`), another of the same type at the same
   * time a 409. An event may fall in an hour already settled, within the late event window: the caller then
   * re-rates from that hour.
   */
  async applyEventIn(
    tx: Tx,
    id: string,
    dto: InstanceEventDto,
    atMs: number,
  ): Promise<{ instance: InstanceEntity; applied: boolean }> {
    const reported = dto.type === 'resources' ? parseReportedResources(dto.resources ?? {}) : undefined;
    const instance = await this.repository.findForUpdate(tx, id);
    if (!instance) throw new NotFoundException(`instance ${id} does not exist`);
    const earlier = await this.repository.findEvent(tx, id, dto.type, atMs);
    if (earlier) {
      const samePlan = dto.type !== 'resized' || dto.planId === undefined || dto.planId === earlier.planId;
      if (!samePlan || resourcesJson(earlier.quantities) !== resourcesJson(reported ?? noResources())) {
        throw new ConflictException(`a different "${dto.type}" event of ${id} at ${iso(atMs)} was applied already`);
      }
      return { instance, applied: false };
    }
    if (atMs < instance.createdAtMs) {
      throw invalidField(
        'at',
        'afterCreation',
        `must not be before the instance was created (${iso(instance.createdAtMs)})`,
      );
    }
    const planId = dto.type === 'resized' ? await this.newPlan(tx, instance, dto.planId) : instance.planId;
    await this.transition(tx, instance, dto.type, atMs, planId, reported);
    return { instance, applied: true };
  }

  /**
   * The time a host reports, checked: not in the future, and not older than the late event window (an older
   * one would reopen hours long since billed and reported, or start a catch-up of years).
   */
  async reportedInstant(at: string, settings?: { lateEventWindowHours: number }): Promise<number> {
    const atMs = Date.parse(at);
    const nowMs = this.clock.now().getTime();
    if (atMs > nowMs) throw invalidField('at', 'notInFuture', `must not be in the future (now is ${iso(nowMs)})`);
    const { lateEventWindowHours } = settings ?? (await this.settings.get());
    const earliestMs = nowMs - lateEventWindowHours * HOUR_MS;
    if (atMs < earliestMs) {
      throw new ConflictException(
        `at ${iso(atMs)} is older than the late event window of ${lateEventWindowHours} hours ` +
          `(lateEventWindowHours): the earliest accepted now is ${iso(earliestMs)}`,
      );
    }
    return atMs;
  }

  /**
   * Moves a locked instance to the state after `event` at `atMs`: closes the open segment and
   * opens the next, which holds the same resources, or for a "resources" event those `reported`
   * applied to them. Billing calls this too, inside its own transaction, when it suspends,
   * resumes or terminates for a balance.
   */
  async transition(
    tx: Tx,
    instance: InstanceEntity,
    event: TransitionEvent,
    atMs: number,
    planId = instance.planId,
    reported?: ResourceQuantities,
  ): Promise<void> {
    if (atMs < instance.lastEventAtMs) {
      throw new ConflictException(
        `an event at ${iso(atMs)} is out of order: the last event of ${instance.id} was at ${iso(instance.lastEventAtMs)}`,
      );
    }
    const next = stateAfter(instance.state, event);
    if (!next) throw new ConflictException(`cannot apply "${event}" to ${instance.id}: it is ${instance.state}`);

    const held = (await this.repository.findOpenSegment(tx, instance.id))?.quantities ?? noResources();
    const quantities = reported ? withReported(held, reported) : held;
    await this.repository.closeOpenSegment(tx, instance.id, atMs);
    if (next !== 'terminated') {
      await this.repository.openSegment(tx, {
        instanceId: instance.id,
        planId,
        state: next,
        startedAtMs: atMs,
        quantities,
      });
    }
    await this.repository.recordEvent(tx, {
      instanceId: instance.id,
      type: event,
      atMs,
      planId: event === 'resized' ? planId : null,
      quantities: reported ?? noResources(),
    });
    Object.assign(instance, {
      state: next,
      planId,
      lastEventAtMs: atMs,
      terminatedAtMs: next === 'terminated' ? atMs : null,
      // Only billing marks a suspension as its own; any other way out of "suspended" clears the mark.
      billingSuspendedAtMs: next === 'suspended' ? instance.billingSuspendedAtMs : null,
    });
    await this.repository.saveInstance(tx, instance);
  }

  private async newPlan(tx: Tx, instance: InstanceEntity, planId: number | undefined): Promise<number> {
    if (planId === undefined) throw invalidField('planId', 'isInt', 'is required for a "resized" event');
    if (planId === instance.planId) throw invalidField('planId', 'isNewPlan', `is already the plan of ${instance.id}`);
    await this.requireCatalog(tx, planId, null);
    return planId;
  }

  private async requireCatalog(tx: Tx, planId: number, locationId: number | null): Promise<void> {
    if (!(await this.catalog.planExists(tx, planId)))
      throw invalidField('planId', 'exists', `plan ${planId} does not exist`);
    if (locationId !== null && !(await this.catalog.locationExists(tx, locationId))) {
      throw invalidField('locationId', 'exists', `location ${locationId} does not exist`);
    }
  }

  private sameRegistration(existing: InstanceEntity, dto: HostInstanceCreateDto, atMs: number): InstanceEntity {
    const same = existing.userId === dto.userId && existing.createdAtMs === atMs;
    if (!same)
      throw new ConflictException(`instance ${dto.id} is already registered with a different owner or creation time`);
    return existing;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
