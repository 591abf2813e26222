import assert from 'node:assert/strict';
import { Catalogue, compareTable, costOf, estimateCost, makeRecord, priceTier, usageOf } from '../../../src/core/pricing';
import { fromOpenAIUsage } from '../../../src/core/providers/usage';
import { DASHSCOPE_BASE_URLS, DEFAULT_DASHSCOPE_REGION, dashscopeRegionFrom, defaultBaseUrl } from '../../../src/core/providers/baseUrls';
import { defaultRoutingConfig } from '../../../src/core/routing/config';
import { Router, isRouteError } from '../../../src/core/routing/router';
import { overridesFromSettings } from '../../../src/host/prices/pricing';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-12, `${msg ?? ''} ${a} != ${b}`);
const M = 1e6;

describe('pricing: DashScope usage shapes against hand calculations', () => {
  const cat = new Catalogue();
  const plus = cat.get('dashscope', 'qwen-plus')!; // China: ¥0.8 in / ¥2 out per M up to 128K input

  it('implicit cache hit: cached_tokens (inside prompt_tokens) at 20% of input', () => {
    // The official non-streaming example: 3019 prompt tokens of which 2048 cached, 104 output.
    const u = fromOpenAIUsage({ prompt_tokens: 3019, completion_tokens: 104, prompt_tokens_details: { cached_tokens: 2048 } });
    assert.equal(u.explicitCache, undefined);
    const c = costOf(plus, u);
    close(c.input, (971 * 0.8) / M);
    close(c.cacheRead, (2048 * 0.16) / M);
    close(c.output, (104 * 2) / M);
    close(c.total, (971 * 0.8 + 2048 * 0.16 + 104 * 2) / M);
    close(c.cacheSavings, (2048 * (0.8 - 0.16)) / M);
    close(c.cacheNet, c.cacheSavings);
    assert.equal(c.currency, 'CNY');
  });

  it('explicit cache creation: written tokens at 125% of input, the premium is not a saving', () => {
    const u = fromOpenAIUsage({
      prompt_tokens: 3564,
      completion_tokens: 100,
      prompt_tokens_details: { cache_creation: { ephemeral_5m_input_tokens: 3550 }, cache_creation_input_tokens: 3550, cache_type: 'ephemeral', cached_tokens: 0, text_tokens: 3564 } as never,
    });
    assert.equal(u.explicitCache, true);
    assert.equal(u.cacheWriteTokens, 3550);
    const c = costOf(plus, u);
    close(c.input, (14 * 0.8) / M);
    close(c.cacheWrite, (3550 * 1.0) / M);
    close(c.total, (14 * 0.8 + 3550 * 1.0 + 100 * 2) / M);
    close(c.cacheSavings, 0);
    close(c.cacheWritePremium, (3550 * 0.2) / M);
    assert.ok(c.cacheNet < 0, 'creating the cache cost more than plain input');
  });

  it('explicit cache hit: cached tokens at 10% of input', () => {
    const u = fromOpenAIUsage({
      prompt_tokens: 1500,
      completion_tokens: 100,
      prompt_tokens_details: { cached_tokens: 1486, cache_type: 'ephemeral', cache_creation_input_tokens: 0 },
    });
    assert.equal(u.explicitCache, true);
    const c = costOf(plus, u);
    close(c.cacheRead, (1486 * 0.08) / M);
    close(c.total, (14 * 0.8 + 1486 * 0.08 + 100 * 2) / M);
    close(c.cacheSavings, (1486 * (0.8 - 0.08)) / M);
  });

  it('batch: half price and no cache discount, even for tokens reported as cached', () => {
    const u = fromOpenAIUsage({ prompt_tokens: 3019, completion_tokens: 104, prompt_tokens_details: { cached_tokens: 2048 } });
    const c = costOf(plus, u, { batch: true });
    close(c.total, (3019 * 0.4 + 104 * 1.0) / M);
    close(c.cacheSavings, 0);
    // a batch answer that (somehow) reports an explicit cache still bills every prompt token at the batch input price
    const e = costOf(plus, { inputTokens: 2000, outputTokens: 0, cacheReadTokens: 1000, cacheWriteTokens: 500, reasoningTokens: 0, explicitCache: true }, { batch: true });
    close(e.total, (2000 * 0.4) / M);
  });

  it('tiered prices: the whole request at the tier its input falls in', () => {
    const at = (input: number, output: number, cached = 0) => costOf(plus, { inputTokens: input, outputTokens: output, cacheReadTokens: cached, cacheWriteTokens: 0, reasoningTokens: 0 });
    close(at(128_000, 1000).total, (128_000 * 0.8 + 1000 * 2) / M, 'the top of the first tier');
    assert.equal(at(128_000, 1000).tier, 0);
    close(at(128_001, 1000).total, (128_001 * 2.4 + 1000 * 20) / M, 'one token more: all of it at the second tier');
    assert.equal(at(128_001, 0).tier, 1);
    close(at(200_000, 1000).total, 0.5);
    // third tier, with implicit hits at 20% of that tier's input price
    close(at(300_000, 500, 100_000).total, (200_000 * 4.8 + 100_000 * 0.96 + 500 * 48) / M);
    assert.equal(at(300_000, 0).tier, 2);
    // beyond the last tier: the last tier
    assert.equal(at(2_000_000, 0).tier, 2);
    // batch in the second tier: half of that tier
    close(costOf(plus, { inputTokens: 200_000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }, { batch: true }).total, (200_000 * 1.2 + 1000 * 10) / M);
    // International qwen-flash: two tiers in USD
    const flash = new Catalogue({ dashscopeRegion: 'international' }).get('dashscope', 'qwen-flash')!;
    close(costOf(flash, { inputTokens: 300_000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }).total, (300_000 * 0.25 + 1000 * 2) / M);
    assert.equal(flash.currency, 'USD');
  });

  it('thinking mode: answers that report reasoning tokens bill output at the thinking price, per tier', () => {
    const u = fromOpenAIUsage({ prompt_tokens: 1000, completion_tokens: 500, completion_tokens_details: { reasoning_tokens: 300 } });
    const c = costOf(plus, u);
    assert.equal(c.thinking, true);
    close(c.total, (1000 * 0.8 + 500 * 8) / M);
    close(costOf(plus, { ...u, inputTokens: 200_000 }).total, (200_000 * 2.4 + 500 * 24) / M);
    close(costOf(plus, u, { batch: true }).total, (1000 * 0.4 + 500 * 4) / M, 'batch: half the thinking price');
    // no reasoning reported: the non-thinking price
    const plain = costOf(plus, { ...u, reasoningTokens: 0 });
    assert.equal(plain.thinking, false);
    close(plain.total, (1000 * 0.8 + 500 * 2) / M);
    // a model with the same price in both modes has no thinking price
    const flash = cat.get('dashscope', 'qwen-flash')!;
    close(costOf(flash, u).total, (1000 * 0.15 + 500 * 1.5) / M);
  });

  it('the estimate before sending and the compare table use the tier of the prompt', () => {
    const e = estimateCost(plus, 200_000, 1000);
    close(e.input, 0.48);
    close(e.outputMax, 0.02);
    close(estimateCost(plus, 100_000, 1000).totalMax, (100_000 * 0.8 + 1000 * 2) / M);
    close(estimateCost(plus, 200_000, 1000, { batch: true }).totalMax, 0.25);
    assert.equal(priceTier(plus, 300_000).inputPerM, 4.8);
    const rows = compareTable({
      catalogue: cat,
      providers: ['dashscope'],
      maxTokens: 1000,
      currency: { display: 'CNY', cnyPerUsd: 7 },
      tokensFor: () => ({ tokens: 200_000, exact: true }),
      batchAvailable: (_p, model) => model !== 'qwen3.7-flash',
    });
    const medium = rows.find((r) => r.tier === 'medium')!;
    assert.equal(medium.model, 'qwen-plus');
    close(medium.total, 0.5);
    close(medium.batchTotal!, 0.25);
    const simple = rows.find((r) => r.tier === 'simple')!;
    assert.equal(simple.model, 'qwen3.7-flash');
    assert.equal(simple.batchTotal, undefined, 'no batch figure where the batch cannot run');
  });
});

