import assert from 'node:assert/strict';
import { answerCount, e2e, openFile, readyToSend, runCommand, screenshot, selectAll, webviewFrame } from './harness';

describe('Window reload', () => {
  before(readyToSend);

  it('the answer panel comes back with its answers', async () => {
    const { page, fake } = e2e();
    // An answer of its own (newest on top), whatever ran before.
    fake.reset();
    const count = await answerCount();
    await openFile(page, 'sample.ts');
    await selectAll(page);
    await runCommand(page, 'Tierwise: Explain Selection');
    let frame = await webviewFrame(page, 'article.answer', 30_000);
    await frame.waitForFunction((n) => {
      const all = document.querySelectorAll('article.answer');
      return all.length > n && all[0]!.getAttribute('data-state') === 'done';
    }, count, { timeout: 30_000 });
    const before = await frame.locator('article.answer').count();
    const titles = await frame.locator('article.answer .answer-title').allInnerTexts();
    // The webview's state reaches the workbench asynchronously; a reload in the same instant can miss the newest.
    await page.waitForTimeout(1000);
    await e2e().reload();
    // The panel comes back as a tab; its content is restored when it is shown.
    await page.locator('.tabs-container .tab', { hasText: 'Tierwise Answers' }).first().click({ timeout: 30_000 });
    frame = await webviewFrame(page, 'article.answer', 60_000);
    await frame.locator('article.answer').nth(before - 1).waitFor({ timeout: 30_000 });
    assert.deepEqual(await frame.locator('article.answer .answer-title').allInnerTexts(), titles);
    assert.match(await frame.locator('article.answer .answer-body').first().innerText(), /gpt-6\.1-sol/);
    await screenshot('07-after-reload');
  });
});
