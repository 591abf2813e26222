import assert from 'node:assert/strict';
import { REASONING_ROOM_TOKENS } from '../../src/core/providers/reasoning';
import type { Frame } from 'playwright-core';
import { answerCount, e2e, OPENAI_TEST_KEY, openFile, readyToSend, runCommand, screenshot, selectAll, setApiKey, statusBarText, statusBarTooltip, until, webviewFrame } from './harness';

async function selectAllIn(file: string): Promise<void> {
  const { page } = e2e();
  await openFile(page, file);
  await selectAll(page);
}

async function answerFrame(): Promise<Frame> {
  return webviewFrame(e2e().page, 'article.answer', 30_000);
}

/** Explain Selection on all of sample.ts; resolves with the new answer (newest on top) once it is done. */
async function explainSample() {
  const { page } = e2e();
  const before = await answerCount();
  await selectAllIn('sample.ts');
  await statusBarText(page);
  await page.waitForFunction(() => /\d+ tok/.test(document.querySelector('[id^="tierwise.tierwise"]')?.textContent ?? ''), null, { timeout: 15_000 });
  await runCommand(page, 'Tierwise: Explain Selection');
  const frame = await answerFrame();
  await frame.waitForFunction((n) => {
    const all = document.querySelectorAll('article.answer');
    return all.length > n && all[0]!.getAttribute('data-state') === 'done';
  }, before, { timeout: 30_000 });
  return frame.locator('article.answer').first();
}

describe('Answers stream into the panel', () => {
  it('takes an API key through "Set API Key…" (password box, secret storage)', async () => {
    await statusBarText(e2e().page, 60_000);
    await setApiKey(e2e().page, 'OpenAI', OPENAI_TEST_KEY);
  });

  it('the status bar counts the selection as it changes', async () => {
    const { page } = e2e();
    const count = async () =>
      Number((/([\d,]+) tok/.exec((await page.locator('[id^="tierwise.tierwise"]').first().textContent()) ?? '')?.[1] ?? '0').replace(/,/g, ''));
    /** The count, once it satisfies `ok` (checked every 100 ms), or undefined after `ms`. */
    const countWhen = async (ok: (n: number) => boolean, ms: number): Promise<number | undefined> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const n = await count();
        if (ok(n)) return n;
        if (Date.now() > deadline) return undefined;
        await page.waitForTimeout(100);
      }
    };
    await selectAllIn('sample.ts');
    let all = (await countWhen((n) => n > 0, 15_000)) ?? 0;
    let line: number | undefined;
    // The item may still show a count from before (another file, another suite): when the line does not count
    // fewer, the whole file is counted again, until both figures are fresh.
    for (let round = 0; round < 4; round++) {
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Shift+End');
      line = await countWhen((n) => n > 0 && n !== all, 5_000);
      if (line !== undefined && line < all) break;
      await page.keyboard.press('Control+A');
      all = (await countWhen((n) => n > 0 && n !== line, 5_000)) ?? all;
    }
    assert.ok(line !== undefined && line > 0 && line < all, `one line (${line} tokens) should count fewer than the whole file (${all})`);
    // A hover may not open under load (the pointer arrives while the item re-renders): hover again until it does.
    let tip = '';
    await until('the status bar tooltip with its token count', async () => (tip = await statusBarTooltip('tokens', 3000, false)) !== '', 45_000);
    assert.match(tip, /tokens/);
    await screenshot('02a-status-bar-tooltip');
    await page.keyboard.press('Escape');
  });

  it('Explain Selection streams an answer with its route and final figures', async () => {
    const { page, fake } = e2e();
    fake.reset();
    const answer = await explainSample();
    const body = await answer.locator('.answer-body').innerText();
    assert.match(body, /gpt-6\.1-sol/, 'the fake provider names the model in its answer');
    const code = answer.locator('.answer-body pre code').first();
    assert.ok((await code.count()) > 0, 'the code block is rendered');
    const route = await answer.locator('.answer-route').innerText();
    assert.match(route, /medium/);
    assert.match(route, /gpt-6\.1-sol/);
    const meta = await answer.locator('.answer-meta').innerText();
    assert.match(meta, /Input/);
    assert.match(meta, /Cost/);
    assert.match(meta, /\$0\.\d+/);
    const sent = fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(sent.length, 1);
    assert.equal((sent[0]!.body as { model: string }).model, 'gpt-6.1-sol');
    await page.waitForFunction(() => /session \$0\.0/.test(document.querySelector('[id^="tierwise.tierwise"]')?.textContent ?? ''), null, { timeout: 15_000 });
    await screenshot('02-explain-answer');
  });

  it('Stop cancels the request mid-stream and keeps the partial answer', async () => {
    const { page, fake } = e2e();
    fake.reset();
    fake.enqueue({ kind: 'ok', chunkSize: 6, chunkDelayMs: 150, text: 'This answer streams slowly. '.repeat(40) });
    await selectAllIn('sample.ts');
    await runCommand(page, 'Tierwise: Explain Selection');
    const frame = await answerFrame();
    const streaming = frame.locator('article.answer[data-state="streaming"]').first();
    await streaming.waitFor({ timeout: 30_000 });
    await frame.waitForFunction(() => (document.querySelector('article.answer[data-state="streaming"] .answer-body')?.textContent ?? '').length > 20, null, { timeout: 15_000 });
    await streaming.locator('button[data-answer-action="stop"]').click();
    const cancelled = frame.locator('article.answer[data-state="cancelled"]').first();
    await cancelled.waitFor({ timeout: 15_000 });
    const kept = await cancelled.locator('.answer-body').innerText();
    assert.ok(kept.trim().length >= 20 && 'This answer streams slowly. '.repeat(40).startsWith(kept.trim()), `the partial text is kept; the panel shows: ${JSON.stringify(kept)}`);
    assert.ok(kept.length < 'This answer streams slowly. '.repeat(40).length, 'the stream stopped early');
    await screenshot('03-stopped-answer');
  });
});

