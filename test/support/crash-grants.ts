import { DataSource } from 'typeorm';
import { GrantService } from '../../src/accounts/grants/grant.service';
import { LedgerService } from '../../src/accounts/ledger.service';
import { parseCredits } from '../../src/common/money';
import { Isolation, UnitOfWork } from '../../src/common/unit-of-work';
import { InstanceRegistration, InstanceService } from '../../src/instances/instance.service';
import type { TestApp } from './test-app';

/*
 * The grant and statement crash suite's accounts and checks: accounts with credit grants expiring during a
 * 12-hour catch-up that ends a month, so that one billing run settles, expires grants and closes statements.
 */

/** Where the accounts are created and everything is settled up to; the test app's clock starts here. */
export const GRANTS_SEEDED_AT = new Date('2026-03-31T12:00:00Z');
/** The catch-up run: a minute past midnight, 12 hours after the last run, March just ended (time zone UTC). */
export const GRANTS_RUN_AT = new Date('2026-04-01T00:01:00Z');
export const CLOSED_MONTH = '2026-03';
const MONTH_END_MS = Date.parse('2026-04-01T00:00:00Z');

interface GrantTerms {
  amount: string;
  category: 'paid' | 'promotional';
  priority?: number;
  expiresAt?: string;
}

/**
 * The grants of account n, by n % 6; with 1 or 2 instances at 1 credit an hour (by n / 6), a grant ends up drawn in
 * part and its remainder expiring, drawn to 0 before its expiry (closed without an entry), or still open after the
 * run; one expires at the month's very end, so its entry belongs to the next month's statement.
 */
const GRANT_PATTERNS: GrantTerms[][] = [
  [{ amount: '5', category: 'promotional', expiresAt: '2026-03-31T15:30:00Z' }],
  [
    { amount: '20', category: 'promotional', expiresAt: '2026-03-31T18:00:00Z' },
    { amount: '10', category: 'paid', priority: 5, expiresAt: '2026-04-01T00:00:00Z' },
  ],
  [
    { amount: '8', category: 'promotional' },
    { amount: '6', category: 'promotional', priority: 10, expiresAt: '2026-03-31T20:00:00Z' },
  ],
  [{ amount: '30', category: 'promotional', expiresAt: '2026-04-02T00:00:00Z' }],
  [],
  [
    { amount: '15', category: 'paid', expiresAt: '2026-03-31T23:30:00Z' },
    { amount: '2', category: 'promotional', expiresAt: '2026-03-31T13:00:00Z' },
  ],
];

export const grantsUserId = (n: number) => `gx-u${String(n).padStart(3, '0')}`;

export interface GrantsFleet {
  accounts: number;
  /** Grants whose expiry comes by the run: each must be closed by it, its remainder out exactly once. */
  expiring: number;
}

/**
 * On an app whose clock stands at GRANTS_SEEDED_AT: settings and the plan through the API, then every top-up, grant
 * and instance through the services in one transaction (a few hundred requests would each commit on their own).
 */
export async function seedGrantsFleet(t: TestApp, accounts: number): Promise<GrantsFleet> {
  await t
    .as('admin')
    .patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000', lowBalanceThreshold: '5' })
    .expect(200);
  // Named alike on every database, as statements quote the plan's name.
  const group = await t.as('admin').post('/admin/plan-groups', { name: 'Grants', slug: 'grants' }).expect(201);
  const { body: plan } = await t
    .as('admin')
    .post('/admin/plans', {
      groupId: group.body.id,
      name: 'Hourly',
      slug: 'hourly',
      vcpus: 1,
      ramMb: 1024,
      diskGb: 20,
      hourlyPrice: '1',
    })
    .expect(201);
  const atMs = GRANTS_SEEDED_AT.getTime();
  const ledger = t.app.get(LedgerService);
  const grants = t.app.get(GrantService);
  const registrations: InstanceRegistration[] = [];
  let expiring = 0;
  await t.app.get(UnitOfWork).run(
    async (tx) => {
      for (let n = 0; n < accounts; n++) {
        const userId = grantsUserId(n);
        await ledger.post(tx, { userId, kind: 'topup', amount: parseCredits('30'), idempotencyKey: `topup:gx-${n}` });
        for (const [index, terms] of GRANT_PATTERNS[n % GRANT_PATTERNS.length].entries()) {
          const expiresAtMs = terms.expiresAt ? Date.parse(terms.expiresAt) : null;
          const kind = terms.category === 'promotional' ? 'grant' : 'topup';
          await grants.postGrant(tx, {
            userId,
            amount: parseCredits(terms.amount),
            kind,
            idempotencyKey: `${kind}:gx-${n}-${index}`,
            terms: { category: terms.category, priority: terms.priority ?? 0, expiresAtMs },
          });
          if (expiresAtMs !== null && expiresAtMs <= GRANTS_RUN_AT.getTime()) expiring += 1;
        }
        const instances = 1 + (Math.floor(n / GRANT_PATTERNS.length) % 2);
        for (let i = 0; i < instances; i++) {
          const id = `${userId}-vm${i}`;
          registrations.push({ id, userId, name: id, planId: plan.id, locationId: null, hypervisorId: null, atMs });
        }
      }
      await t.app.get(InstanceService).registerManyIn(tx, registrations);
    },
    { isolation: Isolation.LockedWrites },
  );
  return { accounts, expiring };
}

