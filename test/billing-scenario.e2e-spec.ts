import { DemoNotifier, DemoProvisioner } from '../src/demo/demo-ports';
import { balanceOf, createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The life of one customer through the demo host with its manual clock: every step moves the
 * clock (which runs billing as the hourly job would) and checks the balance to the micro-credit.
 */
describe('a customer from top-up to auto-unsuspend', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const mails = () => t.app.get(DemoNotifier).delivered.map((m) => m.kind);
  const calls = () =>
    t.app
      .get(DemoProvisioner)
      .calls.filter((c) => c.ok)
      .map((c) => `${c.action} ${c.instanceId}`);
  const status = async () => (await t.as('alice').get('/me/account').expect(200)).body.status;

  it('bills, caps, resizes, warns, suspends and resumes exactly as the settings say', async () => {
    await t
      .as('admin')
      .patch('/admin/settings', {
        lowBalanceThreshold: '10',
        negativeBalanceThreshold: '0',
        suspensionThreshold: '-5',
        runwayWarningHours: 6,
      })
      .expect(200);
    const small = await createPlan(t, { hourlyPrice: '1.5', monthlyPrice: '15', stoppedHourlyPrice: '0.3' });
    const large = await createPlan(t, { hourlyPrice: '4', monthlyPrice: '500' });

    await topUp(t, 'alice', '100', 'card-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', small, '2026-03-10T12:00:00Z');

    // Ten hours running at 1.5 reach the plan's monthly cap of 15.
    await setClock(t, '2026-03-10T22:00:00Z');
    expect(await balanceOf(t, 'alice')).toBe('85');

    // Five hours stopped would cost 0.3 each, but the month is already capped.
    await sendEvent(t, 'vm-1', 'stopped', '2026-03-10T22:00:00Z').expect(200);
    await setClock(t, '2026-03-11T03:00:00Z');
    expect(await balanceOf(t, 'alice')).toBe('85');

    // Started again on the larger plan: a new row with its own cap, 4 credits an hour.
    await sendEvent(t, 'vm-1', 'started', '2026-03-11T03:00:00Z').expect(200);
    await sendEvent(t, 'vm-1', 'resized', '2026-03-11T03:00:00Z', large).expect(200);
    await setClock(t, '2026-03-11T19:00:00Z'); // 16 hours: 21 left, 6.5 h of runway
    expect(await balanceOf(t, 'alice')).toBe('21');
    expect(mails()).toEqual([]);

    await setClock(t, '2026-03-11T20:00:00Z'); // 17 left: 5.5 h to the suspension threshold
    expect(await balanceOf(t, 'alice')).toBe('17');
    expect(mails()).toEqual(['runway-warning']);

    await setClock(t, '2026-03-11T22:00:00Z'); // 9: low
    expect(await balanceOf(t, 'alice')).toBe('9');
    expect(mails()).toEqual(['runway-warning', 'low-balance']);
    expect(await status()).toBe('low');

    await setClock(t, '2026-03-12T01:00:00Z'); // -3: negative, not yet below -5
    expect(await balanceOf(t, 'alice')).toBe('-3');
    expect(mails()).toEqual(['runway-warning', 'low-balance', 'negative-balance']);
    expect(calls()).toEqual([]);

    await setClock(t, '2026-03-12T02:00:00Z'); // -7: suspended
    expect(await balanceOf(t, 'alice')).toBe('-7');
    expect(mails()).toEqual(['runway-warning', 'low-balance', 'negative-balance', 'suspended']);
    expect(calls()).toEqual(['suspend vm-1']);
    expect(await status()).toBe('suspended');

    // Suspended costs nothing; the balance waits.
    await setClock(t, '2026-03-12T08:00:00Z');
    expect(await balanceOf(t, 'alice')).toBe('-7');

    // The same payment reported twice, at the same moment: credited once, resumed once.
    const [first, second] = await Promise.all([topUp(t, 'alice', '50', 'card-2'), topUp(t, 'alice', '50', 'card-2')]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(await balanceOf(t, 'alice')).toBe('43');
    expect(calls()).toEqual(['suspend vm-1', 'unsuspend vm-1']);
    expect(await status()).toBe('ok');

    // Running again at 4 an hour from the top-up on; every email went out exactly once.
    await setClock(t, '2026-03-12T10:00:00Z');
    expect(await balanceOf(t, 'alice')).toBe('35');
    expect(mails()).toEqual(['runway-warning', 'low-balance', 'negative-balance', 'suspended', 'unsuspended']);

    const { body: audit } = await t.as('admin').get('/admin/audit').expect(200);
    expect(audit).toMatchObject({ ok: true, breaches: [] });
    const { body: proof } = await t.as('admin').get('/admin/instances/vm-1/billing-proof').expect(200);
    expect(proof.verdict.ok).toBe(true);
  });
});
