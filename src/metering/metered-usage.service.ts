import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { isUniqueViolation } from '../common/database';
import { toSafeNumber } from '../common/money';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import { InstanceBillingService } from '../instances/instance-billing.service';
import type { InstanceEntity } from '../instances/instance.entity';
import { InstanceLookupService } from '../instances/instance-lookup.service';
import { InstanceService } from '../instances/instance.service';
import { SettingsService } from '../settings/settings.service';
import { MeteredCounterRepository } from './metered-counter.repository';
import type { MeteredUsageEntity } from './metered-usage.entity';
import { MeteredUsageRepository } from './metered-usage.repository';
import { conflictingField } from '../common/validation';
import { monthBounds } from './usage-month';
import { parseQuantity } from '../common/quantities';
import { type ReportedUsage, usageAdded } from './rating/readings';
import type { UsageReportDto } from './metered-usage.dto';

const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A stored report and the key of its counter, as the API shows it. */
export interface UsageReport {
  row: MeteredUsageEntity;
  counterKey: string;
}

/** A report checked and resolved against the instance and its counter, not yet stored. */
interface CheckedReport {
  instanceId: string;
  counterId: number;
  counterKey: string;
  atMs: number;
  usage: ReportedUsage;
}

/**
 * The host's usage reports of metered counters (README, "Usage the host reports"). A report is stored once under
 * the host's id; a cumulative reading becomes the quantity it adds since the previous reading of the counter on the
 * instance, worked out under the instance's row lock so two readings at once never both count from the same one.
 * Settlement, not this, bills them (and decides what a late one costs).
 */
