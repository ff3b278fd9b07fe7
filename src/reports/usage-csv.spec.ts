import type { Money } from '../common/money';
import { csvField, csvText, usageCsv, usageCsvFileName } from './usage-csv';
import type { UsageReportResponseDto } from './usage-report.dto';

const money = (credits: string, amount: string): Money => ({
  credits,
  amount,
  currency: 'EUR',
  formatted: `€${amount}`,
});

const report = (userId?: string | null): UsageReportResponseDto => ({
  month: '2026-03',
  currency: 'EUR',
  ...(userId === undefined ? {} : { userId }),
  rows: [
    {
      ...(userId === null ? { userId: 'alice' } : {}),
      kind: 'instance',
      instanceId: 'vm-1',
      name: 'web "1", prod',
      planId: 1,
      plan: 'Small',
      location: null,
      hourlyRate: money('1.5', '0.75'),
      hours: 2.5,
      cost: money('-3.75', '-1.88'),
      adjusted: false,
    },
  ],
  total: money('-3.75', '-1.88'),
  daily: [],
  adjustments: [],
});

const adjusted = (userId?: string | null): UsageReportResponseDto => {
  const base = report(userId);
  return {
    ...base,
    rows: base.rows.map((row) => ({ ...row, adjusted: true })),
    adjustments: [
      {
        ...(userId === null ? { userId: 'alice' } : {}),
        instanceId: 'vm-1',
        name: '=cmd',
        hour: '2026-03-10T13:00:00.000Z',
        amount: money('-0.5', '-0.25'),
        reason: 'usage 2026-03-10T13:00Z of vm-1 re-rated after a late "stopped" event',
      },
    ],
  };
};

describe('usage CSV', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('')).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx'].map(csvText)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx"]);
    expect(csvText('web-1')).toBe('web-1');
  });

  it('writes a header, the rows with amounts twice and a total line, each ended by CRLF; negatives stay numbers', () => {
    expect(usageCsv(report())).toBe(
      'Instance ID,Instance,Kind,Plan,Location,Hourly rate (EUR),Hourly rate (credits),Hours,' +
        'Key,Item,Quantity,Unit,Rate,Cost (EUR),Cost (credits),Adjusted\r\n' +
        'vm-1,"web ""1"", prod",instance,Small,,0.75,1.5,2.5,,,,,,-1.88,-3.75,no\r\n' +
        'Total,,,,,,,,,,,,,-1.88,-3.75,\r\n',
    );
  });

  it("lists a rule or counter under its instance in the item's columns, the cost in the cost columns", () => {
    const base = report();
    const csv = usageCsv({
      ...base,
      rows: [
        ...base.rows,
        {
          kind: 'counter',
          instanceId: 'vm-1',
          name: 'web "1", prod',
          itemId: 7,
          key: 'traffic-out',
          item: 'Outgoing traffic',
          quantity: '1800',
          unit: 'GB',
          rate: 'first 1,000 GB a month included, then €0.005 per GB',
          cost: money('8', '4.00'),
        },
      ],
    });
    expect(csv.split('\r\n')[2]).toBe(
      'vm-1,"web ""1"", prod",counter,,,,,,traffic-out,Outgoing traffic,1800,GB,' +
        '"first 1,000 GB a month included, then €0.005 per GB",4.00,8,',
    );
  });

  it('marks adjusted rows and lists the adjustments after the total, amounts in the cost columns', () => {
    expect(usageCsv(adjusted()).split('\r\n')).toEqual([
      expect.stringMatching(/,Adjusted$/),
      'vm-1,"web ""1"", prod",instance,Small,,0.75,1.5,2.5,,,,,,-1.88,-3.75,yes',
      'Total,,,,,,,,,,,,,-1.88,-3.75,',
      'Adjustment hour (UTC),Instance ID,Instance,Reason,,,,,,,,,,Amount (EUR),Amount (credits),',
      `2026-03-10T13:00:00.000Z,vm-1,'=cmd,"usage 2026-03-10T13:00Z of vm-1 re-rated after a late ""stopped"" event",,,,,,,,,,-0.25,-0.5,`,
      '',
    ]);
    const everyone = usageCsv(adjusted(null)).split('\r\n');
    expect(everyone[3]).toBe(
      'Adjustment hour (UTC),User ID,Instance ID,Instance,Reason,,,,,,,,,,Amount (EUR),Amount (credits),',
    );
    expect(everyone[4]).toMatch(/^2026-03-10T13:00:00\.000Z,alice,vm-1,'=cmd,".*",,,,,,,,,,-0\.25,-0\.5,$/);
  });

  it('adds the user column and names the file for an admin report', () => {
    expect(usageCsv(report(null)).split('\r\n')[1]).toBe(
      'alice,vm-1,"web ""1"", prod",instance,Small,,0.75,1.5,2.5,,,,,,-1.88,-3.75,no',
    );
    expect(usageCsvFileName(report())).toBe('usage-2026-03.csv');
    expect(usageCsvFileName(report(null))).toBe('usage-2026-03-all-users.csv');
    expect(usageCsvFileName(report('bob'))).toBe('usage-2026-03-bob.csv');
  });
});
