import { DataSource } from 'typeorm';
import { LEASE_MS } from '../src/billing/outbox/delivery-policy';
import { OutboxEntity } from '../src/billing/outbox/outbox.entity';
import { OutboxRepository } from '../src/billing/outbox/outbox.repository';
import { OutboxService } from '../src/billing/outbox/outbox.service';
import { DemoNotifier } from '../src/demo/demo-ports';
import { Isolation, UnitOfWork } from '../src/common/unit-of-work';
import { startTestApp, TestApp, TEST_CLOCK_START } from './support/test-app';

// Gap 5 of issue 9: a process that dies after the host accepted a call and before the outbox row is marked done
// repeats the call once the lease runs out. The repeat carries the same key, and the demo host drops it.
describe('outbox calls to the host carry an idempotency key', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  async function enqueueSuspendAndEmail(): Promise<void> {
    const outbox = t.app.get(OutboxService, { strict: false });
    await t.app.get(UnitOfWork).run(
      async (tx) => {
        await outbox.enqueue(tx, {
          dedupeKey: 'suspend:vm-1:1',
          channel: 'provisioner',
          action: 'suspend',
          userId: 'alice',
          instanceId: 'vm-1',
        });
        await outbox.enqueue(tx, {
          dedupeKey: 'low-balance:alice:1',
          channel: 'email',
          action: 'low-balance',
          userId: 'alice',
          payload: { subject: 'Your balance is low', html: '<p>low</p>', text: 'low' },
        });
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  it('repeats a call whose row was not marked done with the same key, and the host acts on it once', async () => {
    await enqueueSuspendAndEmail();
    const outbox = t.app.get(OutboxService, { strict: false });
    // The host accepts each call, then the process "dies" before writing "done": once for each row.
    jest
      .spyOn(OutboxRepository.prototype, 'markDone')
      .mockRejectedValueOnce(new Error('killed after the suspend'))
      .mockRejectedValueOnce(new Error('killed after the email'));
    await expect(outbox.deliverDue(TEST_CLOCK_START)).rejects.toThrow('killed after the suspend');
    await expect(outbox.deliverDue(TEST_CLOCK_START)).rejects.toThrow('killed after the email');

    // A later run, after the leases of the dead process ran out, delivers both rows again.
    const afterLease = new Date(TEST_CLOCK_START.getTime() + LEASE_MS + 1);
    expect(await outbox.deliverDue(afterLease)).toEqual({ delivered: 2, failed: 0, pending: 0 });

    const { body: calls } = await t.as('admin').get('/demo/provisioner/calls').expect(200);
    expect(calls).toEqual([
      expect.objectContaining({
        action: 'suspend',
        instanceId: 'vm-1',
        idempotencyKey: 'suspend:vm-1:1',
        repeat: false,
      }),
      expect.objectContaining({
        action: 'suspend',
        instanceId: 'vm-1',
        idempotencyKey: 'suspend:vm-1:1',
        repeat: true,
      }),
    ]);
    const effective = calls.filter((call: { ok: boolean; repeat: boolean }) => call.ok && !call.repeat);
    expect(effective).toHaveLength(1);
    // The email reached the mailbox once.
    expect(t.app.get(DemoNotifier).delivered.map((mail) => mail.idempotencyKey)).toEqual(['low-balance:alice:1']);
    const rows = await t.app
      .get(DataSource)
      .getRepository(OutboxEntity)
      .find({ order: { id: 'ASC' } });
    expect(rows.map((row) => [row.dedupeKey, row.status])).toEqual([
      ['suspend:vm-1:1', 'done'],
      ['low-balance:alice:1', 'done'],
    ]);
  });

  it('retries a call the host refused with the same key, and the retry acts', async () => {
    await t.as('admin').post('/demo/provisioner/failures', { count: 1 }).expect(200);
    await enqueueSuspendAndEmail();
    const outbox = t.app.get(OutboxService, { strict: false });
    expect(await outbox.deliverDue(TEST_CLOCK_START)).toMatchObject({ delivered: 1, failed: 1 });
    const later = new Date(TEST_CLOCK_START.getTime() + 10 * 60_000);
    expect(await outbox.deliverDue(later)).toMatchObject({ delivered: 1, failed: 0, pending: 0 });

    const { body: calls } = await t.as('admin').get('/demo/provisioner/calls').expect(200);
    expect(calls).toEqual([
      expect.objectContaining({ ok: false, repeat: false, idempotencyKey: 'suspend:vm-1:1' }),
      expect.objectContaining({ ok: true, repeat: false, idempotencyKey: 'suspend:vm-1:1' }),
    ]);
  });
});