describe('Costs', () => {
  before(async () => {
    // Spend of its own to chart: one answer from the medium tier.
    await readyToSend();
    await explainSample();
  });

  it('Compare Costs for Selection shows every tier of every provider', async () => {
    const { page } = e2e();
    await selectAllIn('notes.md');
    await runCommand(page, 'Tierwise: Compare Costs for Selection');
    const frame = await webviewFrame(page, 'table', 30_000);
    const text = await frame.locator('table').innerText();
    for (const m of ['gpt-6-luna', 'gpt-6.1-sol', 'qwen3.7-flash', 'qwen3.8-max']) assert.ok(text.includes(m), `compare table lacks ${m}`);
    // Every column is visible at the default window size: the table is no wider than its view.
    const fit = await frame.evaluate(() => ({ table: document.querySelector('table')!.getBoundingClientRect().right, view: document.documentElement.clientWidth }));
    assert.ok(fit.table <= fit.view + 1, `the table (${fit.table}px) is cut off by the view (${fit.view}px)`);
    await screenshot('04-compare-costs');
  });

  it('Show Cost Report charts the spend so far', async () => {
    const { page } = e2e();
    await runCommand(page, 'Tierwise: Show Cost Report');
    const frame = await webviewFrame(page, 'svg', 30_000);
    const text = await frame.locator('body').innerText();
    assert.match(text, /gpt-6\.1-sol/);
    // Spend by workspace, and the filter in the toolbar: every workspace, then this window's (first).
    assert.match(text, /Spend by workspace/);
    const select = frame.locator('select#workspace-filter');
    const options = await select.locator('option').allTextContents();
    assert.equal(options[0], 'All workspaces');
    assert.match(options[1] ?? '', / \(this window\)$/, options.join(' | '));
    await screenshot('05-cost-report');
    const mine = await select.locator('option').nth(1).getAttribute('value');
    await select.selectOption(mine!);
    await frame.locator('.period', { hasText: /· workspace (?!s)/ }).waitFor({ timeout: 15_000 });
    assert.equal(await select.inputValue(), mine, 'the filter shows the workspace chosen');
    await screenshot('05b-cost-report-one-workspace');
    await select.selectOption('');
    await frame.locator('.period', { hasText: 'all workspaces' }).waitFor({ timeout: 15_000 });
  });
});

describe('Prompt files', () => {
  before(readyToSend);

  it('shows token counts inline and runs the prompt with streaming', async () => {
    const { page, fake } = e2e();
    fake.reset();
    await openFile(page, 'sentiment-classifier.prompt.md');
    const lens = page.locator('.contentWidgets .codelens-decoration, .codelens-decoration').filter({ hasText: /tokens/ }).first();
    await lens.waitFor({ timeout: 30_000 });
    const run = page.locator('.codelens-decoration a', { hasText: /Run/ }).first();
    await run.waitFor({ timeout: 15_000 });
    await screenshot('06-prompt-file-lenses');
    await run.click();
    const frame = await answerFrame();
    const done = frame.locator('article.answer', { hasText: 'Sentiment classifier' }).first();
    await done.locator('.answer-route').waitFor({ timeout: 30_000 });
    await frame.locator('article.answer[data-state="done"]', { hasText: 'Sentiment classifier' }).first().waitFor({ timeout: 30_000 });
    assert.match(await done.locator('.answer-route').innerText(), /simple tier \(your choice\): prompt file, \d+ input tokens → gpt-6-luna/);
    const sent = fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(sent.length, 1);
    const body = sent[0]!.body as { max_tokens?: number; max_completion_tokens?: number; model: string; messages: { role: string; content: string }[] };
    assert.match(body.messages[0]!.content, /You classify product reviews/, 'the file\'s own system prompt is sent');
    assert.equal(body.messages.length, 8, 'system, three few-shot pairs, the user message');
    assert.equal(body.max_tokens ?? body.max_completion_tokens! - REASONING_ROOM_TOKENS, 10, 'the file sets max_tokens: 10 (a reasoning model gets room for its reasoning on top)');
    assert.equal(body.model, 'gpt-6-luna', 'tier: simple');
  });
});
