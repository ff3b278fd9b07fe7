import { DemoHypervisorInventory } from '../src/demo/demo-ports';
import { createPlan, sendEvent } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z.
const HOUR_AGO = '2026-03-10T11:00:00Z';
const capacity = (vcpus: number, ramMb: number, diskGb: number) => ({ vcpus, ramMb, diskGb });

describe('admin: locations and hypervisors', () => {
  let t: TestApp;
  let inventory: DemoHypervisorInventory;
  const admin = () => t.as('admin');
  const createLocation = async (body: object) => (await admin().post('/admin/locations', body).expect(201)).body;
  const locationCount = async () => (await admin().get('/admin/locations').expect(200)).body.length;

  beforeAll(async () => {
    t = await startTestApp();
    inventory = t.app.get(DemoHypervisorInventory);
    inventory.upsert({ id: 'hv-a', name: 'Alpha', vcpus: 16, ramMb: 65_536, diskGb: 1_000, online: true });
    inventory.upsert({ id: 'hv-b', name: 'Bravo', vcpus: 8, ramMb: 32_768, diskGb: 500, online: false });
    inventory.upsert({ id: 'hv-c', name: 'Charlie', vcpus: 4, ramMb: 8_192, diskGb: 200, online: true });
    inventory.upsert({ id: 'hv-d', name: 'Delta', vcpus: 2, ramMb: 4_096, diskGb: 100, online: true });
  });
  afterAll(() => t.close());

  it.each([
    ['get', '/admin/locations'],
    ['post', '/admin/locations'],
    ['get', '/admin/locations/1'],
    ['patch', '/admin/locations/1'],
    ['delete', '/admin/locations/1'],
    ['put', '/admin/locations/1/hypervisors'],
    ['get', '/admin/hypervisors'],
    ['patch', '/admin/hypervisors/hv-a'],
    ['get', '/admin/plan-groups'],
    ['post', '/admin/plan-groups'],
    ['patch', '/admin/plan-groups/1'],
    ['delete', '/admin/plan-groups/1'],
    ['get', '/admin/plans'],
    ['post', '/admin/plans'],
    ['patch', '/admin/plans/1'],
    ['delete', '/admin/plans/1'],
  ] as const)('%s %s answers 401 without a user and 403 for a non-admin', async (method, path) => {
    await t.anonymous()[method](`/cloud-billing${path}`).send({}).expect(401);
    await t.as('alice')[method](path, {}).expect(403);
  });

  it('creates a location with defaults and reads it back', async () => {
    const created = await createLocation({ name: 'Frankfurt', slug: 'fra' });
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Frankfurt',
      slug: 'fra',
      description: null,
      enabled: true,
      sortOrder: 0,
      hypervisors: [],
    });
    expect((await admin().get(`/admin/locations/${created.id}`).expect(200)).body).toEqual(created);
  });

  it('lists locations by sort order, then id', async () => {
    const late = await createLocation({ name: 'Late', slug: 'late', sortOrder: 20 });
    const first = await createLocation({ name: 'First', slug: 'first', sortOrder: 5 });
    const second = await createLocation({ name: 'Second', slug: 'second', sortOrder: 5 });
    const ids = (await admin().get('/admin/locations').expect(200)).body.map((l: { id: number }) => l.id);
    const ours = ids.filter((id: number) => [late.id, first.id, second.id].includes(id));
    expect(ours).toEqual([first.id, second.id, late.id]);
  });

  it('refuses a duplicate slug with 409, on create and on rename', async () => {
    const paris = await createLocation({ name: 'Paris', slug: 'par' });
    const before = await locationCount();
    await admin().post('/admin/locations', { name: 'Paris 2', slug: 'par' }).expect(409);
    expect(await locationCount()).toBe(before);
    const lyon = await createLocation({ name: 'Lyon', slug: 'lyo' });
    const { body } = await admin().patch(`/admin/locations/${lyon.id}`, { slug: 'par' }).expect(409);
    expect(body.message).toContain('par');
    expect((await admin().get(`/admin/locations/${lyon.id}`)).body.slug).toBe('lyo');
    // Keeping one's own slug is not a conflict.
    await admin().patch(`/admin/locations/${paris.id}`, { slug: 'par', name: 'Paris CDG' }).expect(200);
  });

  it('changes only the fields sent and clears the description with null', async () => {
    const loc = await createLocation({ name: 'Oslo', slug: 'osl', description: 'cold', sortOrder: 3 });
    const { body } = await admin()
      .patch(`/admin/locations/${loc.id}`, { enabled: false, description: null })
      .expect(200);
    expect(body).toEqual({ ...loc, enabled: false, description: null });
  });

  it.each([
    [{ slug: 'no-name' }, 'name', 'isString'],
    [{ name: 'X', slug: 'Bad Slug' }, 'slug', 'matches'],
    [{ name: 'X', slug: 'x-1', enabled: 'yes' }, 'enabled', 'isBoolean'],
    [{ name: 'X', slug: 'x-1', sortOrder: -1 }, 'sortOrder', 'min'],
    [{ name: 'X', slug: 'x-1', sortOrder: '1' }, 'sortOrder', 'isInt'],
    [{ name: 'X', slug: 'x-1', enabled: null }, 'enabled', 'isNotNull'],
    [{ name: 'X', slug: 'x-1', region: 'eu' }, 'region', 'whitelistValidation'],
  ])('refuses the location %j with a 400 naming %s and creates nothing', async (body, field, rule) => {
    const before = await locationCount();
    const { body: error } = await admin().post('/admin/locations', body).expect(400);
    expect(error.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(error.message).toContain(field);
    expect(await locationCount()).toBe(before);
  });

  it('refuses a PATCH that nulls a required field and leaves the location as it was', async () => {
    const loc = await createLocation({ name: 'Rome', slug: 'rom' });
    const { body } = await admin().patch(`/admin/locations/${loc.id}`, { name: null, sortOrder: 9 }).expect(400);
    expect(body.errors).toContainEqual(expect.objectContaining({ field: 'name' }));
    expect((await admin().get(`/admin/locations/${loc.id}`)).body).toEqual(loc);
  });

  it.each(['abc', '1.5', '0', '1e3', '99999999999'])('answers 400 naming id for the malformed id %s', async (id) => {
    for (const response of [
      await admin().get(`/admin/locations/${id}`),
      await admin().patch(`/admin/locations/${id}`, { name: 'X' }),
      await admin().delete(`/admin/locations/${id}`),
      await admin().put(`/admin/locations/${id}/hypervisors`, { hypervisorIds: [] }),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'id' }));
    }
  });

  it('answers 404 for a location that does not exist', async () => {
    await admin().get('/admin/locations/999999').expect(404);
    await admin().patch('/admin/locations/999999', { name: 'X' }).expect(404);
    await admin().delete('/admin/locations/999999').expect(404);
    await admin()
      .put('/admin/locations/999999/hypervisors', { hypervisorIds: ['hv-a'] })
      .expect(404);
  });

  it('keeps a location an instance was placed in, even a terminated one: 409 naming it, nothing deleted', async () => {
    const used = await createLocation({ name: 'Used', slug: 'used' });
    const planId = await createPlan(t, { hourlyPrice: '1' });
    await admin()
      .post('/host/instances', {
        id: 'vm-here',
        userId: 'alice',
        planId,
        locationId: used.id,
        name: 'vm',
        at: HOUR_AGO,
      })
      .expect(201);
    await sendEvent(t, 'vm-here', 'terminated', '2026-03-10T11:30:00Z').expect(200);
    const before = (await admin().get(`/admin/locations/${used.id}`).expect(200)).body;
    const { body } = await admin().delete(`/admin/locations/${used.id}`).expect(409);
    expect(body.message).toBe(`location ${used.id} is used by 1 instance (vm-here); disable it instead`);
    expect((await admin().get(`/admin/locations/${used.id}`).expect(200)).body).toEqual(before);
    await admin().patch(`/admin/locations/${used.id}`, { enabled: false }).expect(200);
  });

  it('deletes a location no instance was ever placed in', async () => {
    const unused = await createLocation({ name: 'Unused', slug: 'unused' });
    await admin().delete(`/admin/locations/${unused.id}`).expect(204);
    await admin().get(`/admin/locations/${unused.id}`).expect(404);
  });

  describe('membership', () => {
    let north: { id: number };
    let south: { id: number };
    const members = async (id: number) =>
      (await admin().get(`/admin/locations/${id}`).expect(200)).body.hypervisors.map(
        (h: { hypervisorId: string }) => h.hypervisorId,
      );
    const hypervisor = async (id: string) =>
      (await admin().get('/admin/hypervisors').expect(200)).body.find(
        (h: { hypervisorId: string }) => h.hypervisorId === id,
      );

    beforeAll(async () => {
      north = await createLocation({ name: 'North', slug: 'north' });
      south = await createLocation({ name: 'South', slug: 'south' });
    });

    it('sets the members in round-robin order with the host capacity and online flag', async () => {
      const { body } = await admin()
        .put(`/admin/locations/${north.id}/hypervisors`, { hypervisorIds: ['hv-b', 'hv-a'] })
        .expect(200);
      expect(body.hypervisors).toEqual([
        {
          hypervisorId: 'hv-b',
          name: 'Bravo',
          position: 0,
          enabled: true,
          online: false,
          capacity: capacity(8, 32_768, 500),
          allocated: capacity(0, 0, 0),
          free: capacity(8, 32_768, 500),
          instanceCount: 0,
          provisioningCount: 0,
        },
        {
          hypervisorId: 'hv-a',
          name: 'Alpha',
          position: 1,
          enabled: true,
          online: true,
          capacity: capacity(16, 65_536, 1_000),
          allocated: capacity(0, 0, 0),
          free: capacity(16, 65_536, 1_000),
          instanceCount: 0,
          provisioningCount: 0,
        },
      ]);
      expect((await admin().get(`/admin/locations/${north.id}`)).body).toEqual(body);
    });

    it('refuses a hypervisor that already belongs to another location with 409 and writes nothing', async () => {
      const { body } = await admin()
        .put(`/admin/locations/${south.id}/hypervisors`, { hypervisorIds: ['hv-c', 'hv-a'] })
        .expect(409);
      expect(body.message).toContain('hv-a');
      expect(body.message).toContain('North');
      expect(await members(south.id)).toEqual([]);
      expect(await members(north.id)).toEqual(['hv-b', 'hv-a']);
    });

    it('refuses hypervisors the host does not report, naming them, and writes nothing', async () => {
      const { body } = await admin()
        .put(`/admin/locations/${north.id}/hypervisors`, { hypervisorIds: ['hv-c', 'hv-ghost', 'hv-phantom'] })
        .expect(400);
      expect(body.errors).toContainEqual(
        expect.objectContaining({ field: 'hypervisorIds', rule: 'isKnownHypervisor' }),
      );
      expect(body.message).toContain('hv-ghost');
      expect(body.message).toContain('hv-phantom');
      expect(await members(north.id)).toEqual(['hv-b', 'hv-a']);
    });

    it.each([
      [{ hypervisorIds: ['hv-c', 'hv-c'] }, 'hypervisorIds'],
      [{ hypervisorIds: 'hv-c' }, 'hypervisorIds'],
      [{ hypervisorIds: [7] }, 'hypervisorIds'],
      [{}, 'hypervisorIds'],
      [{ hypervisorIds: [], extra: true }, 'extra'],
    ])('refuses %j with a 400 naming %s and writes nothing', async (body, field) => {
      const { body: error } = await admin().put(`/admin/locations/${north.id}/hypervisors`, body).expect(400);
      expect(error.errors).toContainEqual(expect.objectContaining({ field }));
      expect(await members(north.id)).toEqual(['hv-b', 'hv-a']);
    });

    it('reorders, and frees removed members without touching their maintenance flag', async () => {
      await admin().patch('/admin/hypervisors/hv-b', { enabled: false }).expect(200);
      await admin()
        .put(`/admin/locations/${north.id}/hypervisors`, { hypervisorIds: ['hv-a', 'hv-c'] })
        .expect(200);
      expect(await members(north.id)).toEqual(['hv-a', 'hv-c']);
      expect(await hypervisor('hv-b')).toMatchObject({ locationId: null, position: null, enabled: false });

      const { body } = await admin()
        .put(`/admin/locations/${south.id}/hypervisors`, { hypervisorIds: ['hv-b'] })
        .expect(200);
      expect(body.hypervisors).toEqual([expect.objectContaining({ hypervisorId: 'hv-b', enabled: false })]);
    });

    it('lists every hypervisor the host reports with its membership, capacity and allocation', async () => {
      const { body } = await admin().get('/admin/hypervisors').expect(200);
      expect(body.map((h: { hypervisorId: string }) => h.hypervisorId)).toEqual(['hv-a', 'hv-b', 'hv-c', 'hv-d']);
      expect(body[0]).toEqual({
        hypervisorId: 'hv-a',
        name: 'Alpha',
        online: true,
        enabled: true,
        locationId: north.id,
        position: 0,
        capacity: capacity(16, 65_536, 1_000),
        allocated: capacity(0, 0, 0),
        free: capacity(16, 65_536, 1_000),
        instanceCount: 0,
        provisioningCount: 0,
      });
      expect(body[3]).toMatchObject({ hypervisorId: 'hv-d', locationId: null, position: null, enabled: true });
    });

    it('switches maintenance on a hypervisor the host reports, and 404s an unknown one', async () => {
      const { body } = await admin().patch('/admin/hypervisors/hv-c', { enabled: false }).expect(200);
      expect(body).toMatchObject({ hypervisorId: 'hv-c', enabled: false, locationId: north.id, position: 1 });
      expect((await admin().get(`/admin/locations/${north.id}`)).body.hypervisors[1]).toMatchObject({ enabled: false });
      await admin().patch('/admin/hypervisors/hv-c', { enabled: true }).expect(200);
      await admin().patch('/admin/hypervisors/hv-nowhere', { enabled: false }).expect(404);
      expect(await hypervisor('hv-nowhere')).toBeUndefined();
    });

    it.each([
      [{ enabled: 'no' }, 'enabled'],
      [{}, 'enabled'],
      [{ enabled: false, locationId: 1 }, 'locationId'],
    ])('refuses the hypervisor change %j with a 400 naming %s', async (body, field) => {
      const { body: error } = await admin().patch('/admin/hypervisors/hv-d', body).expect(400);
      expect(error.errors).toContainEqual(expect.objectContaining({ field }));
      expect(await hypervisor('hv-d')).toMatchObject({ enabled: true });
    });

    it('shows a member the host no longer reports as offline with no capacity', async () => {
      const report = inventory.listHypervisors.bind(inventory);
      const spy = jest
        .spyOn(inventory, 'listHypervisors')
        .mockImplementation(async () => (await report()).filter((h) => h.id !== 'hv-c'));
      try {
        const { body } = await admin().get(`/admin/locations/${north.id}`).expect(200);
        expect(body.hypervisors[1]).toEqual({
          hypervisorId: 'hv-c',
          name: 'hv-c',
          position: 1,
          enabled: true,
          online: false,
          capacity: capacity(0, 0, 0),
          allocated: capacity(0, 0, 0),
          free: capacity(0, 0, 0),
          instanceCount: 0,
          provisioningCount: 0,
        });
        const listed = (await admin().get('/admin/hypervisors')).body.map(
          (h: { hypervisorId: string }) => h.hypervisorId,
        );
        expect(listed).not.toContain('hv-c');
      } finally {
        spy.mockRestore();
      }
    });

    it('frees the members of a deleted location for another one', async () => {
      const gone = await createLocation({ name: 'Gone', slug: 'gone' });
      await admin()
        .put(`/admin/locations/${gone.id}/hypervisors`, { hypervisorIds: ['hv-d'] })
        .expect(200);
      await admin().delete(`/admin/locations/${gone.id}`).expect(204);
      await admin().get(`/admin/locations/${gone.id}`).expect(404);
      expect(await hypervisor('hv-d')).toMatchObject({ locationId: null });
      await admin()
        .put(`/admin/locations/${south.id}/hypervisors`, { hypervisorIds: ['hv-b', 'hv-d'] })
        .expect(200);
      expect(await members(south.id)).toEqual(['hv-b', 'hv-d']);
    });

    it('empties a location with an empty list', async () => {
      const { body } = await admin().put(`/admin/locations/${south.id}/hypervisors`, { hypervisorIds: [] }).expect(200);
      expect(body.hypervisors).toEqual([]);
      expect(await hypervisor('hv-b')).toMatchObject({ locationId: null, enabled: false });
    });
  });
});
