import type { BillableState } from '../rating';
import type { Finding, FindingKind } from './proof-findings';

type ByState<T> = Record<BillableState, T>;

export class ProofInstanceDto {
  id: string;
  userId: string;
  name: string;
  planId: number;
  state: string;
  createdAt: string;
  terminatedAt: string | null;
  /** Every hour before this instant is settled. */
  settledUntil: string;
}

export class ProofSegmentDto {
  from: string;
  /** Null while the segment is open. */
  to: string | null;
  state: BillableState;
  planId: number;
  /** Whole seconds in the segment (an open one: up to now). */
  seconds: number;
}

export class ProofUsageRowDto {
  hourStart: string;
  /** Where the row's part of the hour starts: the hour's start, or a day boundary of the billing zone inside it. */
  periodStart: string;
  /** 0 when first settled; each re-rating of the hour by a late event adds one. */
  revision: number;
  planId: number;
  monthKey: string;
  seconds: ByState<number>;
  billedSeconds: number;
  /** Credits per hour in each state, as charged. */
  rates: ByState<string>;
  upfront: string;
  charge: string;
  capped: boolean;
}

export class ProofCheckDto {
  ok: boolean;
  findings: Finding[];
}

export class ProofTotalsDto {
  /** Hours of the instance's settled life: each needs a usage row. */
  expectedHours: number;
  /** Distinct hours that have usage rows. */
  hours: number;
  usageRows: number;
  /** Credits charged over all rows. */
  charged: string;
  /** Credits the current rule charges add. */
  rulesCharged: string;
  /** Credits the billed usage reports add (late ones as their own adjustments). */
  reportsCharged: string;
}

/** A resource rule's charge for one calendar part of a settled hour. */
export class ProofRuleChargeDto {
  ruleId: number;
  planId: number;
  hourStart: string;
  periodStart: string;
  /** Postpaid: units × hours billed (quantity-seconds / 3600, to 6 decimals); prepaid: 0. */
  unitHours: string;
  /** Prepaid: the units charged for here; null for postpaid. */
  chargedQuantity: string | null;
  /** The price and period it was charged at. */
  price: string;
  periodSeconds: number;
  charge: string;
  revision: number;
}

/** A usage report the host sent, and what billing charged for it. */
export class ProofUsageReportDto {
  id: string;
  counterId: number;
  at: string;
  quantity: string;
  /** It arrived after its hour was settled: billed by the next run as an adjustment. */
  late: boolean;
  billedAt: string | null;
  charge: string | null;
}

export class ProofVerdictDto {
  /** True when every check below is. */
  ok: boolean;
  segmentsCoverLife: ProofCheckDto;
  everyHourSettledOnce: ProofCheckDto;
  secondsMatchSegments: ProofCheckDto;
  chargesMatchRates: ProofCheckDto;
  /** Rule charges only in settled hours; every report in a settled hour billed, or late and due for the next run. */
  rulesAndReportsAccounted: ProofCheckDto;
  totals: ProofTotalsDto;
}

export class BillingProofResponseDto {
  instance: ProofInstanceDto;
  segments: ProofSegmentDto[];
  /** The current rows: what the instance is charged now. */
  usage: ProofUsageRowDto[];
  /** Rows a re-rating replaced, kept as the record of what was charged before the adjustment. */
  superseded: ProofUsageRowDto[];
  /** The current rule charges, by hour. */
  ruleCharges: ProofRuleChargeDto[];
  /** Every usage report of the instance, by time. */
  usageReports: ProofUsageReportDto[];
  verdict: ProofVerdictDto;
}

export type BreachKind =
  | FindingKind
  | 'balance-mismatch'
  | 'balance-after-mismatch'
  | 'ledger-usage-mismatch'
  | 'rollup-mismatch'
  | 'behind'
  | 'evaluation-overdue'
  | 'grant-unbalanced'
  | 'grant-negative'
  | 'grant-state'
  | 'grant-expiry-overdue'
  | 'grant-overdrawn';

export class AuditBreachDto {
  kind: BreachKind;
  userId?: string;
  instanceId?: string;
  detail: string;
}

export class AuditResponseDto {
  ok: boolean;
  checkedAccounts: number;
  checkedInstances: number;
  /** All breaches found; `breaches` lists the first ones when `truncated`. */
  breachCount: number;
  truncated: boolean;
  breaches: AuditBreachDto[];
}
