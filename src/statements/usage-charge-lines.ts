import { formatScaledDecimal, roundDiv } from '../common/money';
import type { ViewerCurrency } from '../currencies/viewer-currency.service';
import { meteredLineText } from '../reports/metered-lines';
import type { UsageReport } from '../reports/usage-report.service';
import type { UsageChargeLine } from './statement-lines';

const SECONDS_PER_HOUR = 3600n;

/** The usage report's lines, worded for a statement: per instance and plan, then its rules and counters. */
export function usageChargeLines(report: UsageReport, view: ViewerCurrency): UsageChargeLine[] {
  return report.rows.map((row) => {
    const name = row.name ?? row.instanceId;
    if (row.kind === 'instance') {
      const hours = formatScaledDecimal(roundDiv(BigInt(row.billedSeconds) * 100n, SECONDS_PER_HOUR), 2);
      return {
        kind: 'instance',
        instanceId: row.instanceId,
        description: `${name}: ${row.planName ?? `plan ${row.planId}`}`,
        detail: `${hours} hours`,
        charge: row.charge,
      };
    }
    const text = meteredLineText(row, view.unitPrice);
    return {
      kind: row.kind,
      instanceId: row.instanceId,
      description: `${name}: ${text.item || text.key}`,
      detail: `${text.quantity} ${text.unit}`.trim(),
      charge: row.charge,
    };
  });
}
