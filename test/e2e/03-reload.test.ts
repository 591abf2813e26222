import assert from 'node:assert/strict';
import { e2e, screenshot, webviewFrame } from './harness';

describe('Window reload', () => {
  it('the answer panel comes back with its answers', async () => {
    const { page } = e2e();
    const before = await (await webviewFrame(page, 'article.answer')).locator('article.answer').count();
    assert.ok(before > 0, 'earlier tests left answers in the panel');
    const titles = await (await webviewFrame(page, 'article.answer')).locator('article.answer .answer-title').allInnerTexts();
    // The webview's state reaches the workbench asynchronously; a reload in the same instant can miss the newest.
    await page.waitForTimeout(1000);
    await e2e().reload();
    // The panel comes back as a tab; its content is restored when it is shown.
    await page.locator('.tabs-container .tab', { hasText: 'Tierwise Answers' }).first().click({ timeout: 30_000 });
    const frame = await webviewFrame(page, 'article.answer', 60_000);
    await frame.locator('article.answer').nth(before - 1).waitFor({ timeout: 30_000 });
    assert.deepEqual(await frame.locator('article.answer .answer-title').allInnerTexts(), titles);
    assert.match(await frame.locator('article.answer .answer-body').last().innerText(), /gpt-6\.1-sol/);
    await screenshot('07-after-reload');
  });
});
