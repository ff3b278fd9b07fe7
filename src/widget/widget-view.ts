import type { AccountStatus } from '../accounts/account-status';
import { monthLabel } from '../reports/report-calendar';
import type { WidgetBudgetResponseDto, WidgetResponseDto } from './widget.dto';

/** What the status says in words, so it never rests on colour alone. */
export const STATUS_TEXT: Record<AccountStatus, { label: string; hint: string }> = {
  ok: { label: 'OK', hint: 'Your credit is in good standing.' },
  low: { label: 'Low balance', hint: 'Top up soon to keep your instances running.' },
  negative: { label: 'Negative balance', hint: 'Your balance is below zero. Top up to avoid suspension.' },
  suspended: { label: 'Suspended', hint: 'Your instances are suspended. Top up to resume them.' },
  no_credit: { label: 'No credit yet', hint: 'Top up to start using your account.' },
};

/** Everything the HTML fragment shows, already in words: the template only places and escapes it. */
export interface WidgetView {
  status: AccountStatus;
  statusLabel: string;
  statusHint: string;
  monthLabel: string;
  balance: string;
  /** "Paid $8.00 · promotional $2.00", with the next expiry; null when there is no promotional or expiring credit. */
  creditSplit: string | null;
  creditExpiry: string | null;
  monthToDate: string;
  burnRate: string;
  /** Why part of the burn rate is an estimate; null when none is. */
  burnRateNote: string | null;
  runway: string;
  largestCosts: { name: string; plan: string; cost: string }[];
  links: { usage: string; topUp: string };
  budget: WidgetBudgetView | null;
}

/** The budget in words: "$8.25 of $10.00", "82.5 %", "50 %, 80 %". */
export interface WidgetBudgetView {
  spentOfBudget: string;
  /** 0–100 for the bar (a spend beyond the budget fills it). */
  barPercent: number;
  percent: string;
  alerts: string | null;
  forecast: string | null;
  blocked: string | null;
  /** The whole budget is spent. */
  over: boolean;
}

export function widgetView(widget: WidgetResponseDto): WidgetView {
  const text = STATUS_TEXT[widget.status];
  return {
    status: widget.status,
    statusLabel: text.label,
    statusHint: text.hint,
    monthLabel: monthLabel(widget.month),
    balance: widget.balance.formatted,
    ...creditLines(widget.credit),
    monthToDate: widget.monthToDate.formatted,
    burnRate: `${widget.burnRatePerHour.formatted} per hour`,
    burnRateNote: widget.burnRateNote,
    runway:
      widget.runway ?? (widget.status === 'suspended' ? 'Paused while suspended' : 'Nothing is billed by the hour'),
    largestCosts: widget.largestCosts.map((row) => ({ name: row.name, plan: row.plan, cost: row.cost.formatted })),
    links: { usage: widget.links.usage, topUp: widget.links.topUp },
    budget: widget.budget && budgetView(widget.budget),
  };
}

function budgetView(budget: WidgetBudgetResponseDto): WidgetBudgetView {
  const percent = budget.percentUsed;
  return {
    spentOfBudget: `${budget.spent.formatted} of ${budget.budget.formatted}`,
    barPercent: percent === null ? (budget.alertsReached.length > 0 ? 100 : 0) : Math.min(100, percent),
    percent: percent === null ? '' : `${percent} %`,
    alerts: budget.alertsReached.length === 0 ? null : budget.alertsReached.map((level) => `${level} %`).join(', '),
    forecast: budget.forecast,
    blocked: budget.blocksNewInstances ? 'New instances are paused until next month.' : null,
    over: budget.alertsReached.includes(100),
  };
}

const EXPIRY_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Said only when some credit is promotional or expires: a plain paid balance needs no split. */
function creditLines(credit: WidgetResponseDto['credit']): Pick<WidgetView, 'creditSplit' | 'creditExpiry'> {
  const promotional = credit.promotional.credits !== '0';
  return {
    creditSplit:
      promotional || credit.nextExpiry
        ? `Paid ${credit.paid.formatted} · promotional ${credit.promotional.formatted}`
        : null,
    creditExpiry: credit.nextExpiry
      ? `${credit.nextExpiry.amount.formatted} expires on ${EXPIRY_DATE.format(new Date(credit.nextExpiry.at))} (UTC)`
      : null,
  };
}
