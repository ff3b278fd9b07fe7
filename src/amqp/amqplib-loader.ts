import type * as Amqplib from 'amqplib';

/** The peer range the package declares for amqplib. */
export const AMQPLIB_RANGE = '^2.3.1';

/**
 * amqplib, loaded only when the host turned the consumer on: it is an optional peer, so a host without AMQP never
 * installs it. Missing while the option is set, the module refuses to start, saying what to install.
 */
export async function loadAmqplib(): Promise<typeof Amqplib> {
  try {
    return await import('amqplib');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' && /'amqplib'/.test((error as Error).message)) {
      throw new Error(
        `cloud-billing option amqp is set, but the package amqplib is not installed: npm install amqplib@${AMQPLIB_RANGE}`,
      );
    }
    throw error;
  }
}
