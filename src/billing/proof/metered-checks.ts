import { formatQuantity } from '../../common/quantities';
import type { InstanceEntity } from '../../instances/instance.entity';
import type { MeteredUsageEntity } from '../../metering/metered-usage.entity';
import type { RuleUsageEntity } from '../settlement/rule-usage.entity';
import { type Finding, hourLabel, isoOf } from './proof-findings';

/**
 * The rules' and counters' side of an instance's proof: every rule row lies in a settled hour of the instance's life
 * (unique per rule, calendar part and revision by its index), and every usage report dated in a settled hour is
 * billed, or marked late and left to the next run's sweep. Pure.
 */
export function checkMetered(
  instance: Pick<InstanceEntity, 'createdAtMs' | 'settledUntilMs'>,
  ruleRows: readonly Pick<RuleUsageEntity, 'ruleId' | 'hourStartMs' | 'superseded'>[],
  reports: readonly Pick<
    MeteredUsageEntity,
    'reportId' | 'hourStartMs' | 'atMs' | 'billedAtMs' | 'late' | 'quantity'
  >[],
): Finding[] {
  const findings: Finding[] = [];
  const firstHourMs = Math.floor(instance.createdAtMs / 3_600_000) * 3_600_000;
  for (const row of ruleRows.filter((r) => !r.superseded)) {
    if (row.hourStartMs < firstHourMs || row.hourStartMs >= instance.settledUntilMs) {
      findings.push({
        kind: 'hour-outside-life',
        detail: `rule ${row.ruleId} was charged for ${hourLabel(row.hourStartMs)}, outside the instance's settled hours`,
        from: isoOf(row.hourStartMs),
        to: isoOf(row.hourStartMs + 3_600_000),
      });
    }
  }
  for (const report of reports) {
    if (report.billedAtMs !== null || report.late || report.hourStartMs >= instance.settledUntilMs) continue;
    findings.push({
      kind: 'unbilled-report',
      detail:
        `usage report "${report.reportId}" (${formatQuantity(BigInt(report.quantity))} at ${isoOf(report.atMs)}) ` +
        `lies in a settled hour but was neither billed with it nor marked late`,
      from: isoOf(report.hourStartMs),
      to: isoOf(report.hourStartMs + 3_600_000),
    });
  }
  return findings;
}
