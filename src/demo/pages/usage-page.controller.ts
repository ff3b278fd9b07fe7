import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SettingsService } from '../../settings/settings.service';
import { DemoClock } from '../demo-clock';
import type { UsageReport } from './api-types';
import { formatShortDateTime, monthLabel, shortDate } from './format';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PanelSession } from './panel-session';
import { PluginApiError, PluginApiSession } from './plugin-api';
import { currentMonth, monthOptions, shiftMonth } from './report-month';
import { dailyCostChart } from './usage-chart';

const decimalsOf = (amount: string) => amount.split('.')[1]?.length ?? 0;

/** "1800" → "1,800", "0.5" stays: a quantity's exact decimal text with its thousands grouped. */
const quantityText = (quantity: string) =>
  quantity.replace(/^(\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ','));

/**
 * /panel/usage?month=YYYY-MM: the user's month — rows (re-rated ones marked), total, a daily chart, the month's
 * re-rating adjustments, CSV and JSON downloads.
 */
@ApiExcludeController()
@Controller('panel/usage')
@UseFilters(PanelExceptionFilter)
export class UsagePageController {
  constructor(
    private readonly session: PanelSession,
    private readonly settings: SettingsService,
    private readonly clock: DemoClock,
  ) {}

  @Get()
  async usage(@Req() req: Request, @Res() res: Response, @Query('month') month?: unknown): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const asked = typeof month === 'string' && month !== '' ? month : undefined;
    const [layout, { timeZone }] = await Promise.all([
      this.session.layout(user, 'Usage', 'usage', req.originalUrl),
      this.settings.get(),
    ]);
    const current = currentMonth(this.clock.now(), timeZone);
    let report: UsageReport | null = null;
    let problem: string | null = null;
    try {
      report = await user.api.get<UsageReport>('/me/usage', { month: asked });
    } catch (error) {
      // A malformed or future month is the reader's mistake: said on the page, with the selector to pick another.
      if (!(error instanceof PluginApiError) || error.status !== 400) throw error;
      const reasons = error.forField('month').map((m) => (m.startsWith('month') ? m : `month ${m}`));
      problem = `There is no report for “${asked ?? ''}”: ${reasons.join('; ') || error.message}.`;
    }
    const shown = report?.month ?? null;
    this.session.send(res, problem ? 400 : 200, 'usage', {
      layout,
      problem,
      monthOptions: monthOptions(current, shown),
      previous: shown ? { href: `?month=${shiftMonth(shown, -1)}`, label: monthLabel(shiftMonth(shown, -1)) } : null,
      next:
        shown && shown < current
          ? { href: `?month=${shiftMonth(shown, 1)}`, label: monthLabel(shiftMonth(shown, 1)) }
          : null,
      report: report ? this.reportView(report, user.api) : null,
    });
  }

  private reportView(report: UsageReport, api: PluginApiSession) {
    const decimals = decimalsOf(report.total.amount);
    const chargedDays = report.daily.filter((day) => Number(day.cost.credits) !== 0).length;
    const query = { month: report.month };
    return {
      month: report.month,
      label: monthLabel(report.month),
      currency: report.currency,
      total: report.total.formatted,
      rows: report.rows.map((row) =>
        row.kind === 'instance'
          ? {
              name: row.name,
              plan: row.plan,
              location: row.location ?? '—',
              hourlyRate: row.hourlyRate?.formatted ?? '—',
              hours: row.hours.toLocaleString('en', { maximumFractionDigits: 2 }),
              cost: row.cost.formatted,
              adjusted: row.adjusted,
            }
          : {
              // Under its instance's rows: what it is, how much, at what price.
              metered: true,
              kind: row.kind,
              kindLabel: row.kind === 'rule' ? 'resource rule' : 'counter',
              instance: row.name,
              item: row.item || row.key,
              usage: `${quantityText(row.quantity)} ${row.unit}`.trim(),
              rate: row.rate,
              cost: row.cost.formatted,
            },
      ),
      // The costs above already hold these: the table explains them, so it has no total of its own.
      adjustments: report.adjustments.map((line) => ({
        hour: formatShortDateTime(line.hour),
        name: line.name,
        amount: line.amount.formatted,
        reason: line.reason,
      })),
      chart: report.daily.length
        ? dailyCostChart(
            report.daily.map((day) => ({
              date: day.date,
              amount: day.cost.amount,
              formatted: day.cost.formatted,
              kinds: { instances: day.instances, rules: day.rules, counters: day.counters },
            })),
            report.currency,
            decimals,
          )
        : null,
      chargedDays,
      // The table under the chart gives each kind its own column once the month has rules or counters.
      dailyByKind: report.daily.some((day) => Number(day.rules.credits) !== 0 || Number(day.counters.credits) !== 0),
      daily: report.daily.map((day) => ({
        date: shortDate(day.date),
        cost: day.cost.formatted,
        instances: day.instances.formatted,
        rules: day.rules.formatted,
        counters: day.counters.formatted,
      })),
      downloads: {
        csv: api.href('/me/usage.csv', query),
        csvName: `usage-${report.month}.csv`,
        json: api.href('/me/usage', query),
        jsonName: `usage-${report.month}.json`,
      },
    };
  }
}
