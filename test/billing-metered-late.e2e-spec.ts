import { balanceOf, createPlan, registerInstance, sendEvent, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { startMeteredApp, SUSPENSION_FEE_RULE } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import type { TestApp } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}Z`;

/** A late host event re-rates the resource rules of the hours it reaches into, as it re-rates the instance's. */
describe(`late events and resource rules (${testEngine()})`, () => {
  let t: TestApp;
  const admin = () => t.as('admin');
  const run = async () => (await admin().post('/admin/billing/run').expect(200)).body;
  const audit = async () => (await admin().get('/admin/audit').expect(200)).body.breaches;

  beforeEach(async () => {
    t = await startMeteredApp();
  });
  afterEach(() => t.close());

  it('charges the suspension fee for hours already settled when the suspension is reported late', async () => {
    const planId = await createPlan(t, { hourlyPrice: '0.1', suspendedHourlyPrice: '0' });
    await admin().post(`/admin/plans/${planId}/rules`, SUSPENSION_FEE_RULE).expect(201);
    await topUp(t, 'alice', '10', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, at('12:00:00'));
    stopTheWorldAt(t, at('17:00:00'));
    await run();
    // Five running hours: 0.5.
    expect(await balanceOf(t, 'alice')).toBe('9.5');

    // It was suspended at 14:30 all along: 2.5 hours at 0 instead of 0.1, and 2.5 hours of the 0.01 fee.
    await sendEvent(t, 'vm-1', 'suspended', at('14:30:00')).expect(200);
    expect(await balanceOf(t, 'alice')).toBe(String(9.5 + 0.25 - 0.025));
    expect(await audit()).toEqual([]);

    // The same event again changes nothing.
    await sendEvent(t, 'vm-1', 'suspended', at('14:30:00')).expect(200);
    await run();
    expect(await balanceOf(t, 'alice')).toBe('9.725');
  });

  it('re-rates a settled hour at the rule price it was charged at, not at a price changed since', async () => {
    const planId = await createPlan(t, { hourlyPrice: '0.1', stoppedHourlyPrice: '0' });
    const rule = (
      await admin()
        .post(`/admin/plans/${planId}/rules`, { ...SUSPENSION_FEE_RULE, on: ['running'] })
        .expect(201)
    ).body;
    await registerInstance(t, 'vm-1', 'alice', planId, at('12:00:00'));
    stopTheWorldAt(t, at('14:00:00'));
    await run();
    // Two hours of 0.1 and two of the 0.01 fee.
    expect(await balanceOf(t, 'alice')).toBe('-0.22');
    await admin().patch(`/admin/plans/${planId}/rules/${rule.id}`, { price: '1' }).expect(200);

    // Stopped at 13:30: half of the second hour is refunded, the fee at the price it was charged at (0.005, not 0.5).
    await sendEvent(t, 'vm-1', 'stopped', at('13:30:00')).expect(200);
    expect(await balanceOf(t, 'alice')).toBe('-0.165');
    expect(await audit()).toEqual([]);
  });
});
