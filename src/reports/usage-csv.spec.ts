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
      instanceId: 'vm-1',
      name: 'web "1", prod',
      planId: 1,
      plan: 'Small',
      location: null,
      hourlyRate: money('1.5', '0.75'),
      hours: 2.5,
      cost: money('-3.75', '-1.88'),
    },
  ],
  total: money('-3.75', '-1.88'),
  daily: [],
});

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
      'Instance ID,Instance,Plan,Location,Hourly rate (EUR),Hourly rate (credits),Hours,Cost (EUR),Cost (credits)\r\n' +
        'vm-1,"web ""1"", prod",Small,,0.75,1.5,2.5,-1.88,-3.75\r\n' +
        'Total,,,,,,,-1.88,-3.75\r\n',
    );
  });

  it('adds the user column and names the file for an admin report', () => {
    expect(usageCsv(report(null)).split('\r\n')[1]).toBe(
      'alice,vm-1,"web ""1"", prod",Small,,0.75,1.5,2.5,-1.88,-3.75',
    );
    expect(usageCsvFileName(report())).toBe('usage-2026-03.csv');
    expect(usageCsvFileName(report(null))).toBe('usage-2026-03-all-users.csv');
    expect(usageCsvFileName(report('bob'))).toBe('usage-2026-03-bob.csv');
  });
});
