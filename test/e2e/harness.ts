/**
 * What the end-to-end tests share: a code-server with the packaged .vsix installed the way a user installs it,
 * the fake provider it talks to, and a Chromium page on the workbench. Set up by test/runner/e2e.ts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { FakeProvider } from '../fake-provider/server';
import type { Trap } from './hostile';

export interface E2EEnv {
  page: Page;
  fake: FakeProvider;
  workspace: string;
  url: string;
  /** Reopen the workbench (a window reload). */
  reload(): Promise<void>;
  /** A local server that records every request: hostile content aims at it (see hostile.ts). */
  trap: Trap;
  /** code-server's user data folder (settings, global storage with the ledger). */
  userDataDir: string;
  /** Starts another workbench, with the same .vsix and fake provider, in VS Code's display language `locale`. */
  another(locale: string): Promise<SecondWorkbench>;
}

/** A workbench started beside the first one; `close` stops it. */
export interface SecondWorkbench {
  env: E2EEnv;
  close(): Promise<void>;
}

let env: E2EEnv | undefined;
export function setEnv(e: E2EEnv | undefined): void {
  env = e;
}
export function e2e(): E2EEnv {
  if (!env) throw new Error('The end-to-end environment is not set up: run the tests through test/runner/e2e.ts');
  return env;
}

/** The OpenAI key the end-to-end suites set (the fake provider takes any). */
export const OPENAI_TEST_KEY = 'sk-test-e2e-openai-0123456789';

/** What a suite needs before it sends: the extension is up (its status bar item shows) and an OpenAI key is set. */
export async function readyToSend(): Promise<void> {
  await statusBarText(e2e().page, 60_000);
  await setApiKey(e2e().page, 'OpenAI', OPENAI_TEST_KEY);
}

/** A setting's default as the extension contributes it (package.json), whether its configuration is one section or several. */
export function contributedDefault(key: string): unknown {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: unknown } };
  const sections = ([] as { properties?: Record<string, { default?: unknown }> }[]).concat(pkg.contributes.configuration as never);
  for (const s of sections) if (s.properties && key in s.properties) return s.properties[key]!.default;
  throw new Error(`package.json contributes no setting ${key}`);
}

/**
 * Replaces the text of the user settings the way a user does: "Preferences: Open User Settings (JSON)", select
 * all, paste, save, close. (The workbench does not notice the file being written behind its back.)
 */
async function editUserSettings(text: string): Promise<void> {
  const { page } = e2e();
  const file = path.join(e2e().userDataDir, 'User', 'settings.json');
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const group = page.locator('.editor-group-container.active');
  const tab = group.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).first();
  await tab.waitFor({ timeout: 15_000 });
  // Under load the first click may land before the editor takes focus: then Select All selects nothing and the
  // text goes in beside what was there. So the file is read back after each save, and the edit done again if
  // the file does not hold exactly the text.
  for (let attempt = 1; ; attempt++) {
    await group.locator('.monaco-editor .view-lines >> visible=true').first().click();
    await group.locator('.monaco-editor.focused').first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
    await page.keyboard.press('Control+S');
    await group.locator('.tabs-container .tab.dirty', { hasText: 'settings.json' }).waitFor({ state: 'detached', timeout: 15_000 });
    const held = await holds(file, text, 5_000);
    if (held === true) break;
    if (attempt === 3) throw new Error(`User settings.json does not hold the settings written into it after ${attempt} tries; it reads: ${held.slice(0, 400)}`);
  }
  await tab.click({ button: 'middle' });
  await page.locator('.tabs-container .tab', { hasText: 'settings.json' }).first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** Whether `file` holds the same settings as `text` (the editor may lay out white space its own way), checked until
 * `ms` have passed, since the save reaches the disk a moment after the tab is clean; else what the file holds. */
