import { connect, type ChannelModel, type ConfirmChannel, type GetMessage } from 'amqplib';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { declareQueues } from '../../src/amqp/amqp-queues';

/** The broker the machines here run; AMQP_TEST_URL points the tests at another. */
export const RABBITMQ_URL = process.env.AMQP_TEST_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Why the AMQP tests cannot run here, or null when the broker answers. Asked once, synchronously (a TCP connect in
 * a child node, two seconds at most), since Jest decides between describe and describe.skip when it loads a file.
 */
export function brokerUnreachable(): string | null {
  const { hostname, port } = new URL(RABBITMQ_URL);
  const probe = `require('node:net').connect({ host: ${JSON.stringify(hostname)}, port: ${Number(port || 5672)} })
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1)).setTimeout(2000, () => process.exit(1));`;
  try {
    execFileSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 5_000 });
    return null;
  } catch {
    return `no RabbitMQ answers at ${hostname}:${port || 5672} (start it, or set AMQP_TEST_URL=amqp://…)`;
  }
}

/** `describe`, or `describe.skip` after saying why, for a suite that needs the broker. */
export function describeWithBroker(name: string, suite: () => void): void {
  const reason = brokerUnreachable();
  // Straight to stderr: Jest drops what a file logs through console when every test in it is skipped.
  if (reason !== null) process.stderr.write(`[cloud-billing] skipped "${name}": ${reason}\n`);
  (reason === null ? describe : describe.skip)(name, suite);
}

export interface TestQueues {
  queue: string;
  deadLetterQueue: string;
}

/** Queues of a test's own, so tests running side by side (and on both engines) never see each other's messages. */
export function uniqueQueues(): TestQueues {
  const queue = `cloud-billing-test.${randomBytes(5).toString('hex')}`;
  return { queue, deadLetterQueue: `${queue}.dead-letter` };
}

export interface DeadLetter {
  body: string;
  headers: Record<string, unknown>;
}

/** The host's side of a test: publishes to the test's queues, reads what was dead-lettered, deletes them after. */
export class TestBroker {
  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: ConfirmChannel,
    readonly queues: TestQueues,
  ) {}

  /** Declares the queues (as the plugin does) before anything is published, so no message goes to no queue. */
  static async open(queues: TestQueues = uniqueQueues()): Promise<TestBroker> {
    const model = await connect(RABBITMQ_URL);
    const channel = await model.createConfirmChannel();
    await declareQueues(channel, queues);
    return new TestBroker(model, channel, queues);
  }

  /** A message as a host would publish it: persistent JSON (or the raw bytes given), confirmed by the broker. */
  async publish(message: object | Buffer, contentType = 'application/json'): Promise<void> {
    const content = Buffer.isBuffer(message) ? message : Buffer.from(JSON.stringify(message));
    this.channel.sendToQueue(this.queues.queue, content, { contentType, persistent: true });
    await this.channel.waitForConfirms();
  }

  /** Deletes the queue under the consumer, and declares it again, as a host would before publishing. */
  async recreateQueue(): Promise<void> {
    await this.channel.deleteQueue(this.queues.queue);
    await declareQueues(this.channel, this.queues);
  }

  /** Messages ready in the queue (not those delivered and waiting for an ack). */
  async ready(): Promise<number> {
    return (await this.channel.checkQueue(this.queues.queue)).messageCount;
  }

  /** Waits until `count` messages are in the dead-letter queue and takes them, oldest first. */
  async deadLetters(count: number, timeoutMs = 20_000): Promise<DeadLetter[]> {
    const taken: DeadLetter[] = [];
    await waitFor(
      `${count} dead-lettered messages`,
      async () => {
        const message: GetMessage | false = await this.channel.get(this.queues.deadLetterQueue, { noAck: true });
        if (message) {
          taken.push({ body: message.content.toString('utf8'), headers: message.properties.headers ?? {} });
        }
        return taken.length >= count;
      },
      timeoutMs,
    );
    return taken;
  }

  /** Messages in the dead-letter queue now. */
  async deadLetterCount(): Promise<number> {
    return (await this.channel.checkQueue(this.queues.deadLetterQueue)).messageCount;
  }

  async close(): Promise<void> {
    await this.channel.deleteQueue(this.queues.queue);
    await this.channel.deleteQueue(this.queues.deadLetterQueue);
    await this.model.close();
  }
}

/** Polls `probe` every 50 ms until it returns true; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
