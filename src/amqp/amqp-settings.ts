import { type CloudBillingAmqpOptions, tuningValue } from '../cloud-billing.options';

export const DEFAULT_QUEUE = 'cloud-billing.events';
export const DEFAULT_PREFETCH = 10;
/** basic.qos takes a 16-bit count. */
const MAX_PREFETCH = 65_535;
/** A queue name is an AMQP short string: at most 255 bytes. */
const MAX_QUEUE_NAME_BYTES = 255;

/** The `amqp` option checked, with its defaults filled in. */
export interface AmqpSettings {
  url: string;
  queue: string;
  deadLetterQueue: string;
  prefetch: number;
}

const optionError = (name: string, rule: string) => new Error(`cloud-billing option amqp.${name} must be ${rule}`);

function queueName(name: string, given: unknown): string {
  if (typeof given !== 'string' || given === '' || Buffer.byteLength(given) > MAX_QUEUE_NAME_BYTES) {
    throw optionError(name, `a queue name of 1 to ${MAX_QUEUE_NAME_BYTES} bytes`);
  }
  // The broker refuses to declare these (ACCESS_REFUSED), which would only show as retries in the log.
  if (given.startsWith('amq.')) throw optionError(name, 'a queue name not starting with "amq." (reserved)');
  return given;
}

/** The URL, checked without ever putting it in a message: it usually carries a password. */
function brokerUrl(given: unknown): string {
  let protocol: string | undefined;
  try {
    protocol = typeof given === 'string' ? new URL(given).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'amqp:' && protocol !== 'amqps:') throw optionError('url', 'an amqp:// or amqps:// URL');
  return given as string;
}

/**
 * The host's `amqp` option as the consumer uses it, or null when the host gave none (the consumer stays idle).
 * A wrong value stops the module from starting, naming the option, as a wrong tuning knob does.
 */
export function amqpSettings(options: CloudBillingAmqpOptions | null | undefined): AmqpSettings | null {
  if (options === null || options === undefined) return null;
  const queue = queueName('queue', options.queue ?? DEFAULT_QUEUE);
  const deadLetterQueue = queueName('deadLetterQueue', options.deadLetterQueue ?? `${queue}.dead-letter`);
  if (deadLetterQueue === queue) throw optionError('deadLetterQueue', 'another queue than amqp.queue');
  const prefetch = tuningValue('amqp.prefetch', options.prefetch, DEFAULT_PREFETCH);
  if (prefetch > MAX_PREFETCH) throw optionError('prefetch', `at most ${MAX_PREFETCH}`);
  return { url: brokerUrl(options.url), queue, deadLetterQueue, prefetch };
}

/** The broker's URL for a log line: the password left out. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
