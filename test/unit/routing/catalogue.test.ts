import assert from 'node:assert/strict';
import { Catalogue, toUsd } from '../../../src/core/pricing';
import { PROVIDER_IDS, TIERS } from '../../../src/core/types';
import { defaultRoutingConfig } from '../../../src/core/routing/config';
import { Router, isRouteError } from '../../../src/core/routing/router';
import { DEFAULT_TIER_MODELS, SEED_TIER_MODELS } from '../../../src/core/routing/tiers';

// The router against the real pricing catalogue, as the host wires it.
describe('routing / with the pricing catalogue', () => {
  const catalogue = new Catalogue();

  it('knows every default cloud tier model and the seed names', () => {
    for (const p of PROVIDER_IDS.filter((x) => x !== 'openaiCompatible')) {
      for (const t of TIERS) {
        assert.ok(catalogue.get(p, DEFAULT_TIER_MODELS[p][t]), `${p}/${DEFAULT_TIER_MODELS[p][t]}`);
        assert.ok(catalogue.get(p, SEED_TIER_MODELS[p][t]), `${p}/${SEED_TIER_MODELS[p][t]}`);
      }
    }
  });

  it('routes with catalogue prices and windows', () => {
    const router = new Router(
      { ...defaultRoutingConfig('openai'), policy: 'cheapest' },
      {
        modelInfo: (p, m) => catalogue.get(p, m),
        toUsd: (amount, currency) => toUsd(amount, currency),
        available: ['openai', 'anthropic', 'dashscope'],
        countTokens: () => 0,
      },
    );
    const r = router.route({ task: 'classify', inputTokens: 1000, selectionText: 'x' });
    assert.ok(!isRouteError(r));
    assert.equal(r.model, 'qwen3.7-flash');
    assert.ok(r.estimatedUsd && r.estimatedUsd.max > 0);
  });

  it('treats a window of 0 (an entry added without one) as unknown rather than too small', () => {
    const custom = new Catalogue({ overrides: { 'openaiCompatible/llama3.2': { inputPerM: 0, outputPerM: 0 } } });
    assert.equal(custom.get('openaiCompatible', 'llama3.2')?.contextWindow, 0);
    const router = new Router(
      { ...defaultRoutingConfig('openaiCompatible') },
      { modelInfo: (p, m) => custom.get(p, m), toUsd, available: ['openaiCompatible'], countTokens: () => 0 },
    );
    const r = router.route({ task: 'explainCode', inputTokens: 3000, selectionText: 'x' });
    assert.ok(!isRouteError(r));
    assert.equal(r.model, 'llama3.2');
    assert.equal(r.maxTokens, 800);
    assert.deepEqual(r.estimatedUsd, { min: 0, max: 0 });
  });
});
