/*
 * The audit's money checks across features, one statement each for a page of accounts, written once for
 * both engines. Only rows that disagree come back, so a sound page costs one grouped scan.
 */

/**
 * Per account and hour: what the ledger took for the hour (charges, re-rating adjustments and late usage
 * reports' adjustments name it) against what the hour's current usage rows, rule usage rows and billed usage
 * reports charge. A late registration's second charge and every
 * adjustment are counted; a missing, doubled or stray entry shows as a difference.
 */
export function accountHourMismatchSql(idList: string): string {
  return `SELECT x.user_id AS user_id, x.hour_start_ms AS hour_start_ms,
  SUM(x.ledger) AS ledger, SUM(x.usage_charge) AS usage_charge
FROM (
  SELECT e.user_id AS user_id, e.hour_start_ms AS hour_start_ms, -e.amount AS ledger, 0 AS usage_charge
  FROM cloud_billing_ledger_entries e
  WHERE e.user_id IN (${idList}) AND e.hour_start_ms IS NOT NULL AND e.kind IN ('charge', 'adjustment')
  UNION ALL
  SELECT u.user_id, u.hour_start_ms, 0, u.charge
  FROM cloud_billing_usage u
  WHERE u.user_id IN (${idList}) AND u.superseded = 0
  UNION ALL
  SELECT r.user_id, r.hour_start_ms, 0, r.charge
  FROM cloud_billing_rule_usage r
  WHERE r.user_id IN (${idList}) AND r.superseded = 0
  UNION ALL
  SELECT m.user_id, m.hour_start_ms, 0, m.charge
  FROM cloud_billing_metered_usage m
  WHERE m.user_id IN (${idList}) AND m.billed_at_ms IS NOT NULL
) x
GROUP BY x.user_id, x.hour_start_ms
HAVING SUM(x.ledger) <> SUM(x.usage_charge)
ORDER BY x.user_id, x.hour_start_ms`;
}

/**
 * Rollups against their rows: each monthly row (instance, plan, month) and each daily row (user, day)
 * must hold exactly the charge and seconds of the current usage rows filed under it, and no current row
 * may lack its rollup. The daily row's shares of rules and counters must hold their rows' charges, and each
 * running total of a rule or counter (instance, rule or counter, month) its rows' quantity and charge.
 */
