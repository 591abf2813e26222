import assert from 'node:assert/strict';
import { e2e, screenshot, webviewFrame } from './harness';

describe('Window reload', () => {
  it('the answer panel comes back with its answers', async () => {
    const { page } = e2e();
    const before = await (await webviewFrame(page, 'article.answer')).locator('article.answer').count();
    assert.ok(before > 0, 'earlier tests left answers in the panel');
    await e2e().reload();
    const frame = await webviewFrame(page, 'article.answer', 60_000);
    await frame.locator('article.answer').nth(before - 1).waitFor({ timeout: 30_000 });
    const after = await frame.locator('article.answer').count();
    assert.equal(after, before);
    assert.match(await frame.locator('article.answer .answer-body').last().innerText(), /gpt-4o/);
    await screenshot('07-after-reload');
  });
});
