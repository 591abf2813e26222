import assert from 'node:assert/strict';
import { Catalogue, isRetired, laddersRise, type ModelEntry } from '../../../src/core/pricing/catalogue';
import { defaultRoutingConfig } from '../../../src/core/routing/config';
import { Router, isRouteError } from '../../../src/core/routing/router';
import { lifecycleOf, modelNotice } from '../../../src/core/pricing/lifecycle';
import { DEFAULT_TIER_MODELS, defaultTierModels } from '../../../src/core/routing/tiers';
import { TIERS, type ProviderId } from '../../../src/core/types';

/** The day the catalogue was last checked: no default may be retired or past its end of life by then. */
const TODAY = Catalogue.builtInDate();
const CLOUD: ProviderId[] = ['openai', 'anthropic', 'dashscope'];

describe('pricing / default tier ladders', () => {
  for (const region of ['china', 'international', 'us'] as const) {
    const cat = new Catalogue({ dashscopeRegion: region });
    const defaults = defaultTierModels(region);
    for (const provider of CLOUD) {
      if (provider !== 'dashscope' && region !== 'china') continue;
      const label = provider === 'dashscope' ? `dashscope (${region})` : provider;

      it(`${label}: every default is catalogued, neither deprecated nor retired, and priced; simple < medium < complex per token`, () => {
        const steps = TIERS.map((t) => {
          const id = defaults[provider][t];
          const e = cat.get(provider, id);
          assert.ok(e, `${provider} ${t} default ${id} is in the catalogue`);
          assert.ok(!e.deprecated, `${provider} ${t} default ${id} is deprecated`);
          const lc = lifecycleOf(e, TODAY);
          assert.ok(lc.status === 'current' || lc.status === 'legacy', `${provider} ${t} default ${id} is ${lc.status}`);
          assert.ok(!isRetired(e, TODAY), `${provider} ${t} default ${id} is past its end of life ${e.endOfLife}`);
          assert.equal(modelNotice(cat, provider, id, TODAY), undefined, `${id} would be flagged`);
          assert.ok(e.inputPerM > 0 && e.outputPerM > 0, `${id} has prices`);
          return e;
        });
        assert.ok(
          laddersRise(steps),
          `${label}: ${steps.map((e) => `${e.id} ${e.inputPerM}/${e.outputPerM}`).join(' < ')} does not rise`,
        );
      });
    }
  }

  it("the catalogue's tier hints name the same defaults in every DashScope region (used where no tier table is given)", () => {
    for (const region of ['china', 'international', 'us'] as const) {
      const cat = new Catalogue({ dashscopeRegion: region });
      const defaults = defaultTierModels(region);
      for (const p of CLOUD) for (const t of TIERS) assert.equal(cat.defaultFor(p, t)?.id, defaults[p][t], `${p} ${t} (${region})`);
    }
    assert.deepEqual(DEFAULT_TIER_MODELS, defaultTierModels('china'), 'China is the default region');
  });

  it('a ladder rises only when no step is cheaper in input or output and each step costs more', () => {
    const p = (inputPerM: number, outputPerM: number) => ({ inputPerM, outputPerM });
    assert.equal(laddersRise([p(0.1, 0.5), p(2, 10), p(8, 40)]), true);
    assert.equal(laddersRise([p(2, 8), p(2, 10)]), true);
    // The issue's OpenAI case: gpt-4o ($2.50/$10) as medium above gpt-4.1 ($2/$8) as complex.
    assert.equal(laddersRise([p(0.15, 0.6), p(2.5, 10), p(2, 8)]), false);
    assert.equal(laddersRise([p(2, 8), p(1.25, 10)]), false, 'cheaper input is out of order');
    assert.equal(laddersRise([p(1, 5), p(1, 5)]), false, 'the same price twice is no step');
  });
});

