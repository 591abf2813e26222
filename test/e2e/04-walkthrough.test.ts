/**
 * The walkthrough, followed as a new user does on a fresh user-data folder: every step is completed through its own
 * button, against the fake provider. Fails if any step cannot be completed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from '../runner/browser';
import { startCodeServer, type CodeServer } from '../runner/codeServer';
import { fixtureWorkspace } from '../runner/setup';
import { fakeProviderSettings } from '../runner/settings';
import { e2e, screenshotDir, waitForWorkbench, webviewFrame } from './harness';

const root = path.resolve(__dirname, '..', '..');
const STEPS = ['chooseProvider', 'setKey', 'tryAction', 'samplePrompt', 'costReport'] as const;

describe('Walkthrough on a fresh user-data folder', function () {
  this.timeout(300_000);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;

  before(async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    workspace = fixtureWorkspace('tierwise-e2e-walk-');
    server = await startCodeServer({ workspace, installVsix: [path.join(root, `tierwise-${version}.vsix`)], settings: { ...fakeProviderSettings(e2e().fake), 'tierwise.batch.pollSeconds': 1 } });
    browser = await launchBrowser();
    page = await newPage(browser);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(`failed-walkthrough-${this.currentTest.title.replace(/[^\w]+/g, '-').slice(0, 40)}`).catch(() => undefined);
  });

  async function shot(name: string): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    await page.mouse.move(700, 700); // no hover tooltip over the picture
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  }

  /** The palette through the command centre: the keyboard may be inside the walkthrough's media frame. */
  async function palette(title: string): Promise<void> {
    const input = page.locator('.quick-input-widget input');
    // A click on the command centre while a quick input is closing can leave it hidden: try again.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.locator('.command-center-center').first().click();
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
  }

  async function openWalkthrough(): Promise<void> {
    // Already open and in front: its steps show. (VS Code 1.104 titles the walkthrough's tab "Welcome".)
    if (await page.locator('.getting-started-step[data-step-id$="#chooseProvider"]').first().isVisible()) return;
    const tab = page.locator('.tabs-container .tab', { hasText: /Walkthrough: Tierwise|Welcome/ }).first();
    if (await tab.count()) {
      await tab.click();
      await page.locator('.getting-started-step').first().waitFor({ timeout: 15_000 });
      return;
    }
    await palette('Welcome: Open Walkthrough...');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Tierwise' }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.locator('.getting-started-step').first().waitFor({ timeout: 15_000 });
  }

  const step = (id: string) => page.locator(`.getting-started-step[data-step-id$="#${id}"]`).first();

  async function openStep(id: string): Promise<void> {
    await openWalkthrough();
    await step(id).click();
    await page.waitForTimeout(300);
  }

  async function clickButton(label: string): Promise<void> {
    const b = page.locator('.getting-started-step.expanded').getByRole('button', { name: label }).first();
    await b.waitFor({ timeout: 10_000 });
    await b.click();
  }

  async function completed(): Promise<string[]> {
    await openWalkthrough();
    const done: string[] = [];
    // A done step shows a ticked check box (the "checked" icon, aria-checked), whatever the step is scrolled to.
    for (const id of STEPS) if ((await step(id).locator('[aria-checked="true"], [class*="item-checked"], .codicon-pass-filled').count()) > 0) done.push(id);
    return done;
  }

  async function waitComplete(id: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if ((await completed()).includes(id)) return;
      if (Date.now() > deadline) throw new Error(`the walkthrough step "${id}" did not complete`);
      await page.waitForTimeout(500);
    }
  }

  it('lists five steps, none done yet', async () => {
    await openWalkthrough();
    for (const id of STEPS) await step(id).waitFor({ timeout: 10_000 });
    assert.deepEqual(await completed(), []);
    await shot('10-walkthrough');
  });

  it('1. choose a provider', async () => {
    await openStep('chooseProvider');
    await clickButton('Choose Provider');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('OpenAI');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await waitComplete('chooseProvider');
  });

  it('2. set its key', async () => {
    await openStep('setKey');
    await clickButton('Set API Key');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI' }).first().waitFor({ timeout: 15_000 });
    await input.fill('OpenAI');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input[type="password"]').waitFor({ state: 'visible', timeout: 15_000 });
    const password = page.locator('.quick-input-widget input[type="password"]');
    await password.fill('sk-test-e2e-walkthrough-0123456789');
    await page.keyboard.press('Enter');
    // The key box takes Enter once its input is read; a busy machine can drop an early one.
    await password.waitFor({ state: 'hidden', timeout: 3_000 }).catch(async () => {
      await password.press('Enter');
      await password.waitFor({ state: 'hidden', timeout: 10_000 });
    });
    await waitComplete('setKey');
  });

  it('3. try an action on a selection: the answer streams from the fake provider', async () => {
    const { fake } = e2e();
    await openStep('tryAction');
    await clickButton('Explain a Sample');
    const frame = await webviewFrame(page, 'article.answer', 30_000);
    await frame.locator('article.answer[data-state="done"]').first().waitFor({ timeout: 30_000 });
    assert.ok(fake.requests.some((r) => r.path.endsWith('/chat/completions') && r.headers.authorization === 'Bearer sk-test-e2e-walkthrough-0123456789'), 'the request reached the fake with the key set in step 2');
    await waitComplete('tryAction');
  });

  it('4. open a sample prompt file', async () => {
    await openStep('samplePrompt');
    await clickButton('Open Sample Prompt');
    await page.locator('.codelens-decoration a', { hasText: /Run/ }).first().waitFor({ timeout: 30_000 });
    await waitComplete('samplePrompt');
  });

  it('5. look at the cost report', async () => {
    await openStep('costReport');
    await clickButton('Show Cost Report');
    await webviewFrame(page, 'svg', 30_000);
    await waitComplete('costReport');
    assert.deepEqual(await completed(), [...STEPS], 'every step is done');
    await shot('11-walkthrough-done');
  });

  it('a batch of three lines comes back as one answer at batch prices', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.md' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'notes.md' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.editor-instance .monaco-editor .view-lines >> visible=true').first().click();
    await page.keyboard.press('Control+A');
    await palette('Tierwise: Run Task as Batch (Half Price)…');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'One item per non-empty line' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Extract keywords' }).first().waitFor({ timeout: 15_000 });
    await input.fill('Extract keywords');
    await page.keyboard.press('Enter');
    const frame = await webviewFrame(page, 'article.answer', 30_000);
    const batch = frame.locator('article.answer', { hasText: 'Batch: Extract keywords' }).first();
    await batch.waitFor({ timeout: 60_000 });
    await frame.locator('article.answer[data-state="done"]', { hasText: 'Batch: Extract keywords' }).first().waitFor({ timeout: 60_000 });
    assert.match(await batch.innerText(), /Batch price/);
    await shot('13-batch');
  });

  it('Check Setup shows each provider with a fix for each problem', async () => {
    await palette('Tierwise: Check Setup');
    const frame = await webviewFrame(page, 'section h2', 30_000);
    const text = await frame.locator('body').innerText();
    assert.match(text, /OpenAI/);
    assert.match(text, /One call of max_tokens 1 on gpt-6-luna: \d+ ms/);
    await shot('12-check-setup');
  });
});
