import assert from 'node:assert/strict';
import { PROVIDER_IDS, TIERS } from '../../../src/core/types';
import { ROUTING_SETTINGS, defaultRoutingConfig, routingConfigFromSettings } from '../../../src/core/routing/config';
import { english, isMessage } from '../../../src/core/messages';
import {
  DEFAULT_TIER_MODELS,
  SEED_TIER_MODELS,
  nextTier,
  parseModelRef,
  resolveTierTable,
} from '../../../src/core/routing/tiers';

describe('routing / tier models', () => {
  it("DashScope's defaults follow the region: Beijing's in CNY, Singapore's and Virginia's in USD; a user's tier setting still wins", () => {
    assert.deepEqual(routingConfigFromSettings({ dashscopeRegion: 'international' }).config.tiers.dashscope, { simple: 'qwen3.7-flash', medium: 'qwen3.7-plus', complex: 'qwen4-max' });
    assert.deepEqual(routingConfigFromSettings({ dashscopeRegion: 'us' }).config.tiers.dashscope, { simple: 'qwen3.7-flash', medium: 'qwen3.7-plus', complex: 'qwen4-max' });
    assert.deepEqual(routingConfigFromSettings({ dashscopeRegion: 'china' }).config.tiers.dashscope, { simple: 'qwen3.7-flash', medium: 'qwen-plus', complex: 'qwen3.8-max' });
    const mine = routingConfigFromSettings({ dashscopeRegion: 'international', tiers: { dashscope: { medium: 'qwen-plus' } } }).config.tiers.dashscope;
    assert.deepEqual(mine, { simple: 'qwen3.7-flash', medium: 'qwen-plus', complex: 'qwen4-max' });
  });

  it('has a model for every provider and tier, and keeps the seed names available', () => {
    for (const p of PROVIDER_IDS) for (const t of TIERS) assert.ok(DEFAULT_TIER_MODELS[p][t], `${p}.${t}`);
    assert.deepEqual(DEFAULT_TIER_MODELS.openai, { simple: 'gpt-6-luna', medium: 'gpt-6.1-sol', complex: 'gpt-6.2-astra' });
    assert.deepEqual(DEFAULT_TIER_MODELS.anthropic, { simple: 'claude-haiku-4-5', medium: 'claude-sonnet-5-5', complex: 'claude-opus-5-5' });
    assert.deepEqual(DEFAULT_TIER_MODELS.dashscope, { simple: 'qwen3.7-flash', medium: 'qwen-plus', complex: 'qwen3.8-max' });
    assert.deepEqual(SEED_TIER_MODELS.anthropic, {
      simple: 'claude-3-5-haiku-latest',
      medium: 'claude-3-5-sonnet-latest',
      complex: 'claude-3-opus-latest',
    });
    // The seed names are accepted as settings.
    const { table, problems } = resolveTierTable({ anthropic: SEED_TIER_MODELS.anthropic });
    assert.deepEqual(problems, []);
    assert.equal(table.anthropic.medium, 'claude-3-5-sonnet-latest');
  });

  it('merges overrides, keeps defaults for blanks and reports bad entries', () => {
    const { table, problems } = resolveTierTable({
      openai: { complex: 'o3', simple: '' },
      dashscope: { medium: 'qwen plus' },
      mistral: { simple: 'x' },
      anthropic: { huge: 'claude-opus-4-6' },
      openaiCompatible: 'llama3.2',
    });
    assert.equal(table.openai.complex, 'o3');
    assert.equal(table.openai.simple, 'gpt-6-luna');
    assert.equal(table.dashscope.medium, 'qwen-plus');
    assert.deepEqual(problems.map(english), [
      'tierwise.tiers.dashscope.medium: must be a model name without spaces; ignored.',
      'tierwise.tiers.mistral: unknown provider (known: openai, anthropic, dashscope, openaiCompatible); ignored.',
      'tierwise.tiers.anthropic.huge: unknown tier (known: simple, medium, complex); ignored.',
      'tierwise.tiers.openaiCompatible: must be an object with simple, medium and complex; ignored.',
    ]);
    assert.equal(DEFAULT_TIER_MODELS.openai.complex, 'gpt-6.2-astra', 'defaults untouched');
  });

  it('parses "provider/model" references, models may contain slashes', () => {
    assert.deepEqual(parseModelRef('dashscope/qwen-turbo'), { provider: 'dashscope', model: 'qwen-turbo' });
    assert.deepEqual(parseModelRef('openaiCompatible/meta-llama/Llama-3.1-8B'), {
      provider: 'openaiCompatible',
      model: 'meta-llama/Llama-3.1-8B',
    });
    const wrong = (spec: unknown) => {
      const r = parseModelRef(spec);
      return isMessage(r) ? english(r) : r;
    };
    assert.equal(wrong('gpt-4o'), '"gpt-4o" must look like "provider/model"');
    assert.equal(
      wrong('azure/gpt-4o'),
      '"azure/gpt-4o": unknown provider "azure" (known: openai, anthropic, dashscope, openaiCompatible)',
    );
    assert.equal(wrong(3), 'must be a string "provider/model"');
  });

  it('nextTier walks up and stops at the top', () => {
    assert.equal(nextTier('simple'), 'medium');
    assert.equal(nextTier('medium'), 'complex');
    assert.equal(nextTier('complex'), undefined);
  });
});

