import assert from 'node:assert/strict';
import type { Usage } from '../../../src/core/types';
import { Catalogue, compareTable, convert, costOf, estimateCost, formatMoney, moneyFormatter, modelIdCandidates, ratesFor, toUsd } from '../../../src/core/pricing';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-12, `${msg ?? ''} ${a} != ${b}`);

/** Anthropic reports input_tokens WITHOUT cached parts; the adapter adds them into inputTokens. */
function fromAnthropic(u: { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number }): Usage {
  return {
    inputTokens: u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens,
    outputTokens: u.output_tokens,
    cacheReadTokens: u.cache_read_input_tokens,
    cacheWriteTokens: u.cache_creation_input_tokens,
    reasoningTokens: 0,
  };
}
/** OpenAI/Qwen report prompt_tokens INCLUDING cached_tokens. */
function fromOpenAI(u: { prompt_tokens: number; completion_tokens: number; cached_tokens: number; reasoning_tokens: number }): Usage {
  return { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens, cacheReadTokens: u.cached_tokens, cacheWriteTokens: 0, reasoningTokens: u.reasoning_tokens };
}

describe('pricing: catalogue', () => {
  const cat = new Catalogue();

  it('has the required models with sources and dates', () => {
    const must: [Parameters<Catalogue['get']>[0], string, number, number][] = [
      ['openai', 'gpt-4o', 2.5, 10],
      ['openai', 'gpt-4o-mini', 0.15, 0.6],
      ['anthropic', 'claude-3-5-sonnet', 3, 15],
      ['anthropic', 'claude-3-5-haiku', 0.8, 4],
      ['anthropic', 'claude-3-opus', 15, 75],
      ['dashscope', 'qwen-turbo', 0.3, 0.6],
      ['dashscope', 'qwen-plus', 0.8, 2],
      ['dashscope', 'qwen-max', 2.4, 9.6],
      ['openai', 'gpt-4.1', 2, 8],
      ['openai', 'o4-mini', 1.1, 4.4],
      ['openai', 'gpt-5', 1.25, 10],
      ['anthropic', 'claude-sonnet-4', 3, 15],
      ['anthropic', 'claude-opus-4', 15, 75],
      ['anthropic', 'claude-haiku-4-5', 1, 5],
    ];
    for (const [p, m, i, o] of must) {
      const e = cat.get(p, m);
      assert.ok(e, `${p}/${m}`);
      assert.deepEqual([e.inputPerM, e.outputPerM], [i, o], m);
      assert.match(e.source ?? '', /^https:\/\//);
      assert.match(e.date ?? '', /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(e.contextWindow > 0 && e.maxOutput > 0);
    }
    for (const e of cat.all()) assert.ok(e.source && e.date, `${e.provider}/${e.id} has a source and date`);
    assert.equal(cat.get('dashscope', 'qwen-plus')?.currency, 'CNY');
  });

  it('matches dated and aliased ids', () => {
    assert.equal(cat.get('openai', 'gpt-4o-2024-08-06')?.id, 'gpt-4o');
    assert.equal(cat.get('openai', 'gpt-4o-mini-2024-07-18')?.id, 'gpt-4o-mini');
    assert.equal(cat.get('openai', 'gpt-3.5-turbo-0125')?.id, 'gpt-3.5-turbo');
    assert.equal(cat.get('openai', 'GPT-4.1-2025-04-14')?.id, 'gpt-4.1');
    assert.equal(cat.get('anthropic', 'claude-3-5-sonnet-20241022')?.id, 'claude-3-5-sonnet');
    assert.equal(cat.get('anthropic', 'claude-sonnet-4-20250514')?.id, 'claude-sonnet-4');
    assert.equal(cat.get('anthropic', 'claude-opus-4-1-20250805')?.id, 'claude-opus-4-1');
    assert.equal(cat.get('anthropic', 'claude-3-5-haiku-latest')?.id, 'claude-3-5-haiku');
    assert.equal(cat.get('dashscope', 'qwen-plus-2025-09-11')?.id, 'qwen-plus');
    assert.equal(cat.get('dashscope', 'qwen-max-latest')?.id, 'qwen-max');
    assert.equal(cat.get('openai', 'openai/gpt-4o')?.id, 'gpt-4o');
    assert.equal(cat.get('openai', 'gpt-4o-audio-preview'), undefined, 'no loose prefix matching');
    assert.equal(cat.get('anthropic', 'gpt-4o'), undefined, 'per provider');
    assert.deepEqual(modelIdCandidates('gpt-4-0613'), ['gpt-4-0613', 'gpt-4']);
  });

  it('keeps DashScope China (CNY) and international (USD) price lists apart', () => {
    const intl = new Catalogue({ dashscopeRegion: 'international' });
    assert.deepEqual([intl.get('dashscope', 'qwen-plus')?.currency, intl.get('dashscope', 'qwen-plus')?.inputPerM], ['USD', 0.4]);
    assert.equal(cat.get('dashscope', 'qwen-plus', 'international')?.currency, 'USD');
    assert.ok(cat.models('dashscope').every((e) => e.currency === 'CNY'));
    assert.ok(intl.models('dashscope').every((e) => e.currency === 'USD'));
    assert.ok(cat.models('openai').length >= 10);
  });

  it('merges user overrides and additions', () => {
    const c = new Catalogue({
      overrides: {
        'openai/gpt-4o': { inputPerM: 2 },
        'openai/gpt-4o-2024-05-13': { inputPerM: 5, outputPerM: 15 },
        'openaiCompatible/llama3.1:8b': { contextWindow: 8192, maxOutput: 2048, tier: 'simple' },
        'dashscope/qwen-plus@intl': { outputPerM: 1 },
        'bogus/x': { inputPerM: 1 },
      },
    });
    assert.equal(c.get('openai', 'gpt-4o')?.inputPerM, 2);
    assert.equal(c.get('openai', 'gpt-4o')?.outputPerM, 10);
    assert.equal(c.get('openai', 'gpt-4o-2024-08-06')?.inputPerM, 2);
    const old = c.get('openai', 'gpt-4o-2024-05-13');
    assert.deepEqual([old?.inputPerM, old?.outputPerM, old?.contextWindow], [5, 15, 128000]);
    const local = c.get('openaiCompatible', 'llama3.1:8b');
    assert.deepEqual([local?.inputPerM, local?.outputPerM, local?.contextWindow, local?.tier, local?.currency], [0, 0, 8192, 'simple', 'USD']);
    assert.equal(c.get('dashscope', 'qwen-plus', 'international')?.outputPerM, 1);
    assert.equal(c.get('dashscope', 'qwen-plus', 'china')?.outputPerM, 2);
    // the built-in data is untouched for other instances
    assert.equal(new Catalogue().get('openai', 'gpt-4o')?.inputPerM, 2.5);
  });
});

describe('pricing: cost from usage', () => {
  const cat = new Catalogue();

  it('prices an Anthropic-normalised usage: cache write and read at their prices, uncached = input − cached', () => {
    const sonnet = cat.get('anthropic', 'claude-3-5-sonnet')!;
    // first call writes 188086 tokens to the cache, second reads them (docs example)
    const write = fromAnthropic({ input_tokens: 21, output_tokens: 393, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0 });
    const read = fromAnthropic({ input_tokens: 21, output_tokens: 393, cache_creation_input_tokens: 0, cache_read_input_tokens: 188086 });
    const c1 = costOf(sonnet, write);
    close(c1.input, (21 * 3) / 1e6);
    close(c1.cacheWrite, (188086 * 3.75) / 1e6);
    close(c1.output, (393 * 15) / 1e6);
    close(c1.total, (21 * 3 + 188086 * 3.75 + 393 * 15) / 1e6);
    close(c1.cacheSavings, 0);
    close(c1.cacheWritePremium, (188086 * 0.75) / 1e6);
    const c2 = costOf(sonnet, read);
    close(c2.total, (21 * 3 + 188086 * 0.3 + 393 * 15) / 1e6);
    close(c2.cacheSavings, (188086 * (3 - 0.3)) / 1e6);
    assert.equal(c2.currency, 'USD');
  });

  it('prices an OpenAI-normalised usage: cached tokens are inside prompt_tokens, reasoning inside output', () => {
    const mini = cat.get('openai', 'o4-mini')!;
    const u = fromOpenAI({ prompt_tokens: 3019, completion_tokens: 1104, cached_tokens: 2048, reasoning_tokens: 1000 });
    const c = costOf(mini, u);
    close(c.input, ((3019 - 2048) * 1.1) / 1e6);
    close(c.cacheRead, (2048 * 0.275) / 1e6);
    close(c.output, (1104 * 4.4) / 1e6, 'reasoning is not billed twice');
    close(c.total, ((3019 - 2048) * 1.1 + 2048 * 0.275 + 1104 * 4.4) / 1e6);
    close(c.cacheSavings, (2048 * (1.1 - 0.275)) / 1e6);
    // no cache price: cached tokens bill as input
    const gpt4 = cat.get('openai', 'gpt-4')!;
    close(costOf(gpt4, u).total, (3019 * 30 + 1104 * 60) / 1e6);
  });

  it('bills batch requests at batch prices', () => {
    const gpt4o = cat.get('openai', 'gpt-4o')!;
    const u = fromOpenAI({ prompt_tokens: 1_000_000, completion_tokens: 1_000_000, cached_tokens: 0, reasoning_tokens: 0 });
    close(costOf(gpt4o, u, { batch: true }).total, 1.25 + 5);
    close(costOf(gpt4o, u).total, 2.5 + 10);
    // Anthropic: cache reads/writes half price in batch
    const haiku = cat.get('anthropic', 'claude-haiku-4-5')!;
    const cached = fromAnthropic({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 });
    close(costOf(haiku, cached, { batch: true }).total, 1.25 / 2 + 0.1 / 2);
    // DashScope: no cache discount in batch
    const plus = cat.get('dashscope', 'qwen-plus')!;
    const q = fromOpenAI({ prompt_tokens: 100_000, completion_tokens: 0, cached_tokens: 50_000, reasoning_tokens: 0 });
    close(costOf(plus, q, { batch: true }).total, 0.1 * 0.4);
    close(costOf(plus, q).total, 0.05 * 0.8 + 0.05 * 0.16);
    assert.deepEqual(ratesFor({ currency: 'USD', inputPerM: 2, outputPerM: 8 }, true), { currency: 'USD', input: 1, output: 4, cacheRead: 1, cacheWrite: 1 });
  });

  it('prices DashScope China in CNY and converts for display', () => {
    const turbo = cat.get('dashscope', 'qwen-turbo')!;
    const c = costOf(turbo, fromOpenAI({ prompt_tokens: 10_000, completion_tokens: 2_000, cached_tokens: 0, reasoning_tokens: 0 }));
    assert.equal(c.currency, 'CNY');
    close(c.total, (10_000 * 0.3 + 2_000 * 0.6) / 1e6);
    close(toUsd(7.2, 'CNY', 7.2), 1);
    close(convert(1, 'USD', 'CNY', 7.1), 7.1);
    close(convert(5, 'CNY', 'CNY'), 5);
    assert.equal(formatMoney(convert(c.total, 'CNY', 'CNY', 7.2), 'CNY'), '¥0.0042');
    assert.equal(formatMoney(convert(c.total, 'CNY', 'USD', 7.2), 'USD'), '$0.00058');
  });
});

describe('pricing: money formatting', () => {
  it('keeps two significant digits for tiny amounts', () => {
    assert.equal(formatMoney(0.0012, 'USD'), '$0.0012');
    assert.equal(formatMoney(0.0086, 'CNY'), '¥0.0086');
    assert.equal(formatMoney(0.00001234, 'USD'), '$0.000012');
    assert.equal(formatMoney(0.5, 'USD'), '$0.50');
    assert.equal(formatMoney(0.123, 'USD'), '$0.12');
    assert.equal(formatMoney(1234.567, 'USD'), '$1,234.57');
    assert.equal(formatMoney(0, 'CNY'), '¥0.00');
    assert.equal(formatMoney(-0.25, 'USD'), '-$0.25');
    assert.equal(formatMoney(1e-10, 'USD'), '<$0.00000001');
  });

  it('formats amounts read together (a table, a report) with the digits the set needs to tell them apart', () => {
    const amounts = [0.00116, 0.00124, 12.5, 0];
    const f = moneyFormatter('CNY', amounts);
    assert.deepEqual(amounts.map(f), ['¥0.00116', '¥0.00124', '¥12.50', '¥0.00']);
    assert.equal(new Set(amounts.map(f)).size, amounts.length, 'different amounts never print the same');
    assert.equal(moneyFormatter('USD')(0.0012), '$0.0012', 'alone, an amount keeps two significant digits');
    assert.equal(moneyFormatter('EUR' as string)(1), '$1.00', 'an unknown display currency is USD');
  });
});

describe('pricing: estimates and compare table', () => {
  const cat = new Catalogue();
  it('estimates input cost plus an output range up to max_tokens', () => {
    const e = estimateCost(cat.get('openai', 'gpt-4o')!, 1000, 500);
    close(e.input, 0.0025);
    close(e.outputMin, 0);
    close(e.outputMax, 0.005);
    close(e.totalMax, 0.0075);
    const t = estimateCost(cat.get('openai', 'gpt-4o')!, 1000, 500, { typicalOutput: 100 });
    close(t.totalMin, 0.0025 + 0.001);
  });

  it('prices a request on every tier of every provider in the display currency', () => {
    const rows = compareTable({
      catalogue: cat,
      providers: ['openai', 'anthropic', 'dashscope'],
      tiers: { openai: { simple: 'gpt-4o-mini', medium: 'gpt-4o', complex: 'o3' } },
      maxTokens: 1000,
      currency: { display: 'CNY', cnyPerUsd: 7 },
      tokensFor: (p) => ({ tokens: p === 'anthropic' ? 1100 : 1000, exact: p === 'openai' }),
    });
    assert.equal(rows.length, 9);
    const o = rows.find((r) => r.provider === 'openai' && r.tier === 'medium')!;
    assert.equal(o.model, 'gpt-4o');
    assert.equal(o.currency, 'CNY');
    close(o.input, 0.0025 * 7);
    close(o.outputAtMax, 0.01 * 7);
    close(o.total, 0.0125 * 7);
    close(o.cachedTotal!, (1000 * 1.25 + 1000 * 10) / 1e6 * 7);
    close(o.batchTotal!, 0.0125 / 2 * 7);
    assert.equal(o.tokensExact, true);
    const q = rows.find((r) => r.provider === 'dashscope' && r.tier === 'complex')!;
    assert.equal(q.model, 'qwen3.8-max');
    close(q.total, (1000 * 12 + 1000 * 36) / 1e6, 'CNY prices stay CNY');
    const a = rows.find((r) => r.provider === 'anthropic' && r.tier === 'simple')!;
    assert.equal(a.tokens, 1100);
    assert.equal(a.fitsContext, true);
  });
});
