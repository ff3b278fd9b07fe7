import { formatScaledDecimal, roundDiv } from '../common/money';
import type { ViewerCurrency } from '../currencies/viewer-currency.service';
import { meteredLineText } from '../reports/metered-lines';
import type { HoursCharges } from '../reports/usage-report.service';
import type { UsageChargeLine } from './statement-lines';

const SECONDS_PER_HOUR = 3600n;

/**
 * The charged hours' lines, worded for a statement as the usage report words them: per instance and plan ("<name>:
 * <plan>", its hours), then its rules and counters (their quantity and unit).
 */
export function usageChargeLines(charges: Pick<HoursCharges, 'rows'>, view: ViewerCurrency): UsageChargeLine[] {
  return charges.rows.map((row) => {
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
