import { DataSource } from 'typeorm';
import { BillingRunService } from '../src/billing/run/billing-run.service';
import { DemoNotifier, DemoProvisioner } from '../src/demo/demo-ports';
import { createPlan, registerInstance, sendEvent, setClock, stopTheWorldAt } from './support/billing-fixtures';
import { addHypervisor, createInstance, createLocation, createOfferedPlan } from './support/placement-fixtures';
import { describeReplicas } from './support/replicas';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z; the default currency is USD at $0.01 a credit, so "$1" = 100 credits.
const budgetRows = async (t: TestApp) =>
  (await t.app.get(DataSource).query('SELECT * FROM cloud_billing_budgets')) as unknown[];
const outboxKeys = async (t: TestApp, prefix: string): Promise<string[]> =>
  (
    (await t.app
      .get(DataSource)
      .query('SELECT dedupe_key FROM cloud_billing_outbox WHERE dedupe_key LIKE ? ORDER BY id', [`${prefix}%`])) as {
      dedupe_key: string;
    }[]
  ).map((row) => row.dedupe_key);

describe('budgets', () => {
  let t: TestApp;
  let mails: () => string[];
  let calls: () => string[];
  beforeEach(async () => {
    t = await startTestApp();
    // Thresholds out of the way: these users have no credit, and the budget is what is under test.
    await t
      .as('admin')
      .patch('/admin/settings', {
        lowBalanceThreshold: '-1000000',
        negativeBalanceThreshold: '-1000000',
        suspensionThreshold: '-1000000',
        allowCreateOnNegativeBalance: true,
        runwayWarningHours: 0,
      })
      .expect(200);
    const notifier = t.app.get(DemoNotifier);
    const provisioner = t.app.get(DemoProvisioner);
    mails = () => notifier.delivered.filter((m) => m.kind.startsWith('budget')).map((m) => m.idempotencyKey ?? '');
    calls = () => provisioner.calls.filter((c) => c.ok && !c.repeat).map((c) => `${c.action}:${c.instanceId}`);
  });
  afterEach(() => t.close());

  describe('/me/budget', () => {
    it('sets, reads and removes the budget in the display currency, stored in credits', async () => {
      await t.as('alice').get('/me/budget').expect(404);
      const { body } = await t.as('alice').put('/me/budget', { amount: '2.5', action: 'block-new' }).expect(200);
      expect(body).toMatchObject({
        month: '2026-03',
        currency: 'USD',
        budget: { credits: '250', formatted: '$2.50' },
        setAs: { amount: '2.5', currency: 'USD' },
        alertLevels: [50, 80, 100],
        action: 'block-new',
        spent: { credits: '0' },
        percentUsed: 0,
        levelsReached: [],
        forecast: null,
        blocksNewInstances: false,
      });
      expect((await t.as('alice').get('/me/budget').expect(200)).body).toEqual(body);
      // A set: the same again changes nothing, another replaces it; one row a user.
      await t.as('alice').put('/me/budget', { amount: '2.5', action: 'block-new' }).expect(200);
      const replaced = await t
        .as('alice')
        .put('/me/budget', { amount: 1, alertLevels: [90, 25] })
        .expect(200);
      expect(replaced.body).toMatchObject({ budget: { credits: '100' }, alertLevels: [25, 90], action: 'alert' });
      expect(await budgetRows(t)).toHaveLength(1);
      // Another user has none and cannot reach Alice's.
      await t.as('bob').get('/me/budget').expect(404);
      await t.as('bob').delete('/me/budget').expect(204);
      await t.as('alice').get('/me/budget').expect(200);
      await t.as('alice').delete('/me/budget').expect(204);
      await t.as('alice').get('/me/budget').expect(404);
      await t.anonymous().get('/cloud-billing/me/budget').expect(401);
    });

    it.each([
      [{ amount: '-1' }, 'amount', 'min'],
      [{ amount: 'ten' }, 'amount', 'isCurrencyAmount'],
      [{}, 'amount', 'isCurrencyAmount'],
      [{ amount: '20000000000' }, 'amount', 'maxCredits'],
      [{ amount: '1', currency: 'EUR' }, 'currency', 'isDisplayCurrency'],
      [{ amount: '1', alertLevels: [0, 50] }, 'alertLevels', 'min'],
      [{ amount: '1', alertLevels: [1001] }, 'alertLevels', 'max'],
      [{ amount: '1', alertLevels: [50, 50] }, 'alertLevels', 'arrayUnique'],
      [{ amount: '1', alertLevels: [12.5] }, 'alertLevels', 'isInt'],
      [{ amount: '1', alertLevels: [] }, 'alertLevels', 'arrayMinSize'],
      [{ amount: '1', alertLevels: Array.from({ length: 11 }, (_, i) => i + 1) }, 'alertLevels', 'arrayMaxSize'],
      [{ amount: '1', action: 'explode' }, 'action', 'isIn'],
      [{ amount: '1', action: null }, 'action', 'isNotNull'],
    ])('refuses %j naming %s (%s) and writes nothing', async (body, field, rule) => {
      await t
        .as('alice')
        .put('/me/budget', { amount: '3', alertLevels: [10] })
        .expect(200);
      const before = await budgetRows(t);
      const { body: error } = await t.as('alice').put('/me/budget', body).expect(400);
      expect(error.errors).toContainEqual(expect.objectContaining({ field, rule }));
      expect(await budgetRows(t)).toEqual(before);
    });
  });

  describe('alerts and forecast', () => {
    it('alerts once per level per month, forecasts once, however often billing runs', async () => {
      const planId = await createPlan(t, { hourlyPrice: '10' });
      await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
      // $1 = 100 credits at 10 an hour: reached 10 hours from now, on the 10th.
      const { body } = await t
        .as('alice')
        .put('/me/budget', { amount: '1', alertLevels: [50, 80] })
        .expect(200);
      expect(body.forecast).toEqual({
        date: '2026-03-10',
        sentence: 'At this rate you will reach your budget on the 10th.',
      });
      expect(mails()).toEqual(['budget-forecast:alice:2026-03']);
      const forecast = t.app.get(DemoNotifier).delivered.find((m) => m.kind === 'budget-forecast');
      expect(forecast?.text).toContain('At this rate you will reach your budget on the 10th.');

      await setClock(t, '2026-03-10T16:00:00Z'); // 40 spent
      expect(mails()).toEqual(['budget-forecast:alice:2026-03']);
      await setClock(t, '2026-03-10T17:00:00Z'); // 50: the 50 % alert
      await setClock(t, '2026-03-10T17:00:00Z');
      await t.as('admin').post('/admin/billing/run').expect(200);
      expect(mails()).toEqual(['budget-forecast:alice:2026-03', 'budget:alice:2026-03:50']);
      const alert = t.app.get(DemoNotifier).delivered.find((m) => m.kind === 'budget-alert');
      expect(alert?.subject).toBe('You have used 50% of your budget for March 2026');
      expect(alert?.text).toContain('You have spent $0.50 of your budget of $1.00 for March 2026');
      const { body: widget } = await t.as('alice').get('/me/widget').expect(200);
      expect(widget.budget).toEqual({
        budget: expect.objectContaining({ formatted: '$1.00' }),
        spent: expect.objectContaining({ credits: '50', formatted: '$0.50' }),
        percentUsed: 50,
        alertsReached: [50],
        forecast: 'At this rate you will reach your budget on the 10th.',
        action: 'alert',
        blocksNewInstances: false,
      });
      const html = (await t.as('alice').get('/me/widget.html').expect(200)).text;
      expect(html).toContain('Alerts reached this month: 50 %');
      expect((await t.as('bob').get('/me/widget').expect(200)).body.budget).toBeNull();

      await setClock(t, '2026-03-10T23:00:00Z'); // 110: 80 % and 100 % (always alerted) in one run
      await setClock(t, '2026-03-11T02:00:00Z');
      expect(mails()).toEqual([
        'budget-forecast:alice:2026-03',
        'budget:alice:2026-03:50',
        'budget:alice:2026-03:80',
        'budget:alice:2026-03:100',
      ]);
      const full = t.app.get(DemoNotifier).delivered.find((m) => m.idempotencyKey === 'budget:alice:2026-03:100');
      expect(full?.text).toContain('This is an alert only: your instances keep running.');
      const { body: status } = await t.as('alice').get('/me/budget').expect(200);
      expect(status).toMatchObject({ spent: { credits: '140' }, percentUsed: 140, levelsReached: [50, 80, 100] });
      expect(await outboxKeys(t, 'budget')).toHaveLength(4);
    });

    it('counts adjustments as spend and a credit back against it; top-ups are not spend', async () => {
      await t
        .as('alice')
        .put('/me/budget', { amount: '1', alertLevels: [50] })
        .expect(200);
      const adjust = (amount: string, reference: string) =>
        t
          .as('admin')
          .post('/admin/accounts/alice/credits', { kind: 'adjustment', amount, reference, note: 'test' })
          .expect(201);
      await t.as('admin').post('/admin/accounts/alice/credits', { amount: '500', reference: 'pay-1' }).expect(201);
      await adjust('-70', 'adj-1');
      await adjust('30', 'adj-2');
      expect((await t.as('alice').get('/me/budget').expect(200)).body).toMatchObject({
        spent: { credits: '40' },
        levelsReached: [],
      });
      await adjust('-10', 'adj-3');
      await t.as('admin').post('/admin/billing/run').expect(200);
      expect(mails()).toEqual(['budget:alice:2026-03:50']);
    });

    it('alerts again in the next month, and owes the old month the alert its last hour reached', async () => {
      const planId = await createPlan(t, { hourlyPrice: '10' });
      stopTheWorldAt(t, '2026-03-31T21:00:00Z');
      await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-31T21:00:00Z');
      await t
        .as('alice')
        .put('/me/budget', { amount: '0.3', alertLevels: [50] })
        .expect(200);
      await setClock(t, '2026-03-31T23:00:00Z'); // 20 of 30: 50 %
      // The run at 00:00 settles March's last hour (30: 100 %) after the month has turned.
      await setClock(t, '2026-04-01T00:00:00Z');
      await setClock(t, '2026-04-01T02:00:00Z'); // April: 20, 50 %
      expect(mails().filter((key) => key.startsWith('budget:'))).toEqual([
        'budget:alice:2026-03:50',
        'budget:alice:2026-03:100',
        'budget:alice:2026-04:50',
      ]);
    });
  });

  describe('actions at 100 %', () => {
    it('block-new: the quote says why and creation is refused until the budget is raised', async () => {
      await addHypervisor(t, 'hv-1', 4);
      const locationId = await createLocation(t, 'Berlin', ['hv-1']);
      const planId = await createOfferedPlan(t, 'Small', [locationId], { hourlyPrice: '10' });
      await t.as('alice').put('/me/budget', { amount: '0.2', action: 'block-new' }).expect(200);
      await createInstance(t, 'alice', planId, locationId, 'web').expect(201);
      await setClock(t, '2026-03-10T14:00:00Z'); // 20 of 20

      const { body: quote } = await t.as('alice').post('/me/quote', { planId, locationId }).expect(200);
      expect(quote).toMatchObject({ canCreate: false, reasonCode: 'budget-exceeded' });
      expect(quote.reason).toBe(
        'your monthly budget of $0.20 is used up ($0.20 spent in March 2026); new instances can be created again ' +
          'next month, or raise the budget',
      );
      const refused = await createInstance(t, 'alice', planId, locationId, 'db').expect(409);
      expect(refused.body).toMatchObject({ message: quote.reason, reasonCode: 'budget-exceeded' });
      expect((await t.as('alice').get('/me/instances').expect(200)).body).toHaveLength(1);
      expect((await t.as('alice').get('/me/budget').expect(200)).body.blocksNewInstances).toBe(true);
      // Bob has no budget and is not held back by Alice's.
      await createInstance(t, 'bob', planId, locationId, 'bob-vm').expect(201);

      await t.as('alice').put('/me/budget', { amount: '1', action: 'block-new' }).expect(200);
      expect((await t.as('alice').post('/me/quote', { planId, locationId }).expect(200)).body.canCreate).toBe(true);
      await createInstance(t, 'alice', planId, locationId, 'db').expect(201);
    });

    it('stop: stops each running instance once a month through the provisioner', async () => {
      const planId = await createPlan(t, { hourlyPrice: '10' });
      await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
      await registerInstance(t, 'vm-2', 'alice', planId, '2026-03-10T12:00:00Z');
      await registerInstance(t, 'vm-3', 'alice', planId, '2026-03-10T12:00:00Z');
      await registerInstance(t, 'bob-1', 'bob', planId, '2026-03-10T12:00:00Z');
      await sendEvent(t, 'vm-3', 'stopped', '2026-03-10T12:00:00Z').expect(200);
      await t.as('alice').put('/me/budget', { amount: '0.5', action: 'stop' }).expect(200);

      await setClock(t, '2026-03-10T14:00:00Z'); // 20 + 20 + vm-3 stopped (billed at the running rate) 20 = 60 ≥ 50
      expect(calls()).toEqual(['stop:vm-1', 'stop:vm-2']);
      const states = async () =>
        Object.fromEntries(
          (await t.as('alice').get('/me/instances').expect(200)).body.map((i: { id: string; state: string }) => [
            i.id,
            i.state,
          ]),
        );
      expect(await states()).toEqual({ 'vm-1': 'stopped', 'vm-2': 'stopped', 'vm-3': 'stopped' });
      const full = t.app.get(DemoNotifier).delivered.find((m) => m.idempotencyKey === 'budget:alice:2026-03:100');
      expect(full?.text).toContain('Stopped: vm-1 and vm-2.');

      // Runs again; the user starts vm-1 again: it is not stopped a second time this month.
      await setClock(t, '2026-03-10T15:00:00Z');
      await sendEvent(t, 'vm-1', 'started', '2026-03-10T15:00:00Z').expect(200);
      await setClock(t, '2026-03-10T17:00:00Z');
      await t.as('admin').post('/admin/billing/run').expect(200);
      expect(calls()).toEqual(['stop:vm-1', 'stop:vm-2']);
      expect((await states())['vm-1']).toBe('running');
      expect(await outboxKeys(t, 'budget-stop')).toEqual(['budget-stop:vm-1:2026-03', 'budget-stop:vm-2:2026-03']);
      const keys = t.app.get(DemoProvisioner).calls.map((c) => c.idempotencyKey);
      expect(keys).toEqual(['budget-stop:vm-1:2026-03', 'budget-stop:vm-2:2026-03']);
    });

    it('stop on a host without stop: suspends instead (same key), and a top-up does not resume it', async () => {
      const provisioner = t.app.get(DemoProvisioner);
      // A host adapter written before `stop` existed.
      Object.assign(provisioner, { stop: undefined });
      const planId = await createPlan(t, { hourlyPrice: '10' });
      await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
      await t.as('alice').put('/me/budget', { amount: '0.1', action: 'stop' }).expect(200);
      await setClock(t, '2026-03-10T13:00:00Z');
      expect(calls()).toEqual(['suspend:vm-1']);
      expect(provisioner.calls.map((c) => c.idempotencyKey)).toEqual(['budget-stop:vm-1:2026-03']);
      const { body } = await t.as('alice').get('/me/instances/vm-1').expect(200);
      expect(body.state).toBe('suspended');
      await t.as('admin').post('/admin/accounts/alice/credits', { amount: '100', reference: 'pay-1' }).expect(201);
      expect(calls()).toEqual(['suspend:vm-1']);
    });
  });
});

