import { DataSource } from 'typeorm';
import { ResourceQuantities1763740013000 } from '../migrations/1763740013000-resource-quantities';
import { SegmentEntity } from '../src/instances/instance.entity';
import { createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { tableDigests } from './support/table-digests';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}Z`;
const ms = (clock: string) => Date.parse(at(clock));

/** The host reports an instance's resource quantities as they change: `type: "resources"` events (issue 11). */
describe(`resource quantities the host reports (${testEngine()})`, () => {
  let t: TestApp;
  let planId: number;
  let otherPlanId: number;
  beforeEach(async () => {
    t = await startTestApp();
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
    planId = await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0.25' });
    otherPlanId = await createPlan(t, { hourlyPrice: '2' });
  });
  afterEach(() => t.close());

  const report = (id: string, clock: string, resources: unknown) =>
    t.as('admin').post(`/host/instances/${id}/events`, { type: 'resources', at: at(clock), resources });
  const register = (id: string, clock: string, extra: object = {}) =>
    t.as('admin').post('/host/instances', { id, userId: 'alice', planId, name: id, at: at(clock), ...extra });
  /** Segments as billing reads them: through the entity, whose `quantities` is what settlement bills. */
  const segments = async (id: string) =>
    (
      await t.app
        .get(DataSource)
        .getRepository(SegmentEntity)
        .find({ where: { instanceId: id }, order: { startedAtMs: 'ASC', id: 'ASC' } })
    ).map(({ startedAtMs, endedAtMs, state, planId: plan, quantities }) => ({
      from: startedAtMs,
      to: endedAtMs,
      state,
      planId: plan,
      quantities: { ...quantities },
    }));
  const everything = () => tableDigests(t.app.get(DataSource));

  it('opens a segment at each report, exact to the second, with the quantities merged', async () => {
    await registerInstance(t, 'vm-1', 'alice', planId, at('11:00:00'));
    const first = await report('vm-1', '11:10:05', { ipv4: 2, backup: '1.5' }).expect(200);
    expect(first.body).toMatchObject({ id: 'vm-1', state: 'running', resources: { backup: '1.5', ipv4: '2' } });
    // Keys not listed keep their quantity; 0 removes one.
    await report('vm-1', '11:20:07', { ipv4: '3', 'disk-gb': '0.000001' }).expect(200);
    const last = await report('vm-1', '11:30:09', { backup: 0 }).expect(200);
    expect(last.body.resources).toEqual({ 'disk-gb': '0.000001', ipv4: '3' });

    const running = { state: 'running', planId };
    expect(await segments('vm-1')).toEqual([
      { from: ms('11:00:00'), to: ms('11:10:05'), ...running, quantities: {} },
      { from: ms('11:10:05'), to: ms('11:20:07'), ...running, quantities: { backup: '1500000', ipv4: '2000000' } },
      {
        from: ms('11:20:07'),
        to: ms('11:30:09'),
        ...running,
        quantities: { backup: '1500000', 'disk-gb': '1', ipv4: '3000000' },
      },
      { from: ms('11:30:09'), to: null, ...running, quantities: { 'disk-gb': '1', ipv4: '3000000' } },
    ]);
  });

  it('carries the quantities over through stop, start, resize and suspension, and holds none once terminated', async () => {
    await registerInstance(t, 'vm-1', 'alice', planId, at('11:00:00'));
    await report('vm-1', '11:05:00', { ipv4: 2 }).expect(200);
    const stopped = await sendEvent(t, 'vm-1', 'stopped', at('11:10:00')).expect(200);
    expect(stopped.body).toMatchObject({ state: 'stopped', resources: { ipv4: '2' } });
    await report('vm-1', '11:15:00', { backup: 1 }).expect(200);
    await sendEvent(t, 'vm-1', 'started', at('11:20:00')).expect(200);
    await sendEvent(t, 'vm-1', 'resized', at('11:30:00'), otherPlanId).expect(200);
    await sendEvent(t, 'vm-1', 'suspended', at('11:40:00')).expect(200);
    await report('vm-1', '11:45:00', { ipv4: 1 }).expect(200);
    const terminated = await sendEvent(t, 'vm-1', 'terminated', at('11:50:00')).expect(200);
    expect(terminated.body).toMatchObject({ state: 'terminated', resources: {} });

    const both = { backup: '1000000', ipv4: '2000000' };
    expect(
      (await segments('vm-1')).map(({ from, state, planId: plan, quantities }) => [from, state, plan, quantities]),
    ).toEqual([
      [ms('11:00:00'), 'running', planId, {}],
      [ms('11:05:00'), 'running', planId, { ipv4: '2000000' }],
      [ms('11:10:00'), 'stopped', planId, { ipv4: '2000000' }],
      [ms('11:15:00'), 'stopped', planId, both],
      [ms('11:20:00'), 'running', planId, both],
      [ms('11:30:00'), 'running', otherPlanId, both],
      [ms('11:40:00'), 'suspended', otherPlanId, both],
      [ms('11:45:00'), 'suspended', otherPlanId, { backup: '1000000', ipv4: '1000000' }],
    ]);
  });

  it('takes the same report again as a no-op, and a different one at the same instant as a 409 (a resize too)', async () => {
    await registerInstance(t, 'vm-1', 'alice', planId, at('11:00:00'));
    await report('vm-1', '11:10:00', { ipv4: 2, backup: 0 }).expect(200);
    const before = await everything();

    // The same quantities, written another way.
    const again = await report('vm-1', '11:10:00', { backup: '0', ipv4: '2.000000' }).expect(200);
    expect(again.body.resources).toEqual({ ipv4: '2' });
    const different = await report('vm-1', '11:10:00', { ipv4: 3 }).expect(409);
    expect(different.body.message).toBe(
      'a different "resources" event of vm-1 at 2026-03-10T11:10:00.000Z was applied already',
    );
    await report('vm-1', '11:10:00', { ipv4: 2 }).expect(409);
    expect(await everything()).toEqual(before);

    // A resize to another plan at the instant of an earlier one is a 409 the same way; the same resize, a no-op.
    await sendEvent(t, 'vm-1', 'resized', at('11:20:00'), otherPlanId).expect(200);
    await sendEvent(t, 'vm-1', 'resized', at('11:20:00'), otherPlanId).expect(200);
    const resized = await sendEvent(t, 'vm-1', 'resized', at('11:20:00'), planId).expect(409);
    expect(resized.body.message).toContain('a different "resized" event of vm-1');
    expect((await segments('vm-1')).map(({ planId: plan }) => plan)).toEqual([planId, planId, otherPlanId]);
  });

  // Each refused on one instance, in one test: a fresh database each costs seconds on MariaDB.
  const REFUSED: [resources: unknown, field: string, rule: string][] = [
    [{ IPv4: 1 }, 'resources.IPv4', 'isMeteringKey'],
    [{ ip_v4: 1 }, 'resources.ip_v4', 'isMeteringKey'],
    [{ ['a'.repeat(65)]: 1 }, `resources.${'a'.repeat(64)}…`, 'isMeteringKey'],
    [{ ipv4: -1 }, 'resources.ipv4', 'isQuantity'],
    [{ ipv4: '-0.5' }, 'resources.ipv4', 'isQuantity'],
    [{ ipv4: '0.0000001' }, 'resources.ipv4', 'isQuantity'],
    [{ ipv4: 1.0000001 }, 'resources.ipv4', 'isQuantity'],
    [{ ipv4: 'two' }, 'resources.ipv4', 'isQuantity'],
    [{ ipv4: true }, 'resources.ipv4', 'isQuantity'],
    [{ ipv4: null }, 'resources.ipv4', 'isQuantity'],
    [{ ipv4: { n: 1 } }, 'resources.ipv4', 'isQuantity'],
    [{ ipv4: 1_000_001 }, 'resources.ipv4', 'maxQuantity'],
    [{}, 'resources', 'isNotEmpty'],
    [Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`r${i}`, 1])), 'resources', 'maxKeys'],
    [[1, 2], 'resources', 'isResourceMap'],
    ['ipv4=2', 'resources', 'isResourceMap'],
    [null, 'resources', 'isDefined'],
    [undefined, 'resources', 'isDefined'],
  ];

  it('refuses a bad report with a 400 naming the field and the rule, writing nothing', async () => {
    await registerInstance(t, 'vm-1', 'alice', planId, at('11:00:00'));
    const before = await everything();
    for (const [resources, field, rule] of REFUSED) {
      const { status, body } = await report('vm-1', '11:10:00', resources);
      expect({ resources, status, errors: body.errors }).toEqual({
        resources,
        status: 400,
        errors: [expect.objectContaining({ field, rule })],
      });
      expect(body.message).toContain(field);
    }
    expect(await everything()).toEqual(before);
  });

  it('refuses resources on any other event, and a report that would leave an instance more than 12 resources', async () => {
    await registerInstance(t, 'vm-1', 'alice', planId, at('11:00:00'));
    const twelve = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`r${i}`, 1]));
    await report('vm-1', '11:05:00', twelve).expect(200);
    const before = await everything();

    const stop = await t
      .as('admin')
      .post('/host/instances/vm-1/events', { type: 'stopped', at: at('11:10:00'), resources: { ipv4: 1 } })
      .expect(400);
    expect(stop.body.errors).toEqual([
      { field: 'resources', rule: 'onlyForEventType', message: 'resources is only for a "resources" event' },
    ]);
    const full = await report('vm-1', '11:10:00', { extra: 1 }).expect(400);
    expect(full.body.errors).toEqual([expect.objectContaining({ field: 'resources', rule: 'maxKeys' })]);
    expect(await everything()).toEqual(before);
    // Swapping one for another keeps twelve.
    await report('vm-1', '11:10:00', { extra: 1, r0: 0 }).expect(200);
  });

  it('refuses a report on a terminated instance as it refuses any event after termination', async () => {
    await registerInstance(t, 'vm-1', 'alice', planId, at('11:00:00'));
    await sendEvent(t, 'vm-1', 'terminated', at('11:10:00')).expect(200);
    const before = await everything();
    const refused = await report('vm-1', '11:20:00', { ipv4: 1 }).expect(409);
    expect(refused.body.message).toBe('cannot apply "resources" to vm-1: it is terminated');
    await sendEvent(t, 'vm-1', 'started', at('11:20:00')).expect(409);
    await report('vm-404', '11:20:00', { ipv4: 1 }).expect(404);
    expect(await everything()).toEqual(before);
  });

  it('registers an instance with the resources it starts with', async () => {
    const { body } = await register('vm-1', '11:00:00', { resources: { ipv4: 1, backup: '0.5', snapshots: 0 } }).expect(
      201,
    );
    expect(body.resources).toEqual({ backup: '0.5', ipv4: '1' });
    // The same registration again answers with what it holds now.
    await report('vm-1', '11:10:00', { ipv4: 2 }).expect(200);
    expect((await register('vm-1', '11:00:00').expect(200)).body.resources).toEqual({ backup: '0.5', ipv4: '2' });
    expect((await segments('vm-1')).map(({ from, quantities }) => [from, quantities])).toEqual([
      [ms('11:00:00'), { backup: '500000', ipv4: '1000000' }],
      [ms('11:10:00'), { backup: '500000', ipv4: '2000000' }],
    ]);

    const before = await everything();
    const bad = await register('vm-2', '11:00:00', { resources: { ipv4: -1, Backup: 1 } }).expect(400);
    expect(bad.body.errors.map((e: { field: string; rule: string }) => [e.field, e.rule])).toEqual([
      ['resources.Backup', 'isMeteringKey'],
      ['resources.ipv4', 'isQuantity'],
    ]);
    await register('vm-2', '11:00:00', { resources: null }).expect(400);
    await register('vm-2', '11:00:00', { resources: [] }).expect(400);
    expect(await everything()).toEqual(before);
  });

  it('applies a late report in an hour already settled, splitting the segment without changing the charge', async () => {
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, at('11:00:00'));
    await setClock(t, at('13:01:00'));
    const ledger = async () => (await t.as('alice').get('/me/ledger?limit=50').expect(200)).body.entries;
    const charged = await ledger();

    await report('vm-1', '11:30:00', { ipv4: 2 }).expect(200);
    expect((await segments('vm-1')).map(({ from, to, quantities }) => [from, to, quantities])).toEqual([
      [ms('11:00:00'), ms('11:30:00'), {}],
      [ms('11:30:00'), null, { ipv4: '2000000' }],
    ]);
    // The instance's own rate is the same either side of the report: nothing to adjust.
    expect(await ledger()).toEqual(charged);
    const proof = (await t.as('admin').get('/admin/instances/vm-1/billing-proof').expect(200)).body;
    expect(proof.verdict.ok).toBe(true);
    // And a report before the last event is out of order, as any event is.
    const late = await report('vm-1', '11:20:00', { ipv4: 1 }).expect(409);
    expect(late.body.message).toContain('out of order');
  });

  it('has a migration whose down() drops the columns and whose up() adds them again', async () => {
    const queryRunner = t.app.get(DataSource).createQueryRunner();
    const migration = new ResourceQuantities1763740013000();
    try {
      await migration.down(queryRunner);
      for (const table of ['cloud_billing_instance_segments', 'cloud_billing_instance_events']) {
        expect({ table, column: await queryRunner.hasColumn(table, 'quantities') }).toEqual({ table, column: false });
      }
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }
    await register('vm-1', '11:00:00', { resources: { ipv4: 1 } }).expect(201);
    await report('vm-1', '11:10:00', { ipv4: 2 }).expect(200);
    expect((await segments('vm-1')).map(({ quantities }) => quantities)).toEqual([
      { ipv4: '1000000' },
      { ipv4: '2000000' },
    ]);
  });
});
