import { balanceOf, createPlan, stopTheWorldAt } from './support/billing-fixtures';
import { startMeteredApp } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import type { TestApp } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}Z`;

/** 0.01 an hour per backup, for as many as the host reports. */
const BACKUP_PER_HOUR = {
  key: 'backup',
  name: 'Backups',
  unit: 'backup',
  price: '0.01',
  periodSeconds: 3_600,
  kind: 'postpaid',
  quantitySource: 'reported',
  on: ['running', 'stopped'],
};

describe(`rules billing the quantities the host reports (${testEngine()})`, () => {
  let t: TestApp;
  const admin = () => t.as('admin');
  const run = async () => (await admin().post('/admin/billing/run').expect(200)).body;
  const resources = (clock: string, quantities: object) =>
    admin().post('/host/instances/vm-1/events', { type: 'resources', at: at(clock), resources: quantities });

  beforeEach(async () => {
    t = await startMeteredApp();
  });
  afterEach(() => t.close());

  it('bills each quantity for the seconds it was held, and a late report as an adjustment of the hours it reaches', async () => {
    const planId = await createPlan(t, { hourlyPrice: '0', stoppedHourlyPrice: '0' });
    await admin().post(`/admin/plans/${planId}/rules`, BACKUP_PER_HOUR).expect(201);
    await admin()
      .post('/host/instances', {
        id: 'vm-1',
        userId: 'alice',
        planId,
        name: 'vm-1',
        at: at('12:00:00'),
        resources: { backup: 1 },
      })
      .expect(201);
    stopTheWorldAt(t, at('12:30:00'));
    await resources('12:30:00', { backup: 3 }).expect(200);
    stopTheWorldAt(t, at('13:00:00'));
    await run();
    // Half an hour of one backup and half an hour of three: 0.005 + 0.015.
    expect(await balanceOf(t, 'alice')).toBe('-0.02');

    stopTheWorldAt(t, at('15:00:00'));
    await run();
    // Two more hours of three backups.
    expect(await balanceOf(t, 'alice')).toBe('-0.08');
    // The host reports late that one backup went at 14:15: 45 minutes of two fewer, 0.015 back.
    await resources('14:15:00', { backup: 1 }).expect(200);
    expect(await balanceOf(t, 'alice')).toBe('-0.065');
    expect((await admin().get('/admin/audit').expect(200)).body.breaches).toEqual([]);
  });

  it('charges a rule no more than its monthly cap in a month', async () => {
    const planId = await createPlan(t, { hourlyPrice: '0' });
    await admin()
      .post(`/admin/plans/${planId}/rules`, {
        ...BACKUP_PER_HOUR,
        quantitySource: 'fixed',
        fixedQuantity: '1',
        monthlyCap: '0.025',
      })
      .expect(201);
    await admin()
      .post('/host/instances', { id: 'vm-1', userId: 'alice', planId, name: 'vm-1', at: at('12:00:00') })
      .expect(201);
    stopTheWorldAt(t, at('14:00:00'));
    await run();
    expect(await balanceOf(t, 'alice')).toBe('-0.02');
    stopTheWorldAt(t, at('18:00:00'));
    await run();
    // 0.01 an hour: two hours in full, then what is left of the 0.025 cap, then nothing.
    expect(await balanceOf(t, 'alice')).toBe('-0.025');
    expect((await admin().get('/admin/audit').expect(200)).body.breaches).toEqual([]);
  });
});
