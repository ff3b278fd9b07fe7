import { DataSource, DataSourceOptions } from 'typeorm';
import { Outbox1763740004000 } from '../migrations/1763740004000-outbox';
import { OutboxEntity } from '../src/billing/outbox/outbox.entity';
import { OUTBOX_ENTITIES } from '../src/billing/outbox/outbox.providers';
import { OutboxRepository } from '../src/billing/outbox/outbox.repository';
import { OutboxService } from '../src/billing/outbox/outbox.service';
import type { EmailOutboxItem, OutboxItem, ProvisionerOutboxItem } from '../src/billing/outbox/outbox.types';
import type { Clock } from '../src/common/clock';
import { dataSourceOptionsFromUrl } from '../src/common/data-source-options';
import { asTx } from '../src/common/tx';
import { Isolation, type Tx, UnitOfWork } from '../src/common/unit-of-work';
import type { BillingNotifier, InstanceProvisioner, RenderedMessage } from '../src/host/ports';
import { createTestDatabase, testEngine } from './support/test-database';

const T0 = Date.parse('2026-03-10T12:00:00Z');
const SECOND = 1000;

/** Two "replicas": on SQLite both share the one in-memory database; on MySQL each has its own pool. */
interface Databases {
  sources: [DataSource, DataSource];
  close(): Promise<void>;
}

/** The outbox table alone, migrated by the first replica, on a fresh test database. */
async function openDatabases(): Promise<Databases> {
  const database = await createTestDatabase();
  const options = {
    ...dataSourceOptionsFromUrl(database.url),
    entities: OUTBOX_ENTITIES,
    migrations: [Outbox1763740004000],
  } as DataSourceOptions;
  const first = await new DataSource({ ...options, migrationsRun: true }).initialize();
  // An in-memory SQLite database exists for one connection only: the second replica is the first.
  const second = testEngine() === 'mysql' ? await new DataSource(options).initialize() : first;
  return {
    sources: [first, second],
    close: async () => {
      await Promise.all([...new Set([first, second])].map((source) => source.destroy()));
      await database.drop();
    },
  };
}

class ManualClock implements Clock {
  ms = T0;
  now = () => new Date(this.ms);
  advance = (seconds: number) => (this.ms += seconds * SECOND);
}

/** Records every call; throws for the next `failuresLeft` calls and for the users in `alwaysFail`. */
class RecordingPorts implements BillingNotifier, InstanceProvisioner {
  readonly calls: { target: string; ok: boolean; key?: string; message?: RenderedMessage; kind?: string }[] = [];
  failuresLeft = 0;
  readonly alwaysFail = new Set<string>();

  deliver = (userId: string, kind: string, message: RenderedMessage, key?: string) =>
    this.record(`email:${userId}`, key, kind, message);
  suspend = (id: string, key?: string) => this.record(`suspend:${id}`, key);
  unsuspend = (id: string, key?: string) => this.record(`unsuspend:${id}`, key);
  terminate = (id: string, key?: string) => this.record(`terminate:${id}`, key);
  create = () => Promise.reject(new Error('not part of the outbox'));

  delivered = () => this.calls.filter((call) => call.ok).map((call) => call.target);

  private async record(target: string, key?: string, kind?: string, message?: RenderedMessage): Promise<void> {
    // Yield like a network call, so two concurrent runs really interleave.
    await new Promise((resolve) => setImmediate(resolve));
    const ok = this.failuresLeft <= 0 && !this.alwaysFail.has(target);
    if (this.failuresLeft > 0) this.failuresLeft -= 1;
    this.calls.push({ target, ok, key, kind, message });
    if (!ok) throw new Error(`host unavailable for ${target}`);
  }
}

const message = (n: number): RenderedMessage => ({ subject: `Low ${n}`, html: `<p>${n}</p>`, text: `${n}` });
const email = (key: string, userId = 'ann'): EmailOutboxItem => ({
  dedupeKey: key,
  channel: 'email',
  action: 'low-balance',
  userId,
  payload: message(1),
});
const suspend = (instanceId: string): ProvisionerOutboxItem => ({
  dedupeKey: `suspend:${instanceId}`,
  channel: 'provisioner',
  action: 'suspend',
  userId: 'ann',
  instanceId,
});

const engine = testEngine();

