import { LedgerService } from '../src/accounts/ledger.service';
import { Isolation, UnitOfWork } from '../src/common/unit-of-work';
import { AutoTopUpDeliveryService } from '../src/payments/auto-top-up-delivery.service';
import { AutoTopUpTriggerService } from '../src/payments/auto-top-up-trigger.service';
import { DemoCharge, DemoPaymentGateway } from '../src/demo/demo-payment-gateway';
import { balanceOf, createPlan, registerInstance, setClock, topUp } from './support/billing-fixtures';
import { describeReplicas } from './support/replicas';
import { startTestApp, TestApp } from './support/test-app';

/** USD is the default currency: 1 credit = $0.01. */
const fixedRule = { threshold: '50', amount: '500', monthlyLimit: '1000' };

/** A debit straight through the ledger, announcing nothing: the state a crash before the decision leaves. */
function silentDebit(t: TestApp, userId: string, credits: number, key: string) {
  const ledger = t.app.get(LedgerService);
  return t.app
    .get(UnitOfWork)
    .run(
      (tx) =>
        ledger.post(tx, { userId, kind: 'adjustment', amount: -credits * 1_000_000, idempotencyKey: key, note: 'x' }),
      { isolation: Isolation.LockedWrites },
    );
}

describe('auto top-up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const charges = async (userId: string) =>
    ((await t.as('admin').get('/demo/payments/charges').expect(200)).body as DemoCharge[]).filter(
      (call) => call.userId === userId,
    );
  const emails = async (userId: string, kind: string) =>
    ((await t.as(userId).get('/demo/outbox').expect(200)).body as { kind: string }[]).filter((m) => m.kind === kind);
  const topUps = async (userId: string) =>
    ((await t.as(userId).get('/me/ledger').expect(200)).body.entries as { kind: string }[]).filter(
      (entry) => entry.kind === 'topup',
    );
  /** An admin debit that takes the balance down, as a charge would; announces the change as every credit does. */
  const debit = (userId: string, amount: string, reference: string) =>
    t
      .as('admin')
      .post(`/admin/accounts/${userId}/credits`, { kind: 'adjustment', amount: `-${amount}`, reference, note: 'usage' })
      .expect(201);

  describe('the rule', () => {
    it('is set, read and removed by its owner only, shown in the owner’s currency', async () => {
      await topUp(t, 'ann', '100', 'ann-1').expect(201);
      const { body } = await t.as('ann').put('/me/auto-top-up', fixedRule).expect(200);
      expect(body.rule).toEqual({
        threshold: { credits: '50', amount: '0.50', currency: 'USD', formatted: '$0.50' },
        amount: { credits: '500', amount: '5.00', currency: 'USD', formatted: '$5.00' },
        target: null,
        monthlyLimit: { credits: '1000', amount: '10.00', currency: 'USD', formatted: '$10.00' },
        currency: 'USD',
      });
      expect(body.attempts).toEqual([]);
      expect((await t.as('bob').get('/me/auto-top-up').expect(200)).body.rule).toBeNull();
      await t.as('ann').delete('/me/auto-top-up').expect(204);
      expect((await t.as('ann').get('/me/auto-top-up').expect(200)).body.rule).toBeNull();
      await t.anonymous().get('/cloud-billing/me/auto-top-up').expect(401);
    });

    it.each([
      [{ ...fixedRule, threshold: '-1' }, 'threshold', 'isCreditAmount'],
      [{ ...fixedRule, amount: '0' }, 'amount', 'isPositive'],
      [{ threshold: '50', target: '50', monthlyLimit: '1000' }, 'target', 'aboveThreshold'],
      [{ ...fixedRule, target: '900' }, 'amount', 'exactlyOneOfAmountAndTarget'],
      [{ threshold: '50', monthlyLimit: '1000' }, 'amount', 'exactlyOneOfAmountAndTarget'],
      [{ ...fixedRule, monthlyLimit: '499.999999' }, 'monthlyLimit', 'atLeastAmount'],
      [{ threshold: '50', target: '600', monthlyLimit: '549' }, 'monthlyLimit', 'atLeastSmallestTopUp'],
      [{ ...fixedRule, currency: 'XYZ' }, 'currency', 'isEnabledCurrency'],
      [{ ...fixedRule, amount: 'ten' }, 'amount', 'isCreditAmount'],
    ])('refuses %j with a 400 naming %s (%s) and writes nothing', async (rule, field, ruleName) => {
      const { body } = await t.as('cid').put('/me/auto-top-up', rule).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field, rule: ruleName }));
      expect((await t.as('cid').get('/me/auto-top-up').expect(200)).body.rule).toBeNull();
      expect(await charges('cid')).toEqual([]);
    });
  });

  it('charges once with the attempt’s key when the balance falls below the threshold, and credits it', async () => {
    await topUp(t, 'dan', '100', 'dan-1').expect(201);
    await t.as('dan').put('/me/auto-top-up', fixedRule).expect(200);
    expect(await charges('dan')).toEqual([]);
    await debit('dan', '60', 'dan-use-1');
    expect(await charges('dan')).toEqual([
      expect.objectContaining({ amount: '5.00', currency: 'USD', idempotencyKey: 'auto-topup:dan:1', ok: true }),
    ]);
    expect(await balanceOf(t, 'dan')).toBe('540');
    const [entry] = await topUps('dan');
    expect(entry).toMatchObject({
      reference: 'auto:auto-topup:dan:1',
      amount: { credits: '500' },
      currency: 'USD',
      currencyAmount: '5',
      valuePerCredit: '0.01',
    });
    const { body } = await t.as('dan').get('/me/auto-top-up').expect(200);
    expect(body.monthToDate.credits).toBe('500');
    expect(body.attempts).toEqual([
      expect.objectContaining({ key: 'auto-topup:dan:1', status: 'succeeded', failures: 0, chargedAmount: '5.00' }),
    ]);
    // Another balance change above the threshold starts nothing.
    await debit('dan', '1', 'dan-use-2');
    expect(await charges('dan')).toHaveLength(1);
  });

  it('charges in the rule’s currency at its rate, and not at all in a currency since disabled', async () => {
    await t
      .as('admin')
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.0092', suffix: ' €' })
      .expect(201);
    for (const userId of ['max', 'mia']) {
      await topUp(t, userId, '100', `${userId}-1`).expect(201);
      await t
        .as(userId)
        .put('/me/auto-top-up', { ...fixedRule, currency: 'eur' })
        .expect(200);
    }
    await debit('max', '60', 'max-use-1');
    // 500 credits × 0.0092 = 4.60 EUR, which buys exactly 500 credits back.
    expect(await charges('max')).toEqual([expect.objectContaining({ amount: '4.60', currency: 'EUR' })]);
    expect((await topUps('max'))[0]).toMatchObject({
      currency: 'EUR',
      currencyAmount: '4.6',
      valuePerCredit: '0.0092',
    });
    expect(await balanceOf(t, 'max')).toBe('540');

    await t.as('admin').patch('/admin/currencies/EUR', { enabled: false }).expect(200);
    await debit('mia', '60', 'mia-use-1');
    expect(await charges('mia')).toEqual([]);
    expect(await balanceOf(t, 'mia')).toBe('40');
  });

  it('tops up to the target after an hour’s settlement takes the balance below the threshold', async () => {
    const planId = await createPlan(t, { hourlyPrice: '30' });
    await topUp(t, 'eve', '70', 'eve-1').expect(201);
    await t.as('eve').put('/me/auto-top-up', { threshold: '50', target: '300', monthlyLimit: '1000' }).expect(200);
    await registerInstance(t, 'eve-vm', 'eve', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T13:00:10Z');
    // 70 − 30 = 40 < 50: topped up by 300 − 40 = 260 credits, $2.60.
    expect(await charges('eve')).toEqual([
      expect.objectContaining({ amount: '2.60', idempotencyKey: 'auto-topup:eve:1' }),
    ]);
    expect(await balanceOf(t, 'eve')).toBe('300');
  });

  it('spares a suspension when the top-up goes through, and resumes the instances when a declined one does later', async () => {
    const planId = await createPlan(t, { hourlyPrice: '30' });
    const provisionerCalls = async (instanceId: string) =>
      (
        (await t.as('admin').get('/demo/provisioner/calls').expect(200)).body as {
          action: string;
          instanceId: string;
        }[]
      )
        .filter((call) => call.instanceId === instanceId)
        .map((call) => call.action);
    const startedAt = (await t.as('admin').get('/demo/clock').expect(200)).body.now as string;
    for (const userId of ['joe', 'jon']) {
      await topUp(t, userId, '20', `${userId}-1`).expect(201);
      await t
        .as(userId)
        .put('/me/auto-top-up', { ...fixedRule, threshold: '10' })
        .expect(200);
      await registerInstance(t, `${userId}-vm`, userId, planId, startedAt);
    }
    // jon's card is declined once.
    const gateway = t.app.get(DemoPaymentGateway);
    const charge = gateway.charge.bind(gateway);
    jest.spyOn(gateway, 'charge').mockImplementation((userId, ...rest) => {
      if (userId === 'jon' && !gateway.calls.some((call) => call.userId === 'jon')) gateway.failNext(1);
      return charge(userId, ...rest);
    });
    expect(gateway.calls.filter((call) => call.userId.startsWith('jo'))).toEqual([]);
    // One hour at 30 takes both from 20 to −10, below the rule's threshold and the suspension threshold (0).
    await t.as('admin').post('/demo/clock', { advanceSeconds: 3600 }).expect(200);
    expect(await balanceOf(t, 'joe')).toBe('490');
    expect(await provisionerCalls('joe-vm')).toEqual([]);
    expect(await balanceOf(t, 'jon')).toBe('-10');
    expect(await provisionerCalls('jon-vm')).toEqual(['suspend']);
    await t.as('admin').post('/demo/clock', { advanceSeconds: 40 }).expect(200);
    expect(await balanceOf(t, 'jon')).toBe('490');
    expect(await provisionerCalls('jon-vm')).toEqual(['suspend', 'unsuspend']);
    jest.restoreAllMocks();
  });

  it('emails once when the gateway declines, retries with backoff and credits once when it accepts', async () => {
    await topUp(t, 'fay', '100', 'fay-1').expect(201);
    await t.as('fay').put('/me/auto-top-up', fixedRule).expect(200);
    await t.as('admin').post('/demo/payments/fail-next', { count: 2 }).expect(200);
    await debit('fay', '60', 'fay-use-1');
    expect(await balanceOf(t, 'fay')).toBe('40');
    // Before the backoff's 30 s nothing is tried again; the failure email goes out with the next delivery.
    await t.as('admin').post('/demo/clock', { advanceSeconds: 10 }).expect(200);
    expect(await charges('fay')).toHaveLength(1);
    expect(await emails('fay', 'auto-top-up-failed')).toEqual([
      expect.objectContaining({ subject: 'Your automatic top-up of $5.00 failed' }),
    ]);
    await t.as('admin').post('/demo/clock', { advanceSeconds: 30 }).expect(200);
    await t.as('admin').post('/demo/clock', { advanceSeconds: 70 }).expect(200);
    const calls = await charges('fay');
    expect(calls.map((call) => call.ok)).toEqual([false, false, true]);
    expect(new Set(calls.map((call) => call.idempotencyKey))).toEqual(new Set(['auto-topup:fay:1']));
    expect(await emails('fay', 'auto-top-up-failed')).toHaveLength(1);
    expect(await topUps('fay')).toHaveLength(2);
    expect(await balanceOf(t, 'fay')).toBe('540');
    const { body } = await t.as('fay').get('/me/auto-top-up').expect(200);
    expect(body.attempts).toEqual([expect.objectContaining({ status: 'succeeded', failures: 2 })]);
  });

  it('never lets a month’s top-ups pass the monthly limit, and starts again next month', async () => {
    await topUp(t, 'gus', '100', 'gus-1').expect(201);
    await t.as('gus').put('/me/auto-top-up', fixedRule).expect(200);
    await debit('gus', '60', 'gus-use-1'); // 40 → 540
    await debit('gus', '500', 'gus-use-2'); // 40 → 540, the month's 1000 reached
    await debit('gus', '500', 'gus-use-3'); // 40: a third would pass the limit
    expect(await charges('gus')).toHaveLength(2);
    expect(await balanceOf(t, 'gus')).toBe('40');
    await t.app.get(AutoTopUpTriggerService).checkAll();
    expect(await charges('gus')).toHaveLength(2);
    await setClock(t, '2026-04-01T00:00:30Z');
    expect(await charges('gus')).toHaveLength(3);
    expect(await balanceOf(t, 'gus')).toBe('540');
  });

  it('starts one attempt however often and however concurrently the decision runs', async () => {
    await topUp(t, 'hal', '100', 'hal-1').expect(201);
    await t.as('hal').put('/me/auto-top-up', fixedRule).expect(200);
    await silentDebit(t, 'hal', 60, 'hal-use-1');
    const trigger = t.app.get(AutoTopUpTriggerService);
    const [first, second, all] = await Promise.all([trigger.check('hal'), trigger.check('hal'), trigger.checkAll()]);
    expect([first, second].filter((key) => key !== null).length + all.started).toBe(1);
    // Run again (a retried run, a crashed one finished): the attempt in flight is not doubled.
    expect(await trigger.check('hal')).toBeNull();
    await t.as('admin').post('/demo/clock', { advanceSeconds: 1 }).expect(200);
    expect((await charges('hal')).map((call) => call.idempotencyKey)).toEqual(['auto-topup:hal:1']);
    expect(await balanceOf(t, 'hal')).toBe('540');
  });

  it('credits a success delivered twice once, and a charge the gateway took before a crash once', async () => {
    await topUp(t, 'ida', '100', 'ida-1').expect(201);
    await t.as('ida').put('/me/auto-top-up', fixedRule).expect(200);
    await debit('ida', '60', 'ida-use-1');
    const delivery = t.app.get(AutoTopUpDeliveryService);
    await delivery.credit('auto-topup:ida:1', 'demo-pay-again');
    await delivery.deliver({ dedupeKey: 'auto-topup:ida:1', userId: 'ida', payload: {}, failedAttempts: 0 });
    expect(await topUps('ida')).toHaveLength(2);
    expect(await balanceOf(t, 'ida')).toBe('540');

    // The next attempt is charged by the gateway, then the process dies before recording it: the outbox's
    // redelivery charges with the same key, the gateway answers the first charge, and it is credited once.
    await t.as('admin').post('/demo/payments/fail-next', { count: 1 }).expect(200);
    await debit('ida', '500', 'ida-use-2');
    await t.app.get(DemoPaymentGateway).charge('ida', '5.00', 'USD', 'auto-topup:ida:2');
    await t.as('admin').post('/demo/clock', { advanceSeconds: 40 }).expect(200);
    const calls = await charges('ida');
    expect(calls.filter((call) => call.ok && !call.repeat)).toHaveLength(2);
    expect(await topUps('ida')).toHaveLength(3);
    expect(await balanceOf(t, 'ida')).toBe('540');
  });
});

