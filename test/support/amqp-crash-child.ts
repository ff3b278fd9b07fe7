/**
 * A consumer for the AMQP crash test to kill: the test host on an existing database, its AMQP consumer on the test's
 * queues. The host events' service is wrapped (test code: production code is untouched) so that once a message's
 * event has committed, the process prints `AT committed` and waits there, the message not acked, until the parent
 * kills it.
 *
 *   node -r ts-node/register/transpile-only test/support/amqp-crash-child.ts '<AmqpCrashChildInput json>'
 */
import { NestFactory } from '@nestjs/core';
import { LateEventService } from '../../src/billing/rerating/late-event.service';
import type { CloudBillingAmqpOptions } from '../../src/cloud-billing.options';
import { DemoHostModule } from '../../src/demo/demo-host.module';
import { haltAt, holdCrons } from './crash-child';

export const COMMITTED = 'committed';

export interface AmqpCrashChildInput {
  databaseUrl: string;
  /** Where the demo clock stands (ISO). */
  at: string;
  amqp: CloudBillingAmqpOptions;
  killAt: { name: typeof COMMITTED };
}

async function main(input: AmqpCrashChildInput): Promise<void> {
  // The parent holds our stdin open: once it is gone (done, failed, timed out), so are we, wherever we wait.
  process.stdin.on('end', () => process.exit(1)).resume();
  const config = {
    databaseUrl: input.databaseUrl,
    admins: ['admin'],
    seed: false,
    manualClock: true,
    clockStart: new Date(input.at),
    port: 0,
    amqp: input.amqp,
  };
  const app = await NestFactory.create(DemoHostModule.forRoot(config), { logger: ['error'], abortOnError: false });
  // Armed before init, which starts the consumer: the first message may arrive as soon as it does.
  const events = app.get(LateEventService);
  const applyHostEvent = events.applyHostEvent.bind(events);
  events.applyHostEvent = async (...args) => {
    await applyHostEvent(...args);
    // Committed; the consumer acks only once this returns, which it never does.
    return haltAt(input.killAt.name);
  };
  await app.init();
  await holdCrons(app);
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]) as AmqpCrashChildInput).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
