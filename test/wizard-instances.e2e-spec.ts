import { DemoProvisioner } from '../src/demo/demo-ports';
import { balanceOf, setClock, topUp } from './support/billing-fixtures';
import { addHypervisor, createInstance, createLocation, createOfferedPlan } from './support/placement-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z.
describe('a user’s instances', () => {
  let t: TestApp;
  let north: number;
  let small: number;
  beforeEach(async () => {
    t = await startTestApp();
    await t.as('admin').patch('/admin/settings', { billingGranularitySeconds: 1 }).expect(200);
    await topUp(t, 'alice', '100', 'pay-alice').expect(201);
    await addHypervisor(t, 'hv-a', 2);
    await addHypervisor(t, 'hv-b', 2);
    north = await createLocation(t, 'North', ['hv-a', 'hv-b']);
    small = await createOfferedPlan(t, 'Small', [north], { hourlyPrice: '1.5' });
  });
  afterEach(() => t.close());

  // Moving the demo clock runs billing as the hourly job would; the admin run after it settles nothing twice.
  const run = () => t.as('admin').post('/admin/billing/run').expect(200);
  const terminateCalls = () => t.app.get(DemoProvisioner).calls.filter((call) => call.action === 'terminate');

  it('creates an instance on the next hypervisor, lists it and bills it from the next hour on', async () => {
    await setClock(t, '2026-03-10T12:20:00Z');
    const { body } = await createInstance(t, 'alice', small, north, ' web-1 ').expect(201);
    const expected = {
      id: body.id,
      name: 'web-1',
      planId: small,
      plan: 'Small',
      locationId: north,
      location: 'North',
      hypervisorId: 'hv-a',
      state: 'running',
      createdAt: '2026-03-10T12:20:00.000Z',
      terminatedAt: null,
    };
    expect(body).toEqual(expected);
    expect((await t.as('alice').get('/me/instances').expect(200)).body).toEqual([expected]);
    expect((await t.as('alice').get(`/me/instances/${body.id}`).expect(200)).body).toEqual(expected);

    await setClock(t, '2026-03-10T13:00:00Z');
    await run();
    // 40 minutes at 1.5 an hour.
    expect(await balanceOf(t, 'alice')).toBe('99');
    const { body: ledger } = await t.as('alice').get('/me/ledger').expect(200);
    expect(ledger.entries[0]).toMatchObject({ amount: { credits: '-1' } });
  });

  it('terminates at the clock’s second: billing stops there, the room is freed and the host is told', async () => {
    const { body } = await createInstance(t, 'alice', small, north).expect(201);
    await setClock(t, '2026-03-10T13:30:10Z');
    const { body: ended } = await t.as('alice').delete(`/me/instances/${body.id}`).expect(200);
    expect(ended).toMatchObject({ id: body.id, state: 'terminated', terminatedAt: '2026-03-10T13:30:10.000Z' });
    expect(terminateCalls()).toEqual([expect.objectContaining({ instanceId: body.id, ok: true })]);

    // Again: the same answer, nothing new sent.
    expect((await t.as('alice').delete(`/me/instances/${body.id}`).expect(200)).body).toEqual(ended);
    expect(terminateCalls()).toHaveLength(1);

    await setClock(t, '2026-03-10T18:00:00Z');
    await run();
    // 12:00–13:00 in full, then 1810 s of the next hour: 1.5 + 0.754167, and nothing after.
    expect(await balanceOf(t, 'alice')).toBe('97.745833');
  });

  it('answers 404 for another user’s instance on every route, and leaves it alone', async () => {
    const { body } = await createInstance(t, 'alice', small, north).expect(201);
    const other = await createOfferedPlan(t, 'Other', [north], { hourlyPrice: '2' });
    const bob = t.as('bob');
    const notFound = `instance ${body.id} does not exist`;
    for (const response of [
      await bob.get(`/me/instances/${body.id}`),
      await bob.delete(`/me/instances/${body.id}`),
      await bob.post(`/me/instances/${body.id}/resize-quote`, { planId: other }),
      await bob.post(`/me/instances/${body.id}/resize`, { planId: other }),
    ]) {
      expect({ status: response.status, message: response.body.message }).toEqual({ status: 404, message: notFound });
    }
    expect((await bob.get('/me/instances').expect(200)).body).toEqual([]);
    expect((await t.as('alice').get(`/me/instances/${body.id}`).expect(200)).body).toMatchObject({
      state: 'running',
      planId: small,
    });
    expect(terminateCalls()).toEqual([]);
  });

  it.each([
    [{ planId: 1, locationId: 1, name: '   ' }, 'name'],
    [{ planId: 1, locationId: 1, name: 'x'.repeat(129) }, 'name'],
    [{ planId: 1, locationId: 1 }, 'name'],
    [{ planId: '1x', locationId: 1, name: 'x' }, 'planId'],
    [{ planId: 1, name: 'x' }, 'locationId'],
    [{ planId: 1, locationId: 1, name: 'x', hypervisorId: 'hv-a' }, 'hypervisorId'],
  ])('refuses the creation %j with a 400 naming %s and creates nothing', async (body, field) => {
    const { body: error } = await t.as('alice').post('/me/instances', body).expect(400);
    expect(error.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(t.app.get(DemoProvisioner).calls).toEqual([]);
  });

  it('refuses a malformed instance id with a 400 naming id', async () => {
    const { body } = await t.as('alice').get('/me/instances/not%20an%20id').expect(400);
    expect(body.errors).toContainEqual(expect.objectContaining({ field: 'id' }));
  });

  describe('moving to another plan', () => {
    let large: number;
    beforeEach(async () => {
      large = await createOfferedPlan(
        t,
        'Large',
        [north],
        { hourlyPrice: '4.5', monthlyPrice: '300' },
        {
          vcpus: 4,
          ramMb: 4096,
          diskGb: 80,
        },
      );
    });

    it('quotes the rest of the month on the new plan with its cap, next to the current one', async () => {
      const capped = await createOfferedPlan(t, 'Capped', [north], { hourlyPrice: '10', monthlyPrice: '100' });
      const { body } = await createInstance(t, 'alice', capped, north).expect(201);
      await setClock(t, '2026-03-10T20:00:00Z');
      await run();
      const { body: quote } = await t
        .as('alice')
        .post(`/me/instances/${body.id}/resize-quote`, { planId: small })
        .expect(200);
      expect(quote).toMatchObject({
        instanceId: body.id,
        planId: small,
        from: '2026-03-10T20:00:00.000Z',
        until: '2026-04-01T00:00:00.000Z',
        // 508 hours left at 1.5, no cap.
        restOfMonth: { credits: '762' },
        hourly: { credits: '1.5', amount: '0.015', formatted: '$0.015' },
        monthlyCap: null,
        // 80 of the current plan's 100 cap is already charged this month.
        current: { planId: capped, restOfMonth: { credits: '20' } },
        canResize: true,
        reason: null,
      });
      const { body: toLarge } = await t
        .as('alice')
        .post(`/me/instances/${body.id}/resize-quote`, { planId: large })
        .expect(200);
      expect(toLarge).toMatchObject({ restOfMonth: { credits: '300' }, monthlyCap: { credits: '300' } });
    });

    it('resizes when the hypervisor has room, billing each plan for its part of the hour', async () => {
      const { body } = await createInstance(t, 'alice', small, north).expect(201);
      await setClock(t, '2026-03-10T12:30:00Z');
      const { body: resized } = await t
        .as('alice')
        .post(`/me/instances/${body.id}/resize`, { planId: large })
        .expect(200);
      expect(resized).toMatchObject({
        id: body.id,
        planId: large,
        plan: 'Large',
        hypervisorId: 'hv-a',
        state: 'running',
      });
      const { body: location } = await t.as('admin').get(`/admin/locations/${north}`).expect(200);
      expect(location.hypervisors[0]).toMatchObject({ allocated: { vcpus: 4 }, free: { vcpus: 0 }, instanceCount: 1 });

      await setClock(t, '2026-03-10T13:00:00Z');
      await run();
      // Half an hour at 1.5 and half an hour at 4.5.
      expect(await balanceOf(t, 'alice')).toBe('97');
    });

    it('refuses with 409 when the hypervisor has no room, and quotes why', async () => {
      const { body: first } = await createInstance(t, 'alice', small, north).expect(201);
      await createInstance(t, 'alice', small, north).expect(201);
      // hv-a now holds first and the third instance: no room to grow first.
      const { body: third } = await createInstance(t, 'alice', small, north).expect(201);
      expect(third.hypervisorId).toBe(first.hypervisorId);

      const { body: quote } = await t
        .as('alice')
        .post(`/me/instances/${first.id}/resize-quote`, { planId: large })
        .expect(200);
      expect(quote).toMatchObject({
        canResize: false,
        reason: 'hypervisor hv-a has no room for Large; the instance keeps its plan',
      });
      const { body: error } = await t
        .as('alice')
        .post(`/me/instances/${first.id}/resize`, { planId: large })
        .expect(409);
      expect(error.message).toBe('hypervisor hv-a has no room for Large; the instance keeps its plan');
      expect((await t.as('alice').get(`/me/instances/${first.id}`)).body.planId).toBe(small);

      await t.as('alice').delete(`/me/instances/${third.id}`).expect(200);
      await t.as('alice').post(`/me/instances/${first.id}/resize`, { planId: large }).expect(200);
    });

    it('refuses a plan that is not offered there, the same plan, an unknown plan and a terminated instance', async () => {
      const { body } = await createInstance(t, 'alice', small, north).expect(201);
      const elsewhere = await createOfferedPlan(t, 'Elsewhere', []);
      const resize = (planId: number) => t.as('alice').post(`/me/instances/${body.id}/resize`, { planId });
      expect((await resize(elsewhere).expect(409)).body.message).toBe('Elsewhere is not offered in North');
      expect((await resize(small).expect(400)).body.errors).toContainEqual(
        expect.objectContaining({ field: 'planId', rule: 'isNewPlan' }),
      );
      expect((await resize(999).expect(404)).body.message).toBe('plan 999 does not exist');
      await t.as('alice').delete(`/me/instances/${body.id}`).expect(200);
      expect((await resize(large).expect(409)).body.message).toBe(`instance ${body.id} is terminated`);
    });
  });
});
