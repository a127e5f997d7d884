import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core, as `.ci/run` installs it. Missing chromium skips the
 * browser tests on a workstation (said loudly) and fails them under CI=true.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_BROWSER = !HAVE_CHROMIUM && process.env.CI !== 'true';
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/ui');

if (SKIP_BROWSER) process.stderr.write(`\n!!! Browser tests SKIPPED: no chromium at ${CHROMIUM} (apt-get install chromium). Under CI=true they fail.\n\n`);

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', '--mute-audio',
];

export interface BrowserSession {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<BrowserSession> {
  if (!HAVE_CHROMIUM) throw new Error(`No chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium)`);
  // launch() gives every browser a fresh user-data-dir of its own (and removes it on close).
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  return { browser, close: () => browser.close() };
}

/** What a page did that it must not: a dialog, a request off its own origin, a CSP violation, an uncaught error. */
export interface Watch {
  dialogs: string[];
  foreignRequests: string[];
  cspViolations: string[];
  pageErrors: string[];
}

export async function watchedContext(browser: Browser, origin: string, headers: Record<string, string>): Promise<{ context: BrowserContext; watch: Watch }> {
  const watch: Watch = { dialogs: [], foreignRequests: [], cspViolations: [], pageErrors: [] };
  const context = await browser.newContext({ extraHTTPHeaders: headers, viewport: { width: 1280, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    watch.foreignRequests.push(url);
    return route.abort();
  });
  context.on('page', (page) => observe(page, watch));
  return { context, watch };
}

function observe(page: Page, watch: Watch): void {
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => watch.pageErrors.push(err.message));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) watch.cspViolations.push(message.text());
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}
