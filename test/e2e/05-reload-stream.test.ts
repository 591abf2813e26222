import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { e2e, openFile, runCommand, screenshot, selectAll, setApiKey, statusBarText, webviewFrame } from './harness';

/** The ledger's records, wherever code-server keeps the extension's global storage. */
function ledgerRecords(): { outcome: string; outputTokens: number }[] {
  const find = (dir: string): string | undefined => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (name === 'ledger.jsonl') return p;
      if (statSync(p).isDirectory()) {
        const hit = find(p);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  const file = find(e2e().userDataDir);
  if (!file) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { outcome: string; outputTokens: number });
}

describe('Window reload during a stream', () => {
  it('keeps the partial answer, marks it interrupted, writes its ledger record, and the next request works', async () => {
    const { page, fake } = e2e();
    await statusBarText(page, 60_000);
    await setApiKey(page, 'OpenAI', 'sk-test-e2e-openai-0123456789');
    fake.reset();
    const slow = 'This answer streams slowly until the window reloads. '.repeat(40);
    fake.enqueue({ kind: 'ok', chunkSize: 6, chunkDelayMs: 150, text: slow });
    const before = ledgerRecords().length;
    await openFile(page, 'sample.ts');
    await selectAll(page);
    await runCommand(page, 'Tierwise: Explain Selection');
    let frame = await webviewFrame(page, 'article.answer[data-state="streaming"]', 30_000);
    await frame.waitForFunction(() => (document.querySelector('article.answer[data-state="streaming"] .answer-body')?.textContent ?? '').length > 40, null, { timeout: 30_000 });
    // As in 03-reload: the webview's state reaches the workbench asynchronously.
    await page.waitForTimeout(1000);
    await e2e().reload();
    await page.locator('.tabs-container .tab', { hasText: 'Tierwise Answers' }).first().click({ timeout: 30_000 });
    frame = await webviewFrame(page, 'article.answer[data-state="interrupted"]', 60_000);
    const kept = frame.locator('article.answer[data-state="interrupted"]').last();
    const text = (await kept.locator('.answer-body').innerText()).trim();
    assert.ok(text.length >= 20 && slow.startsWith(text.slice(0, 20)), `the partial text is kept: ${JSON.stringify(text.slice(0, 80))}`);
    assert.match(await kept.innerText(), /reloaded/);
    // The request was stopped as the extension host went down, and recorded.
    const after = ledgerRecords().slice(before);
    assert.equal(after.length, 1, `one ledger record for the stopped request: ${JSON.stringify(after)}`);
    assert.equal(after[0]!.outcome, 'interrupted');
    await screenshot('10-reload-during-stream');
    // And the next request works.
    fake.reset();
    await openFile(page, 'sample.ts');
    await selectAll(page);
    await runCommand(page, 'Tierwise: Explain Selection');
    frame = await webviewFrame(page, 'article.answer', 30_000);
    await frame.locator('article.answer[data-state="done"]', { hasText: 'Answer from' }).last().waitFor({ timeout: 30_000 });
    // The record is appended just after the answer ends.
    const deadline = Date.now() + 10_000;
    while (ledgerRecords().slice(before).length < 2 && Date.now() < deadline) await page.waitForTimeout(200);
    assert.deepEqual(ledgerRecords().slice(before).map((r) => r.outcome), ['interrupted', 'ok']);
  });
});
