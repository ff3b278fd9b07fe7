import { DemoPaymentGateway } from './demo-payment-gateway';

describe('DemoPaymentGateway', () => {
  it('charges a key once: a repeat answers the first reference without charging again', async () => {
    const gateway = new DemoPaymentGateway();
    const first = await gateway.charge('ann', '5.00', 'USD', 'auto-topup:ann:1');
    const again = await gateway.charge('ann', '5.00', 'USD', 'auto-topup:ann:1');
    const other = await gateway.charge('ann', '5.00', 'USD', 'auto-topup:ann:2');
    expect(again).toEqual(first);
    expect(other.reference).not.toBe(first.reference);
    expect(gateway.calls.map((call) => [call.idempotencyKey, call.repeat])).toEqual([
      ['auto-topup:ann:1', false],
      ['auto-topup:ann:1', true],
      ['auto-topup:ann:2', false],
    ]);
  });

  it('declines the next n calls, and a declined key is charged when tried again', async () => {
    const gateway = new DemoPaymentGateway();
    gateway.failNext(1);
    await expect(gateway.charge('bob', '1.00', 'EUR', 'k')).rejects.toThrow('card declined');
    expect(gateway.pendingFailures).toBe(0);
    await expect(gateway.charge('bob', '1.00', 'EUR', 'k')).resolves.toEqual({ reference: 'demo-pay-1' });
    expect(gateway.calls.map((call) => call.ok)).toEqual([false, true]);
  });
});
