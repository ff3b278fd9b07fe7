import { formatCredits, roundDiv } from '../../common/money';
import { formatQuantity } from '../../common/quantities';
import type { InstanceEntity, SegmentEntity } from '../../instances/instance.entity';
import type { MeteredUsageEntity } from '../../metering/metered-usage.entity';
import type { RuleUsageEntity } from '../settlement/rule-usage.entity';
import { secondsStartedBetween } from '../rating';
import type {
  BillingProofResponseDto,
  ProofCheckDto,
  ProofRuleChargeDto,
  ProofUsageReportDto,
  ProofUsageRowDto,
} from './billing-proof.dto';
import { checkCharges } from './charge-checks';
import { checkHours, checkSeconds, ProofUsageRow } from './hour-checks';
import { checkMetered } from './metered-checks';
import { Finding, isoOf } from './proof-findings';
import { checkSegments, sortSegments } from './segment-checks';

const check = (findings: Finding[]): ProofCheckDto => ({ ok: findings.length === 0, findings });

/** The four checks, each worked out from the instance, its segments and its usage rows alone. */
function runChecks(instance: InstanceEntity, segments: readonly SegmentEntity[], rows: readonly ProofUsageRow[]) {
  const segmentFindings = checkSegments(instance, segments);
  const hours = checkHours(instance, segments, rows);
  return {
    checks: {
      segmentsCoverLife: check(segmentFindings),
      everyHourSettledOnce: check(hours.findings),
      secondsMatchSegments: check(checkSeconds(segments, rows, segmentFindings)),
      chargesMatchRates: check(checkCharges(rows)),
    },
    expectedHours: hours.expectedHours,
  };
}

/** A usage row as stored: superseded ones are what a re-rating replaced, kept as the record. */
export type StoredUsageRow = ProofUsageRow & { revision: number; superseded: boolean };

const current = (rows: readonly StoredUsageRow[]) => rows.filter((row) => !row.superseded);

/** Every finding of every check on the current rows: what the audit reports for an instance. */
export function proofFindings(
  instance: InstanceEntity,
  segments: readonly SegmentEntity[],
  rows: readonly StoredUsageRow[],
): Finding[] {
  return Object.values(runChecks(instance, segments, current(rows)).checks).flatMap((c) => c.findings);
}

/**
 * The proof of one instance's bill: its segments, its usage rows, and a verdict worked out
 * from them alone. Pure; `nowMs` only measures the open segment.
 */
export function buildBillingProof(
  instance: InstanceEntity,
  segments: readonly SegmentEntity[],
  stored: readonly StoredUsageRow[],
  nowMs: number,
  metered: MeteredRows = { ruleRows: [], reports: [] },
): BillingProofResponseDto {
  const ordered = sortSegments(segments);
  const rows = current(stored);
  const { checks: instanceChecks, expectedHours } = runChecks(instance, ordered, rows);
  const checks = {
    ...instanceChecks,
    rulesAndReportsAccounted: check(checkMetered(instance, metered.ruleRows, metered.reports)),
  };
  const ruleRows = metered.ruleRows.filter((row) => !row.superseded);
  const billedReports = metered.reports.filter((report) => report.chargeMicros !== null);
  return {
    instance: {
      id: instance.id,
      userId: instance.userId,
      name: instance.name,
      planId: instance.planId,
      state: instance.state,
      createdAt: isoOf(instance.createdAtMs),
      terminatedAt: instance.terminatedAtMs === null ? null : isoOf(instance.terminatedAtMs),
      settledUntil: isoOf(instance.settledUntilMs),
    },
    segments: ordered.map((s) => ({
      from: isoOf(s.startedAtMs),
      to: s.endedAtMs === null ? null : isoOf(s.endedAtMs),
      state: s.state,
      planId: s.planId,
      seconds: secondsStartedBetween(s.startedAtMs, s.endedAtMs ?? nowMs),
    })),
    usage: rows.map(mapUsageRow),
    superseded: stored.filter((row) => row.superseded).map(mapUsageRow),
    ruleCharges: ruleRows.map(mapRuleRow),
    usageReports: metered.reports.map(mapReport),
    verdict: {
      ok: Object.values(checks).every((c) => c.ok),
      ...checks,
      totals: {
        expectedHours,
        hours: new Set(rows.map((row) => row.hourStartMs)).size,
        usageRows: rows.length,
        charged: formatCredits(rows.reduce((sum, row) => sum + row.charge, 0)),
        rulesCharged: formatCredits(ruleRows.reduce((sum, row) => sum + row.charge, 0)),
        reportsCharged: formatCredits(billedReports.reduce((sum, report) => sum + (report.chargeMicros ?? 0), 0)),
      },
    },
  };
}

function mapUsageRow(row: StoredUsageRow): ProofUsageRowDto {
  return {
    hourStart: isoOf(row.hourStartMs),
    periodStart: isoOf(row.periodStartMs),
    revision: row.revision,
    planId: row.planId,
    monthKey: row.monthKey,
    seconds: { running: row.runningSeconds, stopped: row.stoppedSeconds, suspended: row.suspendedSeconds },
    billedSeconds: row.billedSeconds,
    rates: {
      running: formatCredits(row.runningRate),
      stopped: formatCredits(row.stoppedRate),
      suspended: formatCredits(row.suspendedRate),
    },
    upfront: formatCredits(row.upfrontCharge),
    charge: formatCredits(row.charge),
    capped: row.capped,
  };
}

/** The instance's rule rows (superseded ones too) and usage reports, for the proof's metered part. */
export interface MeteredRows {
  ruleRows: readonly RuleUsageEntity[];
  reports: readonly MeteredUsageEntity[];
}

function mapRuleRow(row: RuleUsageEntity): ProofRuleChargeDto {
  return {
    ruleId: row.ruleId,
    planId: row.planId,
    hourStart: isoOf(row.hourStartMs),
    periodStart: isoOf(row.periodStartMs),
    unitHours: formatQuantity(roundDiv(BigInt(row.quantitySeconds), 3_600n)),
    chargedQuantity: row.chargedQuantity === null ? null : formatQuantity(BigInt(row.chargedQuantity)),
    price: formatCredits(row.priceMicros),
    periodSeconds: row.periodSeconds,
    charge: formatCredits(row.charge),
    revision: row.revision,
  };
}

function mapReport(report: MeteredUsageEntity): ProofUsageReportDto {
  return {
    id: report.reportId,
    counterId: report.counterId,
    at: isoOf(report.atMs),
    quantity: formatQuantity(BigInt(report.quantity)),
    late: report.late,
    billedAt: report.billedAtMs === null ? null : isoOf(report.billedAtMs),
    charge: report.chargeMicros === null ? null : formatCredits(report.chargeMicros),
  };
}
