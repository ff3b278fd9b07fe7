import { tuningValue } from './cloud-billing.options';

describe('a tuning option', () => {
  it('is the default when the host gave none, and the host value when it did', () => {
    expect(tuningValue('billing.settlementBatchSize', undefined, 500)).toBe(500);
    expect(tuningValue('billing.settlementBatchSize', 3, 500)).toBe(3);
  });

  it.each([0, -1, 2.5, Number.NaN, 2 ** 53])('stops the module from starting when it is %p', (given) => {
    expect(() => tuningValue('placement.provisionTimeoutMs', given, 30_000)).toThrow(
      /cloud-billing option placement\.provisionTimeoutMs must be a positive integer/,
    );
  });
});
