/*
 * The audit's one aggregate query over usage rows, written once for both engines: plain
 * integer arithmetic, CASE, correlated EXISTS and `%`, which MySQL/MariaDB and SQLite read
 * alike. Each condition is the SQL twin of a check in segment-checks.ts, hour-checks.ts or
 * charge-checks.ts; the screen in audit-screen.ts then decides from the sums alone.
 */

const HOUR = 3_600_000;

/** The first whole-second tick at or after a time: Math.ceil(ms / 1000) * 1000, with `%` (truncating, as in JS). */
const tick = (ms: string) => `(${ms} + (1000 - ${ms} % 1000) % 1000)`;

/** The hour holds a second of the instance's life, and settlement has reached it (settledLifeHours). */
const inSettledLife = `(${tick('i.created_at_ms')} < u.hour_start_ms + ${HOUR}
  AND u.hour_start_ms < i.settled_until_ms
  AND (i.terminated_at_ms IS NULL
    OR (u.hour_start_ms < i.terminated_at_ms AND ${tick('i.created_at_ms')} < i.terminated_at_ms)))`;

/** Some segment on the row's plan has a second in the row's hour (billableHours). */
const backedBySegment = `EXISTS (SELECT 1 FROM cloud_billing_instance_segments s
  WHERE s.instance_id = u.instance_id AND s.plan_id = u.plan_id
    AND ${tick('s.started_at_ms')} < u.hour_start_ms + ${HOUR}
    AND (s.ended_at_ms IS NULL
      OR (${tick('s.started_at_ms')} < s.ended_at_ms AND u.hour_start_ms < s.ended_at_ms)))`;

const secondsDoNotAddUp = `(u.running_seconds < 0 OR u.stopped_seconds < 0 OR u.suspended_seconds < 0
  OR u.billed_seconds > 3600
  OR u.billed_seconds <> u.running_seconds + u.stopped_seconds + u.suspended_seconds)`;

/**
 * The hour's part of the charge against Σ(seconds × rate): with h = charge − upfront and
 * e = Σ(seconds × rate), round-half-up of e/3600 equals h exactly when
 * h·3600 ≤ e + 1800 < (h+1)·3600; a capped row needs (h+1)·3600 ≤ e + 1800 (less than that).
 * MySQL computes in DECIMAL so a large price cannot overflow BIGINT and fail the audit.
 */
function chargeDoesNotFollow(mysql: boolean): string {
  const wide = (expr: string) => (mysql ? `CAST(${expr} AS DECIMAL(65,0))` : `(${expr})`);
  const ePlusHalf = `(${wide('u.running_seconds')} * u.running_rate + ${wide('u.stopped_seconds')} * u.stopped_rate
    + ${wide('u.suspended_seconds')} * u.suspended_rate + 1800)`;
  const h = wide('u.charge - u.upfront_charge');
  return `(u.upfront_charge < 0 OR u.charge < u.upfront_charge
  OR (u.capped = 0 AND (${h} * 3600 > ${ePlusHalf} OR (${h} + 1) * 3600 <= ${ePlusHalf}))
  OR (u.capped <> 0 AND (${h} + 1) * 3600 > ${ePlusHalf}))`;
}

const count = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/** Usage rows of the given instances (`idList` is their placeholders), summed per instance, plan and month. */
export function auditUsageSql(mysql: boolean, idList: string): string {
  return `SELECT u.instance_id AS instance_id, u.plan_id AS plan_id, u.month_key AS month_key,
  COUNT(*) AS row_count,
  COUNT(DISTINCT u.hour_start_ms) AS hour_count,
  COUNT(DISTINCT u.period_start_ms) AS piece_count,
  MIN(u.hour_start_ms) AS first_hour,
  MAX(u.hour_start_ms) AS last_hour,
  ${count(`NOT ${inSettledLife}`)} AS outside_rows,
  ${count(`NOT ${backedBySegment}`)} AS unbacked_rows,
  ${count(`${secondsDoNotAddUp} OR ${chargeDoesNotFollow(mysql)}`)} AS bad_rows,
  ${count('u.upfront_charge > 0')} AS upfront_rows,
  MIN(CASE WHEN u.upfront_charge > 0 THEN u.hour_start_ms END) AS first_upfront_hour,
  MIN(CASE WHEN u.capped <> 0 THEN u.hour_start_ms END) AS first_capped_hour,
  MAX(CASE WHEN u.charge - u.upfront_charge > 0 THEN u.hour_start_ms END) AS last_charged_hour
FROM cloud_billing_usage u
JOIN cloud_billing_instances i ON i.id = u.instance_id
WHERE u.instance_id IN (${idList}) AND u.superseded = 0
GROUP BY u.instance_id, u.plan_id, u.month_key`;
}
