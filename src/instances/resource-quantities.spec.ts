import { BadRequestException } from '@nestjs/common';
import { resourceQuantitiesTransformer } from './resource-quantities.column';
import {
  formatResources,
  noResources,
  parseReportedResources,
  resourcesJson,
  withReported,
} from './resource-quantities';

const violationsOf = (act: () => unknown) => {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { errors: { field: string; rule: string }[] }).errors;
  }
  throw new Error('expected a 400');
};

describe('resource quantities the host reports', () => {
  it('scales numbers and decimal strings exactly, in key order, keeping 0 (a removal)', () => {
    const parsed = parseReportedResources({ ipv4: 2, backup: '1.5', 'disk-gb': '0.000001', snapshots: 0 });
    expect(Object.entries(parsed)).toEqual([
      ['backup', '1500000'],
      ['disk-gb', '1'],
      ['ipv4', '2000000'],
      ['snapshots', '0'],
    ]);
  });

  it('names every bad entry by its path and the rule it broke', () => {
    expect(
      violationsOf(() =>
        parseReportedResources({ IPv4: 1, ok: 1, neg: -1, seven: '0.0000001', big: 1_000_000.000001, no: 'x' }),
      ),
    ).toEqual([
      {
        field: 'resources.IPv4',
        rule: 'isMeteringKey',
        message:
          'resources key "IPv4" must be lowercase letters, digits and single dashes (e.g. "traffic-out"), at most 64 characters',
      },
      { field: 'resources.big', rule: 'maxQuantity', message: 'resources.big must be at most 1,000,000' },
      { field: 'resources.neg', rule: 'isQuantity', message: expect.stringContaining('non-negative decimal') },
      { field: 'resources.no', rule: 'isQuantity', message: expect.any(String) },
      { field: 'resources.seven', rule: 'isQuantity', message: expect.stringContaining('6 decimal places') },
    ]);
    expect(violationsOf(() => parseReportedResources({ x: null as unknown as string }))).toEqual([
      expect.objectContaining({ field: 'resources.x', rule: 'isQuantity' }),
    ]);
    expect(violationsOf(() => parseReportedResources({ ['k'.repeat(65)]: 1 }))).toEqual([
      expect.objectContaining({ field: `resources.${'k'.repeat(64)}…`, rule: 'isMeteringKey' }),
    ]);
  });

  it('refuses an empty report and more than 12 keys in one', () => {
    expect(violationsOf(() => parseReportedResources({}))).toEqual([
      expect.objectContaining({ field: 'resources', rule: 'isNotEmpty' }),
    ]);
    const thirteen = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`r${i}`, 1]));
    expect(violationsOf(() => parseReportedResources(thirteen))).toEqual([
      expect.objectContaining({ field: 'resources', rule: 'maxKeys' }),
    ]);
  });

  it('sets the keys reported, keeps the others, and removes those reported as 0', () => {
    const held = withReported(noResources(), parseReportedResources({ ipv4: 2, backup: 1 }));
    const next = withReported(held, parseReportedResources({ ipv4: 3, backup: 0, 'disk-gb': '40' }));
    expect(next).toEqual({ 'disk-gb': '40000000', ipv4: '3000000' });
    expect(held).toEqual({ backup: '1000000', ipv4: '2000000' });
    expect(formatResources(next)).toEqual({ 'disk-gb': '40', ipv4: '3' });
  });

  it('refuses a report that would leave an instance holding more than 12 resources', () => {
    const twelve = parseReportedResources(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`r${i}`, 1])));
    const held = withReported(noResources(), twelve);
    expect(violationsOf(() => withReported(held, parseReportedResources({ extra: 1 })))).toEqual([
      expect.objectContaining({ field: 'resources', rule: 'maxKeys' }),
    ]);
    expect(Object.keys(withReported(held, parseReportedResources({ extra: 1, r0: 0 })))).toHaveLength(12);
  });

  it('reads no key from Object.prototype: "constructor" is a rule key an instance may not hold', () => {
    expect(noResources()['constructor']).toBeUndefined();
    expect(resourceQuantitiesTransformer.from(null)['constructor']).toBeUndefined();
    expect(resourceQuantitiesTransformer.from('{"ipv4":"1"}')['constructor']).toBeUndefined();
  });
});

describe('the quantities column', () => {
  it('stores JSON with its keys in order, and none as NULL', () => {
    expect(resourceQuantitiesTransformer.to({ ipv4: '2000000', backup: '1' })).toBe('{"backup":"1","ipv4":"2000000"}');
    expect(resourceQuantitiesTransformer.to(noResources())).toBeNull();
    expect(resourceQuantitiesTransformer.to(undefined)).toBeNull();
    expect(resourcesJson({ b: '1', a: '2' })).toBe(resourcesJson({ a: '2', b: '1' }));
  });

  it('reads NULL as {} and JSON back as the map', () => {
    expect(resourceQuantitiesTransformer.from(null)).toEqual({});
    expect(resourceQuantitiesTransformer.from('{"backup":"1","ipv4":"2000000"}')).toEqual({
      backup: '1',
      ipv4: '2000000',
    });
  });

  it('refuses a stored value the plugin never writes, rather than bill it', () => {
    expect(() => resourceQuantitiesTransformer.from('[1]')).toThrow(TypeError);
    expect(() => resourceQuantitiesTransformer.from('{"ipv4":2}')).toThrow(/not a scaled integer/);
    expect(() => resourceQuantitiesTransformer.from('{"ipv4":"-2"}')).toThrow(/not a scaled integer/);
    expect(() => resourceQuantitiesTransformer.from('{"ipv4":"1.5"}')).toThrow(/not a scaled integer/);
  });
});
