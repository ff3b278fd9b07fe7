import { startTestApp, TestApp } from './support/test-app';
import { testEngine } from './support/test-database';

const ROUNDS = 10;

/** Seven fields no rule ties together, each with a value that differs every round. */
const fieldChanges = (round: number): Record<string, unknown>[] => [
  { lowBalanceThreshold: String(20 + round) },
  { allowCreateOnNegativeBalance: round % 2 === 0 },
  { autoUnsuspend: round % 2 === 1 },
  { terminateAfterDaysSuspended: 10 + round },
  { billingGranularitySeconds: 60 + round },
  { runwayWarningHours: 30 + round },
  { lateEventWindowHours: 100 + round },
];

const report = (name: string, rounds: number, broken: string[]) =>
  console.log(`[cloud-billing] ${name} (${testEngine()}): ${rounds} rounds, ${broken.length} invariants broken`);

describe('admin settings under concurrent PATCHes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const settings = async () => (await t.as('admin').get('/admin/settings').expect(200)).body;

  it('keeps every field of seven concurrent PATCHes of different fields', async () => {
    const lost: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const changes = fieldChanges(round);
      const responses = await Promise.all(changes.map((change) => t.as('admin').patch('/admin/settings', change)));
      expect(responses.map((response) => response.status)).toEqual(changes.map(() => 200));
      const saved = await settings();
      for (const [field, value] of changes.flatMap(Object.entries)) {
        if (saved[field] !== value) lost.push(`round ${round}: ${field} is ${saved[field]}, not ${value}`);
      }
    }
    report('settings: 7 concurrent PATCHes', ROUNDS, lost);
    expect(lost).toEqual([]);
  });

  it('lets only one of two changes that are each valid alone but not together succeed', async () => {
    const broken: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await t
        .as('admin')
        .patch('/admin/settings', {
          lowBalanceThreshold: '10',
          negativeBalanceThreshold: '-10',
          suspensionThreshold: '-20',
        })
        .expect(200);
      // Alone, each keeps suspension ≤ negative; together they would leave suspension (-12) above negative (-15).
      const [negative, suspension] = await Promise.all([
        t.as('admin').patch('/admin/settings', { negativeBalanceThreshold: '-15' }),
        t.as('admin').patch('/admin/settings', { suspensionThreshold: '-12' }),
      ]);
      const refused = [negative, suspension].filter((response) => response.status === 400);
      const statuses = [negative.status, suspension.status].sort().join(' and ');
      if (statuses !== '200 and 400') broken.push(`round ${round}: answered ${statuses}`);
      for (const response of refused) {
        expect(response.body.errors).toContainEqual(
          expect.objectContaining({ rule: 'suspensionThreshold <= negativeBalanceThreshold' }),
        );
      }
      const saved = await settings();
      if (Number(saved.suspensionThreshold) > Number(saved.negativeBalanceThreshold)) {
        broken.push(
          `round ${round}: saved suspension ${saved.suspensionThreshold} > negative ${saved.negativeBalanceThreshold}`,
        );
      }
    }
    report('settings: -15 / -12 pair', ROUNDS, broken);
    expect(broken).toEqual([]);
  });
});
