import { DataSource } from 'typeorm';
import { hourStartOf } from '../../src/billing/rating';
import { parseCredits } from '../../src/common/money';
import { CATCH_UP_AT, CRASH_THRESHOLDS, CrashFleet } from './crash-fleet';
import { BillingSnapshot, snapshotBilling } from './crash-snapshot';
import type { TestApp } from './test-app';

/** Accounts a check names at most in its message. */
const SHOWN = 5;
const LOW = parseCredits(CRASH_THRESHOLDS.lowBalanceThreshold);
const NEGATIVE = parseCredits(CRASH_THRESHOLDS.negativeBalanceThreshold);
const SUSPENSION = parseCredits(CRASH_THRESHOLDS.suspensionThreshold);

const described = (what: string, ids: string[]) =>
  ids.length === 0 ? [] : [`${ids.length} ${what}, e.g. ${ids.slice(0, SHOWN).join(', ')}`];

const column = async (db: DataSource, sql: string, params: unknown[] = []) =>
  ((await db.query(sql, params)) as Record<string, unknown>[]).map((row) => String(Object.values(row)[0]));

/**
 * The invariants a catch-up must leave, read straight from the tables: every instance-hour charged exactly once,
 * every balance the sum of its ledger, every outbox row delivered. Returns what is broken, in words.
 */
export async function moneyBreaches(db: DataSource, fleet: CrashFleet): Promise<string[]> {
  const twice = await column(
    db,
    `SELECT CONCAT(instance_id, ' ', hour_start_ms) FROM cloud_billing_usage WHERE superseded = 0
     GROUP BY instance_id, hour_start_ms HAVING COUNT(*) > 1`,
  );
  const [charged] = await column(
    db,
    'SELECT COUNT(*) FROM (SELECT DISTINCT instance_id, hour_start_ms FROM cloud_billing_usage WHERE superseded = 0) h',
  );
  const behind = await column(db, 'SELECT id FROM cloud_billing_instances WHERE settled_until_ms < ?', [
    hourStartOf(CATCH_UP_AT).getTime(),
  ]);
  const unbalanced = await column(
    db,
    `SELECT a.user_id FROM cloud_billing_accounts a
     LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM cloud_billing_ledger_entries GROUP BY user_id) l
       ON l.user_id = a.user_id
     WHERE a.balance <> COALESCE(l.total, 0)`,
  );
  const undelivered = await column(db, "SELECT dedupe_key FROM cloud_billing_outbox WHERE status <> 'done'");
  const rulesTwice = await column(
    db,
    `SELECT CONCAT(instance_id, ' ', period_start_ms) FROM cloud_billing_rule_usage WHERE superseded = 0
     GROUP BY instance_id, rule_id, period_start_ms HAVING COUNT(*) > 1`,
  );
  const [ruleHours] = await column(db, 'SELECT COUNT(*) FROM cloud_billing_rule_usage WHERE superseded = 0');
  const unbilled = await column(db, 'SELECT report_id FROM cloud_billing_metered_usage WHERE billed_at_ms IS NULL');
  return [
    ...described('instance-hours charged more than once', twice),
    ...(Number(charged) === fleet.instanceHours
      ? []
      : [`${charged} instance-hours charged, ${fleet.instanceHours} due (each instance × 24 hours, once)`]),
    ...described('instances not settled up to the run', behind),
    ...described('accounts whose balance is not the sum of their ledger', unbalanced),
    ...described('outbox rows not delivered', undelivered),
    ...described('rule-hours charged more than once', rulesTwice),
    ...(Number(ruleHours) === fleet.ruleHours ? [] : [`${ruleHours} rule-hours charged, ${fleet.ruleHours} due`]),
    ...described('usage reports not billed', unbilled),
  ];
}

