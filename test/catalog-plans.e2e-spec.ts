import { registerInstance, sendEvent } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe('admin: plan groups and plans', () => {
  let t: TestApp;
  let group: { id: number };
  let otherGroup: { id: number };
  let fra: { id: number };
  let ams: { id: number };
  const admin = () => t.as('admin');
  const create = async (path: string, body: object) => (await admin().post(path, body).expect(201)).body;
  const plans = async () => (await admin().get('/admin/plans').expect(200)).body;
  let slugs = 0;
  const plan = (extra: object = {}) => ({
    groupId: group.id,
    name: 'Plan',
    slug: `plan-${++slugs}`,
    vcpus: 2,
    ramMb: 4096,
    diskGb: 80,
    hourlyPrice: '0.5',
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestApp();
    group = await create('/admin/plan-groups', { name: 'High Compute', slug: 'high-compute' });
    otherGroup = await create('/admin/plan-groups', { name: 'Budget', slug: 'budget' });
    // Amsterdam sorts before Frankfurt although it was created after it.
    fra = await create('/admin/locations', { name: 'Frankfurt', slug: 'fra', sortOrder: 2 });
    ams = await create('/admin/locations', { name: 'Amsterdam', slug: 'ams', sortOrder: 1 });
  });
  afterAll(() => t.close());

  describe('plan groups', () => {
    it('creates with defaults, lists by sort order then id, and updates only what is sent', async () => {
      expect(group).toEqual({
        id: expect.any(Number),
        name: 'High Compute',
        slug: 'high-compute',
        description: null,
        enabled: true,
        sortOrder: 0,
      });
      const gpu = await create('/admin/plan-groups', { name: 'GPU', slug: 'gpu', sortOrder: 0, description: 'CUDA' });
      const ids = (await admin().get('/admin/plan-groups').expect(200)).body.map((g: { id: number }) => g.id);
      expect(ids).toEqual([group.id, otherGroup.id, gpu.id]);
      await admin().patch(`/admin/plan-groups/${gpu.id}`, { sortOrder: 0 }).expect(200);
      await admin().patch(`/admin/plan-groups/${group.id}`, { sortOrder: 5 }).expect(200);
      const reordered = (await admin().get('/admin/plan-groups')).body.map((g: { id: number }) => g.id);
      expect(reordered).toEqual([otherGroup.id, gpu.id, group.id]);
      const { body } = await admin().patch(`/admin/plan-groups/${gpu.id}`, { enabled: false }).expect(200);
      expect(body).toEqual({ ...gpu, enabled: false });
      await admin().delete(`/admin/plan-groups/${gpu.id}`).expect(204);
    });

    it('refuses a duplicate slug with 409 and writes nothing', async () => {
      const before = (await admin().get('/admin/plan-groups')).body;
      await admin().post('/admin/plan-groups', { name: 'Again', slug: 'budget' }).expect(409);
      await admin().patch(`/admin/plan-groups/${group.id}`, { slug: 'budget' }).expect(409);
      expect((await admin().get('/admin/plan-groups')).body).toEqual(before);
    });

    it.each([
      [{ name: '', slug: 'empty' }, 'name'],
      [{ name: 'Upper', slug: 'UPPER' }, 'slug'],
      [{ name: 'X', slug: 'x', color: 'red' }, 'color'],
    ])('refuses %j with a 400 naming %s', async (body, field) => {
      const before = (await admin().get('/admin/plan-groups')).body;
      const { body: error } = await admin().post('/admin/plan-groups', body).expect(400);
      expect(error.errors).toContainEqual(expect.objectContaining({ field }));
      expect((await admin().get('/admin/plan-groups')).body).toEqual(before);
    });

    it('answers 400 for malformed ids and 404 for unknown ones', async () => {
      for (const id of ['abc', '1.5']) {
        const { body } = await admin().patch(`/admin/plan-groups/${id}`, { name: 'X' }).expect(400);
        expect(body.errors).toContainEqual(expect.objectContaining({ field: 'id' }));
        await admin().delete(`/admin/plan-groups/${id}`).expect(400);
      }
      await admin().patch('/admin/plan-groups/999999', { name: 'X' }).expect(404);
      await admin().delete('/admin/plan-groups/999999').expect(404);
    });

    it('keeps a group that still has plans (409) and deletes it once empty', async () => {
      const doomed = await create('/admin/plan-groups', { name: 'Doomed', slug: 'doomed' });
      const inIt = await create('/admin/plans', plan({ groupId: doomed.id }));
      await admin().delete(`/admin/plan-groups/${doomed.id}`).expect(409);
      expect((await admin().get('/admin/plan-groups')).body.map((g: { id: number }) => g.id)).toContain(doomed.id);
      await admin().delete(`/admin/plans/${inIt.id}`).expect(204);
      await admin().delete(`/admin/plan-groups/${doomed.id}`).expect(204);
    });
  });

  describe('plans', () => {
    it('stores every field and gives prices back as exact credit strings', async () => {
      const body = {
        groupId: group.id,
        name: 'C8 Compute',
        slug: 'c8-compute',
        vcpus: 8,
        ramMb: 16_384,
        diskGb: 320,
        bandwidthGb: 5_000,
        gpus: 1,
        hourlyPrice: '0.000001',
        monthlyPrice: 12.5,
        stoppedHourlyPrice: '0.25',
        suspendedHourlyPrice: '0',
        locationIds: [fra.id, ams.id],
        enabled: false,
        sortOrder: 7,
      };
      const created = await create('/admin/plans', body);
      expect(created).toEqual({
        ...body,
        id: expect.any(Number),
        hourlyPrice: '0.000001',
        monthlyPrice: '12.5',
        suspendedHourlyPrice: '0',
        // In the locations' order, not the order sent.
        locationIds: [ams.id, fra.id],
      });
      expect((await plans()).find((p: { id: number }) => p.id === created.id)).toEqual(created);
    });

    it('takes prices up to the documented bounds', async () => {
      const prices = {
        hourlyPrice: '1000000',
        monthlyPrice: '100000000',
        stoppedHourlyPrice: '1000000',
        suspendedHourlyPrice: '1000000',
      };
      expect(await create('/admin/plans', plan(prices))).toMatchObject(prices);
    });

    it('defaults what a plan may leave out', async () => {
      const created = await create('/admin/plans', plan({ hourlyPrice: undefined, monthlyPrice: '20' }));
      expect(created).toMatchObject({
        bandwidthGb: 0,
        gpus: 0,
        hourlyPrice: null,
        monthlyPrice: '20',
        stoppedHourlyPrice: null,
        suspendedHourlyPrice: null,
        locationIds: [],
        enabled: true,
        sortOrder: 0,
      });
    });

    it.each([
      [{ hourlyPrice: '0.0000001' }, 'hourlyPrice', 'isCreditAmount'],
      [{ hourlyPrice: '-1' }, 'hourlyPrice', 'isCreditAmount'],
      [{ monthlyPrice: -5 }, 'monthlyPrice', 'isCreditAmount'],
      [{ stoppedHourlyPrice: '-0.01' }, 'stoppedHourlyPrice', 'isCreditAmount'],
      [{ suspendedHourlyPrice: 'free' }, 'suspendedHourlyPrice', 'isCreditAmount'],
      [{ hourlyPrice: '1000000.000001' }, 'hourlyPrice', 'maxCredits'],
      [{ stoppedHourlyPrice: 1_000_001 }, 'stoppedHourlyPrice', 'maxCredits'],
      [{ suspendedHourlyPrice: '9007199254' }, 'suspendedHourlyPrice', 'maxCredits'],
      [{ monthlyPrice: '100000000.000001' }, 'monthlyPrice', 'maxCredits'],
      [{ hourlyPrice: undefined }, 'hourlyPrice', 'hasPrice'],
      [{ hourlyPrice: null, monthlyPrice: null }, 'hourlyPrice', 'hasPrice'],
      [{ groupId: 999_999 }, 'groupId', 'isExistingPlanGroup'],
      [{ groupId: 'abc' }, 'groupId', 'isInt'],
      [{ groupId: undefined }, 'groupId', 'isInt'],
      [{ locationIds: [999_999] }, 'locationIds', 'isExistingLocation'],
      [{ locationIds: [1, 1] }, 'locationIds', 'arrayUnique'],
      [{ locationIds: ['1'] }, 'locationIds', 'isInt'],
      [{ vcpus: '4' }, 'vcpus', 'isInt'],
      [{ vcpus: 0 }, 'vcpus', 'min'],
      [{ ramMb: 1.5 }, 'ramMb', 'isInt'],
      [{ diskGb: undefined }, 'diskGb', 'isInt'],
      [{ gpus: -1 }, 'gpus', 'min'],
      [{ bandwidthGb: null }, 'bandwidthGb', 'isNotNull'],
      [{ slug: 'with space' }, 'slug', 'matches'],
      [{ name: undefined }, 'name', 'isString'],
      [{ enabled: 'true' }, 'enabled', 'isBoolean'],
      [{ description: 'plans have none' }, 'description', 'whitelistValidation'],
    ])('refuses a plan with %j: 400 naming %s, nothing written', async (extra, field, rule) => {
      const before = await plans();
      const { body } = await admin().post('/admin/plans', plan(extra)).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field, rule }));
      expect(body.message).toContain(field);
      expect(await plans()).toEqual(before);
    });

    it('refuses a duplicate slug with 409, on create and on rename', async () => {
      const first = await create('/admin/plans', plan({ slug: 'taken' }));
      const second = await create('/admin/plans', plan());
      const before = await plans();
      await admin()
        .post('/admin/plans', plan({ slug: 'taken' }))
        .expect(409);
      await admin().patch(`/admin/plans/${second.id}`, { slug: 'taken' }).expect(409);
      expect(await plans()).toEqual(before);
      await admin().patch(`/admin/plans/${first.id}`, { slug: 'taken', name: 'Same slug' }).expect(200);
    });

    it('updates only what is sent and replaces the locations when asked', async () => {
      const created = await create('/admin/plans', plan({ locationIds: [fra.id] }));
      const { body } = await admin()
        .patch(`/admin/plans/${created.id}`, { vcpus: 4, stoppedHourlyPrice: '0.1', groupId: otherGroup.id })
        .expect(200);
      expect(body).toEqual({ ...created, vcpus: 4, stoppedHourlyPrice: '0.1', groupId: otherGroup.id });
      const moved = await admin()
        .patch(`/admin/plans/${created.id}`, { locationIds: [ams.id] })
        .expect(200);
      expect(moved.body.locationIds).toEqual([ams.id]);
      const cleared = await admin().patch(`/admin/plans/${created.id}`, { stoppedHourlyPrice: null }).expect(200);
      expect(cleared.body.stoppedHourlyPrice).toBeNull();
    });

    it('lets a plan swap hourly for monthly pricing, but never end with neither', async () => {
      const created = await create('/admin/plans', plan({ hourlyPrice: '1' }));
      const { body } = await admin().patch(`/admin/plans/${created.id}`, { hourlyPrice: null }).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field: 'hourlyPrice', rule: 'hasPrice' }));
      expect((await plans()).find((p: { id: number }) => p.id === created.id).hourlyPrice).toBe('1');
      const swapped = await admin()
        .patch(`/admin/plans/${created.id}`, { hourlyPrice: null, monthlyPrice: '30' })
        .expect(200);
      expect(swapped.body).toMatchObject({ hourlyPrice: null, monthlyPrice: '30' });
    });

    it.each([
      [{ name: null }, 'name'],
      [{ vcpus: null }, 'vcpus'],
      [{ locationIds: null }, 'locationIds'],
      [{ groupId: 999_999 }, 'groupId'],
      [{ locationIds: [999_999] }, 'locationIds'],
      [{ hourlyPrice: '0.0000001' }, 'hourlyPrice'],
      [{ hourlyPrice: '1000001' }, 'hourlyPrice'],
      [{ monthlyPrice: '100000001' }, 'monthlyPrice'],
    ])('refuses the change %j with a 400 naming %s and leaves the plan as it was', async (patch, field) => {
      const created = await create('/admin/plans', plan({ locationIds: [fra.id] }));
      const { body } = await admin().patch(`/admin/plans/${created.id}`, patch).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field }));
      expect((await plans()).find((p: { id: number }) => p.id === created.id)).toEqual(created);
    });

    it('lists plans by sort order, then id', async () => {
      const late = await create('/admin/plans', plan({ sortOrder: 900 }));
      const early = await create('/admin/plans', plan({ sortOrder: 800 }));
      const next = await create('/admin/plans', plan({ sortOrder: 800 }));
      const ids = (await plans()).map((p: { id: number }) => p.id);
      expect(ids.filter((id: number) => [late.id, early.id, next.id].includes(id))).toEqual([
        early.id,
        next.id,
        late.id,
      ]);
      expect(ids.slice(-3)).toEqual([early.id, next.id, late.id]);
    });

    it('drops a deleted location from the plans that offered it', async () => {
      const temp = await create('/admin/locations', { name: 'Temp', slug: 'temp' });
      const created = await create('/admin/plans', plan({ locationIds: [temp.id, fra.id] }));
      await admin().delete(`/admin/locations/${temp.id}`).expect(204);
      expect((await plans()).find((p: { id: number }) => p.id === created.id).locationIds).toEqual([fra.id]);
    });

    it('answers 400 for malformed ids and 404 for unknown ones', async () => {
      for (const id of ['abc', '1.5']) {
        const { body } = await admin().patch(`/admin/plans/${id}`, { name: 'X' }).expect(400);
        expect(body.errors).toContainEqual(expect.objectContaining({ field: 'id' }));
        await admin().delete(`/admin/plans/${id}`).expect(400);
      }
      await admin().patch('/admin/plans/999999', { name: 'X' }).expect(404);
      await admin().delete('/admin/plans/999999').expect(404);
    });

    it('deletes a plan no instance ever used', async () => {
      const created = await create('/admin/plans', plan());
      await admin().delete(`/admin/plans/${created.id}`).expect(204);
      expect((await plans()).map((p: { id: number }) => p.id)).not.toContain(created.id);
      await admin().delete(`/admin/plans/${created.id}`).expect(404);
    });

    it.each([
      [['vm-live-1'], '1 instance (vm-live-1)'],
      [['vm-m-1', 'vm-m-2', 'vm-m-3', 'vm-m-4', 'vm-m-5'], '5 instances (vm-m-1, vm-m-2, vm-m-3, …)'],
    ])('keeps a plan that %j use: 409 naming %s, nothing deleted', async (ids, named) => {
      const used = await create('/admin/plans', plan({ locationIds: [fra.id] }));
      for (const id of ids) await registerInstance(t, id, 'alice', used.id, '2026-03-10T11:00:00Z');
      const before = await plans();
      const { body } = await admin().delete(`/admin/plans/${used.id}`).expect(409);
      expect(body.message).toBe(`plan ${used.id} is used by ${named}; disable it instead`);
      expect(await plans()).toEqual(before);
      // Retiring it, as the message suggests, works.
      await admin().patch(`/admin/plans/${used.id}`, { enabled: false }).expect(200);
    });

    it('keeps a plan that a resized or terminated instance used in the past', async () => {
      const old = await create('/admin/plans', plan());
      const current = await create('/admin/plans', plan());
      await registerInstance(t, 'vm-resized', 'bob', old.id, '2026-03-10T10:00:00Z');
      await sendEvent(t, 'vm-resized', 'resized', '2026-03-10T10:30:00Z', current.id).expect(200);
      await sendEvent(t, 'vm-resized', 'terminated', '2026-03-10T11:30:00Z').expect(200);
      const { body } = await admin().delete(`/admin/plans/${old.id}`).expect(409);
      expect(body.message).toContain('vm-resized');
      await admin().delete(`/admin/plans/${current.id}`).expect(409);
      expect((await plans()).map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining([old.id, current.id]));
    });
  });
});