describe('pricing / catalogue entries', () => {
  const all = new Catalogue().all();
  const current = (p: ProviderId) => all.filter((e) => e.provider === p && !e.deprecated);

  it('every entry carries its lifecycle: a status, its source and the date checked; successors are catalogued', () => {
    for (const e of all) {
      const at = `${e.provider}/${e.id}${e.region ? ` (${e.region})` : ''}`;
      assert.ok(['current', 'legacy', 'deprecated', 'retired'].includes(e.status ?? ''), `${at} status ${e.status}`);
      assert.match(e.lifecycleSource ?? '', /^https:\/\//, `${at} lifecycle source`);
      assert.match(e.lifecycleChecked ?? '', /^\d{4}-\d{2}-\d{2}$/, `${at} lifecycle checked`);
      assert.equal(!!e.deprecated, e.status === 'deprecated' || e.status === 'retired', `${at}: deprecated is true exactly for deprecated and retired models`);
      if (e.status === 'retired') assert.ok(e.endOfLife && e.endOfLife <= TODAY, `${at} is retired but has no past end of life`);
      if (e.endOfLife && e.endOfLife < TODAY) assert.equal(e.status, 'retired', `${at} is past its end of life ${e.endOfLife}`);
      if (e.successor) {
        const next = new Catalogue({ dashscopeRegion: e.region }).get(e.provider, e.successor);
        assert.ok(next, `${at}: successor ${e.successor} is catalogued`);
        assert.equal(lifecycleOf(next, TODAY).status === 'retired', false, `${at}: successor ${e.successor} is not retired`);
      }
    }
  });

  it('the retirements the platforms announced: qwen-turbo on 2026-10-10 in both regions, Claude 3 Haiku on 2026-04-20; Haiku 4.5 legacy', () => {
    for (const region of ['china', 'international'] as const) {
      const cat = new Catalogue({ dashscopeRegion: region });
      const n = modelNotice(cat, 'dashscope', 'qwen-turbo', '2026-12-07');
      assert.equal(n?.level, 'retired');
      assert.equal(n?.successor, 'qwen3.7-flash');
      assert.equal(n?.message, 'qwen-turbo was retired by Alibaba Cloud Model Studio on 2026-10-10: requests to it fail. Alibaba Cloud Model Studio recommends qwen3.7-flash instead.');
    }
    const cat = new Catalogue();
    assert.equal(modelNotice(cat, 'anthropic', 'claude-3-haiku-20240307', '2026-12-07')?.endOfLife, '2026-04-20');
    assert.equal(lifecycleOf(cat.get('anthropic', 'claude-haiku-4-5')!, '2026-12-07').status, 'legacy');
    assert.equal(cat.get('anthropic', 'claude-haiku-4-5')?.successor, 'claude-haiku-5-5');
    assert.equal(modelNotice(cat, 'anthropic', 'claude-haiku-4-5', '2026-12-07'), undefined, 'a legacy model is not flagged');
    // A deprecation without a named successor offers the tier's current model.
    const gpt5 = modelNotice(cat, 'openai', 'gpt-5', '2026-12-01', (e) => DEFAULT_TIER_MODELS.openai[e.tier]);
    assert.equal(gpt5?.level, 'deprecated');
    assert.equal(gpt5?.successor, 'gpt-6.2-astra');
    assert.match(gpt5!.message, /stops answering on 2026-12-11\. Tierwise's current complex model is gpt-6\.2-astra\./);
    assert.equal(modelNotice(cat, 'openai', 'gpt-5', '2026-12-12')?.level, 'retired', 'past its end of life it is retired');
  });

  it('every entry has a source and a date; deprecations carry a valid end-of-life date where one is given', () => {
    for (const e of all) {
      assert.ok(e.source, `${e.provider}/${e.id} source`);
      assert.match(e.date ?? '', /^\d{4}-\d{2}-\d{2}$/, `${e.provider}/${e.id} date`);
      if (e.endOfLife !== undefined) {
        assert.match(e.endOfLife, /^\d{4}-\d{2}-\d{2}$/, `${e.provider}/${e.id} endOfLife`);
        assert.ok(e.deprecated, `${e.provider}/${e.id} has an end of life but is not marked deprecated`);
      }
    }
  });

  it('current OpenAI and Anthropic models carry every price, the window and the output limit', () => {
    for (const p of ['openai', 'anthropic'] as const) {
      const list = current(p);
      assert.ok(list.length >= 4, `${p} has current models`);
      for (const e of list) {
        const fields: (keyof ModelEntry)[] = ['inputPerM', 'outputPerM', 'cachedInputPerM', 'cacheWritePerM', 'batchInputPerM', 'batchOutputPerM', 'contextWindow', 'maxOutput'];
        for (const f of fields) assert.ok(typeof e[f] === 'number' && (e[f] as number) > 0, `${p}/${e.id} ${f}`);
        assert.ok(e.cachedInputPerM! < e.inputPerM, `${p}/${e.id}: a cache read costs less than input`);
      }
    }
  });

  it('Claude 3 Haiku cache prices: $0.03 per M read, $0.30 per M write', () => {
    const e = new Catalogue().get('anthropic', 'claude-3-haiku-20240307')!;
    assert.equal(e.cachedInputPerM, 0.03);
    assert.equal(e.cacheWritePerM, 0.3);
  });

  it('the old defaults stay priced but deprecated, with their shutdown dates', () => {
    const cat = new Catalogue();
    assert.equal(cat.get('openai', 'gpt-4o')?.endOfLife, '2027-01-14');
    assert.equal(cat.get('openai', 'gpt-4.1')?.deprecated, true);
    assert.equal(cat.get('anthropic', 'claude-opus-4-5')?.deprecated, true);
    assert.equal(cat.defaultFor('openai', 'medium')?.deprecated, undefined, 'defaultFor never returns a deprecated model');
  });
});

describe('routing / input limits below the context window', () => {
  const cat = new Catalogue();
  const ports = {
    modelInfo: (p: ProviderId, m: string) => {
      const e = cat.get(p, m);
      return e && { contextWindow: e.contextWindow, maxInput: e.maxInput, maxOutput: e.maxOutput, inputPerM: e.inputPerM, outputPerM: e.outputPerM, currency: e.currency };
    },
    toUsd: (x: number) => x,
    available: ['openai'] as ProviderId[],
    countTokens: () => 0,
  };

  it('GPT-5 takes at most 272K input tokens although its window is 400K: refused before sending', () => {
    const router = new Router(defaultRoutingConfig('openai'), ports);
    const r = router.route({ task: 'analyseDocument', inputTokens: 300_000, selectionText: 'x', override: { provider: 'openai', model: 'gpt-5' } });
    assert.ok(isRouteError(r));
    assert.equal(r.error, 'tooLarge');
    assert.match(r.message, /300,000 tokens exceed gpt-5's input limit of 272,000/);
    const fits = router.route({ task: 'analyseDocument', inputTokens: 250_000, selectionText: 'x', override: { provider: 'openai', model: 'gpt-5' } });
    assert.ok(!isRouteError(fits));
  });

  it('the automatic route skips a model whose input limit is too small', () => {
    const router = new Router({ ...defaultRoutingConfig('openai'), tiers: { ...defaultRoutingConfig().tiers, openai: { simple: 'gpt-5-mini', medium: 'gpt-5', complex: 'gpt-6.2-astra' } } }, ports);
    const r = router.route({ task: 'answer', inputTokens: 300_000, selectionText: 'x', override: { tier: 'medium' } });
    assert.ok(!isRouteError(r));
    assert.equal(r.model, 'gpt-6.2-astra');
    assert.match(r.reason, /escalated from medium: 300,000 tokens exceed gpt-5's input limit of 272,000/);
  });
});
