import type { DataSource } from 'typeorm';

/**
 * What a billing run leaves that a user or admin can see, table by table, as rows keyed by what identifies them.
 * Ids and creation times are left out: they differ between two databases that did the same work.
 */
const TABLES = {
  accounts: {
    key: ['user_id'],
    sql: `SELECT user_id, balance, low_notified_at_ms, negative_notified_at_ms, runway_notified_at_ms,
            billing_suspended_at FROM cloud_billing_accounts`,
  },
  'ledger entries': {
    key: ['idempotency_key'],
    sql: 'SELECT idempotency_key, user_id, kind, amount, balance_after, hour_start_ms FROM cloud_billing_ledger_entries',
  },
  'usage rows': {
    key: ['instance_id', 'hour_start_ms', 'period_start_ms', 'plan_id', 'revision'],
    sql: `SELECT instance_id, hour_start_ms, period_start_ms, plan_id, revision, superseded, billed_seconds, charge
          FROM cloud_billing_usage`,
  },
  instances: {
    key: ['id'],
    sql: 'SELECT id, state, settled_until_ms, billing_suspended_at_ms FROM cloud_billing_instances',
  },
  'rule usage rows': {
    key: ['instance_id', 'rule_id', 'period_start_ms', 'revision'],
    sql: `SELECT instance_id, rule_id, period_start_ms, revision, superseded, quantity_seconds, charged_quantity,
            paid_quantity, charge FROM cloud_billing_rule_usage`,
  },
  'usage reports': {
    key: ['report_id'],
    sql: 'SELECT report_id, quantity, late, billed_at_ms, charge, month_key, day_key FROM cloud_billing_metered_usage',
  },
  'rule and counter totals': {
    key: ['instance_id', 'item', 'item_id', 'month_key'],
    sql: 'SELECT instance_id, item, item_id, month_key, quantity, charge FROM cloud_billing_metered_monthly',
  },
  'credit grants': {
    key: ['idempotency_key'],
    sql: `SELECT idempotency_key, user_id, category, amount, remaining, priority, expires_at_ms, closed_at_ms
          FROM cloud_billing_credit_grants`,
  },
  'grant draws': {
    key: ['entry_key', 'grant_key'],
    sql: `SELECT d.entry_key, g.idempotency_key AS grant_key, d.amount
          FROM cloud_billing_grant_draws d JOIN cloud_billing_credit_grants g ON g.id = d.grant_id`,
  },
  statements: {
    key: ['user_id', 'month'],
    sql: `SELECT user_id, month, number, opening_balance, closing_balance, closed_at_ms FROM cloud_billing_statements`,
  },
  'statement lines': {
    key: ['user_id', 'month', 'position'],
    sql: `SELECT s.user_id, s.month, l.position, l.section, l.kind, l.description, l.amount
          FROM cloud_billing_statement_lines l JOIN cloud_billing_statements s ON s.number = l.statement_number`,
  },
  'outbox rows': {
    key: ['dedupe_key'],
    sql: 'SELECT dedupe_key, channel, action, user_id, instance_id, status FROM cloud_billing_outbox',
  },
} as const;

type TableName = keyof typeof TABLES;
/** Per table: key → the row's other columns, as JSON. */
export type BillingSnapshot = Record<TableName, Map<string, string>>;

/** mysql2 gives BIGINTs as strings or numbers and DATETIMEs as Dates: one spelling for all, readable in a diff. */
const shown = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

export async function snapshotBilling(db: DataSource): Promise<BillingSnapshot> {
  const snapshot = {} as BillingSnapshot;
  for (const [name, table] of Object.entries(TABLES) as [TableName, (typeof TABLES)[TableName]][]) {
    const rows: Record<string, unknown>[] = await db.query(table.sql);
    snapshot[name] = new Map(
      rows.map((row) => {
        const key = table.key.map((column) => String(row[column])).join(' / ');
        const rest = Object.entries(row).filter(([column]) => !(table.key as readonly string[]).includes(column));
        return [key, JSON.stringify(Object.fromEntries(rest.map(([column, value]) => [column, shown(value)])))];
      }),
    );
  }
  return snapshot;
}

/** Each table where `actual` differs from `expected`: how many rows, and the first few, side by side. */
export function differencesFrom(expected: BillingSnapshot, actual: BillingSnapshot, shown = 3): string[] {
  const found: string[] = [];
  for (const name of Object.keys(TABLES) as TableName[]) {
    const want = expected[name];
    const got = actual[name];
    const keys = new Set([...want.keys(), ...got.keys()]);
    const differing = [...keys].filter((key) => want.get(key) !== got.get(key)).sort();
    if (differing.length === 0) continue;
    const examples = differing
      .slice(0, shown)
      .map((key) => `${key}: control ${want.get(key) ?? '(none)'}, after the crash ${got.get(key) ?? '(none)'}`);
    found.push(
      `${name}: ${differing.length} of ${want.size} differ from the control run (${got.size} rows after the crash), ` +
        `e.g. ${examples.join('; ')}`,
    );
  }
  return found;
}
