/** Headless Chromium (Debian's) driven by Playwright, with the flags that work on this machine as root. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from './setup';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  // Clipboard access for copy buttons.
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
  return ctx.newPage();
}