/** What every account's balance calls for after the run, by the thresholds the fleet was given. */
const EMAIL_RULES = [
  { kind: 'low-balance', owed: `balance <= ${LOW}`, rule: `at or below ${CRASH_THRESHOLDS.lowBalanceThreshold}` },
  {
    kind: 'negative-balance',
    owed: `balance <= ${NEGATIVE}`,
    rule: `at or below ${CRASH_THRESHOLDS.negativeBalanceThreshold}`,
  },
  { kind: 'suspended', owed: `balance < ${SUSPENSION}`, rule: `below ${CRASH_THRESHOLDS.suspensionThreshold}` },
];

/**
 * Every account's threshold state as its balance calls for: below the suspension threshold no instance runs,
 * each warning it is owed sent exactly once, none it is not owed, and no email of any kind twice.
 */
export async function thresholdBreaches(db: DataSource): Promise<string[]> {
  const stillRunning = await column(
    db,
    `SELECT DISTINCT a.user_id FROM cloud_billing_accounts a
     JOIN cloud_billing_instances i ON i.user_id = a.user_id AND i.state IN ('running', 'stopped')
     WHERE a.balance < ? ORDER BY a.user_id`,
    [SUSPENSION],
  );
  const found = described(
    `accounts below the suspension threshold (${CRASH_THRESHOLDS.suspensionThreshold}) still have running instances`,
    stillRunning,
  );
  for (const { kind, owed, rule } of EMAIL_RULES) {
    const sent = `(SELECT COUNT(*) FROM cloud_billing_outbox o
                   WHERE o.user_id = a.user_id AND o.channel = 'email' AND o.action = '${kind}')`;
    const missing = await column(
      db,
      `SELECT user_id FROM cloud_billing_accounts a WHERE ${owed} AND ${sent} = 0 ORDER BY user_id`,
    );
    const unowed = await column(
      db,
      `SELECT user_id FROM cloud_billing_accounts a WHERE NOT (${owed}) AND ${sent} > 0 ORDER BY user_id`,
    );
    found.push(
      ...described(`accounts ${rule} credits got no ${kind} email`, missing),
      ...described(`accounts not ${rule} credits got a ${kind} email`, unowed),
    );
  }
  const twice = await column(
    db,
    `SELECT CONCAT(user_id, ' ', action) FROM cloud_billing_outbox WHERE channel = 'email'
     GROUP BY user_id, action HAVING COUNT(*) > 1`,
  );
  return [...found, ...described('emails sent more than once to the same account', twice)];
}

/** How many accounts ended in each class the fleet aims at: the suite is only worth something if none is empty. */
export async function thresholdClasses(db: DataSource): Promise<Record<string, number>> {
  const [row] = (await db.query(
    `SELECT SUM(balance > ?) AS healthy, SUM(balance <= ? AND balance > ?) AS low,
            SUM(balance <= ? AND balance >= ?) AS negative, SUM(balance < ?) AS suspended
     FROM cloud_billing_accounts`,
    [LOW, LOW, NEGATIVE, NEGATIVE, SUSPENSION, SUSPENSION],
  )) as Record<string, unknown>[];
  return Object.fromEntries(Object.entries(row).map(([name, count]) => [name, Number(count)]));
}

export interface CatchUpInspection {
  snapshot: BillingSnapshot;
  /** Broken invariants, wrong threshold states and audit findings, in words; empty when all is right. */
  breaches: string[];
  classes: Record<string, number>;
}

/** What the catch-up left, read through `t` (an app on the database, its clock at the run): tables, checks, audit. */
export async function inspectCatchUp(t: TestApp, fleet: CrashFleet): Promise<CatchUpInspection> {
  const db = t.app.get(DataSource);
  const audit = (await t.as('admin').get('/admin/audit').expect(200)).body;
  const audited = audit.ok
    ? []
    : [`the audit reports ${audit.breachCount} breaches, e.g. ${JSON.stringify(audit.breaches.slice(0, 3))}`];
  return {
    snapshot: await snapshotBilling(db),
    breaches: [...(await moneyBreaches(db, fleet)), ...(await thresholdBreaches(db)), ...audited],
    classes: await thresholdClasses(db),
  };
}
