// Debian's chromium driven by playwright-core for the console's browser tests: one browser per file, a fresh context
// per page (1280x800, UTC, light unless asked), and every console error, page error and CSP violation recorded so a
// test can assert there were none. A missing chromium is a failure, never a skip.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { requireExecutable } from './run-process';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface ConsoleBrowser {
  /** Opens `/_emulator/console/<hash>` in a new context and waits for the page's first heading. */
  open(hash: string, options?: BrowserContextOptions): Promise<Page>;
  /** A console error matching `pattern` is expected (a 404 the page shows as an alert): it is not a problem. */
  allowConsoleError(pattern: RegExp): void;
  /** What went wrong on any page so far: console errors, uncaught page errors, CSP violations. */
  problems(): string[];
  close(): Promise<void>;
}

/** The page and its library must be served before a browser can show anything: say plainly when they are not. */
async function expectConsoleServed(endpoint: string): Promise<void> {
  for (const file of ['', 'app.js', 'vendor/htm-preact.js']) {
    const response = await fetch(`${endpoint}/_emulator/console/${file}`);
    if (response.status !== 200) throw new Error(`GET /_emulator/console/${file} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
}

/** Launches chromium headless; throws when /usr/bin/chromium is not installed or the console is not served. */
export async function launchConsoleBrowser(endpoint: string): Promise<ConsoleBrowser> {
  requireExecutable(CHROMIUM_PATH);
  await expectConsoleServed(endpoint);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  return {
    async open(hash, options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'en-GB', colorScheme: 'light', ...options });
      // The CSP's own report: a securitypolicyviolation event for anything the policy blocked (inline style, script).
      await context.exposeBinding('reportCspViolation', (_source, text: string) => problems.push(`CSP violation: ${text}`));
      await context.addInitScript({
        content: "document.addEventListener('securitypolicyviolation', (event) => window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`));",
      });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error' && !allowed.some((pattern) => pattern.test(message.text()))) problems.push(`console error on ${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
      await page.goto(`${endpoint}/_emulator/console/${hash}`);
      await page.locator('h1').first().waitFor();
      return page;
    },
    allowConsoleError(pattern) {
      allowed.push(pattern);
    },
    problems: () => [...problems],
    close: () => browser.close(),
  };
}

/** A full-page PNG larger than this is saved as its viewport instead: the copies stay small enough for a README. */
const MAX_FULL_PAGE_BYTES = 200 * 1024;

/**
 * Saves a screenshot of the page into `directory/<name>.png`, and with `alsoInto` the same PNG there too (the copies
 * the README shows): the full page when its PNG is at most 200 KiB, else the viewport (1280x800) from the top. With
 * `isFullPage: false`, always the viewport as it is (a modal dialog covers only that).
 */
export async function saveScreenshot(page: Page, directory: string, name: string, alsoInto?: string, options: { isFullPage?: boolean } = {}): Promise<void> {
  let png: Buffer;
  if (options.isFullPage === false) png = await page.screenshot();
  else {
    png = await page.screenshot({ fullPage: true });
    if (png.length > MAX_FULL_PAGE_BYTES) {
      await page.evaluate('window.scrollTo(0, 0)');
      png = await page.screenshot();
    }
  }
  for (const target of alsoInto === undefined ? [directory] : [directory, alsoInto]) {
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, `${name}.png`), png);
  }
}