describe(`OutboxService on ${engine}`, () => {
  let db: Databases;
  let clock: ManualClock;
  let ports: RecordingPorts;
  const serviceOn = (source: DataSource) =>
    new OutboxService(new OutboxRepository(source), new UnitOfWork(source), ports, ports, clock);
  const inUnitOfWork = <T>(source: DataSource, work: (tx: Tx) => Promise<T>) =>
    new UnitOfWork(source).run(work, { isolation: Isolation.LockedWrites });
  const enqueue = (items: OutboxItem[], source = db.sources[0]) =>
    inUnitOfWork(source, async (tx) => {
      const results: boolean[] = [];
      for (const item of items) results.push(await serviceOn(source).enqueue(tx, item));
      return results;
    });
  const row = (dedupeKey: string) => db.sources[0].getRepository(OutboxEntity).findOneByOrFail({ dedupeKey });

  beforeAll(async () => (db = await openDatabases()));
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.sources[0].getRepository(OutboxEntity).clear();
    clock = new ManualClock();
    ports = new RecordingPorts();
  });

  it('stores the same intent once, without disturbing the transaction that repeats it', async () => {
    expect(await enqueue([email('low:ann:1'), email('low:ann:1'), email('low:bob:1', 'bob')])).toEqual([
      true,
      false,
      true,
    ]);
    expect(await enqueue([email('low:ann:1')])).toEqual([false]);
    expect(await db.sources[0].getRepository(OutboxEntity).count()).toBe(2);
  });

  it('stores one row when two replicas enqueue the same intent at once', async () => {
    const both = () => db.sources.map((source) => () => enqueue([email('low:ann:2')], source));
    // TypeORM runs one transaction at a time on a SQLite connection; MySQL gets two truly concurrent ones.
    const results =
      engine === 'mysql' ? await Promise.all(both().map((run) => run())) : [await both()[0](), await both()[1]()];
    expect(results.flat().sort()).toEqual([false, true]);
    expect(await db.sources[0].getRepository(OutboxEntity).countBy({ dedupeKey: 'low:ann:2' })).toBe(1);
  });

  it('rolls back with the transaction that enqueued it', async () => {
    const failing = inUnitOfWork(db.sources[0], async (tx) => {
      await serviceOn(db.sources[0]).enqueue(tx, email('low:ann:3'));
      throw new Error('settlement failed');
    });
    await expect(failing).rejects.toThrow('settlement failed');
    expect(await db.sources[0].getRepository(OutboxEntity).count()).toBe(0);
  });

  it('refuses what the table would silently cut, and an enqueue outside a transaction', async () => {
    await expect(enqueue([email('k'.repeat(161))])).rejects.toThrow(/dedupe key/);
    await expect(enqueue([{ ...suspend('vm-1'), instanceId: undefined } as unknown as OutboxItem])).rejects.toThrow(
      /instance id/,
    );
    await expect(enqueue([{ ...email('x'), payload: message(1), action: 'hello' } as never])).rejects.toThrow(/kind/);
    // A handle forged from the data source's own manager, which no unit of work opened.
    const outside = asTx(db.sources[0].manager);
    await expect(serviceOn(db.sources[0]).enqueue(outside, email('low:ann:4'))).rejects.toThrow(/inside a transaction/);
    expect(await db.sources[0].getRepository(OutboxEntity).count()).toBe(0);
  });

  it('delivers the stored message and each provisioner call once, then marks them done', async () => {
    await enqueue([{ ...email('low:ann:5'), payload: message(5) }, suspend('vm-1')]);
    await enqueue([{ ...suspend('vm-2'), dedupeKey: 'unsuspend:vm-2', action: 'unsuspend' }]);
    await enqueue([{ ...suspend('vm-3'), dedupeKey: 'terminate:vm-3', action: 'terminate' }]);
    const service = serviceOn(db.sources[0]);
    expect(await service.deliverDue()).toEqual({ delivered: 4, failed: 0, pending: 0 });
    expect(ports.delivered()).toEqual(['email:ann', 'suspend:vm-1', 'unsuspend:vm-2', 'terminate:vm-3']);
    // Each call carries its row's dedupe key, so a host can drop the repeat a crash would cause.
    expect(ports.calls.map((call) => call.key)).toEqual([
      'low:ann:5',
      'suspend:vm-1',
      'unsuspend:vm-2',
      'terminate:vm-3',
    ]);
    expect(ports.calls[0]).toMatchObject({ kind: 'low-balance', message: message(5) });
    expect(await row('low:ann:5')).toMatchObject({ status: 'done', attempts: 1, doneAtMs: T0, leaseUntilMs: null });
    expect(await service.deliverDue()).toEqual({ delivered: 0, failed: 0, pending: 0 });
    expect(ports.calls).toHaveLength(4);
  });

  it('retries a failing port with a doubling backoff and delivers exactly once when it recovers', async () => {
    await enqueue([suspend('vm-1')]);
    const service = serviceOn(db.sources[0]);
    ports.failuresLeft = 3;
    const report: unknown[] = [];
    for (const wait of [0, 29, 1, 59, 1, 119, 1, 600]) {
      clock.advance(wait);
      report.push(await service.deliverDue());
      if (wait === 119) expect(await row('suspend:vm-1')).toMatchObject({ status: 'pending', attempts: 3 });
    }
    const failedOnce = { delivered: 0, failed: 1, pending: 1 };
    const nothingDue = { delivered: 0, failed: 0, pending: 1 };
    expect(report).toEqual([
      failedOnce, // t0: first attempt, next in 30 s
      nothingDue, // t0 + 29 s
      failedOnce, // t0 + 30 s: second attempt, next in 60 s
      nothingDue, // t0 + 89 s
      failedOnce, // t0 + 90 s: third attempt, next in 120 s
      nothingDue, // t0 + 209 s
      { delivered: 1, failed: 0, pending: 0 }, // t0 + 210 s
      { delivered: 0, failed: 0, pending: 0 },
    ]);
    expect(ports.calls.map((call) => call.ok)).toEqual([false, false, false, true]);
    expect(await row('suspend:vm-1')).toMatchObject({
      status: 'done',
      attempts: 4,
      lastError: 'host unavailable for suspend:vm-1',
      doneAtMs: T0 + 210 * SECOND,
    });
  });

  it('goes past a failing row to the ones after it, and keeps the failing one pending', async () => {
    await enqueue([email('low:bad:1', 'bad'), email('low:ann:6'), email('low:bob:6', 'bob')]);
    ports.alwaysFail.add('email:bad');
    const service = serviceOn(db.sources[0]);
    expect(await service.deliverDue()).toEqual({ delivered: 2, failed: 1, pending: 1 });
    clock.advance(24 * 3600);
    expect(await service.deliverDue()).toEqual({ delivered: 0, failed: 1, pending: 1 });
    expect(await row('low:bad:1')).toMatchObject({ status: 'pending', attempts: 2 });
    expect(ports.delivered()).toEqual(['email:ann', 'email:bob']);
  });

  it('walks more rows than one batch holds in a single run', async () => {
    await enqueue(Array.from({ length: 250 }, (_, n) => email(`low:u${n}:1`, `u${n}`)));
    expect(await serviceOn(db.sources[0]).deliverDue()).toEqual({ delivered: 250, failed: 0, pending: 0 });
    expect(new Set(ports.delivered()).size).toBe(250);
  });

  it('delivers each row exactly once when two replicas run at the same moment', async () => {
    await enqueue(Array.from({ length: 60 }, (_, n) => suspend(`vm-${n}`)));
    const [a, b] = await Promise.all(db.sources.map((source) => serviceOn(source).deliverDue()));
    expect(a.delivered + b.delivered).toBe(60);
    // Both took part: otherwise this would not have tested the claim at all.
    expect(Math.min(a.delivered, b.delivered)).toBeGreaterThan(0);
    expect(ports.delivered().sort()).toEqual(Array.from({ length: 60 }, (_, n) => `suspend:vm-${n}`).sort());
    expect(ports.calls).toHaveLength(60);
  });

  it('leaves a row leased by a crashed run alone until its lease runs out, then delivers it', async () => {
    await enqueue([suspend('vm-1')]);
    // What a replica that died right after claiming the row leaves behind.
    await db.sources[0]
      .getRepository(OutboxEntity)
      .update({ dedupeKey: 'suspend:vm-1' }, { leaseUntilMs: T0 + 60_000 });
    const service = serviceOn(db.sources[0]);
    expect(await service.deliverDue()).toEqual({ delivered: 0, failed: 0, pending: 1 });
    clock.advance(60);
    expect(await service.deliverDue()).toEqual({ delivered: 0, failed: 0, pending: 1 });
    clock.advance(1);
    expect(await service.deliverDue()).toEqual({ delivered: 1, failed: 0, pending: 0 });
    expect(ports.delivered()).toEqual(['suspend:vm-1']);
  });

  it('sends the same idempotency key on every attempt of a row, failed ones and the repeat after a crash', async () => {
    await enqueue([suspend('vm-1')]);
    const service = serviceOn(db.sources[0]);
    ports.failuresLeft = 1;
    expect(await service.deliverDue()).toMatchObject({ failed: 1 });
    clock.advance(30);
    // The port accepts the retry, then the process "dies" before it records the row as done.
    jest.spyOn(OutboxRepository.prototype, 'markDone').mockRejectedValueOnce(new Error('killed'));
    await expect(service.deliverDue()).rejects.toThrow('killed');
    clock.advance(61);
    expect(await service.deliverDue()).toEqual({ delivered: 1, failed: 0, pending: 0 });
    expect(ports.calls.map((call) => [call.ok, call.key])).toEqual([
      [false, 'suspend:vm-1'],
      [true, 'suspend:vm-1'],
      [true, 'suspend:vm-1'],
    ]);
  });

  it('is removed by the migration down()', async () => {
    const source = db.sources[0];
    await source.undoLastMigration();
    const runner = source.createQueryRunner();
    expect(await runner.hasTable('cloud_billing_outbox')).toBe(false);
    await runner.release();
    await source.runMigrations();
    expect(await source.getRepository(OutboxEntity).count()).toBe(0);
  });
});