describe('pricing: DashScope in the ledger', () => {
  it('records an explicit-cache call at its prices, keeps the cache kind, and never books the write premium as a saving', () => {
    const cat = new Catalogue();
    const base = { time: 1, provider: 'dashscope' as const, model: 'qwen-plus', latencyMs: 1, retries: 0, outcome: 'ok' as const };
    const write = makeRecord(cat, { ...base, usage: fromOpenAIUsage({ prompt_tokens: 3564, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 0, cache_creation_input_tokens: 3550, cache_type: 'ephemeral' } }) }, 7);
    assert.equal(write.explicitCache, true);
    close(write.cost, (14 * 0.8 + 3550 * 1.0 + 100 * 2) / M);
    close(write.costUsd, write.cost / 7);
    assert.equal(write.cacheSavingsUsd, 0);
    const read = makeRecord(cat, { ...base, usage: fromOpenAIUsage({ prompt_tokens: 3564, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 3550, cache_type: 'ephemeral' } }) }, 7);
    close(read.cost, (14 * 0.8 + 3550 * 0.08 + 100 * 2) / M);
    close(read.cacheSavingsUsd, (3550 * 0.72) / M / 7);
    assert.equal(usageOf(read).explicitCache, true, 'recomputations (top-tier comparison) keep the cache kind');
  });
});

