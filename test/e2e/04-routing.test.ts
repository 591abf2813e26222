import assert from 'node:assert/strict';
import { contributedDefault, e2e, openFile, readyToSend, runCommand, screenshot, selectAll, webviewFrame } from './harness';

/** Ask About Selection from the palette, as a user does; `gear` presses the box's ⚙ and picks `tier`. */
async function ask(question: string, tier?: string): Promise<{ route: string; models: string[] }> {
  const { page, fake } = e2e();
  fake.reset();
  await openFile(page, 'sample.ts');
  await selectAll(page);
  await runCommand(page, 'Tierwise: Ask About Selection…');
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-widget', { hasText: 'The tier is chosen from what you ask' }).first().waitFor({ timeout: 15_000 });
  await input.fill(question);
  if (tier) {
    await page.locator('.quick-input-widget [aria-label="Choose the tier or model for this request"]').first().click();
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: `${tier} tier` }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  } else {
    await page.keyboard.press('Enter');
  }
  // The new answer is the one titled with this question (earlier answers stay in the panel).
  const frame = await webviewFrame(page, 'article.answer', 30_000);
  const answer = frame.locator('article.answer[data-state="done"]', { has: frame.locator('.answer-title', { hasText: question }) }).first();
  await answer.waitFor({ timeout: 30_000 });
  const route = await answer.locator('.answer-route').innerText();
  const models = fake.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => (r.body as { model: string }).model);
  return { route, models };
}

describe('Ask About Selection routes by what you ask', () => {
  before(readyToSend);

  it('a lookup goes to the simple tier, with its signals in the route line', async () => {
    const a = await ask('What language is this written in?');
    assert.match(a.route, /simple tier: asks for a lookup/);
    assert.match(a.route, /gpt-6-luna/);
    assert.deepEqual(a.models, ['gpt-6-luna']);
    await screenshot('08-ask-routed');
  });

  it('the ⚙ of the question box chooses the tier for this one request', async () => {
    const a = await ask('Which language is this file written in?', 'complex');
    assert.match(a.route, /complex tier \(your choice\): asks for a lookup/);
    // No suite leaves its settings behind: the complex tier's model is the default one.
    assert.deepEqual(a.models, [contributedDefault('tierwise.tiers.openai.complex')]);
  });
});
