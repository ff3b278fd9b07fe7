import { formatCredits, roundDiv } from '../../common/money';
import { BILLABLE_STATES, BillableState, HOUR_MS, HOUR_SECONDS } from '../rating';
import { ProofUsageRow, secondsIn } from './hour-checks';
import { Finding, hourLabel, isoOf } from './proof-findings';

const RATE_OF: Record<BillableState, 'runningRate' | 'stoppedRate' | 'suspendedRate'> = {
  running: 'runningRate',
  stopped: 'stoppedRate',
  suspended: 'suspendedRate',
};
export const rateIn = (row: ProofUsageRow, state: BillableState): number => row[RATE_OF[state]];

const credits = (micros: bigint) => formatCredits(Number(micros));

/** What the row's own seconds at its own rates come to, rounded once (chargeForHour's rule). */
export function uncappedChargeOf(row: ProofUsageRow): bigint {
  let exact = 0n;
  for (const state of BILLABLE_STATES) exact += BigInt(secondsIn(row, state)) * BigInt(rateIn(row, state));
  return roundDiv(exact, BigInt(HOUR_SECONDS));
}

function describeUsage(row: ProofUsageRow): string {
  const parts = BILLABLE_STATES.filter((state) => secondsIn(row, state) !== 0).map(
    (state) => `${secondsIn(row, state)} s ${state} at ${formatCredits(rateIn(row, state))}/h`,
  );
  return parts.length > 0 ? parts.join(' + ') : 'no seconds';
}

/**
 * Re-derives every charge from what its row records, so a price changed since does not matter:
 * without the cap the hour's part is exactly Σ(seconds × rate)/3600 rounded once; a capped row
 * charges less, never below 0, and leaves nothing of that month's cap for later hours on the
 * plan; a monthly-only plan's up-front charge comes with the first row of its month only.
 */
export function checkCharges(rows: readonly ProofUsageRow[]): Finding[] {
  const findings: Finding[] = [];
  const seenMonths = new Set<string>();
  const cappedAt = new Map<string, number>();
  const ordered = [...rows].sort(
    (a, b) => a.hourStartMs - b.hourStartMs || a.periodStartMs - b.periodStartMs || a.planId - b.planId,
  );
  for (const row of ordered) {
    const label = `the usage row on plan ${row.planId} for ${hourLabel(row.hourStartMs)}`;
    const problem = (detail: string) =>
      findings.push({
        kind: 'charge-mismatch',
        detail: `${label} ${detail}`,
        from: isoOf(row.hourStartMs),
        to: isoOf(row.hourStartMs + HOUR_MS),
        planId: row.planId,
        hours: 1,
      });
    const month = `${row.planId}|${row.monthKey}`;
    const hourly = BigInt(row.charge) - BigInt(row.upfrontCharge);
    const uncapped = uncappedChargeOf(row);

    if (row.upfrontCharge < 0 || hourly < 0n) {
      problem(
        `charges ${formatCredits(row.charge)} with ${formatCredits(row.upfrontCharge)} up front: a negative part`,
      );
    } else if (!row.capped && hourly !== uncapped) {
      problem(`charges ${credits(hourly)} for the hour, but ${describeUsage(row)} comes to ${credits(uncapped)}`);
    } else if (row.capped && hourly >= uncapped) {
      problem(`is marked capped but charges ${credits(hourly)}, not less than the uncapped ${credits(uncapped)}`);
    }
    if (row.upfrontCharge > 0 && seenMonths.has(month)) {
      problem(
        `charges ${formatCredits(row.upfrontCharge)} up front again: only the month's first hour on the plan does`,
      );
    }
    const capHour = cappedAt.get(month);
    if (capHour !== undefined && hourly > 0n) {
      problem(`charges ${credits(hourly)} after the monthly cap was reached at ${hourLabel(capHour)}`);
    }
    if (row.capped && capHour === undefined) cappedAt.set(month, row.hourStartMs);
    seenMonths.add(month);
  }
  return findings;
}
