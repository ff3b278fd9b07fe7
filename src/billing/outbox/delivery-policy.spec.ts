import {
  LEASE_MS,
  MAX_ERROR_LENGTH,
  PORT_TIMEOUT_MS,
  describeError,
  retryDelayMs,
  withTimeout,
} from './delivery-policy';

describe('retryDelayMs', () => {
  it('waits 30 s after the first failure and doubles up to an hour', () => {
    const seconds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 10_000].map((attempts) => retryDelayMs(attempts) / 1000);
    expect(seconds).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600]);
  });

  it('refuses an attempt count that is not a positive integer', () => {
    for (const attempts of [0, -1, 1.5, Number.NaN]) expect(() => retryDelayMs(attempts)).toThrow(RangeError);
  });
});

describe('lease and timeout', () => {
  it('lets a port call time out well before its lease runs out', () => {
    expect(PORT_TIMEOUT_MS).toBeLessThanOrEqual(LEASE_MS / 2);
  });

  it('turns a port call that never settles into a failure', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20, 'email low-balance')).rejects.toThrow(
      'email low-balance timed out after 20 ms',
    );
  });

  it('passes a result or an error through untouched', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('mailer down')), 1000, 'x')).rejects.toThrow('mailer down');
  });
});

describe('describeError', () => {
  it('keeps a message that fits and cuts a long one on a character boundary', () => {
    expect(describeError(new Error('mailer down'))).toBe('mailer down');
    expect(describeError('plain')).toBe('plain');
    const cut = describeError(new Error('😀'.repeat(600)));
    expect(Array.from(cut)).toHaveLength(MAX_ERROR_LENGTH);
    expect(cut.endsWith('😀…')).toBe(true);
  });
});
