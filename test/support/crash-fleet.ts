import { LedgerService } from '../../src/accounts/ledger.service';
import { HOUR_MS } from '../../src/billing/rating';
import { parseCredits } from '../../src/common/money';
import { Isolation, UnitOfWork } from '../../src/common/unit-of-work';
import { InstanceRegistration, InstanceService } from '../../src/instances/instance.service';
import { bulkInsert } from '../../src/common/bulk-write';
import { managerOf } from '../../src/common/tx';
import { MeteredUsageEntity } from '../../src/metering/metered-usage.entity';
import { createPlan } from './billing-fixtures';
import { TEST_CLOCK_START, TestApp } from './test-app';

/** Everything is settled up to here: the instances are created on this hour. */
export const SETTLED_UNTIL = TEST_CLOCK_START;
export const CATCH_UP_HOURS = 24;
/** The run that catches up: a minute past the hour, as the hourly job runs, 24 hours after the last one. */
export const CATCH_UP_AT = new Date(SETTLED_UNTIL.getTime() + CATCH_UP_HOURS * HOUR_MS + 60_000);

export const CRASH_THRESHOLDS = { lowBalanceThreshold: '10', negativeBalanceThreshold: '0', suspensionThreshold: '-5' };
const HOURLY_PRICES = ['1', '0.5'];
/** A resource rule on the first plan: 0.01 an hour per instance, in every state. */
const RULE_HOURLY = '0.01';
/** Every instance reports 1 GB of traffic at 0.01 a GB, in the sixth hour of the catch-up. */
const REPORT_CHARGE = '0.01';
const REPORT_AT_MS = SETTLED_UNTIL.getTime() + 5.5 * HOUR_MS;

/**
 * Where each account's balance ends after the 24 hours, by account number / 5 modulo 5: well above every
 * threshold, at or below the low one, at or below 0 (above the suspension threshold), just below the
 * suspension threshold, far below it. Every account starts above the low threshold, so no email is owed at T.
 */
const ENDING_CREDITS = [40, 4, -2, -8, -15];

export interface CrashFleet {
  accounts: number;
  instances: number;
  /** instances × hours: what the catch-up must settle, each exactly once. */
  instanceHours: number;
  /** Instances on the plan with a rule × hours: the rule usage rows the catch-up must write, each once. */
  ruleHours: number;
  /** Usage reports the catch-up must bill, each once. */
  reports: number;
}

export const crashUserId = (n: number) => `crash-u${String(n).padStart(4, '0')}`;
const instanceCount = (n: number) => 3 + (n % 5);
const endingClass = (n: number) => Math.floor(n / 5) % ENDING_CREDITS.length;

/**
 * A few hundred accounts with 3 to 7 running instances each (1,000 for 200 accounts) on two plans, each account
 * topped up so that its balance after the catch-up lands in the class ENDING_CREDITS gives it (plus up to
 * 0.06 credits, so that balances vary within a class). Written through the services, in two transactions.
 */
export async function seedCrashFleet(t: TestApp, accounts: number): Promise<CrashFleet> {
  await t.as('admin').patch('/admin/settings', CRASH_THRESHOLDS).expect(200);
  const planIds: number[] = [];
  for (const hourlyPrice of HOURLY_PRICES) planIds.push(await createPlan(t, { hourlyPrice }));
  await t
    .as('admin')
    .post(`/admin/plans/${planIds[0]}/rules`, {
      key: 'ipv4',
      name: 'IPv4 address',
      unit: 'address',
      price: RULE_HOURLY,
      periodSeconds: 3_600,
      kind: 'postpaid',
      quantitySource: 'fixed',
      fixedQuantity: '1',
      on: ['terminated'],
      except: true,
    })
    .expect(201);
  const counter = await t
    .as('admin')
    .post('/admin/counters', {
      key: 'traffic-out',
      name: 'Outgoing traffic',
      unitName: 'GB',
      measurementUnit: '1',
      ranges: [{ from: '0', price: REPORT_CHARGE }],
    })
    .expect(201);
  let ruleInstances = 0;

  const atMs = SETTLED_UNTIL.getTime();
  const registrations: InstanceRegistration[] = [];
  const topUps: { userId: string; amount: number }[] = [];
  for (let n = 0; n < accounts; n++) {
    const userId = crashUserId(n);
    let hourly = 0;
    for (let i = 0; i < instanceCount(n); i++) {
      const plan = (n + i) % planIds.length;
      hourly += parseCredits(HOURLY_PRICES[plan]) + (plan === 0 ? parseCredits(RULE_HOURLY) : 0);
      if (plan === 0) ruleInstances += 1;
      const id = `${userId}-vm${i}`;
      registrations.push({ id, userId, name: id, planId: planIds[plan], locationId: null, hypervisorId: null, atMs });
    }
    const ending = parseCredits(ENDING_CREDITS[endingClass(n)]) + (n % 7) * 10_000;
    const reported = instanceCount(n) * parseCredits(REPORT_CHARGE);
    topUps.push({ userId, amount: hourly * CATCH_UP_HOURS + reported + ending });
  }

  const instances = t.app.get(InstanceService);
  const unitOfWork = t.app.get(UnitOfWork);
  const writes = { isolation: Isolation.LockedWrites };
  await unitOfWork.run((tx) => instances.registerManyIn(tx, registrations), writes);
  // Stored as the usage API stores reports that arrived during the hours the catch-up settles (the API itself would
  // refuse them now, at T, as dated in the future).
  await unitOfWork.run(
    (tx) =>
      bulkInsert(
        managerOf(tx),
        MeteredUsageEntity,
        registrations.map((instance) => ({
          reportId: `${instance.id}-traffic`,
          instanceId: instance.id,
          userId: instance.userId,
          counterId: counter.body.id,
          atMs: REPORT_AT_MS,
          hourStartMs: Math.floor(REPORT_AT_MS / HOUR_MS) * HOUR_MS,
          quantity: 1_000_000,
          reading: null,
          receivedAtMs: REPORT_AT_MS,
          billedAtMs: null,
          chargeMicros: null,
          late: false,
          monthKey: null,
          dayKey: null,
        })),
      ),
    writes,
  );
  const ledger = t.app.get(LedgerService);
  await unitOfWork.run(async (tx) => {
    for (const { userId, amount } of topUps) {
      await ledger.post(tx, { userId, kind: 'topup', amount, idempotencyKey: `topup:crash:${userId}` });
    }
  }, writes);
  return {
    accounts,
    instances: registrations.length,
    instanceHours: registrations.length * CATCH_UP_HOURS,
    ruleHours: ruleInstances * CATCH_UP_HOURS,
    reports: registrations.length,
  };
}