describe('pricing: the router estimate uses the input-length tier', () => {
  it('prices a 200K-token prompt on qwen-plus at the second tier', () => {
    const cat = new Catalogue();
    const router = new Router(defaultRoutingConfig('dashscope'), {
      modelInfo: (p, m) => {
        const e = cat.get(p, m);
        return e && { contextWindow: e.contextWindow, maxOutput: e.maxOutput, inputPerM: e.inputPerM, outputPerM: e.outputPerM, currency: e.currency, ...(e.tiers ? { tiers: e.tiers } : {}) };
      },
      toUsd: (amount) => amount, // keep CNY figures as they are, to compare with the hand calculation
      available: ['dashscope'],
      countTokens: () => 0,
    });
    const route = router.route({ task: 'explainCode', inputTokens: 200_000, selectionText: 'x', override: { provider: 'dashscope', model: 'qwen-plus' } });
    assert.ok(route && !isRouteError(route), 'a route');
    const prompt = route.inputTokens;
    assert.ok(prompt > 128_000 && prompt <= 256_000);
    close(route.estimatedUsd!.min, (prompt * 2.4) / M);
    close(route.estimatedUsd!.max, (prompt * 2.4 + route.maxTokens * 20) / M);
  });
});

describe('pricing: DashScope catalogue', () => {
  it('every DashScope entry has a source, a date and a window; qwen-plus has 1M in China; qwen-flash is listed', () => {
    const all = new Catalogue().all().filter((e) => e.provider === 'dashscope');
    assert.ok(all.length >= 9);
    for (const e of all) {
      assert.ok(e.source && /^https:\/\//.test(e.source), `${e.id}@${e.region} has a source`);
      assert.match(e.date ?? '', /^\d{4}-\d{2}-\d{2}$/, `${e.id}@${e.region} has a date`);
      assert.ok(e.contextWindow > 0 && e.maxOutput > 0, `${e.id}@${e.region} has limits`);
      assert.equal(e.currency, e.region === 'china' ? 'CNY' : 'USD');
      if (e.tiers) {
        assert.equal(e.tiers[0]!.inputPerM, e.inputPerM, `${e.id}: the first tier is the entry's price`);
        assert.equal(e.tiers[0]!.outputPerM, e.outputPerM);
        assert.ok(e.tiers[e.tiers.length - 1]!.upTo >= e.contextWindow, `${e.id}: the tiers cover the window`);
      }
    }
    const cn = new Catalogue({ dashscopeRegion: 'china' });
    assert.equal(cn.get('dashscope', 'qwen-plus')!.contextWindow, 1_000_000);
    assert.ok(cn.get('dashscope', 'qwen-flash'));
    assert.ok(new Catalogue({ dashscopeRegion: 'international' }).get('dashscope', 'qwen-flash'));
  });

  it('the US region takes US entries where there are some and the international (USD) prices otherwise', () => {
    const us = new Catalogue({ dashscopeRegion: 'us' });
    const plus = us.get('dashscope', 'qwen-plus')!;
    assert.equal(plus.currency, 'USD');
    assert.equal(plus.inputPerM, new Catalogue({ dashscopeRegion: 'international' }).get('dashscope', 'qwen-plus')!.inputPerM);
    const own = new Catalogue({ dashscopeRegion: 'us', overrides: { 'dashscope/qwen-plus@us': { inputPerM: 0.5, outputPerM: 1.5 } } });
    assert.equal(own.get('dashscope', 'qwen-plus')!.inputPerM, 0.5);
    assert.equal(own.get('dashscope', 'qwen-plus', 'international')!.inputPerM, 0.4, 'the international entry is left alone');
  });

  it('tierwise.models entries can price a DashScope region of their own (US), with thinking and explicit-cache prices', () => {
    const overrides = overridesFromSettings([{ provider: 'dashscope', id: 'qwen-plus', region: 'us', input: 0.5, output: 1.5, thinkingOutput: 5, explicitCachedInput: 0.05 }]);
    assert.deepEqual(Object.keys(overrides), ['dashscope/qwen-plus@us']);
    const us = new Catalogue({ dashscopeRegion: 'us', overrides }).get('dashscope', 'qwen-plus')!;
    assert.equal(us.region, 'us');
    assert.equal(us.inputPerM, 0.5);
    close(costOf(us, { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 50 }).total, (1000 * 0.5 + 100 * 5) / M);
    assert.equal(new Catalogue({ dashscopeRegion: 'international', overrides }).get('dashscope', 'qwen-plus')!.inputPerM, 0.4);
  });

  it('a price override replaces the input-length tiers', () => {
    const c = new Catalogue({ overrides: { 'dashscope/qwen-plus': { inputPerM: 1, outputPerM: 3 } } });
    const e = c.get('dashscope', 'qwen-plus')!;
    close(costOf(e, { inputTokens: 200_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }).total, 0.2);
  });
});

describe('pricing / DashScope: one region type for hosts and price lists', () => {
  it('reads every spelling users have in settings and price keys, and defaults like the setting (china)', () => {
    assert.equal(dashscopeRegionFrom('cn'), 'china');
    assert.equal(dashscopeRegionFrom('China'), 'china');
    assert.equal(dashscopeRegionFrom('intl'), 'international');
    assert.equal(dashscopeRegionFrom('us'), 'us');
    assert.equal(dashscopeRegionFrom('eu'), undefined);
    assert.equal(DEFAULT_DASHSCOPE_REGION, 'china');
    assert.equal(defaultBaseUrl('dashscope'), DASHSCOPE_BASE_URLS.china);
    assert.equal(new Catalogue().get('dashscope', 'qwen-plus')!.currency, 'CNY', 'the default price list is China’s');
    const c = new Catalogue({ overrides: { 'dashscope/qwen-plus@intl': { outputPerM: 1 }, 'dashscope/qwen-plus@cn': { outputPerM: 3 } } });
    assert.equal(c.get('dashscope', 'qwen-plus', 'international')!.outputPerM, 1);
    assert.equal(c.get('dashscope', 'qwen-plus', 'international')!.region, 'international');
    assert.equal(c.get('dashscope', 'qwen-plus', 'china')!.outputPerM, 3);
  });
});
