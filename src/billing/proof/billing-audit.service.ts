import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { Isolation, type Tx, UnitOfWork } from '../../common/unit-of-work';
import { InstanceBillingService } from '../../instances/instance-billing.service';
import {
  accountBreaches,
  accountHourBreach,
  BEHIND_GRACE_MS,
  behindBreach,
  evaluationBreach,
  rollupBreach,
  unbilledReportBreach,
} from './audit-breaches';
import { HOUR_MS } from '../rating';
import { grantBreaches, grantOverdueUpToMs, overdrawnEntryBreach } from './grant-breaches';
import { needsFullProof } from './audit-screen';
import { proofFindings } from './billing-proof';
import type { AuditBreachDto, AuditResponseDto } from './billing-proof.dto';
import { ProofRepository } from './proof.repository';

/** Breaches listed in one answer; past this the count still grows and `truncated` says so. */
export const MAX_LISTED_BREACHES = 1000;

/**
 * GET /admin/audit. Accounts and instances are read in key-paginated pages (`id > lastId`),
 * each page in one snapshot. An instance's usage rows are summed by the database; only an
 * instance whose sums do not prove it sound is loaded row by row and given the full proof,
 * whose findings are the breaches. Read-only, so safe to run at any time and as often as wanted.
 */
@Injectable()
export class BillingAuditService {
  private readonly logger = new Logger(BillingAuditService.name);
  accountPageSize = 500;
  instancePageSize = 200;

  constructor(
    private readonly repository: ProofRepository,
    private readonly instances: InstanceBillingService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async audit(): Promise<AuditResponseDto> {
    const breaches: AuditBreachDto[] = [];
    let breachCount = 0;
    const report = (found: AuditBreachDto[]) => {
      breachCount += found.length;
      breaches.push(...found.slice(0, Math.max(0, MAX_LISTED_BREACHES - breaches.length)));
    };

    let checkedAccounts = 0;
    const nowMs = this.clock.now().getTime();
    for (let afterUserId = ''; ;) {
      const { accounts, hours, rollups, unbilled, grants, overdrawn } = await this.snapshot(async (tx) => {
        const page = await this.repository.accountsAfter(tx, afterUserId, this.accountPageSize);
        const userIds = page.map((account) => account.userId);
        return {
          accounts: page,
          hours: await this.repository.accountHourMismatches(tx, userIds),
          rollups: await this.repository.rollupMismatches(tx, userIds),
          unbilled: await this.repository.unbilledReports(tx, userIds, nowMs - BEHIND_GRACE_MS - HOUR_MS),
          grants: await this.repository.grantMismatches(tx, userIds, grantOverdueUpToMs(nowMs)),
          overdrawn: await this.repository.overdrawnEntries(tx, userIds),
        };
      });
      if (accounts.length === 0) break;
      for (const account of accounts) {
        report(accountBreaches(account));
        const overdue = evaluationBreach(account, nowMs);
        if (overdue) report([overdue]);
      }
      report(hours.map(accountHourBreach));
      report(rollups.map(rollupBreach));
      report(unbilled.map(unbilledReportBreach));
      report(grants.flatMap(grantBreaches));
      report(overdrawn.map(overdrawnEntryBreach));
      checkedAccounts += accounts.length;
      afterUserId = accounts[accounts.length - 1].userId;
    }

    let checkedInstances = 0;
    for (let afterId = ''; ;) {
      const page = await this.snapshot((tx) => this.instancePage(tx, afterId, nowMs));
      if (page.checked === 0) break;
      report(page.breaches);
      checkedInstances += page.checked;
      afterId = page.lastId;
    }

    const summary = `audited ${checkedAccounts} accounts and ${checkedInstances} instances: ${breachCount} breaches`;
    if (breachCount > 0) this.logger.warn(summary);
    else this.logger.log(summary);
    return {
      ok: breachCount === 0,
      checkedAccounts,
      checkedInstances,
      breachCount,
      truncated: breachCount > breaches.length,
      breaches,
    };
  }

  /** A page's reads in one snapshot, so a settlement committing between two of them cannot look like a breach. */
  private snapshot<T>(reads: (tx: Tx) => Promise<T>): Promise<T> {
    return this.unitOfWork.run(reads, { isolation: Isolation.Snapshot });
  }

  private async instancePage(tx: Tx, afterId: string, nowMs: number) {
    const instances = await this.instances.pageAfter(tx, afterId, this.instancePageSize);
    const failures = await this.repository.settlementFailures(tx);
    const ids = instances.map((instance) => instance.id);
    const segments = groupByInstance(await this.instances.segmentsOf(tx, ids));
    const aggregates = await this.repository.usageAggregates(tx, ids);
    const breaches: AuditBreachDto[] = [];
    for (const instance of instances) {
      const behind = behindBreach(instance, nowMs, failures.get(instance.userId));
      if (behind) breaches.push(behind);
      const own = segments.get(instance.id) ?? [];
      if (!needsFullProof(instance, own, aggregates.get(instance.id) ?? [])) continue;
      const rows = await this.repository.usageOf(tx, instance.id);
      for (const finding of proofFindings(instance, own, rows)) {
        breaches.push({ kind: finding.kind, userId: instance.userId, instanceId: instance.id, detail: finding.detail });
      }
    }
    return { checked: instances.length, lastId: ids[ids.length - 1] ?? afterId, breaches };
  }
}

function groupByInstance<T extends { instanceId: string }>(items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.instanceId, [...(groups.get(item.instanceId) ?? []), item]);
  return groups;
}
