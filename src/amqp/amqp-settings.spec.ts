import { amqpSettings, redactedUrl } from './amqp-settings';

const url = 'amqp://billing:s3cret@rabbit.example:5672/panel';

describe('the amqp option', () => {
  it('leaves the consumer off when absent', () => {
    expect(amqpSettings(undefined)).toBeNull();
    expect(amqpSettings(null)).toBeNull();
  });

  it('fills in the queues and prefetch a host left out', () => {
    expect(amqpSettings({ url })).toEqual({
      url,
      queue: 'cloud-billing.events',
      deadLetterQueue: 'cloud-billing.events.dead-letter',
      prefetch: 10,
    });
    expect(amqpSettings({ url: 'amqps://rabbit.example', queue: 'billing', prefetch: 1 })).toEqual({
      url: 'amqps://rabbit.example',
      queue: 'billing',
      deadLetterQueue: 'billing.dead-letter',
      prefetch: 1,
    });
  });

  it.each([
    [{ url: 'http://rabbit.example' }, /amqp\.url must be an amqp:\/\/ or amqps:\/\/ URL/],
    [{ url: 'not a url' }, /amqp\.url must be/],
    [{ url, queue: '' }, /amqp\.queue must be a queue name of 1 to 255 bytes/],
    [{ url, queue: 'q'.repeat(256) }, /amqp\.queue must be a queue name of 1 to 255 bytes/],
    [{ url, queue: 'amq.billing' }, /amqp\.queue must be a queue name not starting with "amq\."/],
    [{ url, queue: 'billing', deadLetterQueue: 'billing' }, /amqp\.deadLetterQueue must be another queue/],
    [{ url, prefetch: 0 }, /amqp\.prefetch must be a positive integer/],
    [{ url, prefetch: 1.5 }, /amqp\.prefetch must be a positive integer/],
    [{ url, prefetch: 65_536 }, /amqp\.prefetch must be at most 65535/],
  ])('stops the module from starting when it is %j', (options, message) => {
    expect(() => amqpSettings(options)).toThrow(message);
  });

  it('never puts the URL, and so its password, in the error', () => {
    expect(() => amqpSettings({ url: 'http://billing:s3cret@rabbit.example' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('shows the URL in logs without its password', () => {
    expect(redactedUrl(url)).toBe('amqp://billing:***@rabbit.example:5672/panel');
    expect(redactedUrl('amqp://127.0.0.1')).toBe('amqp://127.0.0.1');
  });
});