async function holds(file: string, text: string, ms: number): Promise<true | string> {
  const want: unknown = JSON.parse(text);
  const deadline = Date.now() + ms;
  for (;;) {
    const now = readFileSync(file, 'utf8');
    try {
      assert.deepStrictEqual(JSON.parse(now), want);
      return true;
    } catch {
      if (Date.now() > deadline) return now;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Hovers the Tierwise status bar item and returns its tooltip's text once it shows `hasText` ('' when it does not
 * within `ms`). The mouse leaves first (after Escape, unless `escape` is false: it would drop an editor's
 * selection), so a hover already open is shown afresh.
 */
export async function statusBarTooltip(hasText = 'Tierwise', ms = 3000, escape = true): Promise<string> {
  const { page } = e2e();
  if (escape) await page.keyboard.press('Escape');
  await page.mouse.move(0, 0);
  await page.locator('[id^="tierwise.tierwise"]').first().hover();
  const hover = page.locator('.monaco-hover', { hasText }).first();
  try {
    await hover.waitFor({ timeout: ms });
    return await hover.innerText();
  } catch {
    return '';
  }
}

/**
 * Adds `patch` to the user settings (User/settings.json, edited as a user does) and waits until `applied()` holds,
 * so the extension host has read them; returns what puts them back and waits until `restored()` holds. A suite's
 * settings thus never reach the suites after it, whatever their order.
 */
export async function withUserSettings(
  patch: Record<string, unknown>,
  applied: () => Promise<boolean>,
  restored: () => Promise<boolean>,
): Promise<() => Promise<void>> {
  const file = path.join(e2e().userDataDir, 'User', 'settings.json');
  const before = readFileSync(file, 'utf8');
  await editUserSettings(JSON.stringify({ ...(JSON.parse(before) as Record<string, unknown>), ...patch }, null, 2));
  await until('the user settings to reach the extension', applied, 30_000);
  return async () => {
    await editUserSettings(before);
    await until('the user settings to be put back', restored, 30_000);
  };
}

/** Check `cond` until it holds (it may take a while itself: each check is a look at the workbench), or fail. */
export async function until(what: string, cond: () => Promise<boolean>, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/**
 * The labels "Run Task on Selection…" offers for the filter `query` (it needs an editor with a selection), read once
 * the filtered list shows `shown`, a task that matches it and is always there. The list is virtual: only a
 * filter short enough to fit its view shows every match.
 */
export async function taskLabels(query: string, shown: string): Promise<string[]> {
  const { page } = e2e();
  await runCommand(page, 'Tierwise: Run Task on Selection…');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(query);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: shown }).first().waitFor({ timeout: 15_000 });
  const labels = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  await page.keyboard.press('Escape');
  return labels.map((l) => l.trim());
}

/** The number of answers in the answer panel (0 when it is not open). */
export async function answerCount(): Promise<number> {
  for (const f of e2e().page.frames()) {
    try {
      if (await f.$('article.answer, .answers')) return await f.locator('article.answer').count();
    } catch {
      /* frame detached */
    }
  }
  return 0;
}

export const screenshotDir = path.resolve(__dirname, '..', '..', 'test-results', 'screenshots');

export async function screenshot(name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await e2e().page.screenshot({ path: file });
  return file;
}

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
}

/** Run a command from the palette by its title, as a user does. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Titles the palette lists for a query. */
export async function paletteEntries(page: Page, query: string): Promise<string[]> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${query}`);
  await page.waitForTimeout(500);
  const rows = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  await page.keyboard.press('Escape');
  return rows.map((r) => r.trim());
}

export async function openFile(page: Page, relPath: string): Promise<void> {
  await page.keyboard.press('Escape');
  // Open it from the Explorer, as a user would; the keyboard may be inside a webview.
  const tab = path.basename(relPath);
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: tab }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: tab }).first().waitFor({ timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines >> visible=true').first().waitFor({ timeout: 15_000 });
}

/** Focus the visible text editor and select everything in it. */
export async function selectAll(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines >> visible=true').first().click();
  await page.keyboard.press('Control+A');
}

/** "Tierwise: Set API Key…" the way a user runs it: palette, provider pick, password box. */
export async function setApiKey(page: Page, providerLabel: string, key: string): Promise<void> {
  await runCommand(page, 'Tierwise: Set API Key…');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: providerLabel }).first().waitFor({ timeout: 15_000 });
  await input.fill(providerLabel);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget input[type="password"]').waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.quick-input-widget input[type="password"]').fill(key);
  await page.keyboard.press('Enter');
  await page.locator('.notifications-toasts', { hasText: 'saved' }).first().waitFor({ timeout: 15_000 });
}

/** The Tierwise status bar item's text, once it shows. */
export async function statusBarText(page: Page, timeout = 30_000): Promise<string> {
  const item = page.locator('.statusbar-item[id^="tierwise.tierwise"]').first();
  await item.waitFor({ state: 'visible', timeout });
  return (await item.innerText()).trim();
}

/** Find the frame of a webview whose document contains `selector` (webviews sit in nested iframes). */
export async function webviewFrame(page: Page, selector: string, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        if (await f.$(selector)) return f;
      } catch {
        /* frame detached */
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame with ${selector} within ${timeout} ms`);
}
