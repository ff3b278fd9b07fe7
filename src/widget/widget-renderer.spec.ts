import { ACCOUNT_STATUSES } from '../accounts/account-status';
import type { Money } from '../common/money';
import { WidgetRenderer } from './widget-renderer';
import { STATUS_TEXT, widgetView, WidgetView } from './widget-view';
import type { WidgetResponseDto } from './widget.dto';

const money = (formatted: string): Money => ({ credits: '0', amount: '0', currency: 'USD', formatted });

const widget = (overrides: Partial<WidgetResponseDto> = {}): WidgetResponseDto => ({
  month: '2026-03',
  currency: 'USD',
  balance: money('$12.00'),
  credit: { paid: { ...money('$12.00'), credits: '12' }, promotional: money('$0.00'), nextExpiry: null },
  monthToDate: money('$3.00'),
  burnRatePerHour: money('$0.04'),
  burnRateParts: { instances: money('$0.04'), rules: money('$0'), counters: money('$0') },
  burnRateNote: null,
  runwayHours: 300,
  runway: 'about 13 days left',
  status: 'ok',
  largestCosts: [{ instanceId: 'vm-1', name: '<b>web</b>', plan: 'Small & Co', cost: money('$3.00') }],
  links: { usage: '/panel/usage', topUp: '/panel/top-up' },
  budget: null,
  ...overrides,
});

describe('WidgetRenderer', () => {
  const renderer = new WidgetRenderer();

  it.each(ACCOUNT_STATUSES)('shows the %s status in colour and in words', (status) => {
    const html = renderer.render(widgetView(widget({ status })));
    expect(html).toContain(`class="cbw cbw--${status}"`);
    expect(html).toContain(`cbw-status--${status}`);
    expect(html).toContain(`</span>${STATUS_TEXT[status].label}`);
    expect(html).toContain(STATUS_TEXT[status].hint);
  });

  it('shows paid and promotional credit apart, and what expires next, only when there is some', () => {
    expect(renderer.render(widgetView(widget()))).not.toContain('promotional');
    const credit = {
      paid: money('$8.00'),
      promotional: { ...money('$4.00'), credits: '400' },
      nextExpiry: { amount: money('$4.00'), at: '2026-04-09T12:00:00.000Z' },
    };
    const html = renderer.render(widgetView(widget({ credit })));
    expect(html).toContain('Paid $8.00 · promotional $4.00<br>$4.00 expires on 9 April 2026 (UTC)');
  });

  it('escapes names and says what it shows when nothing burns credit', () => {
    const html = renderer.render(widgetView(widget({ runway: null, runwayHours: null })));
    expect(html).toContain('&lt;b&gt;web&lt;/b&gt;');
    expect(html).toContain('Small &amp; Co');
    expect(html).toContain('<dd>Nothing is billed by the hour</dd>');
    expect(html).toContain('<dt>Spent in March 2026</dt><dd>$3.00</dd>');
  });

  it('says when part of the burn rate is an estimate, and nothing when none is', () => {
    const note = "Counters' future use is unknown: estimated from the last 24 hours at $0.01 per hour.";
    expect(renderer.render(widgetView(widget({ burnRateNote: note })))).toContain(
      '<p class="cbw-note">Counters&#x27; future use is unknown: estimated from the last 24 hours at $0.01 per hour.</p>',
    );
    expect(renderer.render(widgetView(widget()))).not.toContain('cbw-note">');
  });

  it('leaves out the cost list when the month has none', () => {
    const html = renderer.render(widgetView(widget({ largestCosts: [] })));
    expect(html).not.toContain('Largest costs');
  });

  it('refuses a view with a missing field instead of rendering a blank (strict mode)', () => {
    const { balance: _balance, ...incomplete } = widgetView(widget());
    expect(() => renderer.render(incomplete as WidgetView)).toThrow(/balance/);
  });

  it('shows the budget: spend of budget, the alerts reached and the forecast', () => {
    const budget = {
      budget: money('$10.00'),
      spent: money('$8.25'),
      percentUsed: 82.5,
      alertsReached: [50, 80],
      forecast: 'At this rate you will reach your budget on the 24th.',
      action: 'block-new' as const,
      blocksNewInstances: false,
    };
    const html = renderer.render(widgetView(widget({ budget })));
    expect(html).toContain('<strong>$8.25 of $10.00</strong> 82.5 %');
    expect(html).toContain('style="width: 82.5%"');
    expect(html).toContain('Alerts reached this month: 50 %, 80 %');
    expect(html).toContain('At this rate you will reach your budget on the 24th.');
    expect(html).not.toContain('paused until next month');
    const over = renderer.render(
      widgetView(
        widget({
          budget: {
            ...budget,
            percentUsed: 130,
            alertsReached: [50, 80, 100],
            forecast: null,
            blocksNewInstances: true,
          },
        }),
      ),
    );
    expect(over).toContain('style="width: 100%"');
    expect(over).toContain('cbw-budget--over');
    expect(over).toContain('New instances are paused until next month.');
    expect(renderer.render(widgetView(widget()))).not.toContain('Monthly budget');
  });
});
