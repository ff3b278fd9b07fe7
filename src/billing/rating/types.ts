/** The states an instance is billed in; other host states (creating, terminated) are not billable. */
export type BillableState = 'running' | 'stopped' | 'suspended';

export const BILLABLE_STATES: readonly BillableState[] = ['running', 'stopped', 'suspended'];

/** One stretch of an instance's life in one state on one plan; `to: null` means it is still open. */
export interface Segment {
  from: Date;
  to: Date | null;
  state: BillableState;
  planId: number;
  /** Resource quantities the host reported for this stretch (key → quantity scaled by 10^6); none when absent. */
  quantities?: ReadonlyMap<string, bigint>;
}

/** A plan's prices in micro-credits; null means the plan does not set that price. */
export interface PlanPricing {
  planId: number;
  hourlyPrice: number | null;
  monthlyPrice: number | null;
  stoppedHourlyPrice: number | null;
  suspendedHourlyPrice: number | null;
}

/** Whole seconds an instance spent on one plan in one state within one hour. */
export interface HourBucket {
  planId: number;
  state: BillableState;
  seconds: number;
}
