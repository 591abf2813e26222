import assert from 'node:assert/strict';
import { e2e, openFile, readyToSend, runCommand, screenshot, selectAll, statusBarText, statusBarTooltip, until, webviewFrame, withUserSettings } from './harness';

const tooltip = (ms?: number): Promise<string> => statusBarTooltip('Tierwise', ms);

describe('A retired tier model, as a user meets it', () => {
  let restore: (() => Promise<void>) | undefined;
  /** The tooltip as it first showed the retired model (screenshot taken then, with the hover open). */
  let tip = '';
  before(async () => {
    await readyToSend();
    await statusBarText(e2e().page);
    // A user setting from before OpenAI retired o4-mini (2026-10-23).
    restore = await withUserSettings(
      { 'tierwise.tiers.openai.medium': 'o4-mini' },
      async () => {
        const t = await tooltip();
        if (!t.includes('o4-mini was retired')) return false;
        tip = t;
        await screenshot('14-retired-model-tooltip');
        return true;
      },
      async () => true,
    );
  });
  after(async () => {
    await restore?.();
  });

  it('the status bar tooltip names it as retired, with Switch; Explain asks before sending, and Switch sends to the current model', async () => {
    const { page, fake } = e2e();
    assert.match(tip, /medium tier: o4-mini was retired by OpenAI on 2026-10-23: requests to it fail\. Tierwise's current medium model is gpt-6\.1-sol\./);
    assert.match(tip, /Switch to gpt-6\.1-sol/);
    await page.keyboard.press('Escape');
    await page.mouse.move(0, 0);

    fake.reset();
    await openFile(page, 'sample.ts');
    await selectAll(page);
    await runCommand(page, 'Tierwise: Explain Selection');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'o4-mini was retired' }).first();
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /Nothing has been sent yet\./);
    await screenshot('14b-retired-model-dialog');
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'nothing sent while asking');
    await dialog.locator('.monaco-button', { hasText: 'Switch to gpt-6.1-sol' }).first().click();

    const frame = await webviewFrame(page, 'article.answer', 30_000);
    const answer = frame.locator('article.answer[data-state="done"]', { has: frame.locator('.answer-route', { hasText: 'gpt-6.1-sol' }) }).first();
    await answer.waitFor({ timeout: 30_000 });
    await until('the request to reach the fake', async () => fake.requests.some((r) => r.path.endsWith('/chat/completions')), 15_000);
    assert.deepEqual(
      fake.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => (r.body as { model: string }).model),
      ['gpt-6.1-sol'],
    );
    await screenshot('14c-switched-answer');
  });
});
