import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AmqpCrashChildInput, COMMITTED } from './support/amqp-crash-child';
import { describeWithBroker, RABBITMQ_URL, TestBroker, waitFor } from './support/amqp-broker';
import { applied, at, event, everythingBilled, overHttp, registration, withCatalog } from './support/amqp-traffic';
import { setClock } from './support/billing-fixtures';
import { runUntilKilled } from './support/crash-runner';
import { differencesFrom } from './support/crash-snapshot';
import { startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, testEngine } from './support/test-database';

const CHILD = join(__dirname, 'support', 'amqp-crash-child.ts');
const NOW = '15:01:00';
/** Late: its hours were billed, so applying it re-rates them and posts adjustments to the ledger. */
const LATE_STOP = event('vm-1', { type: 'stopped', at: at('13:30:00') });
/** Published after the restart: once it is applied, the redelivered stop ahead of it has been handled. */
const START = event('vm-1', { type: 'started', at: at('15:00:30') });

/**
 * A database the killed process and the test both reach: a file for SQLite (an in-memory one lives and dies with
 * its process), a database of its own on MySQL.
 */
async function sharedDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (testEngine() === 'mysql') return createTestDatabase();
  const folder = mkdtempSync(join(tmpdir(), 'cloud-billing-amqp-crash-'));
  return { url: `sqlite:${join(folder, 'billing.sqlite')}`, drop: async () => rmSync(folder, { recursive: true }) };
}

/** vm-1 registered at 12:00, its hours up to 15:00 billed; nothing left running on the database. */
async function prepared(databaseUrl: string): Promise<void> {
  const t = await startTestApp({ databaseUrl });
  try {
    await withCatalog(t);
    await overHttp(t, registration('vm-1', 1, '12:00:00'));
    await setClock(t, at(NOW));
  } finally {
    await t.close();
  }
}

/** The same calls over HTTP, each once, then the next hour billed: what one delivery of each leaves. */
async function controlRun(t: TestApp) {
  await withCatalog(t);
  await overHttp(t, registration('vm-1', 1, '12:00:00'));
  await setClock(t, at(NOW));
  await overHttp(t, LATE_STOP);
  await overHttp(t, START);
  await setClock(t, at('16:01:00'));
  return everythingBilled(t.app.get(DataSource));
}

describeWithBroker('a consumer killed between the commit and the ack', () => {
  let database: { url: string; drop: () => Promise<void> };
  let broker: TestBroker;

  beforeEach(async () => {
    database = await sharedDatabase();
    broker = await TestBroker.open();
  });
  afterEach(async () => {
    await broker?.close();
    await database?.drop();
  });

  it('gets the message again, and the second delivery changes nothing: one event, one set of adjustments', async () => {
    await prepared(database.url);
    await broker.publish(LATE_STOP);
    const input: AmqpCrashChildInput = {
      databaseUrl: database.url,
      at: at(NOW),
      amqp: { url: RABBITMQ_URL, ...broker.queues },
      killAt: { name: COMMITTED },
    };
    await runUntilKilled(input, CHILD);

    // The stop was committed and never acked: the broker has it ready to deliver again.
    await waitFor('the unacked stop back in the queue', async () => (await broker.ready()) === 1);

    const t = await startTestApp({ databaseUrl: database.url, clockStart: new Date(at(NOW)), amqp: input.amqp });
    let afterCrash: Awaited<ReturnType<typeof everythingBilled>>;
    try {
      const db = t.app.get(DataSource);
      expect(await applied(db, LATE_STOP)).toBe(true);
      await broker.publish(START);
      await waitFor('the start behind the redelivered stop applied', () => applied(db, START));
      await setClock(t, at('16:01:00'));
      afterCrash = await everythingBilled(db);
    } finally {
      await t.close();
    }
    // Both acked (a message unacked at shutdown goes back to the queue), neither refused.
    expect(await broker.ready()).toBe(0);
    expect(await broker.deadLetterCount()).toBe(0);

    const control = await startTestApp();
    try {
      const once = await controlRun(control);
      expect(differencesFrom(once.snapshot, afterCrash.snapshot)).toEqual([]);
      expect(afterCrash.events).toEqual(once.events);
      expect(afterCrash.segments).toEqual(once.segments);
      const adjustments = [...afterCrash.snapshot['ledger entries'].keys()].filter((key) => key.startsWith('rerate'));
      // The late stop re-rates two hours of the instance and of plan 1's running-only rule: once each.
      expect(adjustments.map((key) => key.split(':')[0]).sort()).toEqual([
        'rerate',
        'rerate',
        'rerate-rules',
        'rerate-rules',
      ]);
    } finally {
      await control.close();
    }
  }, 120_000);
});
