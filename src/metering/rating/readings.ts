/** A usage report's amount, scaled by 10^6: a quantity used, or a cumulative reading of the counter. */
export type ReportedUsage = { quantity: bigint; reading: null } | { quantity: null; reading: bigint };

/**
 * What a report adds to its counter, scaled by 10^6. A quantity adds itself. A reading adds its difference from the
 * previous reading of the counter on the instance; a reading below the previous one means the counter restarted
 * from 0 (the machine rebooted, the agent was reinstalled), so it adds the reading itself. The first reading ever
 * is a baseline: what the counter held before billing heard of it is not known to be this instance's usage, so
 * it adds nothing.
 */
export function usageAdded(usage: ReportedUsage, previousReading: bigint | null): bigint {
  if (usage.reading === null) return usage.quantity;
  if (previousReading === null) return 0n;
  return usage.reading >= previousReading ? usage.reading - previousReading : usage.reading;
}
