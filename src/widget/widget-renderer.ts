import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WidgetView } from './widget-view';

/** Beside this file under ts-node / jest (src/…) and after the build (dist/src/…, copied by scripts/copy-assets.js). */
const TEMPLATE = join(__dirname, 'templates', 'widget.html.hbs');

/**
 * Renders the widget fragment. Its own Handlebars instance, so nothing registered here meets a host's; compiled
 * once, in strict mode, so a view missing a field fails the request rather than showing a blank; and escaped,
 * since instance names are whatever their owners typed.
 */
@Injectable()
export class WidgetRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly template: Handlebars.TemplateDelegate<WidgetView>;

  constructor() {
    this.template = this.handlebars.compile<WidgetView>(readFileSync(TEMPLATE, 'utf8'), { strict: true });
  }

  render(view: WidgetView): string {
    return `${this.template(view).trim()}\n`;
  }
}
