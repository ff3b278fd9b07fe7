import type { Channel } from 'amqplib';

/**
 * Declares the queue (durable; one consumer at a time, so that with several replicas the events still reach billing
 * in the order they were published: the others stand by) and the dead-letter queue. The host, or a test, declaring
 * them before publishing must use the same arguments, or the broker refuses the second declaration.
 */
export async function declareQueues(channel: Channel, queues: { queue: string; deadLetterQueue: string }) {
  await channel.assertQueue(queues.queue, { durable: true, arguments: { 'x-single-active-consumer': true } });
  await channel.assertQueue(queues.deadLetterQueue, { durable: true });
}
