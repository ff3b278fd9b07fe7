import { counterRequest, filledRangeRows, typedRangeRows } from './metering-forms';

describe('the counter form', () => {
  it('reads one range row per rangeFrom / rangePrice pair, blank rows dropped from what is sent', () => {
    const body = { rangeFrom: ['0', ' 1000 ', '', ''], rangePrice: ['0', '0.01', '', '2'] };
    expect(typedRangeRows(body)).toEqual([
      { from: '0', price: '0' },
      { from: '1000', price: '0.01' },
      { from: '', price: '' },
      { from: '', price: '2' },
    ]);
    // A half-filled row is sent as typed, for the API to name what it lacks.
    expect(filledRangeRows(typedRangeRows(body))).toEqual([
      { from: '0', price: '0' },
      { from: '1000', price: '0.01' },
      { from: '', price: '2' },
    ]);
  });

  it('reads a single row, and the indexed object Express makes of more than 20 repeats, in order', () => {
    expect(typedRangeRows({ rangeFrom: '0', rangePrice: '0.5' })).toEqual([{ from: '0', price: '0.5' }]);
    const many = Array.from({ length: 22 }, (_, index) => String(index));
    const indexed = (values: string[]) => Object.fromEntries([...values.entries()].reverse());
    const rows = typedRangeRows({ rangeFrom: indexed(many), rangePrice: indexed(many) });
    expect(rows).toHaveLength(22);
    expect(rows[10]).toEqual({ from: '10', price: '10' });
    expect(typedRangeRows({})).toEqual([]);
  });

  it('sends no plan ticked as every plan (null), and ticked plans as ids', () => {
    const body = {
      key: 'traffic-out',
      name: 'Traffic',
      unitName: 'GB',
      measurementUnit: '1',
      rangeFrom: '0',
      rangePrice: '0',
    };
    expect(counterRequest(body)).toEqual({
      key: 'traffic-out',
      name: 'Traffic',
      unitName: 'GB',
      measurementUnit: '1',
      planIds: null,
      ranges: [{ from: '0', price: '0' }],
    });
    expect(counterRequest({ ...body, planIds: ['2', '5'] }).planIds).toEqual([2, 5]);
  });
});