type Row = Record<string, unknown>;
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
/** Accounts or grants a check names at most. */
const SHOWN = 5;
const described = (what: string, items: string[]) =>
  items.length === 0 ? [] : [`${items.length} ${what}, e.g. ${items.slice(0, SHOWN).join('; ')}`];

/** What the run has committed so far: how far a killed run got. */
export async function grantsProgress(db: DataSource) {
  const [row] = (await db.query(
    `SELECT
       (SELECT COUNT(*) FROM cloud_billing_ledger_entries WHERE kind = 'charge') AS charges,
       (SELECT COUNT(*) FROM cloud_billing_credit_grants WHERE closed_at_ms IS NOT NULL) AS closed_grants,
       (SELECT COUNT(*) FROM cloud_billing_ledger_entries WHERE kind = 'expiry') AS expiries,
       (SELECT COUNT(*) FROM cloud_billing_statements) AS statements`,
  )) as Row[];
  return {
    charges: Number(row.charges),
    closedGrants: Number(row.closed_grants),
    expiries: Number(row.expiries),
    statements: Number(row.statements),
  };
}

/**
 * Every grant whose expiry came is closed at 0 with exactly one `expiry` entry when something was left, of the
 * grant's amount less what charges drew, dated at the expiry; the others are open with their amount less their
 * draws left; no expiry entry without its grant. Also how many grants ended each way: the suite is only worth
 * something if none of these classes is empty.
 */
export async function inspectGrants(db: DataSource): Promise<{ breaches: string[]; classes: Record<string, number> }> {
  const grants = (await db.query(
    `SELECT g.id, g.user_id, g.amount, g.remaining, g.expires_at_ms, g.closed_at_ms,
       (SELECT COALESCE(SUM(d.amount), 0) FROM cloud_billing_grant_draws d WHERE d.grant_id = g.id) AS drawn
     FROM cloud_billing_credit_grants g ORDER BY g.id`,
  )) as Row[];
  const expiries = (await db.query(
    "SELECT idempotency_key, amount, hour_start_ms FROM cloud_billing_ledger_entries WHERE kind = 'expiry'",
  )) as Row[];
  const byKey = new Map(expiries.map((entry) => [String(entry.idempotency_key), entry]));
  const classes = { expiredInTheMonth: 0, expiredAtTheMonthEnd: 0, usedUpBeforeExpiry: 0, stillOpen: 0 };
  const wrong: string[] = [];
  for (const grant of grants) {
    const key = `expiry:${grant.id}`;
    const left = Number(grant.amount) - Number(grant.drawn);
    const entry = byKey.get(key);
    byKey.delete(key);
    const expiresAtMs = num(grant.expires_at_ms);
    const closed = num(grant.closed_at_ms) !== null;
    const due = expiresAtMs !== null && expiresAtMs <= GRANTS_RUN_AT.getTime();
    const right = due
      ? closed &&
        Number(grant.remaining) === 0 &&
        (left === 0
          ? entry === undefined
          : entry !== undefined && Number(entry.amount) === -left && num(entry.hour_start_ms) === expiresAtMs)
      : !closed && Number(grant.remaining) === left && entry === undefined;
    if (!right || left < 0) {
      wrong.push(
        `grant ${grant.id} of ${grant.user_id}: amount ${grant.amount}, drawn ${grant.drawn}, remaining ` +
          `${grant.remaining}, closed ${grant.closed_at_ms}, expiry entry ${entry ? entry.amount : 'none'}`,
      );
    }
    if (!closed) classes.stillOpen += 1;
    else if (!entry) classes.usedUpBeforeExpiry += 1;
    else if ((expiresAtMs as number) < MONTH_END_MS) classes.expiredInTheMonth += 1;
    else classes.expiredAtTheMonthEnd += 1;
  }
  return {
    breaches: [
      ...described('grants not expired exactly as their draws call for', wrong),
      ...described('expiry entries without their grant', [...byKey.keys()]),
    ],
    classes,
  };
}

