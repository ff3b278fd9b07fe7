import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, MessageProperties, RecoveringChannelModel } from 'amqplib';
import { SerialQueue } from '../common/serial-queue';
import { AmqpMessageHandler, MessageRefusal } from './amqp-message-handler';
import { declareQueues } from './amqp-queues';
import { type AmqpSettings, redactedUrl } from './amqp-settings';
import { AMQP_SETTINGS, REFUSAL_HEADERS } from './amqp.constants';
import { loadAmqplib } from './amqplib-loader';

/** A message that failed for a passing reason goes back to the queue after this, doubling up to the maximum. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** The longest wait between two attempts to reach the broker. */
const MAX_RECONNECT_MS = 30_000;

/** Consuming on one channel; a new connection makes a new one. */
interface Subscription {
  model: ChannelModel;
  channel: ConfirmChannel;
  consumerTag: string | null;
  open: boolean;
  /** The latest delivery, up to which a hand-back returns every message to the queue. */
  lastDelivery: ConsumeMessage | null;
  /** Deliveries up to this tag were handed back and will come again: they are skipped here. */
  handedBackUpTo: number;
}

/** A wait that shutdown cuts short. */
class Pause {
  private wake: (() => void) | null = null;

  for(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  interrupt(): void {
    this.wake?.();
  }
}

/** What a dead-letter copy keeps of the original (not its expiry, nor a user id the broker would check). */
const keptProperties = (p: MessageProperties) => ({
  contentType: p.contentType as string | undefined,
  contentEncoding: p.contentEncoding as string | undefined,
  correlationId: p.correlationId as string | undefined,
  messageId: p.messageId as string | undefined,
  timestamp: p.timestamp as number | undefined,
  appId: p.appId as string | undefined,
  type: p.type as string | undefined,
});

/**
 * The plugin's own RabbitMQ consumer, started with the application when the host set the `amqp` option (README,
 * "Events over AMQP"). Messages are handled one at a time in delivery order; each is acked only once the service
 * it calls has committed. A refused one is copied to the dead-letter queue with the reason (the copy confirmed by
 * the broker) and then acked; one that failed for a passing reason is handed back to the queue, with everything
 * after it, after a pause. A process that dies before an ack gets the message again: the services make a repeat a
 * no-op, as they do over HTTP.
 */
@Injectable()
export class AmqpConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CloudBillingAmqp');
  private readonly inOrder = new SerialQueue();
  private readonly pause = new Pause();
  private connection: RecoveringChannelModel | null = null;
  private subscription: Subscription | null = null;
  private stopping = false;
  private retryDelayMs = FIRST_RETRY_MS;

  constructor(
    @Inject(AMQP_SETTINGS) private readonly settings: AmqpSettings | null,
    private readonly messages: AmqpMessageHandler,
  ) {}

  /** Connects in the background: the HTTP API does not wait for the broker, which is retried until it answers. */
  async onApplicationBootstrap(): Promise<void> {
    const settings = this.settings;
    if (!settings) return;
    const { connect } = await loadAmqplib();
    const broker = redactedUrl(settings.url);
    const connection = await connect(settings.url, {
      recovery: {
        waitForConnect: false,
        maxDelay: MAX_RECONNECT_MS,
        setup: (model: ChannelModel) => this.subscribe(model, settings),
      },
    });
    connection.on('reconnect-scheduled', ({ delay, error }: { delay: number; error: Error }) =>
      this.logger.warn(`RabbitMQ at ${broker}: ${error.message}; connecting again in ${delay} ms`),
    );
    connection.on('error', (error: Error) => this.logger.warn(`RabbitMQ at ${broker}: ${error.message}`));
    connection.on('reconnect-failed', (error: Error) =>
      this.logger.error(`RabbitMQ at ${broker}: gave up connecting: ${error.message}`),
    );
    this.connection = connection;
  }

