import { createPlan, registerInstance, sendEvent, setClock } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z.
describe('host instance registration and events', () => {
  let t: TestApp;
  let planId: number;
  let otherPlanId: number;
  beforeEach(async () => {
    t = await startTestApp();
    planId = await createPlan(t, { hourlyPrice: '1' });
    otherPlanId = await createPlan(t, { hourlyPrice: '2' });
  });
  afterEach(() => t.close());

  it('registers an instance once; the same registration again answers 200 with it', async () => {
    const { body } = await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T11:30:00Z');
    expect(body).toMatchObject({
      id: 'vm-1',
      userId: 'alice',
      planId,
      state: 'running',
      createdAt: '2026-03-10T11:30:00.000Z',
    });
    await t
      .as('admin')
      .post('/host/instances', { id: 'vm-1', userId: 'alice', planId, name: 'vm-1', at: '2026-03-10T11:30:00Z' })
      .expect(200);
    await t
      .as('admin')
      .post('/host/instances', { id: 'vm-1', userId: 'bob', planId, name: 'vm-1', at: '2026-03-10T11:30:00Z' })
      .expect(409);
  });

  it.each([
    [{ userId: 'alice', planId: 1, name: 'x', at: '2026-03-10T11:00:00Z' }, 'id'],
    [{ id: 'vm 1', userId: 'alice', planId: 1, name: 'x', at: '2026-03-10T11:00:00Z' }, 'id'],
    [{ id: 'vm-1', userId: 'alice', planId: 'one', name: 'x', at: '2026-03-10T11:00:00Z' }, 'planId'],
    [{ id: 'vm-1', userId: 'alice', planId: 999, name: 'x', at: '2026-03-10T11:00:00Z' }, 'planId'],
    [{ id: 'vm-1', userId: 'alice', planId: 1, name: 'x', at: 'yesterday' }, 'at'],
    [{ id: 'vm-1', userId: 'alice', planId: 1, name: 'x', at: '2026-03-10T12:00:01Z' }, 'at'],
    [{ id: 'vm-1', userId: 'alice', planId: 1, name: 'x', at: '2026-03-10T11:00:00Z', extra: true }, 'extra'],
  ])('refuses the registration %j naming %s, writing nothing', async (body, field) => {
    const response = await t.as('admin').post('/host/instances', body).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    await sendEvent(t, 'vm-1', 'stopped', '2026-03-10T11:00:00Z').expect(404);
  });

  it('is for admins only', async () => {
    await t
      .as('alice')
      .post('/host/instances', { id: 'vm-1', userId: 'alice', planId, name: 'x', at: '2026-03-10T11:00:00Z' })
      .expect(403);
    await t
      .anonymous()
      .post('/cloud-billing/host/instances/vm-1/events')
      .send({ type: 'stopped', at: '2026-03-10T11:00:00Z' })
      .expect(401);
  });

  it('follows the lifecycle and treats a resent event as a no-op', async () => {
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T11:00:00Z');
    expect((await sendEvent(t, 'vm-1', 'stopped', '2026-03-10T11:10:00Z').expect(200)).body.state).toBe('stopped');
    expect((await sendEvent(t, 'vm-1', 'stopped', '2026-03-10T11:10:00Z').expect(200)).body.state).toBe('stopped');
    expect((await sendEvent(t, 'vm-1', 'started', '2026-03-10T11:20:00Z').expect(200)).body.state).toBe('running');
    expect((await sendEvent(t, 'vm-1', 'resized', '2026-03-10T11:30:00Z', otherPlanId).expect(200)).body).toMatchObject(
      {
        planId: otherPlanId,
        state: 'running',
      },
    );
    expect((await sendEvent(t, 'vm-1', 'suspended', '2026-03-10T11:40:00Z').expect(200)).body.state).toBe('suspended');
    expect((await sendEvent(t, 'vm-1', 'resumed', '2026-03-10T11:45:00Z').expect(200)).body.state).toBe('running');
    const terminated = (await sendEvent(t, 'vm-1', 'terminated', '2026-03-10T11:50:00Z').expect(200)).body;
    expect(terminated).toMatchObject({ state: 'terminated', terminatedAt: '2026-03-10T11:50:00.000Z' });
    await sendEvent(t, 'vm-1', 'started', '2026-03-10T11:55:00Z').expect(409);
  });

  it('refuses events that cannot be right, with a message that says why', async () => {
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T11:00:00Z');
    await sendEvent(t, 'vm-1', 'stopped', '2026-03-10T11:30:00Z').expect(200);

    const outOfOrder = await sendEvent(t, 'vm-1', 'started', '2026-03-10T11:20:00Z').expect(409);
    expect(outOfOrder.body.message).toContain('out of order');
    expect((await sendEvent(t, 'vm-1', 'stopped', '2026-03-10T11:40:00Z').expect(409)).body.message).toContain(
      'it is stopped',
    );
    expect((await sendEvent(t, 'vm-1', 'started', '2026-03-10T10:00:00Z').expect(400)).body.errors[0].field).toBe('at');
    expect((await sendEvent(t, 'vm-1', 'started', '2026-03-10T12:30:00Z').expect(400)).body.errors[0].field).toBe('at');
    expect((await sendEvent(t, 'vm-1', 'resized', '2026-03-10T11:40:00Z').expect(400)).body.errors[0].field).toBe(
      'planId',
    );
    expect((await sendEvent(t, 'vm-1', 'resized', '2026-03-10T11:40:00Z', 999).expect(400)).body.errors[0].field).toBe(
      'planId',
    );
    expect((await sendEvent(t, 'vm-1', 'rebooted', '2026-03-10T11:40:00Z').expect(400)).body.errors[0].field).toBe(
      'type',
    );
    await sendEvent(t, 'vm-404', 'stopped', '2026-03-10T11:40:00Z').expect(404);
    // None of the refusals changed the instance.
    expect((await sendEvent(t, 'vm-1', 'started', '2026-03-10T11:50:00Z').expect(200)).body.state).toBe('running');
  });

  it('accepts an event inside an hour that is already settled, and refuses one out of order', async () => {
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-100' }).expect(200);
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T11:00:00Z');
    await setClock(t, '2026-03-10T13:05:00Z');
    await sendEvent(t, 'vm-1', 'stopped', '2026-03-10T12:59:00Z').expect(200);
    const early = await sendEvent(t, 'vm-1', 'started', '2026-03-10T12:30:00Z').expect(409);
    expect(early.body.message).toContain('out of order');
  });
});