@Injectable()
export class MeteredUsageService {
  constructor(
    private readonly repository: MeteredUsageRepository,
    private readonly counters: MeteredCounterRepository,
    private readonly instances: InstanceLookupService,
    private readonly instanceBilling: InstanceBillingService,
    private readonly instanceEvents: InstanceService,
    private readonly settings: SettingsService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Stores a report (`created`), or answers the one stored under its id when it is the same report again. */
  async report(instanceId: string, dto: UsageReportDto): Promise<{ report: UsageReport; created: boolean }> {
    const usage = reportedUsage(dto);
    const atMs = Date.parse(dto.at);
    const nowMs = this.clock.now().getTime();
    const instance = await this.instances.find(instanceId);
    if (!instance) throw new NotFoundException(`instance ${instanceId} does not exist`);
    const stored = await this.repository.findByReportId(dto.id);
    if (stored) return { report: await this.sameReport(stored, instanceId, dto, usage), created: false };

    // Not in the future (400), nor older than the late event window (409), as for the host's instance events.
    await this.instanceEvents.reportedInstant(dto.at);
    const counter = await this.counters.liveByKey(dto.counter);
    if (!counter) {
      throw invalidField('counter', 'isKnownCounter', `no counter "${dto.counter}" exists (or it was deleted)`);
    }
    const checked = { instanceId, counterId: counter.id, counterKey: counter.key, atMs, usage };
    try {
      return await this.unitOfWork.run((tx) => this.store(tx, checked, dto, nowMs), {
        isolation: Isolation.LockedWrites,
      });
    } catch (error) {
      // The same id sent twice at once: the loser answers as the repeat it is.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.repository.findByReportId(dto.id);
      if (!winner) throw error;
      return { report: await this.sameReport(winner, instanceId, dto, usage), created: false };
    }
  }

  /** The instance's reports dated in the month (billing time zone; default the current one), by time. */
  async listOfInstance(instanceId: string, month: string | undefined): Promise<UsageReport[]> {
    if (!(await this.instances.find(instanceId))) throw new NotFoundException(`instance ${instanceId} does not exist`);
    const { timeZone } = await this.settings.get();
    const bounds = monthBounds(month, timeZone, this.clock.now());
    const rows = (await this.repository.ofInstanceBetween(instanceId, bounds.fromMs, bounds.toMs)).filter((row) =>
      bounds.contains(row.atMs),
    );
    const keys = await this.counters.keysOf([...new Set(rows.map((row) => row.counterId))]);
    return rows.map((row) => ({ row, counterKey: keys.get(row.counterId) ?? '' }));
  }

  private async store(
    tx: Tx,
    checked: CheckedReport,
    dto: UsageReportDto,
    nowMs: number,
  ): Promise<{ report: UsageReport; created: boolean }> {
    const { counterId, counterKey, atMs, usage } = checked;
    // Every report of the instance waits here for the one before it: the previous reading is then final. The lock is
    // the unit's first statement, so its REPEATABLE READ snapshot is taken after the wait and sees that reading.
    const instance = (await this.instances.findForUpdate(tx, checked.instanceId)) as InstanceEntity;
    const repeated = await this.repository.findByReportId(dto.id, tx);
    if (repeated) return { report: await this.sameReport(repeated, instance.id, dto, usage), created: false };
    checkWithinLife(instance, atMs);
    await this.requireOnPlan(tx, instance, counterId, counterKey, atMs);

    const previous = usage.reading === null ? null : await this.repository.latestReading(tx, instance.id, counterId);
    const previousReading = previous?.reading === null || previous === null ? null : BigInt(previous.reading);
    if (previous && atMs < previous.atMs) {
      throw conflictingField(
        'at',
        'notBeforeLastReading',
        `a reading must not be older than the last one of "${counterKey}" on ${instance.id} (${iso(previous.atMs)}); ` +
          'send quantities instead for usage that may arrive out of order',
      );
    }
    const quantity = usageAdded(usage, previousReading);
    const hourStartMs = Math.floor(atMs / HOUR_MS) * HOUR_MS;
    const row = await this.repository.insert(tx, {
      reportId: dto.id,
      instanceId: instance.id,
      userId: instance.userId,
      counterId,
      atMs,
      hourStartMs,
      quantity: toSafeNumber(quantity),
      reading: usage.reading === null ? null : toSafeNumber(usage.reading),
      receivedAtMs: nowMs,
      billedAtMs: null,
      chargeMicros: null,
      // Under the instance's lock, which settlement takes too: its hour is either settled already or will see it.
      late: hourStartMs < instance.settledUntilMs,
      monthKey: null,
      dayKey: null,
    });
    return { report: { row, counterKey }, created: true };
  }

  /** The counter applies to the plan the instance was on at `atMs` (a resize changes it). */
  private async requireOnPlan(tx: Tx, instance: InstanceEntity, counterId: number, key: string, atMs: number) {
    const [segment] = await this.instanceBilling.segmentsOverlapping(tx, [instance.id], atMs, atMs + 1);
    const planId = segment?.planId ?? instance.planId;
    const onPlan = (await this.counters.liveForPlan(planId, key, tx)).some((rows) => rows.counter.id === counterId);
    if (!onPlan) {
      throw invalidField(
        'counter',
        'onInstancePlan',
        `counter "${key}" does not apply to plan ${planId}, which ${instance.id} was on at ${iso(atMs)}`,
      );
    }
  }

  /** The stored report, when `dto` is the same report again; a 409 naming `id` when it is another under its id. */
  private async sameReport(
    stored: MeteredUsageEntity,
    instanceId: string,
    dto: UsageReportDto,
    usage: ReportedUsage,
  ): Promise<UsageReport> {
    const counterKey = (await this.counters.keysOf([stored.counterId])).get(stored.counterId) ?? '';
    const same =
      stored.instanceId === instanceId &&
      counterKey === dto.counter &&
      stored.atMs === Date.parse(dto.at) &&
      (usage.reading === null
        ? stored.reading === null && BigInt(stored.quantity) === usage.quantity
        : stored.reading !== null && BigInt(stored.reading) === usage.reading);
    if (!same) {
      throw conflictingField(
        'id',
        'sameReport',
        `report "${dto.id}" was already received with another body (instance ${stored.instanceId}, counter ` +
          `"${counterKey}", at ${iso(stored.atMs)}): a report id names one report`,
      );
    }
    return { row: stored, counterKey };
  }
}

/** Exactly one of quantity and reading, parsed (the DTO has checked each that was sent). */
function reportedUsage(dto: UsageReportDto): ReportedUsage {
  if ((dto.quantity === undefined) === (dto.reading === undefined)) {
    throw invalidField(
      dto.quantity === undefined ? 'quantity' : 'reading',
      'quantityOrReading',
      'send exactly one of quantity (used since the last report) and reading (a cumulative total)',
    );
  }
  return dto.reading === undefined
    ? { quantity: parseQuantity(dto.quantity as string | number), reading: null }
    : { quantity: null, reading: parseQuantity(dto.reading) };
}

/** Usage is dated in the instance's life: from its creation, and up to its termination for a terminated one. */
function checkWithinLife(instance: InstanceEntity, atMs: number): void {
  if (atMs < instance.createdAtMs) {
    throw invalidField(
      'at',
      'afterCreation',
      `must not be before the instance was created (${iso(instance.createdAtMs)})`,
    );
  }
  if (instance.terminatedAtMs !== null && atMs > instance.terminatedAtMs) {
    throw invalidField(
      'at',
      'beforeTermination',
      `must not be after the instance was terminated (${iso(instance.terminatedAtMs)})`,
    );
  }
}