describeReplicas('budgets on two replicas running billing at once', (replicas) => {
  it('queue each alert and each stop once between them', async () => {
    const { a, b } = replicas();
    await a.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
    const planId = await createPlan(a, { hourlyPrice: '10' });
    const users = Array.from({ length: 12 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
    for (const user of users) {
      await registerInstance(a, `vm-${user}`, user, planId, '2026-03-10T12:00:00Z');
      await a
        .as(user)
        .put('/me/budget', { amount: '0.4', alertLevels: [25, 50, 75], action: 'stop' })
        .expect(200);
    }
    stopTheWorldAt(a, '2026-03-10T16:00:00Z');
    stopTheWorldAt(b, '2026-03-10T16:00:00Z');
    const now = new Date('2026-03-10T16:00:00Z');
    for (let round = 0; round < 2; round += 1) {
      await Promise.all([a.app.get(BillingRunService).run(now), b.app.get(BillingRunService).run(now)]);
    }
    const keys = await outboxKeys(a, 'budget');
    const expected = users.flatMap((user) => [
      `budget-forecast:${user}:2026-03`,
      ...[25, 50, 75, 100].map((level) => `budget:${user}:2026-03:${level}`),
      `budget-stop:vm-${user}:2026-03`,
    ]);
    expect([...keys].sort()).toEqual(expected.sort());
    const delivered = [a, b].flatMap((app) => app.app.get(DemoNotifier).delivered);
    expect(delivered.filter((m) => m.kind === 'budget-alert')).toHaveLength(users.length * 4);
    const stops = [a, b].flatMap((app) => app.app.get(DemoProvisioner).calls.filter((c) => c.ok && !c.repeat));
    expect(stops.map((c) => c.instanceId).sort()).toEqual(users.map((user) => `vm-${user}`).sort());
  });
});