/**
 * Each account has exactly one statement of the closed month and none other; numbers run 1…n, none twice; a
 * statement closes at its opening plus its lines, and holds every entry of the month (dated before its end) and
 * none after it.
 */
export async function statementBreaches(db: DataSource, fleet: GrantsFleet): Promise<string[]> {
  const statements = (await db.query(
    `SELECT s.number, s.user_id, s.month, s.opening_balance, s.closing_balance,
       (SELECT COALESCE(SUM(l.amount), 0) FROM cloud_billing_statement_lines l WHERE l.statement_number = s.number)
         AS lines_total,
       (SELECT COALESCE(SUM(e.amount), 0) FROM cloud_billing_ledger_entries e
         WHERE e.user_id = s.user_id AND COALESCE(e.hour_start_ms, 0) < ${MONTH_END_MS}) AS month_total,
       (SELECT COALESCE(SUM(e.amount), 0) FROM cloud_billing_statement_entries m
         JOIN cloud_billing_ledger_entries e ON e.id = m.entry_id WHERE m.statement_number = s.number) AS held_total
     FROM cloud_billing_statements s ORDER BY s.number`,
  )) as Row[];
  const misplaced = (await db.query(
    `SELECT e.idempotency_key FROM cloud_billing_ledger_entries e
     LEFT JOIN cloud_billing_statement_entries m ON m.entry_id = e.id
     WHERE (m.entry_id IS NULL) = (COALESCE(e.hour_start_ms, 0) < ${MONTH_END_MS})`,
  )) as Row[];
  const perUser = new Map<string, string[]>();
  for (const s of statements)
    perUser.set(String(s.user_id), [...(perUser.get(String(s.user_id)) ?? []), String(s.month)]);
  const notOnce = Array.from({ length: fleet.accounts }, (_, n) => grantsUserId(n))
    .map((userId) => ({ userId, months: perUser.get(userId) ?? [] }))
    .filter(({ months }) => months.length !== 1 || months[0] !== CLOSED_MONTH)
    .map(({ userId, months }) => `${userId}: ${JSON.stringify(months)}`);
  const numbers = statements.map((s) => Number(s.number));
  const gapless = numbers.every((number, index) => number === index + 1);
  const unbalanced = statements
    .filter(
      (s) =>
        Number(s.closing_balance) !== Number(s.opening_balance) + Number(s.lines_total) ||
        Number(s.closing_balance) !== Number(s.opening_balance) + Number(s.held_total) ||
        Number(s.closing_balance) !== Number(s.month_total),
    )
    .map(
      (s) =>
        `no. ${s.number} of ${s.user_id}: opening ${s.opening_balance}, lines ${s.lines_total}, closing ` +
        `${s.closing_balance}, entries held ${s.held_total}, the month's entries ${s.month_total}`,
    );
  return [
    ...described(`accounts without exactly one statement, of ${CLOSED_MONTH}`, notOnce),
    ...(gapless ? [] : [`statement numbers are not 1…${numbers.length}: ${numbers.join(', ')}`]),
    ...described('statements whose closing is not the opening plus their lines and entries', unbalanced),
    ...described(
      'entries in the wrong statement or none',
      misplaced.map((row) => String(row.idempotency_key)),
    ),
  ];
}

/** Balance = Σ ledger for every account. */
export async function unbalancedAccounts(db: DataSource): Promise<string[]> {
  const rows = (await db.query(
    `SELECT a.user_id FROM cloud_billing_accounts a
     LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM cloud_billing_ledger_entries GROUP BY user_id) l
       ON l.user_id = a.user_id
     WHERE a.balance <> COALESCE(l.total, 0)`,
  )) as Row[];
  return described(
    'accounts whose balance is not the sum of their ledger',
    rows.map((row) => String(row.user_id)),
  );
}
