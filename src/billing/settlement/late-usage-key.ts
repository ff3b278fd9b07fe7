/** The key of the adjustment that bills a usage report which arrived after its hour was settled: one per report. */
export const lateUsageKey = (usageId: string) => `late-usage:${usageId}`;
