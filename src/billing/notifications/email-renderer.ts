import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderedMessage } from '../../host/ports';
import { EMAIL_KINDS, EmailContext, EmailKind } from './email-kind';

/** Beside this file under ts-node / jest (src/…) and after the build (dist/src/…, copied by scripts/copy-assets.js). */
const TEMPLATE_DIR = join(__dirname, 'templates');

type Template = Handlebars.TemplateDelegate<Required<EmailContext>>;

/** "a", "a and b", "a, b and c": how instance names read in a sentence. */
function nameList(names: unknown): string {
  if (!Array.isArray(names)) throw new TypeError('nameList expects an array of names');
  const all = names.map(String);
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}

/**
 * Renders the threshold emails from the .hbs files in ./templates: for each kind a subject, a plain-text
 * body and an HTML body (escaped), each inside a shared layout. One isolated Handlebars instance, so the
 * helpers and partials here never meet a host's; every template is compiled once, in strict mode, so a
 * context missing a field fails loudly instead of sending an email with a blank in it.
 */
@Injectable()
export class EmailRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly templates: Record<EmailKind, Record<'subject' | 'text' | 'html', Template>>;

  constructor() {
    const load = (name: string) => readFileSync(join(TEMPLATE_DIR, `${name}.hbs`), 'utf8');
    // Subject and text are plain text: HTML-escaping them would put "&amp;" in front of the reader.
    const plain = { strict: true, noEscape: true };
    const html = { strict: true };
    this.handlebars.registerHelper('nameList', nameList);
    // Registered compiled, so a layout is compiled once rather than on every render that uses it.
    this.handlebars.registerPartial('textLayout', this.handlebars.compile(load('layout.text'), plain));
    this.handlebars.registerPartial('htmlLayout', this.handlebars.compile(load('layout.html'), html));
    const entries = EMAIL_KINDS.map((kind) => {
      const compiled = {
        subject: this.handlebars.compile<Required<EmailContext>>(load(`${kind}.subject`), plain),
        text: this.handlebars.compile<Required<EmailContext>>(load(`${kind}.text`), plain),
        html: this.handlebars.compile<Required<EmailContext>>(load(`${kind}.html`), html),
      };
      return [kind, compiled] as const;
    });
    this.templates = Object.fromEntries(entries) as EmailRenderer['templates'];
  }

  render(kind: EmailKind, context: EmailContext): RenderedMessage {
    const templates = this.templates[kind];
    if (!templates) throw new RangeError(`unknown email kind "${kind}"`);
    if (kind.startsWith('budget-') && !context.budget) throw new TypeError(`a ${kind} email needs its budget`);
    const full = normalize(context);
    return {
      // One line, whatever a display name contains: a line break in a subject would be a header injection.
      subject: templates.subject(full).replace(/\s+/g, ' ').trim(),
      text: tidyText(templates.text(full)),
      html: templates.html(full).trim(),
    };
  }
}

/** Strict mode refuses missing fields, so the optional ones are made explicit and the others checked. */
function normalize(context: EmailContext): Required<EmailContext> {
  for (const field of ['displayName', 'balance', 'threshold'] as const) {
    if (typeof context[field] !== 'string') throw new TypeError(`an email needs ${field} as a string`);
  }
  const topUpUrl = context.topUpUrl ?? null;
  // A link in an email must be absolute, and only a web link belongs behind "Top up".
  if (topUpUrl !== null && !/^https?:\/\//i.test(topUpUrl)) {
    throw new RangeError(`topUpUrl must be an absolute http(s) URL (got "${topUpUrl}")`);
  }
  return {
    displayName: context.displayName,
    balance: context.balance,
    threshold: context.threshold,
    runway: context.runway ?? null,
    topUpUrl,
    instanceNames: context.instanceNames ?? [],
    budget: context.budget ?? null,
    amount: context.amount ?? null,
    reason: context.reason ?? null,
  };
}

/** Template whitespace leaves trailing spaces and runs of blank lines; a mail reader shows them as-is. */
function tidyText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