export function rollupMismatchSql(idList: string): string {
  const sums = (key: string) => `SELECT ${key}, SUM(u.charge) AS charge, SUM(u.billed_seconds) AS seconds
    FROM cloud_billing_usage u WHERE u.user_id IN (${idList}) AND u.superseded = 0`;
  const ruleSums = (key: string, extra = '') => `SELECT ${key}, SUM(r.charge) AS charge${extra}
    FROM cloud_billing_rule_usage r WHERE r.user_id IN (${idList}) AND r.superseded = 0`;
  const counterSums = (key: string, extra = '') => `SELECT ${key}, SUM(c.charge) AS charge${extra}
    FROM cloud_billing_metered_usage c WHERE c.user_id IN (${idList}) AND c.billed_at_ms IS NOT NULL`;
  // The daily rollup's charge holds rules' and counters' shares too; the instance's is what is left.
  const instancePart = 'd.charge - d.rule_charge - d.counter_charge';
  return `SELECT 'month' AS scope, m.user_id AS user_id, m.instance_id AS instance_id, m.plan_id AS plan_id,
  m.month_key AS period, m.charge AS rollup_charge, COALESCE(s.charge, 0) AS row_charge,
  m.billed_seconds AS rollup_seconds, COALESCE(s.seconds, 0) AS row_seconds
FROM cloud_billing_monthly_usage m
LEFT JOIN (${sums('u.instance_id, u.plan_id, u.month_key')} GROUP BY u.instance_id, u.plan_id, u.month_key) s
  ON s.instance_id = m.instance_id AND s.plan_id = m.plan_id AND s.month_key = m.month_key
WHERE m.user_id IN (${idList}) AND (m.charge <> COALESCE(s.charge, 0) OR m.billed_seconds <> COALESCE(s.seconds, 0))
UNION ALL
SELECT 'month', s.user_id, s.instance_id, s.plan_id, s.month_key, 0, s.charge, 0, s.seconds
FROM (${sums('u.user_id, u.instance_id, u.plan_id, u.month_key')}
  GROUP BY u.user_id, u.instance_id, u.plan_id, u.month_key) s
LEFT JOIN cloud_billing_monthly_usage m
  ON m.instance_id = s.instance_id AND m.plan_id = s.plan_id AND m.month_key = s.month_key
WHERE m.instance_id IS NULL
UNION ALL
SELECT 'day', d.user_id, NULL, NULL, d.day_key, ${instancePart}, COALESCE(s.charge, 0), d.billed_seconds,
  COALESCE(s.seconds, 0)
FROM cloud_billing_daily_usage d
LEFT JOIN (${sums('u.user_id, u.day_key')} AND u.day_key IS NOT NULL GROUP BY u.user_id, u.day_key) s
  ON s.user_id = d.user_id AND s.day_key = d.day_key
WHERE d.user_id IN (${idList}) AND (${instancePart} <> COALESCE(s.charge, 0) OR d.billed_seconds <> COALESCE(s.seconds, 0))
UNION ALL
SELECT 'rule-day', d.user_id, NULL, NULL, d.day_key, d.rule_charge, COALESCE(r.charge, 0), 0, 0
FROM cloud_billing_daily_usage d
LEFT JOIN (${ruleSums('r.user_id, r.day_key')} GROUP BY r.user_id, r.day_key) r
  ON r.user_id = d.user_id AND r.day_key = d.day_key
WHERE d.user_id IN (${idList}) AND d.rule_charge <> COALESCE(r.charge, 0)
UNION ALL
SELECT 'counter-day', d.user_id, NULL, NULL, d.day_key, d.counter_charge, COALESCE(c.charge, 0), 0, 0
FROM cloud_billing_daily_usage d
LEFT JOIN (${counterSums('c.user_id, c.day_key')} GROUP BY c.user_id, c.day_key) c
  ON c.user_id = d.user_id AND c.day_key = d.day_key
WHERE d.user_id IN (${idList}) AND d.counter_charge <> COALESCE(c.charge, 0)
UNION ALL
SELECT CASE m.item WHEN 'rule' THEN 'rule-month' ELSE 'counter-month' END, m.user_id, m.instance_id, m.item_id, m.month_key, m.charge, COALESCE(x.charge, 0), m.quantity,
  COALESCE(x.quantity, 0)
FROM cloud_billing_metered_monthly m
LEFT JOIN (
  ${ruleSums("r.instance_id, 'rule' AS item, r.rule_id AS item_id, r.month_key", ', SUM(COALESCE(r.charged_quantity, r.quantity_seconds)) AS quantity')}
    GROUP BY r.instance_id, r.rule_id, r.month_key
  UNION ALL
  ${counterSums("c.instance_id, 'counter', c.counter_id, c.month_key", ', SUM(c.quantity)')}
    GROUP BY c.instance_id, c.counter_id, c.month_key
) x ON x.instance_id = m.instance_id AND x.item = m.item AND x.item_id = m.item_id AND x.month_key = m.month_key
WHERE m.user_id IN (${idList}) AND (m.charge <> COALESCE(x.charge, 0) OR m.quantity <> COALESCE(x.quantity, 0))`;
}

/** Usage reports still unbilled that should not be (ProofRepository.unbilledReports); the last `?` is the late bound. */
export function unbilledReportsSql(idList: string): string {
  return `SELECT m.user_id AS user_id, m.instance_id AS instance_id, m.report_id AS report_id,
  m.hour_start_ms AS hour_start_ms, m.received_at_ms AS received_at_ms, m.late AS late
FROM cloud_billing_metered_usage m
JOIN cloud_billing_instances i ON i.id = m.instance_id
WHERE m.user_id IN (${idList}) AND m.billed_at_ms IS NULL
  AND ((m.late = 0 AND m.hour_start_ms < i.settled_until_ms) OR (m.late <> 0 AND m.received_at_ms < ?))
ORDER BY m.user_id, m.id`;
}
