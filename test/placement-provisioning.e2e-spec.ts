import { DataSource } from 'typeorm';
import { DemoProvisioner } from '../src/demo/demo-ports';
import { InstanceService } from '../src/instances/instance.service';
import { PlacementService, STALE_RESERVATION_MS } from '../src/placement/placement.service';
import { balanceOf, setClock } from './support/billing-fixtures';
import {
  addHypervisor,
  createInstance,
  createLocation,
  createOfferedPlan,
  withoutCreationCredit,
} from './support/placement-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z.
describe('provisioning a placed instance', () => {
  let t: TestApp;
  let locationId: number;
  let planId: number;
  beforeEach(async () => {
    // A host that does not answer is given up on after 50 ms, not 30 s.
    t = await startTestApp({ tuning: { placement: { provisionTimeoutMs: 50 } } });
    await withoutCreationCredit(t);
    // One slot only: a slot that is not given back shows as a 409 for the next creation.
    await addHypervisor(t, 'hv-a', 1);
    locationId = await createLocation(t, 'North', ['hv-a']);
    planId = await createOfferedPlan(t, 'Small', [locationId]);
  });
  afterEach(() => t.close());

  const member = async () =>
    (await t.as('admin').get(`/admin/locations/${locationId}`).expect(200)).body.hypervisors[0];
  const rowCount = async (table: string) =>
    Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const calls = async () =>
    (await t.as('admin').get('/demo/provisioner/calls').expect(200)).body as {
      action: string;
      instanceId: string;
      ok: boolean;
    }[];

  it('asks the host to create the instance on the chosen hypervisor with the plan resources', async () => {
    const { body } = await createInstance(t, 'alice', planId, locationId, 'web-1').expect(201);
    const [call] = t.app.get(DemoProvisioner).calls;
    expect(call).toMatchObject({ action: 'create', instanceId: body.id, hypervisorId: 'hv-a', ok: true });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives the slot back and charges nothing when the host fails, with a clear 502', async () => {
    await t.as('admin').post('/demo/provisioner/failures', { count: 1 }).expect(200);
    const { body } = await createInstance(t, 'alice', planId, locationId, 'web-1').expect(502);
    expect(body.message).toBe(
      'the host could not create "web-1" right now; nothing was created and nothing will be charged, please try again',
    );
    expect(await calls()).toEqual([expect.objectContaining({ action: 'create', ok: false })]);
    expect(await member()).toMatchObject({ allocated: { vcpus: 0 }, instanceCount: 0, provisioningCount: 0 });
    expect((await t.as('alice').get('/me/instances').expect(200)).body).toEqual([]);
    expect(await rowCount('cloud_billing_instances')).toBe(0);

    await setClock(t, '2026-03-10T14:00:00Z');
    await t.as('admin').post('/admin/billing/run').expect(200);
    expect(await rowCount('cloud_billing_usage')).toBe(0);
    expect(await balanceOf(t, 'alice')).toBe('0');
    // The slot is free: the next try is created.
    await createInstance(t, 'alice', planId, locationId, 'web-1').expect(201);
  });

  it('releases the slot and queues a terminate when the host does not answer in time', async () => {
    jest.spyOn(t.app.get(DemoProvisioner), 'create').mockImplementationOnce(() => new Promise(() => undefined));
    const { body } = await createInstance(t, 'alice', planId, locationId, 'slow').expect(502);
    expect(body.message).toContain('the host took too long to create "slow"');
    expect(await member()).toMatchObject({ allocated: { vcpus: 0 }, provisioningCount: 0 });
    expect(await rowCount('cloud_billing_instances')).toBe(0);

    // Whatever the host did meanwhile is undone through the outbox.
    await t.as('admin').post('/admin/billing/run').expect(200);
    const terminate = (await calls()).filter((c) => c.action === 'terminate');
    expect(terminate).toEqual([expect.objectContaining({ ok: true })]);
    await createInstance(t, 'alice', planId, locationId, 'again').expect(201);
  });

  it('waits for the host as long as the placement.provisionTimeoutMs option says, not the 30 s default', async () => {
    // The host answers after 1 s: past this app's 50 ms, well inside the default. With the option ignored, the
    // creation would succeed; with it, the user gets the 502 and the slot back.
    const provisioner = t.app.get(DemoProvisioner);
    const answerAfter = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));
    jest.spyOn(provisioner, 'create').mockImplementationOnce(answerAfter(1_000));
    const { body } = await createInstance(t, 'alice', planId, locationId, 'slow').expect(502);
    expect(body.message).toContain('the host took too long to create "slow"');
    await t.close();

    // And a host given 5 s that answers after 200 ms is waited for.
    t = await startTestApp({ tuning: { placement: { provisionTimeoutMs: 5_000 } } });
    await withoutCreationCredit(t);
    await addHypervisor(t, 'hv-a', 1);
    locationId = await createLocation(t, 'North', ['hv-a']);
    planId = await createOfferedPlan(t, 'Small', [locationId]);
    jest.spyOn(t.app.get(DemoProvisioner), 'create').mockImplementationOnce(answerAfter(200));
    await createInstance(t, 'alice', planId, locationId, 'patient').expect(201);
  });

  it('holds the slot of a creation that died before confirming until the sweep releases it', async () => {
    jest.spyOn(t.app.get(InstanceService), 'registerManyIn').mockRejectedValueOnce(new Error('process died'));
    await createInstance(t, 'alice', planId, locationId, 'orphan').expect(500);
    const [created] = await calls();
    expect(await member()).toMatchObject({ allocated: { vcpus: 2 }, instanceCount: 0, provisioningCount: 1 });
    await createInstance(t, 'bob', planId, locationId).expect(409);

    const placement = t.app.get(PlacementService);
    // Not yet stale: a creation may still be under way.
    expect(await placement.sweepStale(new Date(Date.parse('2026-03-10T12:00:00Z') + STALE_RESERVATION_MS - 1))).toBe(0);
    await setClock(t, '2026-03-10T12:06:00Z');
    expect(await placement.sweepStale()).toBe(1);
    expect(await placement.sweepStale()).toBe(0);
    expect(await member()).toMatchObject({ allocated: { vcpus: 0 }, provisioningCount: 0 });

    await t.as('admin').post('/admin/billing/run').expect(200);
    expect((await calls()).filter((c) => c.action === 'terminate')).toEqual([
      expect.objectContaining({ instanceId: created.instanceId, ok: true }),
    ]);
    expect(await rowCount('cloud_billing_instances')).toBe(0);
    await createInstance(t, 'bob', planId, locationId).expect(201);
  });

  it('does not bill an instance whose reservation the sweep took while the host was still creating it', async () => {
    const placement = t.app.get(PlacementService);
    jest.spyOn(t.app.get(DemoProvisioner), 'create').mockImplementationOnce(async () => {
      await placement.sweepStale(new Date(Date.parse('2026-03-10T12:00:00Z') + STALE_RESERVATION_MS + 1));
    });
    const { body } = await createInstance(t, 'alice', planId, locationId, 'late').expect(502);
    expect(body.message).toContain('took too long');
    expect(await rowCount('cloud_billing_instances')).toBe(0);
    expect(await rowCount('cloud_billing_placement_reservations')).toBe(0);
    expect(await rowCount("cloud_billing_outbox WHERE action = 'terminate'")).toBe(1);
  });
});