describeReplicas('auto top-up on two replicas', (replicas) => {
  it('starts one attempt and charges once when both decide at the same moment', async () => {
    const { a, b } = replicas();
    await topUp(a, 'kim', '100', 'kim-1').expect(201);
    await a.as('kim').put('/me/auto-top-up', fixedRule).expect(200);
    await silentDebit(a, 'kim', 60, 'kim-use-1');
    const [fromA, fromB, allA, allB] = await Promise.all([
      a.app.get(AutoTopUpTriggerService).check('kim'),
      b.app.get(AutoTopUpTriggerService).check('kim'),
      a.app.get(AutoTopUpTriggerService).checkAll(),
      b.app.get(AutoTopUpTriggerService).checkAll(),
    ]);
    expect([fromA, fromB].filter((key) => key !== null).length + allA.started + allB.started).toBe(1);
    // Both deliver at once: the outbox leases the row to one of them.
    await Promise.all([
      a.as('admin').post('/demo/clock', { advanceSeconds: 1 }).expect(200),
      b.as('admin').post('/demo/clock', { advanceSeconds: 1 }).expect(200),
    ]);
    const calls = [a, b].flatMap((app) => app.app.get(DemoPaymentGateway).calls);
    expect(calls.map((call) => call.idempotencyKey)).toEqual(['auto-topup:kim:1']);
    expect(await balanceOf(a, 'kim')).toBe('540');
  });
});

describe('auto top-up without a payment gateway', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ paymentGateway: false });
  });
  afterAll(() => t.close());

  it('does not exist: its routes answer 404 and write nothing', async () => {
    await t.as('ann').get('/me/auto-top-up').expect(404);
    await t.as('ann').put('/me/auto-top-up', fixedRule).expect(404);
    await t.as('ann').delete('/me/auto-top-up').expect(404);
    await topUp(t, 'ann', '10', 'ann-1').expect(201);
    expect(await balanceOf(t, 'ann')).toBe('10');
  });
});
