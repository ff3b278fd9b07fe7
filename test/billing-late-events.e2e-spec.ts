import { createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}Z`;

/** Hosts report late: a creation a minute after the hourly run, a stop an hour after it happened. */
describe('late registrations and events', () => {
  let t: TestApp;
  let planId: number;
  beforeEach(async () => {
    t = await startTestApp();
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
    planId = await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0' });
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, at('12:00:00'));
  });
  afterEach(() => t.close());

  const account = async () => (await t.as('alice').get('/me/account').expect(200)).body.balance.credits;
  const ledger = async () => (await t.as('alice').get('/me/ledger?limit=50').expect(200)).body.entries;
  const audit = async () => (await t.as('admin').get('/admin/audit').expect(200)).body;
  const proof = async (id: string) =>
    (await t.as('admin').get(`/admin/instances/${id}/billing-proof`).expect(200)).body;

  it('debits an instance registered into an hour the account was already charged for', async () => {
    await setClock(t, at('13:01:00'));
    expect(await account()).toBe('99');
    // The panel reports a creation at 12:30 a minute after the 12:00 hour was charged.
    await registerInstance(t, 'vm-2', 'alice', planId, at('12:30:00'));
    await setClock(t, at('14:01:00'));
    // vm-1: 12:00 and 13:00; vm-2: 12:00 (every started hour in full) and 13:00.
    expect(await account()).toBe('96');
    const charges = (await ledger()).filter((entry: { kind: string }) => entry.kind === 'charge');
    expect(charges.map((entry: { amount: { credits: string } }) => entry.amount.credits).sort()).toEqual([
      '-1',
      '-1',
      '-2',
    ]);
    expect(await audit()).toMatchObject({ ok: true, breachCount: 0 });
  });

  it('accepts a stop reported after its hour was settled, re-rates, and refunds the difference once', async () => {
    await setClock(t, at('15:01:00'));
    expect(await account()).toBe('97');
    const response = await sendEvent(t, 'vm-1', 'stopped', at('13:30:00')).expect(200);
    expect(response.body.state).toBe('stopped');
    // 12:00 a full hour; 13:00 half an hour running (the rest stopped at 0); 14:00 stopped.
    expect(await account()).toBe('98.5');
    const adjustments = (await ledger()).filter((entry: { kind: string }) => entry.kind === 'adjustment');
    expect(adjustments.map((entry: { amount: { credits: string } }) => entry.amount.credits).sort()).toEqual([
      '0.5',
      '1',
    ]);
    // The same event again changes nothing.
    await sendEvent(t, 'vm-1', 'stopped', at('13:30:00')).expect(200);
    expect(await account()).toBe('98.5');

    const body = await proof('vm-1');
    expect(body.verdict.ok).toBe(true);
    expect(body.superseded.map((row: { hourStart: string; charge: string }) => [row.hourStart, row.charge])).toEqual([
      [`${at('13:00:00')}`.replace('Z', '.000Z'), '1'],
      [`${at('14:00:00')}`.replace('Z', '.000Z'), '1'],
    ]);
    expect(body.usage.map((row: { charge: string; revision: number }) => [row.charge, row.revision])).toEqual([
      ['1', 0],
      ['0.5', 1],
      ['0', 1],
    ]);
    expect(await audit()).toMatchObject({ ok: true });

    // The month's report and its days follow the correction.
    const usage = (await t.as('alice').get('/me/usage?month=2026-03').expect(200)).body;
    expect(usage.total.credits).toBe('1.5');
    expect(usage.daily.find((day: { date: string }) => day.date === '2026-03-10').cost.credits).toBe('1.5');
  });

  it('charges more when a late start says the instance ran in hours billed as stopped', async () => {
    await setClock(t, at('13:10:00'));
    await sendEvent(t, 'vm-1', 'stopped', at('13:10:00')).expect(200);
    await setClock(t, at('16:01:00'));
    // 12:00 in full; 13:00 ten minutes running, the rest stopped at 0.
    expect(await account()).toBe('98.833333');
    await sendEvent(t, 'vm-1', 'started', at('14:30:00')).expect(200);
    // 14:00: half an hour running; 15:00 running.
    expect(await account()).toBe('97.333333');
    expect(await audit()).toMatchObject({ ok: true });
  });

  it('re-rates a late resize and a late termination', async () => {
    const bigger = await createPlan(t, { hourlyPrice: '3' });
    await setClock(t, at('16:01:00'));
    await sendEvent(t, 'vm-1', 'resized', at('14:00:00'), bigger).expect(200);
    expect(await account()).toBe('92'); // 12:00, 13:00 at 1; 14:00, 15:00 at 3
    await sendEvent(t, 'vm-1', 'terminated', at('15:00:00')).expect(200);
    expect(await account()).toBe('95');
    await setClock(t, at('18:01:00'));
    expect(await account()).toBe('95');
    expect((await proof('vm-1')).verdict.ok).toBe(true);
    expect(await audit()).toMatchObject({ ok: true });
  });

  it('refuses an event or a registration older than the late event window, naming it', async () => {
    await t.as('admin').patch('/admin/settings', { lateEventWindowHours: 2 }).expect(200);
    await setClock(t, at('16:01:00'));
    const event = await sendEvent(t, 'vm-1', 'stopped', at('13:59:00')).expect(409);
    expect(event.body.message).toMatch(/late event window of 2 hours/);
    const registration = await t
      .as('admin')
      .post('/host/instances', { id: 'vm-old', userId: 'alice', planId, name: 'old', at: '1970-01-01T00:00:00Z' })
      .expect(409);
    expect(registration.body.message).toMatch(/lateEventWindowHours/);
    expect(await account()).toBe('96');
  });
});
