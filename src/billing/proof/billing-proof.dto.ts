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
}

export class ProofVerdictDto {
  /** True when every check below is. */
  ok: boolean;
  segmentsCoverLife: ProofCheckDto;
  everyHourSettledOnce: ProofCheckDto;
  secondsMatchSegments: ProofCheckDto;
  chargesMatchRates: ProofCheckDto;
  totals: ProofTotalsDto;
}

export class BillingProofResponseDto {
  instance: ProofInstanceDto;
  segments: ProofSegmentDto[];
  /** The current rows: what the instance is charged now. */
  usage: ProofUsageRowDto[];
  /** Rows a re-rating replaced, kept as the record of what was charged before the adjustment. */
  superseded: ProofUsageRowDto[];
  verdict: ProofVerdictDto;
}

export type BreachKind =
  | FindingKind
  | 'balance-mismatch'
  | 'balance-after-mismatch'
  | 'ledger-usage-mismatch'
  | 'rollup-mismatch'
  | 'behind'
  | 'evaluation-overdue';

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
