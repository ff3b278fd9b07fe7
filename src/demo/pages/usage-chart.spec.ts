import { axisTicks, dailyCostChart, dayLabels } from './usage-chart';

const day = (date: string, amount: string) => ({ date, amount, formatted: `$${amount}` });

describe('axisTicks', () => {
  it('steps by 1, 2 or 5 of a power of ten, the top tick at or above the highest day', () => {
    expect(axisTicks(0.075, 2)).toEqual({ step: 0.02, top: 0.08 });
    expect(axisTicks(21.3, 2)).toEqual({ step: 10, top: 30 });
    expect(axisTicks(100, 2)).toEqual({ step: 50, top: 100 });
    expect(axisTicks(3, 0)).toEqual({ step: 1, top: 3 });
  });

  it('never steps finer than the currency can show, so no two ticks read the same', () => {
    expect(axisTicks(0.01, 2)).toEqual({ step: 0.01, top: 0.01 });
    expect(axisTicks(0, 2)).toEqual({ step: 0.01, top: 0.01 });
    expect(axisTicks(2, 0).step).toBe(1);
  });
});

describe('dayLabels', () => {
  it('labels every day of a short stretch', () => {
    expect(dayLabels([1, 2, 3, 4])).toEqual([0, 1, 2, 3]);
  });

  it('labels the 1st, every 5th and the last day of a long one, unless the last would crowd the one before', () => {
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const days = (indexes: number[]) => indexes.map((i) => i + 1);
    expect(days(dayLabels(upTo(14)))).toEqual([1, 5, 10, 14]);
    expect(days(dayLabels(upTo(31)))).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(days(dayLabels(upTo(30)))).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(days(dayLabels(upTo(12)))).toEqual([1, 5, 10, 12]);
  });
});

describe('dailyCostChart', () => {
  it('draws one bar a day, as tall as its share of the axis, with the day and amount as its title', () => {
    const chart = dailyCostChart(
      [day('2026-03-01', '0.00'), day('2026-03-02', '2.00'), day('2026-03-03', '4.00')],
      'USD',
    );
    const { bottom, top } = chart.plot;
    expect(chart.bars.map((bar) => bar.title)).toEqual(['1 Mar: $0.00', '2 Mar: $2.00', '3 Mar: $4.00']);
    expect(chart.bars[0].height).toBe(0);
    expect(chart.bars[2].height).toBeCloseTo(bottom - top, 0);
    expect(chart.bars[1].height).toBeCloseTo((bottom - top) / 2, 0);
    expect(chart.yTicks.map((tick) => tick.label)).toEqual(['0.00', '1.00', '2.00', '3.00', '4.00']);
    expect(chart.summary).toBe('Daily cost in USD, 1 Mar to 3 Mar; the highest was $4.00 on 3 Mar.');
  });

  it('keeps bars inside the plot and says when nothing was charged', () => {
    const chart = dailyCostChart([day('2026-02-01', '0'), day('2026-02-02', '0')], 'EUR');
    for (const bar of chart.bars) {
      expect(bar.x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(bar.x + bar.width).toBeLessThanOrEqual(chart.plot.right);
      expect(bar.height).toBe(0);
    }
    expect(chart.summary).toBe('Daily cost in EUR, 1 Feb to 2 Feb: nothing was charged.');
  });

  it('draws negative days (refunds) as nothing rather than below the axis', () => {
    const chart = dailyCostChart([day('2026-03-01', '-1.00'), day('2026-03-02', '1.00')], 'USD');
    expect(chart.bars[0].height).toBe(0);
  });
});

describe('dailyCostChart by kind', () => {
  const amount = (value: string) => ({ amount: value, formatted: `$${value}` });
  const stacked = (date: string, instances: string, rules: string, counters: string) => ({
    date,
    ...amount(String(Number(instances) + Number(rules) + Number(counters))),
    kinds: { instances: amount(instances), rules: amount(rules), counters: amount(counters) },
  });

  it('stacks instances, rules and counters from the axis up, each its own colour, and names them in a legend', () => {
    const chart = dailyCostChart([stacked('2026-04-01', '2', '1', '1'), stacked('2026-04-02', '1', '0', '0')], 'USD');
    const [first, second] = chart.bars;
    expect(first.segments.map((segment) => segment.kind)).toEqual(['instances', 'rules', 'counters']);
    // The axis tops at 4: each credit is a quarter of the plot, the instances' two at the bottom.
    const quarter = (chart.plot.bottom - chart.plot.top) / 4;
    expect(first.segments.map((segment) => segment.height)).toEqual([2 * quarter, quarter, quarter]);
    expect(first.segments[0].y + first.segments[0].height).toBeCloseTo(chart.plot.bottom, 1);
    expect(first.segments[1].y + first.segments[1].height).toBeCloseTo(first.segments[0].y, 1);
    expect(first.segments[2].y).toBeCloseTo(first.y, 1);
    expect(new Set(first.segments.map((segment) => segment.colour)).size).toBe(3);
    // A day of instances only draws no empty segments, and its title no breakdown.
    expect(second.segments.map((segment) => segment.kind)).toEqual(['instances']);
    expect(first.title).toBe('1 Apr: $4 (instances $2, resource rules $1, counters $1)');
    expect(second.title).toBe('2 Apr: $1');
    expect(chart.legend.map((entry) => entry.label)).toEqual(['Instances', 'Resource rules', 'Counters']);
    expect(chart.summary).toMatch(/Each day is stacked by kind\.$/);
  });

  it('has no legend for a month of instances only', () => {
    const chart = dailyCostChart([stacked('2026-04-01', '2', '0', '0')], 'USD');
    expect(chart.legend).toEqual([]);
    expect(chart.bars[0].segments).toHaveLength(1);
  });
});
