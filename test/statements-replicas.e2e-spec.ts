import { createPlan, registerInstance, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { describeReplicas } from './support/replicas';

const USERS = ['amy', 'ben', 'cat', 'dan', 'eve', 'fay'];

/**
 * Two replicas run billing for the same moment at once, right after a month ended: both settle and both try to
 * close every user's month. Each month is closed once, and the numbers are 1…n with no gap and none twice.
 */
describeReplicas('monthly statements closed by two replicas at once', (replicas) => {
  it('closes each user once, numbered without gaps', async () => {
    const { a, b } = replicas();
    await a.as('admin').patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000' }).expect(200);
    const planId = await createPlan(a, { hourlyPrice: '0.5' });
    stopTheWorldAt(a, '2026-04-30T12:00:00Z');
    stopTheWorldAt(b, '2026-04-30T12:00:00Z');
    for (const [index, user] of USERS.entries()) {
      await topUp(a, user, String(10 + index), `pay-${user}`).expect(201);
      await registerInstance(a, `vm-${user}`, user, planId, '2026-04-30T12:00:00Z');
    }
    stopTheWorldAt(a, '2026-05-01T00:05:00Z');
    stopTheWorldAt(b, '2026-05-01T00:05:00Z');
    await Promise.all([
      a.as('admin').post('/admin/billing/run').expect(200),
      b.as('admin').post('/admin/billing/run').expect(200),
      a.as('admin').post('/admin/billing/run').expect(200),
      b.as('admin').post('/admin/billing/run').expect(200),
    ]);
    const listed = (await b.as('admin').get('/admin/statements?month=2026-04').expect(200)).body as {
      userId: string;
      number: number;
      closingBalance: { credits: string };
    }[];
    expect(listed.map((statement) => statement.userId).sort()).toEqual(USERS);
    expect(listed.map((statement) => statement.number).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
    // 12 hours at 0.5 from each top-up: the closing balance is the balance.
    for (const [index, user] of USERS.entries()) {
      const own = (await a.as(user).get('/me/statements/2026-04').expect(200)).body;
      expect(own.closingBalance.credits).toBe(String(10 + index - 6));
    }
  });
});
