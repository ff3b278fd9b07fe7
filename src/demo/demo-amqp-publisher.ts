import {
  ConflictException,
  Inject,
  Injectable,
  OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { declareQueues } from '../amqp/amqp-queues';
import { amqpSettings } from '../amqp/amqp-settings';
import { loadAmqplib } from '../amqp/amqplib-loader';
import { DEMO_CONFIG, DemoConfig } from './demo.config';

/**
 * The simulated host's side of the queue: it publishes as a real panel would (persistent JSON messages, each
 * confirmed by the broker) to the queue the plugin consumes. Connects on first use, again after a failure.
 */
@Injectable()
export class DemoAmqpPublisher implements OnApplicationShutdown {
  private connection: Promise<{ model: ChannelModel; channel: ConfirmChannel }> | null = null;

  constructor(@Inject(DEMO_CONFIG) private readonly config: DemoConfig) {}

  /** Publishes `messages` in order; answers the queue once the broker has them all. */
  async publish(messages: object[]): Promise<string> {
    const settings = amqpSettings(this.config.amqp);
    if (!settings) throw new ConflictException('the demo host was started without DEMO_AMQP_URL');
    try {
      const { channel } = await (this.connection ??= this.connect(settings));
      for (const message of messages) {
        const content = Buffer.from(JSON.stringify(message));
        channel.sendToQueue(settings.queue, content, {
          contentType: 'application/json',
          persistent: true,
          messageId: randomUUID(),
        });
      }
      await channel.waitForConfirms();
      return settings.queue;
    } catch (error) {
      this.connection = null;
      throw new ServiceUnavailableException(`RabbitMQ did not take the messages: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    await connection?.then(({ model }) => model.close()).catch(() => undefined);
  }

  private async connect(settings: { url: string; queue: string; deadLetterQueue: string }) {
    const { connect } = await loadAmqplib();
    const model = await connect(settings.url);
    model.on('error', () => undefined);
    model.on('close', () => (this.connection = null));
    const channel = await model.createConfirmChannel();
    // The plugin's consumer may not have declared them yet: a message sent to no queue would be dropped.
    await declareQueues(channel, settings);
    return { model, channel };
  }
}
