import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { createDemoApp } from '../../../src/demo/create-demo-app';

/** Debian's Chromium (CI installs it); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = join(__dirname, '..', 'screenshots');
/** With DOCS_SCREENSHOTS=1 the README's pictures in docs/ are taken again. */
export const DOCS_DIR = join(__dirname, '..', '..', '..', 'docs');
export const UPDATE_DOCS = process.env.DOCS_SCREENSHOTS === '1';

/** A Monday in March, so the report shows a month that has days behind it and days to come. */
export const BROWSER_CLOCK_START = new Date('2026-03-10T09:00:00Z');

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

/** `describe` when Chromium is there; otherwise the suite is skipped and says why. */
export function describeInChromium(name: string, body: () => void): void {
  if (chromiumAvailable) return describe(name, body);
  // Straight to stderr: jest shows no console output for a file whose tests all skip.
  process.stderr.write(
    `[browser tests] "${name}" skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)\n`,
  );
  describe.skip(name, body);
}

export interface Harness {
  app: INestApplication;
  baseUrl: string;
  browser: Browser;
  /** A browser session of its own (cookies apart), phone-sized with `mobile`, without scripts with `noScript`. */
  newPage(options?: { mobile?: boolean; noScript?: boolean }): Promise<Page>;
  /** The plugin's or the demo's JSON API as `userId`, for setting a scene rather than testing it. */
  api<T = unknown>(userId: string, method: string, path: string, body?: object): Promise<T>;
  close(): Promise<void>;
}

/** The demo host as `npm start` runs it (seeded catalog, manual clock), on SQLite, on a random port. */
export async function startHarness(): Promise<Harness> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const app = await createDemoApp({
    databaseUrl: 'sqlite::memory:',
    admins: ['admin'],
    seed: true,
    manualClock: true,
    clockStart: BROWSER_CLOCK_START,
    port: 0,
  });
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const contexts: BrowserContext[] = [];
  return {
    app,
    baseUrl,
    browser,
    async newPage({ mobile = false, noScript = false } = {}) {
      const context = await browser.newContext({
        javaScriptEnabled: !noScript,
        baseURL: baseUrl,
        acceptDownloads: true,
        viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
        deviceScaleFactor: mobile ? 2 : 1,
        isMobile: mobile,
        hasTouch: mobile,
      });
      // A page that is not there fails a test in seconds, not at the 30 s default.
      context.setDefaultTimeout(5000);
      contexts.push(context);
      return context.newPage();
    },
    async api<T>(userId: string, method: string, path: string, body?: object): Promise<T> {
      const url = `${baseUrl}${path.startsWith('/demo') ? '' : '/cloud-billing'}${path}`;
      const response = await fetch(url, {
        method,
        headers: { 'x-user-id': userId, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await app.close();
    },
  };
}

/** A full-page screenshot under test/browser/screenshots/, for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Polls until `check` accepts what `read` gives (the page updates itself), or fails saying what it saw. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}

/** The visible text of the first match, once it shows `expected`. */
export function textBecomes(page: Page, selector: string, expected: string | RegExp): Promise<string> {
  const matches = (text: string) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
  return eventually(() => page.locator(selector).first().innerText(), matches, `"${selector}" to show ${expected}`);
}

/** Clicks a form's submit button and waits for the page it leads to; answers the status of the POST itself. */
export async function submitForm(page: Page, button: string): Promise<number> {
  const loaded = page.waitForEvent('domcontentloaded');
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest());
  await page.getByRole('button', { name: button, exact: true }).click();
  const response = await posted;
  await loaded;
  return response.status();
}
