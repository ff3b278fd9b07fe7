/**
 * "The user in `userIdColumn` has an instance running or stopped", as SQL for a feature above whose own statement
 * must filter on it (the accounts' threshold reconciliation, which pages over every account): one EXISTS probe by
 * the indexed user_id inside that statement, instead of a round trip per page, while the table and what counts as
 * still running stay the instances' to define.
 */
export const activeInstanceExistsSql = (userIdColumn: string): string =>
  `EXISTS (SELECT 1 FROM cloud_billing_instances active_instance WHERE active_instance.user_id = ${userIdColumn} ` +
  `AND active_instance.state IN ('running', 'stopped'))`;
