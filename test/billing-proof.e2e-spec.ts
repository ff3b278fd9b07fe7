import { DataSource } from 'typeorm';
import { AccountEntity } from '../src/accounts/account.entity';
import { SegmentEntity } from '../src/instances/instance.entity';
import { ProofRepository } from '../src/billing/proof/proof.repository';
import { UsageEntity } from '../src/billing/settlement/usage.entity';
import { Isolation, UnitOfWork } from '../src/common/unit-of-work';
import { createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}Z`;
const ms = (clock: string) => Date.parse(at(clock));

/**
 * vm-1 (alice): created on `small` at 12:00, stopped 13:30, started 14:15, resized to `large`
 * at 15:30, terminated 16:40; granularity 15 minutes. Hours 12–16, with two rows in 15:00:
 * 1 + (0.5 + 0.25) + (0.125 + 0.75) + (0.5 + 1) + 1.5 (40 minutes rounded up to 45) = 5.625.
 * vm-2 (bob) runs on a plan capped at 2.5 a month; vm-3 (carol) on a monthly-only plan.
 */
async function bill(t: TestApp) {
  await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000', billingGranularitySeconds: 900 });
  const small = await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0.5' });
  const large = await createPlan(t, { hourlyPrice: '2' });
  const capped = await createPlan(t, { hourlyPrice: '1', monthlyPrice: '2.5' });
  const monthly = await createPlan(t, { monthlyPrice: '31' });
  await topUp(t, 'alice', '100', 'pay-a1').expect(201);
  await topUp(t, 'bob', '5', 'pay-b1').expect(201);
  await registerInstance(t, 'vm-1', 'alice', small, at('12:00:00'));
  await registerInstance(t, 'vm-2', 'bob', capped, at('12:00:00'));
  await registerInstance(t, 'vm-3', 'carol', monthly, at('12:00:00'));
  const events: [string, string, number?][] = [
    ['13:30:00', 'stopped'],
    ['14:15:00', 'started'],
    ['15:30:00', 'resized', large],
    ['16:40:00', 'terminated'],
  ];
  for (const [clock, type, planId] of events) {
    await setClock(t, at(clock));
    await sendEvent(t, 'vm-1', type, at(clock), planId).expect(200);
  }
  await topUp(t, 'bob', '2', 'pay-b2').expect(201);
  await setClock(t, at('18:00:00'));
  await t.as('admin').post('/admin/billing/run').expect(200);
  return { small, large };
}

describe('billing proof and audit', () => {
  let t: TestApp;
  let small: number;
  let large: number;
  beforeEach(async () => {
    t = await startTestApp();
    ({ small, large } = await bill(t));
  });
  afterEach(() => t.close());

  const proof = async (id = 'vm-1') =>
    (await t.as('admin').get(`/admin/instances/${id}/billing-proof`).expect(200)).body;
  const audit = async () => (await t.as('admin').get('/admin/audit').expect(200)).body;
  type Breach = { kind: string; detail: string };
  const MONEY_CHECKS = ['ledger-usage-mismatch', 'rollup-mismatch'];
  /** The instance checks' breaches; a usage row edited behind the engine's back also breaks the money checks. */
  const instanceBreaches = (report: { breaches: Breach[] }) =>
    report.breaches.filter((b) => !MONEY_CHECKS.includes(b.kind));
  const moneyKinds = (report: { breaches: Breach[] }) => [
    ...new Set(report.breaches.filter((b) => MONEY_CHECKS.includes(b.kind)).map((b) => b.kind)),
  ];
  const usage = () => t.app.get(DataSource).getRepository(UsageEntity);
  const row = (hour: string, planId: number) =>
    usage().findOneByOrFail({ instanceId: 'vm-1', hourStartMs: ms(hour), planId });
  const findings = (body: { verdict: Record<string, { findings: { kind: string; detail: string }[] }> }) =>
    Object.entries(body.verdict).flatMap(([check, c]) => (c.findings ?? []).map((f) => ({ check, ...f })));

  it("proves a healthy instance's life: segments, every settled hour once, and its charges", async () => {
    const body = await proof();
    expect(body.instance).toEqual({
      id: 'vm-1',
      userId: 'alice',
      name: 'vm-1',
      planId: large,
      state: 'terminated',
      createdAt: '2026-03-10T12:00:00.000Z',
      terminatedAt: '2026-03-10T16:40:00.000Z',
      settledUntil: '2026-03-10T17:00:00.000Z',
    });
    expect(body.segments.map((s: { state: string; seconds: number }) => [s.state, s.seconds])).toEqual([
      ['running', 5400],
      ['stopped', 2700],
      ['running', 4500],
      ['running', 4200],
    ]);
    expect(body.segments[3]).toMatchObject({ from: at('15:30:00.000'), to: at('16:40:00.000'), planId: large });
    expect(body.usage).toHaveLength(6);
    expect(body.usage.find((u: { hourStart: string }) => u.hourStart === at('14:00:00.000'))).toEqual({
      hourStart: at('14:00:00.000'),
      periodStart: at('14:00:00.000'),
      revision: 0,
      planId: small,
      monthKey: '2026-03',
      seconds: { running: 2700, stopped: 900, suspended: 0 },
      billedSeconds: 3600,
      rates: { running: '1', stopped: '0.5', suspended: '0' },
      upfront: '0',
      charge: '0.875',
      capped: false,
    });
    // The last hour holds 2400 s and bills 2700: granularity rounds up into the state the hour ended in.
    expect(body.usage[5]).toMatchObject({ planId: large, seconds: { running: 2700 }, charge: '1.5' });
    expect(findings(body)).toEqual([]);
    expect(body.verdict).toMatchObject({
      ok: true,
      segmentsCoverLife: { ok: true },
      everyHourSettledOnce: { ok: true },
      secondsMatchSegments: { ok: true },
      chargesMatchRates: { ok: true },
      totals: { expectedHours: 5, hours: 5, usageRows: 6, charged: '5.625' },
    });
  });

  it('proves a capped and a monthly-only instance, and an open segment up to now', async () => {
    const capped = await proof('vm-2');
    expect(capped.verdict).toMatchObject({ ok: true, totals: { expectedHours: 6, hours: 6, charged: '2.5' } });
    expect(capped.usage.map((u: { capped: boolean }) => u.capped)).toEqual([false, false, true, true, true, true]);
    expect(capped.segments).toEqual([expect.objectContaining({ to: null, state: 'running', seconds: 6 * 3600 })]);
    const monthly = await proof('vm-3');
    expect(monthly.verdict).toMatchObject({ ok: true, totals: { hours: 6, charged: '21.5' } });
    expect(monthly.usage[0]).toMatchObject({ upfront: '21.5', charge: '21.5' });
  });

  it('audits every account and instance as sound after top-ups and settlement', async () => {
    expect(await audit()).toEqual({
      ok: true,
      checkedAccounts: 3,
      checkedInstances: 3,
      breachCount: 0,
      truncated: false,
      breaches: [],
    });
  });

  it('names an hour whose usage row was deleted, in the proof and the audit', async () => {
    await usage().delete({ instanceId: 'vm-1', hourStartMs: ms('13:00:00') });
    await usage().delete({ instanceId: 'vm-1', hourStartMs: ms('15:00:00'), planId: small });

    const body = await proof();
    expect(body.verdict).toMatchObject({
      ok: false,
      everyHourSettledOnce: { ok: false },
      segmentsCoverLife: { ok: true },
    });
    expect(findings(body)).toEqual([
      expect.objectContaining({
        check: 'everyHourSettledOnce',
        kind: 'missing-hour',
        detail: 'no usage row for 2026-03-10T13:00Z',
        from: at('13:00:00.000'),
        hours: 1,
      }),
      expect.objectContaining({
        kind: 'missing-hour',
        detail: `no usage row on plan ${small} for 2026-03-10T15:00Z, though a segment on that plan ran then`,
      }),
    ]);
    expect(body.verdict.totals).toMatchObject({ expectedHours: 5, hours: 4 });

    const report = await audit();
    expect(report).toMatchObject({ ok: false, truncated: false });
    expect(instanceBreaches(report)).toEqual([
      { kind: 'missing-hour', userId: 'alice', instanceId: 'vm-1', detail: 'no usage row for 2026-03-10T13:00Z' },
      expect.objectContaining({ kind: 'missing-hour', instanceId: 'vm-1', detail: expect.stringContaining('15:00Z') }),
    ]);
    // The ledger still holds those hours' charges, and the rollups still count them.
    expect(moneyKinds(report)).toEqual(MONEY_CHECKS);
  });

  it('reports a row for a plan that did not run in that hour, and a row moved outside the life', async () => {
    const { id: _id, ...twelve } = await row('12:00:00', small);
    await usage().insert({ ...twelve, planId: large });
    await usage().update({ instanceId: 'vm-1', hourStartMs: ms('16:00:00') }, { hourStartMs: ms('10:00:00') });

    const expected = [
      `a usage row on plan ${large} for 2026-03-10T10:00Z, outside the instance's settled life (2026-03-10T12:00Z to 2026-03-10T17:00Z)`,
      `a usage row on plan ${large} for 2026-03-10T12:00Z, though no segment on that plan ran then`,
      'no usage row for 2026-03-10T16:00Z',
      // The copied row also makes its hour hold two hours of seconds.
      'the usage rows for 2026-03-10T12:00Z bill 7200 s, more than an hour holds',
    ];
    const body = await proof();
    expect(body.verdict.everyHourSettledOnce.ok).toBe(false);
    expect(findings(body).map((f) => f.detail)).toEqual(expected);
    expect(findings(body).map((f) => f.kind)).toEqual([
      'hour-outside-life',
      'unexpected-plan',
      'missing-hour',
      'seconds-mismatch',
    ]);
    const report = await audit();
    expect(instanceBreaches(report).map((b) => b.detail)).toEqual(expected);
    expect(moneyKinds(report)).toEqual(MONEY_CHECKS);
  });

  it('reports an hour charged twice once the unique index is gone', async () => {
    const runner = t.app.get(DataSource).createQueryRunner();
    await runner.dropIndex('cloud_billing_usage', 'UQ_cloud_billing_usage_once');
    await runner.release();
    const { id: _id, ...twelve } = await row('12:00:00', small);
    await usage().insert(twelve);

    const detail = `2 usage rows on plan ${small} for 2026-03-10T12:00Z: that hour was charged more than once`;
    expect(findings(await proof())).toEqual([expect.objectContaining({ kind: 'duplicate-hour', detail })]);
    const report = await audit();
    expect(instanceBreaches(report)).toEqual([{ kind: 'duplicate-hour', userId: 'alice', instanceId: 'vm-1', detail }]);
    expect(moneyKinds(report)).toEqual(MONEY_CHECKS);
  });

  it('reports a balance edited behind the ledger, with both numbers', async () => {
    await t.app.get(DataSource).getRepository(AccountEntity).update({ userId: 'bob' }, { balance: 9_000_000 });
    // bob: 5 + 2 credited, 2.5 charged by the capped plan.
    expect(await audit()).toMatchObject({
      ok: false,
      breachCount: 2,
      breaches: [
        {
          kind: 'balance-mismatch',
          userId: 'bob',
          detail: 'balance is 9 credits but its 5 ledger entries sum to 4.5',
        },
        {
          kind: 'balance-after-mismatch',
          userId: 'bob',
          detail: 'balance is 9 credits but its latest ledger entry left it at 4.5',
        },
      ],
    });
  });

  it('reports a deleted segment as a gap, and a stretched one as an overlap', async () => {
    const segments = t.app.get(DataSource).getRepository(SegmentEntity);
    await segments.delete({ instanceId: 'vm-1', state: 'stopped' });
    const gap = 'no segment covers 2026-03-10T13:30:00.000Z to 2026-03-10T14:15:00.000Z';
    const body = await proof();
    expect(body.verdict).toMatchObject({
      ok: false,
      segmentsCoverLife: { ok: false },
      everyHourSettledOnce: { ok: true },
    });
    expect(findings(body)).toEqual([
      expect.objectContaining({ kind: 'segment-gap', detail: gap, from: at('13:30:00.000'), to: at('14:15:00.000') }),
    ]);
    expect((await audit()).breaches).toEqual([
      { kind: 'segment-gap', userId: 'alice', instanceId: 'vm-1', detail: gap },
    ]);

    // Stretching the first segment over the gap also makes it overlap the next one.
    await segments.update({ instanceId: 'vm-1', startedAtMs: ms('12:00:00') }, { endedAtMs: ms('14:30:00') });
    const stretched = await proof();
    expect(stretched.verdict.segmentsCoverLife.findings).toEqual([
      expect.objectContaining({
        kind: 'segment-overlap',
        detail:
          'segments overlap from 2026-03-10T14:15:00.000Z to 2026-03-10T14:30:00.000Z: those seconds are billed twice',
        from: at('14:15:00.000'),
        to: at('14:30:00.000'),
      }),
    ]);
  });

  it('reports a charge that its seconds and rates do not give', async () => {
    await usage().update({ instanceId: 'vm-1', hourStartMs: ms('12:00:00') }, { charge: 1_500_000 });
    const detail = `the usage row on plan ${small} for 2026-03-10T12:00Z charges 1.5 for the hour, but 3600 s running at 1/h comes to 1`;
    const body = await proof();
    expect(body.verdict).toMatchObject({
      ok: false,
      chargesMatchRates: { ok: false },
      secondsMatchSegments: { ok: true },
    });
    expect(findings(body)).toEqual([expect.objectContaining({ kind: 'charge-mismatch', detail })]);
    const report = await audit();
    expect(instanceBreaches(report)).toEqual([
      { kind: 'charge-mismatch', userId: 'alice', instanceId: 'vm-1', detail },
    ]);
    expect(moneyKinds(report)).toEqual(MONEY_CHECKS);
  });

  it('reports seconds moved between states even when the charge matches them', async () => {
    // 600 s stopped + 3000 s running at their rates: 0.916667, so only the seconds are wrong.
    await usage().update(
      { instanceId: 'vm-1', hourStartMs: ms('14:00:00') },
      { stoppedSeconds: 600, runningSeconds: 3000, charge: 916_667 },
    );
    const body = await proof();
    expect(body.verdict).toMatchObject({
      ok: false,
      secondsMatchSegments: { ok: false },
      chargesMatchRates: { ok: true },
    });
    expect(findings(body)).toEqual([
      expect.objectContaining({
        kind: 'seconds-mismatch',
        detail: `the usage row on plan ${small} for 2026-03-10T14:00Z bills 600 s stopped, but the segments hold 900 s`,
      }),
    ]);
  });

  it("sums each instance's rows in the database as the audit's screen needs them", async () => {
    const sums = async () => {
      const byInstance = await t.app
        .get(UnitOfWork)
        .run((tx) => t.app.get(ProofRepository).usageAggregates(tx, ['vm-1', 'vm-2', 'vm-3']), {
          isolation: Isolation.Snapshot,
        });
      return Object.fromEntries(
        [...byInstance].map(([id, months]) => [id, months.sort((a, b) => a.planId - b.planId)]),
      );
    };
    const clean = { outsideRows: 0, unbackedRows: 0, badRows: 0 };
    expect(await sums()).toEqual({
      'vm-1': [
        expect.objectContaining({ planId: small, rowCount: 4, hourCount: 4, ...clean, lastHourMs: ms('15:00:00') }),
        expect.objectContaining({ planId: large, rowCount: 2, hourCount: 2, ...clean, firstHourMs: ms('15:00:00') }),
      ],
      'vm-2': [
        expect.objectContaining({ ...clean, firstCappedHourMs: ms('14:00:00'), lastChargedHourMs: ms('14:00:00') }),
      ],
      'vm-3': [expect.objectContaining({ ...clean, upfrontRows: 1, firstUpfrontHourMs: ms('12:00:00') })],
    });

    const where = (id: string, hour: string) => ({ instanceId: id, hourStartMs: ms(hour) });
    await usage().update(where('vm-1', '12:00:00'), { planId: large });
    await usage().update(where('vm-1', '13:00:00'), { billedSeconds: 3000 });
    await usage().update(where('vm-1', '14:00:00'), { charge: 875_001 });
    await usage().update({ ...where('vm-1', '16:00:00'), planId: large }, { hourStartMs: ms('17:00:00') });
    await usage().update(where('vm-2', '16:00:00'), { charge: 100_000 });
    await usage().update(where('vm-3', '13:00:00'), { upfrontCharge: 1, charge: 1 });
    expect(await sums()).toEqual({
      'vm-1': [
        expect.objectContaining({ planId: small, rowCount: 3, outsideRows: 0, unbackedRows: 0, badRows: 2 }),
        // 12:00 now claims the large plan, and 17:00 is past both the segment and settled_until.
        expect.objectContaining({ planId: large, rowCount: 3, outsideRows: 1, unbackedRows: 2, badRows: 0 }),
      ],
      'vm-2': [expect.objectContaining({ badRows: 0, lastChargedHourMs: ms('16:00:00') })],
      'vm-3': [expect.objectContaining({ upfrontRows: 2, firstUpfrontHourMs: ms('12:00:00') })],
    });
  });

  it('is for admins only and names a malformed id', async () => {
    for (const path of ['/cloud-billing/admin/instances/vm-1/billing-proof', '/cloud-billing/admin/audit']) {
      await t.anonymous().get(path).expect(401);
      await t.as('alice').get(path.replace('/cloud-billing', '')).expect(403);
    }
    const missing = await t.as('admin').get('/admin/instances/vm-404/billing-proof').expect(404);
    expect(missing.body.message).toBe('instance vm-404 does not exist');
    const malformed = await t.as('admin').get('/admin/instances/vm%201!/billing-proof').expect(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'id', rule: 'isInstanceId' })]);
    await t
      .as('admin')
      .get(`/admin/instances/${'x'.repeat(65)}/billing-proof`)
      .expect(400);
  });
});
