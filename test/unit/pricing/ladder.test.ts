import assert from 'node:assert/strict';
import { Catalogue, isRetired, laddersRise, type ModelEntry } from '../../../src/core/pricing/catalogue';
import { defaultRoutingConfig } from '../../../src/core/routing/config';
import { Router, isRouteError } from '../../../src/core/routing/router';
import { DEFAULT_TIER_MODELS } from '../../../src/core/routing/tiers';
import { TIERS, type ProviderId } from '../../../src/core/types';

const TODAY = '2026-12-01';
const CLOUD: ProviderId[] = ['openai', 'anthropic', 'dashscope'];

describe('pricing / default tier ladders', () => {
  for (const region of ['china', 'international'] as const) {
    const cat = new Catalogue({ dashscopeRegion: region });
    for (const provider of CLOUD) {
      if (provider !== 'dashscope' && region === 'international') continue;
      const label = provider === 'dashscope' ? `dashscope (${region})` : provider;

      it(`${label}: every default is catalogued, current and priced; simple < medium < complex per token`, () => {
        const steps = TIERS.map((t) => {
          const id = DEFAULT_TIER_MODELS[provider][t];
          const e = cat.get(provider, id);
          assert.ok(e, `${provider} ${t} default ${id} is in the catalogue`);
          assert.ok(!e.deprecated, `${provider} ${t} default ${id} is deprecated`);
          assert.ok(!isRetired(e, TODAY), `${provider} ${t} default ${id} is past its end of life ${e.endOfLife}`);
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

  it("the catalogue's tier hints name the same defaults (used where no tier table is given)", () => {
    const cat = new Catalogue();
    for (const p of CLOUD) for (const t of TIERS) assert.equal(cat.defaultFor(p, t)?.id, DEFAULT_TIER_MODELS[p][t], `${p} ${t}`);
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