describe('routing / settings', () => {
  it('defaults: provider policy on the active provider, 8,000-token long-document threshold', () => {
    const { config, problems } = routingConfigFromSettings({});
    assert.deepEqual(problems, []);
    assert.deepEqual(config, defaultRoutingConfig('openai'));
    assert.equal(config.policy, 'provider');
    assert.equal(config.longDocumentTokens, 8000);
  });

  it('reads every routing setting', () => {
    const { config, problems } = routingConfigFromSettings({
      provider: 'anthropic',
      routing: { policy: 'perTier', perTier: { simple: 'dashscope', medium: '' }, localSimpleTier: true, longDocumentTokens: 12000 },
      tiers: { anthropic: { complex: 'claude-opus-4-6' } },
      tasks: { summarise: { maxTokens: 200 } },
      fallback: { simple: ['dashscope/qwen-turbo', 'openai/gpt-4o-mini'] },
    });
    assert.deepEqual(problems, []);
    assert.equal(config.activeProvider, 'anthropic');
    assert.equal(config.policy, 'perTier');
    assert.deepEqual(config.perTier, { simple: 'dashscope' });
    assert.equal(config.localSimpleTier, true);
    assert.equal(config.longDocumentTokens, 12000);
    assert.equal(config.tiers.anthropic.complex, 'claude-opus-4-6');
    assert.equal(config.tasks.summarise!.maxTokens, 200);
    assert.deepEqual(config.fallback.simple, [
      { provider: 'dashscope', model: 'qwen-turbo' },
      { provider: 'openai', model: 'gpt-4o-mini' },
    ]);
  });

  it('reports bad settings and falls back to defaults', () => {
    const { config, problems } = routingConfigFromSettings({
      provider: 'bedrock',
      routing: { policy: 'fastest', perTier: { simple: 'bedrock', giant: 'openai' }, localSimpleTier: 'yes', longDocumentTokens: -1 },
      fallback: { simple: ['openai/gpt-4o-mini', 'nope'], huge: [], medium: 'openai/gpt-4o' },
    });
    assert.equal(config.activeProvider, 'openai');
    assert.equal(config.policy, 'provider');
    assert.deepEqual(config.perTier, {});
    assert.equal(config.localSimpleTier, false);
    assert.equal(config.longDocumentTokens, 8000);
    assert.deepEqual(config.fallback, { simple: [{ provider: 'openai', model: 'gpt-4o-mini' }] });
    assert.deepEqual(problems.map(english), [
      'tierwise.provider: unknown provider "bedrock"; using openai.',
      'tierwise.routing.policy: must be one of provider, perTier, cheapest; using provider.',
      'tierwise.routing.perTier.simple: unknown provider "bedrock"; ignored.',
      'tierwise.routing.perTier.giant: unknown tier; ignored.',
      'tierwise.routing.localSimpleTier must be true or false; ignored.',
      'tierwise.routing.longDocumentTokens must be a positive integer; using 8000.',
      'tierwise.fallback.simple: "nope" must look like "provider/model"; skipped.',
      'tierwise.fallback.huge: unknown tier (known: simple, medium, complex); ignored.',
      'tierwise.fallback.medium must be a list of "provider/model"; ignored.',
    ]);
  });

  it('describes every setting it reads, with defaults matching the code', () => {
    const keys = Object.keys(ROUTING_SETTINGS);
    for (const k of [
      'tierwise.routing.policy',
      'tierwise.routing.perTier',
      'tierwise.routing.localSimpleTier',
      'tierwise.routing.longDocumentTokens',
      'tierwise.tasks',
      'tierwise.fallback',
    ]) {
      assert.ok(keys.includes(k), k);
    }
    for (const p of PROVIDER_IDS) {
      for (const t of TIERS) assert.equal(ROUTING_SETTINGS[`tierwise.tiers.${p}.${t}`]!.default, DEFAULT_TIER_MODELS[p][t]);
    }
    const d = defaultRoutingConfig();
    assert.equal(ROUTING_SETTINGS['tierwise.routing.policy']!.default, d.policy);
    assert.equal(ROUTING_SETTINGS['tierwise.routing.longDocumentTokens']!.default, d.longDocumentTokens);
    for (const s of Object.values(ROUTING_SETTINGS)) assert.ok(s.description.length > 10);
  });
});
