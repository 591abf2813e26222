/**
 * One cost formula: the same request priced by the router's estimate, the prompt-file lens, the answer panel
 * (host Pricing.cost) and the ledger gives the same number, across DashScope input-length tiers and with a cached
 * share of the prompt.
 */
import assert from 'node:assert/strict';
import { makeRecord, promptFileCost, toUsd, type Catalogue } from '../../../src/core/pricing';
import { defaultRoutingConfig } from '../../../src/core/routing/config';
import { Router, isRouteError } from '../../../src/core/routing/router';
import type { Usage } from '../../../src/core/types';
import { Pricing } from '../../../src/host/prices/pricing';
import type { TierwiseConfig } from '../../../src/host/config';

const RATE = 7.2;
const M = 1e6;
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);

/** The host's pricing with no user prices: China region, CNY per USD 7.2, USD display. */
function hostPricing(): Pricing {
  const routing = defaultRoutingConfig('dashscope');
  const cfg = {
    models: [],
    workspaceModels: [],
    dashscopeRegion: 'china',
    currency: { display: 'USD', cnyPerUsd: RATE },
    providers: { openaiCompatible: { baseUrl: 'https://gateway.example.com/v1' } },
    routing: { config: routing },
  } as unknown as TierwiseConfig;
  return new Pricing(cfg);
}

describe('pricing: one cost formula for router, lens, answer panel and ledger', () => {
  const pricing = hostPricing();
  const catalogue: Catalogue = pricing.entries;
  const entry = catalogue.get('dashscope', 'qwen-plus')!;
  const router = new Router(defaultRoutingConfig('dashscope'), {
    modelInfo: (p, m) => pricing.modelInfo(p, m),
    toUsd: (a, c) => pricing.toUsd(a, c),
    available: ['dashscope'],
    countTokens: () => 0,
  });

  it('uses a model with input-length tiers and a cache price (the case the three old formulas disagreed on)', () => {
    assert.equal(entry.currency, 'CNY');
    assert.ok((entry.tiers?.length ?? 0) >= 2);
    assert.ok(entry.cachedInputPerM !== undefined);
  });

  for (const selection of [2_000, 150_000]) {
    it(`a ${selection.toLocaleString('en-US')}-token request costs the same everywhere, at the tier its input falls in`, () => {
      const route = router.route({ task: 'explainCode', inputTokens: selection, selectionText: 'x', override: { provider: 'dashscope', model: 'qwen-plus' } });
      if (isRouteError(route)) assert.fail(route.message);
      assert.equal(route.model, 'qwen-plus');
      const prompt = route.inputTokens;
      const output = route.request.maxTokens!;
      const tier = entry.tiers!.find((t) => prompt <= t.upTo)!;
      const expectedUsd = (prompt * tier.inputPerM + output * tier.outputPerM) / M / RATE;

      const routerUsd = route.estimatedUsd!.max;
      const lens = promptFileCost(entry, prompt, { maxTokens: output });
      const lensUsd = toUsd(lens.perCall + lens.maxOutput!, lens.currency, RATE);
      const usage: Usage = { inputTokens: prompt, outputTokens: output, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
      const panelUsd = pricing.cost('dashscope', 'qwen-plus', usage)!.usd;
      const ledgerUsd = makeRecord(catalogue, { time: 0, provider: 'dashscope', model: 'qwen-plus', usage, latencyMs: 0, retries: 0, outcome: 'ok' }, RATE).costUsd;

      close(routerUsd, expectedUsd, 'router');
      close(lensUsd, expectedUsd, 'lens');
      close(panelUsd, expectedUsd, 'answer panel');
      close(ledgerUsd, expectedUsd, 'ledger');
      close(route.estimatedUsd!.min, toUsd(lens.perCall, 'CNY', RATE), 'the router’s low end is the lens’s input cost');
    });

    it(`with ${selection.toLocaleString('en-US')} tokens, a cached prefix costs the same in the lens, the answer panel and the ledger`, () => {
      const prompt = selection;
      const prefix = Math.floor(prompt / 2);
      const output = 500;
      const lens = promptFileCost(entry, prompt, { maxTokens: output, cachedPrefixTokens: prefix });
      const tier = entry.tiers!.find((t) => prompt <= t.upTo)!;
      // The cache price keeps its share of the tier's input price.
      const cachedPerM = (entry.cachedInputPerM! * tier.inputPerM) / entry.inputPerM;
      const expectedUsd = ((prompt - prefix) * tier.inputPerM + prefix * cachedPerM + output * tier.outputPerM) / M / RATE;

      const usage: Usage = { inputTokens: prompt, outputTokens: output, cacheReadTokens: prefix, cacheWriteTokens: 0, reasoningTokens: 0 };
      close(toUsd(lens.cachedPerCall! + lens.maxOutput!, 'CNY', RATE), expectedUsd, 'lens');
      close(pricing.cost('dashscope', 'qwen-plus', usage)!.usd, expectedUsd, 'answer panel');
      close(makeRecord(catalogue, { time: 0, provider: 'dashscope', model: 'qwen-plus', usage, latencyMs: 0, retries: 0, outcome: 'ok' }, RATE).costUsd, expectedUsd, 'ledger');
      assert.ok(lens.cachedPerCall! < lens.perCall);
    });
  }
});
