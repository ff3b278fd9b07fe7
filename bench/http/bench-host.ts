import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mysql2/promise';
import { createDemoApp } from '../../src/demo/create-demo-app';
import type { DemoConfig } from '../../src/demo/demo.config';
import * as db from '../billing/database';

/** A demo host on a fresh MariaDB database of its own, listening on loopback, crons stopped. */
export interface BenchHost {
  app: INestApplication;
  port: number;
  /** One kept-alive socket: what a single client's sequential requests look like. */
  agent: Agent;
  connection: Connection;
  server: URL;
  database: string;
  version: string;
}

export interface BenchHostOptions {
  clockStart: Date;
  /** How the app is built; the demo host's own factory unless a bench adds routes of its own. */
  createApp?: (config: DemoConfig) => Promise<INestApplication>;
}

/**
 * Runs `body` against a bench host and drops its database afterwards, whatever happens. When MariaDB cannot be
 * reached the bench says why and returns, so `npm run bench` still exits 0 on a machine without it.
 */
export async function withBenchHost(
  bench: string,
  options: BenchHostOptions,
  body: (host: BenchHost) => Promise<void>,
): Promise<void> {
  const server = db.serverUrl();
  const unreachable = await db.unreachableReason(server);
  if (unreachable) {
    console.log(`${bench} skipped: MariaDB at ${server.host} is not reachable (${unreachable}).`);
    return;
  }
  const database = db.benchDatabaseName();
  await db.createDatabase(server, database);
  let app: INestApplication | undefined;
  const connection = await db.connect(server, database);
  try {
    app = await (options.createApp ?? createDemoApp)({
      databaseUrl: db.databaseUrl(server, database),
      admins: ['admin'],
      seed: false,
      manualClock: true,
      clockStart: options.clockStart,
      port: 0,
    } as DemoConfig);
    // Only the benchmark settles: the hourly and outbox crons must not run meanwhile.
    for (const job of app.get(SchedulerRegistry).getCronJobs().values()) await job.stop();
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const [[{ version }]] = (await connection.query('SELECT VERSION() AS version')) as unknown as [
      { version: string }[],
    ];
    await body({ app, port, agent, connection, server, database, version });
  } finally {
    await connection.end();
    await app?.close();
    await db.dropDatabase(server, database);
  }
}
