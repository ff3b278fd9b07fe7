import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Beside this file under ts-node / jest (src/…) and after the build (dist/src/…, copied by scripts/copy-assets.js). */
const TEMPLATE_DIR = join(__dirname, 'templates');
const PARTIAL_DIR = join(TEMPLATE_DIR, 'partials');

export const PANEL_PAGES = [
  'sign-in',
  'message',
  'dashboard',
  'wizard',
  'usage',
  'admin',
  'admin-rules',
  'admin-counters',
  'top-up',
  'budget',
  'statements',
  'statement',
  'auto-top-up',
  'admin-account',
  'admin-promo-codes',
] as const;
export type PanelPage = (typeof PANEL_PAGES)[number];

const hbsFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.hbs'));

/**
 * Renders the demo host's pages from the .hbs files in ./templates, each inside the `layout` partial. One
 * isolated Handlebars instance, so these helpers and partials never meet the plugin's email templates; every
 * template is compiled once, in strict mode, so a view model missing a field fails in the tests rather than
 * showing a blank on the page.
 */
@Injectable()
export class PanelRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly pages: Record<PanelPage, Handlebars.TemplateDelegate>;

  constructor() {
    const options = { strict: true };
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    for (const file of hbsFiles(PARTIAL_DIR)) {
      const source = readFileSync(join(PARTIAL_DIR, file), 'utf8');
      // Registered compiled, so a partial is compiled once rather than on every render that uses it.
      this.handlebars.registerPartial(basename(file, '.hbs'), this.handlebars.compile(source, options));
    }
    const entries = PANEL_PAGES.map((page) => {
      const source = readFileSync(join(TEMPLATE_DIR, `${page}.hbs`), 'utf8');
      return [page, this.handlebars.compile(source, options)] as const;
    });
    this.pages = Object.fromEntries(entries) as PanelRenderer['pages'];
  }

  render(page: PanelPage, context: object): string {
    const template = this.pages[page];
    if (!template) throw new RangeError(`unknown page "${page}"`);
    return template(context);
  }
}
