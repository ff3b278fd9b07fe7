import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { Clock } from '../common/clock';
import type { Tx, UnitOfWork } from '../common/unit-of-work';
import type { ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { UserDirectory } from '../host/ports';
import type { MeteringLookupService } from '../metering/metering-lookup.service';
import type { MeteredCounter, ResourceRule } from '../metering/metering.types';
import type { SettingsService } from '../settings/settings.service';
import type { MeteredRollupRow, ReportsRepository, UsageRollupRow } from './reports.repository';
import { UsageReportService } from './usage-report.service';

const row = (userId: string, instanceId: string, name: string | null, planId: number, charge: number) =>
  ({
    userId,
    instanceId,
    name,
    planId,
    planName: null,
    locationName: null,
    billedSeconds: 3600,
    charge,
    hourlyRate: 1,
  }) as UsageRollupRow;

const metered = (instanceId: string, name: string, item: 'rule' | 'counter', itemId: number, charge: number) =>
  ({ userId: 'alice', instanceId, name, item, itemId, quantity: 1, charge }) as MeteredRollupRow;

describe('UsageReportService', () => {
  const tx = {} as Tx;
  const monthSnapshot = jest.fn();
  const hoursCharges = jest.fn();
  const run = jest.fn((work: (tx: Tx) => Promise<unknown>) => work(tx));
  const rule = jest.fn(async (id: number) => ({ id, key: id === 1 ? 'z-fee' : 'ipv4' }) as ResourceRule);
  const countersById = jest.fn(
    async (ids: number[]) => new Map(ids.map((id) => [id, { id, key: 'traffic' } as MeteredCounter])),
  );
  const findUser = jest.fn();
  const forUser = jest.fn(async (id: string) => ({ currency: { code: id === 'admin' ? 'USD' : 'EUR' } }));
  const service = new UsageReportService(
    { monthSnapshot, hoursCharges } as unknown as ReportsRepository,
    { get: async () => ({ timeZone: 'UTC' }) } as unknown as SettingsService,
    { forUser } as unknown as ViewerCurrencyService,
    { findUser } as unknown as UserDirectory,
    { now: () => new Date('2026-03-03T10:00:00Z') } as Clock,
    { run } as unknown as UnitOfWork,
    { rule, countersById } as unknown as MeteringLookupService,
  );

  beforeEach(() => {
    monthSnapshot.mockReset();
    findUser.mockReset();
    monthSnapshot.mockResolvedValue({
      rows: [
        row('bob', 'vm-9', 'alpha', 1, 5),
        row('alice', 'vm-2', 'web-10', 1, 7),
        row('alice', 'vm-1', 'web-9', 2, 3),
      ],
      metered: [],
      daily: new Map([['2026-03-02', { charge: 15, rules: 0, counters: 0 }]]),
      adjustments: [],
    });
  });

  it('orders rows by user and natural name, totals the micro-credits and fills the days so far with zeros', async () => {
    const report = await service.forUser('alice');
    expect(monthSnapshot).toHaveBeenCalledWith(
      tx,
      '2026-03',
      { fromMs: Date.parse('2026-03-01T00:00:00Z'), untilMs: Date.parse('2026-04-01T00:00:00Z') },
      'alice',
    );
    expect(report.rows.map((r) => r.instanceId)).toEqual(['vm-1', 'vm-2', 'vm-9']);
    expect(report.total).toBe(15);
    expect(report.daily).toEqual([
      { date: '2026-03-01', charge: 0, rules: 0, counters: 0 },
      { date: '2026-03-02', charge: 15, rules: 0, counters: 0 },
      { date: '2026-03-03', charge: 0, rules: 0, counters: 0 },
    ]);
    expect(report.view.currency.code).toBe('EUR');
  });

  it('refuses a month after the current one before reading anything', async () => {
    await expect(service.forUser('alice', '2026-04')).rejects.toBeInstanceOf(BadRequestException);
    expect(monthSnapshot).not.toHaveBeenCalled();
  });

  it("answers 404 for a user the host's directory does not know, and shows admins their own currency", async () => {
    findUser.mockResolvedValue(null);
    await expect(service.forAdmin('admin', undefined, 'ghost')).rejects.toBeInstanceOf(NotFoundException);
    findUser.mockResolvedValue({ id: 'alice' });
    const one = await service.forAdmin('admin', '2026-02', 'alice');
    expect(one).toMatchObject({ userId: 'alice', month: '2026-02', view: { currency: { code: 'USD' } } });
    expect(one.daily).toHaveLength(28);
    const everyone = await service.forAdmin('admin');
    expect(everyone.userId).toBeNull();
    expect(monthSnapshot).toHaveBeenLastCalledWith(tx, '2026-03', expect.anything(), null);
  });

  it('marks the rows of re-rated instances and signs adjustments as charges, leaving the total to the rows', async () => {
    monthSnapshot.mockResolvedValue({
      rows: [row('alice', 'vm-1', 'web', 1, 3), row('alice', 'vm-1', 'web', 2, 4), row('alice', 'vm-2', 'db', 1, 5)],
      metered: [],
      daily: new Map(),
      adjustments: [
        { userId: 'alice', instanceId: 'vm-1', name: 'web', hourStartMs: 0, ledgerAmount: 2, note: 'refund' },
        { userId: 'alice', instanceId: 'vm-1', name: 'web', hourStartMs: 1, ledgerAmount: -1, note: null },
      ],
    });
    const report = await service.forUser('alice');
    expect(report.rows.map((r) => r.kind === 'instance' && [r.instanceId, r.planId, r.adjusted])).toEqual([
      ['vm-2', 1, false],
      ['vm-1', 1, true],
      ['vm-1', 2, true],
    ]);
    expect(report.adjustments.map((a) => [a.charge, a.reason])).toEqual([
      [-2, 'refund'],
      [1, 'usage re-rated after a late event'],
    ]);
    expect(report.total).toBe(12);
  });

  it("lists each instance's rules, then its counters, after its plan rows, and counts them in the total", async () => {
    monthSnapshot.mockResolvedValue({
      rows: [row('alice', 'vm-1', 'web', 2, 3), row('alice', 'vm-2', 'db', 1, 5), row('alice', 'vm-1', 'web', 1, 4)],
      metered: [
        metered('vm-1', 'web', 'counter', 9, 7),
        metered('vm-1', 'web', 'rule', 1, 2),
        metered('vm-3', 'app', 'rule', 2, 1),
        metered('vm-1', 'web', 'rule', 2, 6),
      ],
      daily: new Map(),
      adjustments: [],
    });
    const report = await service.forUser('alice');
    expect(report.rows.map((r) => [r.instanceId, r.kind === 'instance' ? r.planId : r.itemId, r.kind])).toEqual([
      ['vm-3', 2, 'rule'],
      ['vm-2', 1, 'instance'],
      ['vm-1', 1, 'instance'],
      ['vm-1', 2, 'instance'],
      // By key: ipv4 (rule 2) before z-fee (rule 1).
      ['vm-1', 2, 'rule'],
      ['vm-1', 1, 'rule'],
      ['vm-1', 9, 'counter'],
    ]);
    expect(report.total).toBe(28);
    // Each rule is looked up once, in the report's unit of work.
    expect(rule.mock.calls).toEqual([
      [1, tx],
      [2, tx],
    ]);
  });

  it("itemises a span of hours in the report's order, read in the caller's unit of work when given one", async () => {
    const own = {} as Tx;
    const instance = (instanceId: string, name: string, charge: number) => {
      const { hourlyRate: _rate, locationName: _location, ...hours } = row('alice', instanceId, name, 1, charge);
      return hours;
    };
    hoursCharges.mockResolvedValue({
      instances: [instance('vm-2', 'db', 5), instance('vm-1', 'web', 4)],
      metered: [metered('vm-1', 'web', 'counter', 9, 7), metered('vm-1', 'web', 'rule', 1, 2)],
    });
    run.mockClear();
    rule.mockClear();
    const charges = await service.chargesByHours('alice', 1_000, 2_000, own);
    expect(hoursCharges).toHaveBeenCalledWith(own, 'alice', { fromMs: 1_000, untilMs: 2_000 });
    expect(run).not.toHaveBeenCalled();
    expect(rule.mock.calls).toEqual([[1, own]]);
    expect(charges.rows.map((r) => [r.instanceId, r.kind])).toEqual([
      ['vm-2', 'instance'],
      ['vm-1', 'instance'],
      ['vm-1', 'rule'],
      ['vm-1', 'counter'],
    ]);
    expect(charges).toMatchObject({ userId: 'alice', fromMs: 1_000, untilMs: 2_000, total: 18 });
    // Without one, it reads in a snapshot of its own.
    await service.chargesByHours('alice', 1_000, 2_000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
