import { EMAIL_KINDS, EmailContext } from './email-kind';
import { EmailRenderer } from './email-renderer';

const context: EmailContext = {
  displayName: 'Ada',
  balance: '$1.25',
  threshold: '$2.00',
  runway: 'about 5 hours',
  topUpUrl: 'https://panel.example/top-up?from=email&x=1',
  instanceNames: ['web-1', 'db-1'],
  budget: {
    month: 'March 2026',
    budget: '$50.00',
    spent: '$40.00',
    level: 80,
    actionSentence: null,
    forecast: 'At this rate you will reach your budget on the 24th.',
  },
  amount: '$10.00',
};

describe('EmailRenderer', () => {
  const renderer = new EmailRenderer();

  it.each(EMAIL_KINDS)('%s: subject, text and html carry the balance, runway and top-up link', (kind) => {
    const message = renderer.render(kind, context);
    expect(message.subject.length).toBeGreaterThan(10);
    expect(message.subject).not.toMatch(/\n/);
    for (const body of [message.text, message.html]) {
      expect(body).toContain('Hello Ada,');
      expect(body).toContain('$1.25');
      expect(body).toContain('about 5 hours');
    }
    expect(message.text).toContain('https://panel.example/top-up?from=email&x=1');
    // Handlebars escapes "=" as well as "&"; a mail client decodes both back to the link.
    expect(message.html).toContain('href="https://panel.example/top-up?from&#x3D;email&amp;x&#x3D;1"');
    expect(message.text).not.toMatch(/\n{3,}|[ \t]\n/);
  });

  it('says what each email is about', () => {
    const subjects = Object.fromEntries(EMAIL_KINDS.map((kind) => [kind, renderer.render(kind, context).subject]));
    expect(subjects).toEqual({
      'low-balance': 'Your balance is low: $1.25',
      'negative-balance': 'Your balance is negative: $1.25',
      'runway-warning': 'Your credit runs out in about 5 hours',
      suspended: 'Your instances have been suspended',
      unsuspended: 'Your instances are running again',
      terminated: 'Your instances have been terminated',
      'budget-alert': 'You have used 80% of your budget for March 2026',
      'budget-forecast': 'You are on course to reach your budget for March 2026',
      'auto-top-up-failed': 'Your automatic top-up of $10.00 failed',
    });
    expect(renderer.render('low-balance', context).text).toContain('low-balance threshold of $2.00');
    expect(renderer.render('suspended', context).text).toContain('suspended your instances: web-1 and db-1.');
    expect(renderer.render('terminated', context).html).toMatch(/<li>web-1<\/li>\s*<li>db-1<\/li>/);
  });

  it('escapes the display name in HTML and keeps it verbatim in the text', () => {
    const message = renderer.render('low-balance', { ...context, displayName: '<script>alert("x")</script> & Co' });
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(message.text).toContain('Hello <script>alert("x")</script> & Co,');
  });

  it('escapes instance names in HTML', () => {
    const message = renderer.render('suspended', { ...context, instanceNames: ['<b>evil</b>'] });
    expect(message.html).toContain('<li>&lt;b&gt;evil&lt;/b&gt;</li>');
    expect(message.text).toContain('your instances: <b>evil</b>.');
  });

  it('keeps a subject on one line whatever the context holds', () => {
    const message = renderer.render('low-balance', { ...context, balance: '$1\r\nBcc: victim@example.com' });
    expect(message.subject).toBe('Your balance is low: $1 Bcc: victim@example.com');
  });

  it('leaves out the runway and the link when there are none', () => {
    const message = renderer.render('negative-balance', {
      displayName: 'Ada',
      balance: '-$0.50',
      threshold: '$0.00',
      runway: null,
    });
    expect(message.text).not.toMatch(/lasts|Top up your account/);
    expect(message.html).not.toMatch(/lasts|href=/);
    expect(message.text).toBe(
      [
        'Hello Ada,',
        '',
        'Your balance is -$0.50, at or below the negative-balance threshold of $0.00.',
        'Top up now: once it falls below the suspension threshold, your instances are suspended.',
        '',
        'Your balance: -$0.50',
      ].join('\n'),
    );
    expect(renderer.render('runway-warning', { ...context, runway: null }).subject).toBe('Your credit runs out soon');
    // The warning says the runway in its own words; the layout does not repeat it.
    const warning = renderer.render('runway-warning', context);
    expect(warning.text.match(/about 5 hours/g)).toHaveLength(1);
    expect(warning.html.match(/about 5 hours/g)).toHaveLength(1);
    expect(renderer.render('low-balance', context).text).toContain(
      'At your current usage, your credit lasts about 5 hours.',
    );
  });

  it('refuses a context with a field missing rather than sending a blank', () => {
    const incomplete = { displayName: 'Ada', balance: '$1', runway: null } as unknown as EmailContext;
    expect(() => renderer.render('low-balance', incomplete)).toThrow(/threshold/);
  });

  it('refuses a top-up link that is not an absolute web URL', () => {
    expect(() => renderer.render('low-balance', { ...context, topUpUrl: 'javascript:alert(1)' })).toThrow(/topUpUrl/);
  });

  it('keeps its helpers and partials to itself', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const global = require('handlebars') as typeof import('handlebars');
    expect(global.helpers.nameList).toBeUndefined();
    expect(global.partials.textLayout).toBeUndefined();
  });
});
