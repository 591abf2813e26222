/**
 * Tierwise in a Chinese VS Code: a second workbench started with `--locale zh-cn` (and a stand-in zh-cn language
 * pack, so VS Code takes zh-cn as its display language: test/fixtures/zh-cn-language-pack). Commands, the answer
 * panel, Compare Costs and the cost report read in Chinese, and money shows in CNY, the display currency when none
 * is set.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { e2e, OPENAI_TEST_KEY, openFile, paletteEntries, runCommand, screenshot, selectAll, setEnv, statusBarText, webviewFrame, type E2EEnv, type SecondWorkbench } from './harness';

const root = path.resolve(__dirname, '..', '..');
const bundle = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;

/** The zh-cn text of an English bundle string, with its arguments. */
function zh(english: string, ...args: string[]): string {
  const t = bundle[english];
  assert.ok(t, `the zh-cn bundle has no entry for ${JSON.stringify(english)}`);
  return t.replace(/\{(\d+)\}/g, (_, n: string) => args[Number(n)] ?? '');
}

/** A command's palette title in zh-cn: its category (a product name, the same in every language) and its title. */
function title(key: string): string {
  const t = nls[key];
  assert.ok(t, `package.nls.zh-cn.json has no ${key}`);
  return `Tierwise: ${t}`;
}

const HAN = /[\u4e00-\u9fff]/;

describe('In a Chinese VS Code (--locale zh-cn)', function () {
  this.timeout(240_000);
  let first: E2EEnv;
  let second: SecondWorkbench;

  before(async () => {
    first = e2e();
    second = await first.another('zh-cn');
    setEnv(second.env);
    await statusBarText(e2e().page, 90_000);
  });

  after(async () => {
    setEnv(first);
    await second?.close();
  });

  it('the palette lists the commands with their Chinese titles', async () => {
    const explain = title('command.explain.title');
    assert.match(explain, HAN);
    const listed = await paletteEntries(e2e().page, explain);
    assert.ok(listed.includes(explain), `the palette lists ${explain}; it shows ${listed.join(' | ')}`);
  });

  it('Set API Key, Explain Selection and Compare Costs read in Chinese, with costs in CNY', async () => {
    const { page, fake } = e2e();
    // Set API Key, by its Chinese title; the confirmation is in Chinese.
    await runCommand(page, title('command.setApiKey.title'));
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('OpenAI');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input[type="password"]').fill(OPENAI_TEST_KEY);
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: zh('Tierwise: API key for {0} saved.', 'OpenAI') }).first().waitFor({ timeout: 15_000 });

    // Explain Selection: the answer panel's route line and figures are Chinese, the cost in yuan.
    fake.reset();
    await openFile(page, 'sample.ts');
    await selectAll(page);
    await page.waitForFunction(() => /\d/.test(document.querySelector('[id^="tierwise.tierwise"]')?.textContent ?? ''), null, { timeout: 15_000 });
    await runCommand(page, title('command.explain.title'));
    const frame = await webviewFrame(page, 'article.answer', 30_000);
    await frame.waitForFunction(() => document.querySelector('article.answer')?.getAttribute('data-state') === 'done', null, { timeout: 60_000 });
    const answer = frame.locator('article.answer').first();
    const route = await answer.locator('.answer-route').innerText();
    assert.match(route, /gpt-6\.1-sol/, route);
    assert.match(route, HAN, `the route line reads in Chinese: ${route}`);
    assert.doesNotMatch(route, /\b(simple|medium|complex)\b/, `no English tier word in the route line: ${route}`);
    const meta = await answer.locator('.answer-meta').innerText();
    assert.match(meta, HAN, `the answer's figures are labelled in Chinese: ${meta}`);
    assert.match(meta, /¥\d/, `the cost shows in CNY: ${meta}`);
    assert.doesNotMatch(meta, /\$\d/, `no USD amount when the display currency is CNY: ${meta}`);
    const sent = fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(sent.length, 1, 'one request went out');
    await screenshot('08-zh-cn-explain-answer');

    // Compare Costs: Chinese column heads, prices in yuan.
    await openFile(page, 'notes.md');
    await selectAll(page);
    await runCommand(page, title('command.compareCosts.title'));
    const table = await webviewFrame(page, 'table', 30_000);
    const text = await table.locator('table').innerText();
    assert.match(text, /qwen3\.8-max/);
    assert.match(text, HAN, 'the table reads in Chinese');
    assert.match(text, /¥\d/, 'prices in CNY');
    await screenshot('08b-zh-cn-compare-costs');
  });

  it('the cost report reads in Chinese, with Chinese dates and tier names, and money in CNY', async () => {
    const { page } = e2e();
    await runCommand(page, title('command.showCostReport.title'));
    const frame = await webviewFrame(page, 'svg', 30_000);
    const text = await frame.locator('body').innerText();
    assert.match(text, /gpt-6\.1-sol/, 'the answer sent above is in the report');
    assert.match(text, /\d{4}年\d{1,2}月\d{1,2}日/, `days are written the Chinese way: ${text.slice(0, 300)}`);
    assert.ok(text.includes(zh('medium')), `the medium tier is named ${zh('medium')}`);
    assert.match(text, /¥\d/, 'spend in CNY');
    assert.doesNotMatch(text, /\$\d/, 'no USD amount');
    await screenshot('08c-zh-cn-cost-report');
  });
});
