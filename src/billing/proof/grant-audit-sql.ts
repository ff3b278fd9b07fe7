/*
 * The audit's credit grant checks, one statement each for a page of accounts, written for both engines (they
 * differ only in how a string is joined). The grants' and ledger's tables are read by name, as the other money
 * checks read them. Only rows that break a rule come back, so a sound page costs one pass over its grants by index.
 */

/** The grants of the page's users that break a rule of the grant model. */
export function grantMismatchSql(mysql: boolean, idList: string): string {
  const expiryKey = mysql ? "CONCAT('expiry:', g.id)" : "('expiry:' || g.id)";
  return `SELECT y.* FROM (
  SELECT g.id AS grant_id, g.user_id AS user_id, g.amount AS amount, g.remaining AS remaining,
    g.expires_at_ms AS expires_at_ms, g.closed_at_ms AS closed_at_ms,
    (SELECT COALESCE(SUM(d.amount), 0) FROM cloud_billing_grant_draws d WHERE d.grant_id = g.id) AS drawn,
    COALESCE(-x.amount, 0) AS expired,
    CASE WHEN x.id IS NULL THEN 0 ELSE 1 END AS has_expiry_entry,
    CASE WHEN g.closed_at_ms IS NULL AND g.expires_at_ms IS NOT NULL AND g.expires_at_ms <= ?
      AND NOT EXISTS (SELECT 1 FROM cloud_billing_instances i
        WHERE i.user_id = g.user_id AND i.settled_until_ms < g.expires_at_ms
          AND (i.terminated_at_ms IS NULL OR i.terminated_at_ms > i.settled_until_ms))
      THEN 1 ELSE 0 END AS overdue
  FROM cloud_billing_credit_grants g
  LEFT JOIN cloud_billing_ledger_entries x ON x.idempotency_key = ${expiryKey}
  WHERE g.user_id IN (${idList})
) y
WHERE y.amount <> y.remaining + y.drawn + y.expired
  OR y.remaining < 0
  OR (y.closed_at_ms IS NOT NULL AND y.remaining <> 0)
  OR (y.closed_at_ms IS NULL AND y.has_expiry_entry = 1)
  OR y.overdue = 1
ORDER BY y.user_id, y.grant_id`;
}

/**
 * Debits of the page's users whose draws on grants add up to more than the entry took (or whose entry is missing,
 * or another account's): a charge can never take more from its grants than it charged. A grant that paid a debt
 * when it came records that draw under its own credit entry, which the same rule bounds.
 */
export function overdrawnEntrySql(idList: string): string {
  return `SELECT d.entry_key AS entry_key, MIN(g.user_id) AS user_id, SUM(d.amount) AS drawn,
  MAX(e.amount) AS entry_amount, MAX(e.user_id) AS entry_user_id
FROM cloud_billing_grant_draws d
JOIN cloud_billing_credit_grants g ON g.id = d.grant_id
LEFT JOIN cloud_billing_ledger_entries e ON e.idempotency_key = d.entry_key
WHERE g.user_id IN (${idList})
GROUP BY d.entry_key
HAVING MAX(e.id) IS NULL OR MIN(d.amount) <= 0 OR SUM(d.amount) > ABS(MAX(e.amount))
  OR MAX(e.user_id) <> MIN(g.user_id)
ORDER BY MIN(g.user_id), d.entry_key`;
}