  /** Takes no new message, lets the one in hand finish and be acked, and closes: the broker keeps the rest. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.pause.interrupt();
    const subscription = this.subscription;
    if (subscription?.open && subscription.consumerTag) {
      await subscription.channel.cancel(subscription.consumerTag).catch(() => undefined);
    }
    await this.inOrder.run(async () => undefined);
    await this.connection?.close();
  }

  /** Run by amqplib after each (re)connection. */
  private async subscribe(model: ChannelModel, settings: AmqpSettings): Promise<void> {
    const channel = await model.createConfirmChannel();
    const subscription: Subscription = {
      model,
      channel,
      consumerTag: null,
      open: true,
      lastDelivery: null,
      handedBackUpTo: 0,
    };
    channel.on('error', (error: Error) => this.logger.warn(`channel on ${settings.queue}: ${error.message}`));
    channel.on('close', () => {
      subscription.open = false;
      // Closed by the broker while the connection lives on (the queue deleted, an operation refused): reconnecting
      // runs this again on a fresh channel.
      if (!this.stopping) this.reconnect(subscription);
    });
    await declareQueues(channel, settings);
    await channel.prefetch(settings.prefetch);
    this.subscription = subscription;
    await this.consume(subscription);
    this.logger.log(`consuming ${settings.queue} at ${redactedUrl(settings.url)}`);
  }

  private async consume(subscription: Subscription): Promise<void> {
    const { consumerTag } = await subscription.channel.consume(
      (this.settings as AmqpSettings).queue,
      (message) => this.received(subscription, message),
      { noAck: false },
    );
    subscription.consumerTag = consumerTag;
  }

  private received(subscription: Subscription, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (the queue was deleted): start over, which declares it again.
      this.logger.warn('the broker cancelled the consumer; reconnecting');
      this.reconnect(subscription);
      return;
    }
    subscription.lastDelivery = message;
    this.inOrder
      .run(() => this.process(subscription, message))
      .catch((error: Error) => this.logger.error(`a message was left unhandled: ${error.message}`));
  }

  private async process(subscription: Subscription, message: ConsumeMessage): Promise<void> {
    // Handed back, or on a closed channel: the broker delivers it again.
    if (!subscription.open || this.stopping || message.fields.deliveryTag <= subscription.handedBackUpTo) return;
    try {
      const verdict = await this.messages.handle(message.content, message.properties.contentType as string);
      if (verdict.outcome === 'refused') await this.deadLetter(subscription.channel, message, verdict.refusal);
      subscription.channel.ack(message);
      this.retryDelayMs = FIRST_RETRY_MS;
    } catch (error) {
      if (subscription.open) await this.handBack(subscription, error as Error);
      else this.logger.warn(`the channel closed before an ack; the broker delivers the message again`);
    }
  }

  private async deadLetter(channel: ConfirmChannel, message: ConsumeMessage, refusal: MessageRefusal): Promise<void> {
    const { queue, deadLetterQueue } = this.settings as AmqpSettings;
    const headers = {
      ...(message.properties.headers ?? {}),
      [REFUSAL_HEADERS.reason]: refusal.message,
      [REFUSAL_HEADERS.status]: refusal.status,
      [REFUSAL_HEADERS.errors]: JSON.stringify(refusal.errors),
      [REFUSAL_HEADERS.queue]: queue,
    };
    const properties = { ...keptProperties(message.properties), headers, persistent: true };
    // Acked only once the broker has the copy: a copy lost in between would lose the message.
    await new Promise<void>((resolve, reject) =>
      channel.sendToQueue(deadLetterQueue, message.content, properties, (error) => (error ? reject(error) : resolve())),
    );
    this.logger.warn(`refused a message (${refusal.status}) into ${deadLetterQueue}: ${refusal.message}`);
  }

  /**
   * Returns the message, and every one delivered after it, to the queue after a pause, so they keep their order.
   * The consumer is cancelled first: once the broker confirms, nothing more is on its way, so the nack reaches all
   * the messages this channel holds.
   */
  private async handBack(subscription: Subscription, error: Error): Promise<void> {
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, MAX_RETRY_MS);
    this.logger.error(`a message failed and goes back to the queue in ${delay} ms: ${error.message}`);
    try {
      if (subscription.consumerTag) await subscription.channel.cancel(subscription.consumerTag);
      if (!this.stopping) await this.pause.for(delay);
      const last = subscription.lastDelivery as ConsumeMessage;
      subscription.channel.nack(last, true, true);
      subscription.handedBackUpTo = last.fields.deliveryTag;
      if (!this.stopping) await this.consume(subscription);
    } catch (failure) {
      // The channel closed meanwhile: the broker has put back whatever was not acked, and reconnecting resumes.
      this.logger.warn(`handing messages back: ${(failure as Error).message}`);
    }
  }

  private reconnect(subscription: Subscription): void {
    subscription.open = false;
    Promise.resolve()
      .then(() => subscription.model.close())
      .catch(() => undefined);
  }
}
