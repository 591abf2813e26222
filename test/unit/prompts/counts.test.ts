import assert from 'node:assert/strict';
import { countPrompt, countPromptAsync, parsePromptMd, parsePrompty, planCounts, inputCost, cacheSaving, maxOutputCost, formatMoney, resolveTarget } from '../../../src/core/prompts';
import type { ModelTarget } from '../../../src/core/prompts';
import type { Tier } from '../../../src/core/types';
import { example, md, o200k } from './helpers';

describe('prompts: token counts (o200k)', () => {
  it('counts each section of the classifier exactly, and the total', () => {
    const p = parsePromptMd(example('sentiment-classifier.prompt.md'));
    const c = countPrompt(p, o200k);
    const expected = [
      'You classify product reviews by sentiment. Answer with exactly one word: positive, negative or mixed.',
      'Arrived on time, works perfectly, would buy again.',
      'positive',
      'Great screen, but the speakers crackle at any volume.',
      'mixed',
      'Broke on the first day and the refund took a month.',
      'negative',
      'The battery died after two days and support never answered.',
    ].map(o200k);
    assert.deepEqual(c.sections, expected);
    // Pinned o200k counts, so a change in section splitting (whitespace, headers) shows up here.
    assert.deepEqual(c.sections, [19, 12, 1, 12, 1, 13, 1, 11]);
    assert.equal(c.total, 70);
    assert.equal(c.system, 19);
    // The prefix is everything before {{review}}: system and the examples.
    assert.equal(c.prefix, 59);
    assert.deepEqual(c.missing, []);
  });

  it('counts the cacheable prefix of the policy Q&A (the shared document) at ≥ 1,024 tokens', () => {
    const p = parsePromptMd(example('policy-qa.prompt.md'));
    const c = countPrompt(p, o200k);
    assert.equal(c.sections[0], o200k(p.sections[0].text));
    assert.ok(c.prefix >= 1024, `prefix ${c.prefix}`);
    assert.equal(c.prefix, c.system);
    assert.equal(c.total, c.system + o200k('Can I return a drill I bought 40 days ago if the box is opened?'));
  });

  it('stops the prefix at the first variable, counting the text before it', () => {
    const p = parsePromptMd(md(['## user', 'Fixed words here. {{x}} more', '## system', 'Sys {{y}}']));
    const plan = planCounts(p);
    // Request order puts the system first, and it has a variable at once.
    assert.deepEqual(plan.prefixSections, []);
    assert.equal(plan.prefixPartial, 'Sys ');
    const c = countPrompt(p, o200k);
    assert.equal(c.prefix, o200k('Sys '));
    const q = parsePromptMd(md(['## system', 'Be kind.', '## user', 'Fixed words here. {{x}} more']));
    assert.equal(countPrompt(q, o200k).prefix, o200k('Be kind.') + o200k('Fixed words here. '));
  });

  it('prompty: counts with samples when asked, and the async path agrees with the sync one', async () => {
    const p = parsePrompty(example('support-assistant.prompty'));
    const sync = countPrompt(p, o200k, { useSamples: true });
    assert.equal(sync.sections[1], o200k("Hi, I'm Sam. Can I pitch the tent in strong wind?"));
    assert.deepEqual(sync.missing, []);
    const noSamples = countPrompt(p, o200k);
    assert.deepEqual(noSamples.missing, ['question']);
    assert.equal(noSamples.sections[1], o200k("Hi, I'm Sam. {{question}}"));
    const asyncCounts = await countPromptAsync(p, (t) => Promise.resolve(o200k(t)), { useSamples: true });
    assert.deepEqual(asyncCounts, sync);
  });
});

describe('prompts: cost and targets', () => {
  const price = { input: 3, cachedInput: 0.3, output: 15, currency: 'USD' as const };
  it('computes input cost with and without cached tokens, the saving and the output bound', () => {
    assert.equal(inputCost(price, 2000), 0.006);
    assert.ok(Math.abs(inputCost(price, 2000, 1500) - (500 * 3 + 1500 * 0.3) / 1e6) < 1e-12);
    assert.ok(Math.abs(cacheSaving(price, 1500)! - 1500 * 2.7 / 1e6) < 1e-12);
    assert.equal(cacheSaving({ input: 1, currency: 'USD' }, 1500), undefined);
    assert.equal(maxOutputCost(price, 100), 0.0015);
    assert.equal(formatMoney(0.0012, 'USD'), '$0.0012');
    assert.equal(formatMoney(1.234, 'CNY'), '¥1.23');
    assert.equal(formatMoney(0, 'USD'), '$0.00');
    assert.equal(formatMoney(0.5, 'USD'), '$0.50');
  });

  it('resolves the target from the file, its tier or the default', () => {
    const tiers: Record<Tier, ModelTarget> = {
      simple: { provider: 'openai', model: 'gpt-4o-mini' },
      medium: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      complex: { provider: 'openai', model: 'gpt-5' },
    };
    const dflt: ModelTarget = { provider: 'dashscope', model: 'qwen-plus' };
    assert.deepEqual(resolveTarget({ cache: false, tier: 'simple' }, tiers, dflt), { provider: 'openai', model: 'gpt-4o-mini', tier: 'simple', source: 'tier' });
    assert.deepEqual(resolveTarget({ cache: false, model: 'claude-3-5-haiku-latest' }, tiers, dflt), { provider: 'anthropic', model: 'claude-3-5-haiku-latest', source: 'file' });
    assert.deepEqual(resolveTarget({ cache: false, model: 'my-local', provider: 'openaiCompatible' }, tiers, dflt), { provider: 'openaiCompatible', model: 'my-local', source: 'file' });
    assert.deepEqual(resolveTarget({ cache: false }, tiers, dflt), { provider: 'dashscope', model: 'qwen-plus', source: 'default' });
    assert.deepEqual(resolveTarget({ cache: false, provider: 'anthropic' }, tiers, dflt), { provider: 'anthropic', model: 'claude-sonnet-4-5', source: 'tier' });
  });
});
