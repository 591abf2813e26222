import * as assert from 'node:assert/strict';
import { Catalogue } from '../../../src/core/pricing';
import { defaultRoutingConfig } from '../../../src/core/routing/config';
import { Pricing } from '../../../src/host/prices/pricing';
import type { TierwiseConfig } from '../../../src/host/config';

/** The settings Pricing reads, for an OpenAI-compatible endpoint at `baseUrl` whose tiers name `models`. */
function config(baseUrl: string, models: [string, string, string], userModels: unknown[] = []): TierwiseConfig {
  const routing = defaultRoutingConfig('openaiCompatible');
  routing.tiers.openaiCompatible = { simple: models[0], medium: models[1], complex: models[2] };
  return {
    routing: { config: routing, problems: [] },
    providers: { openai: {}, anthropic: {}, dashscope: {}, openaiCompatible: { baseUrl } },
    dashscopeRegion: 'international',
    currency: { display: 'USD', cnyPerUsd: 7.2 },
    models: userModels,
    workspaceModels: [],
  } as unknown as TierwiseConfig;
}

const GATEWAY = 'https://llm-gateway.example.com/v1';

describe('Gateway models in the price list', () => {
  it('a gateway model named after a catalogue model is estimated at that list price, and labelled so', () => {
    const p = new Pricing(config(GATEWAY, ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'dashscope/qwen-plus']));
    const list = new Catalogue({ dashscopeRegion: 'international' });
    for (const [model, provider, id] of [
      ['openai/gpt-4o-mini', 'openai', 'gpt-4o-mini'],
      ['anthropic/claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
      ['dashscope/qwen-plus', 'dashscope', 'qwen-plus'],
    ] as const) {
      const e = p.entry('openaiCompatible', model)!;
      const of = list.get(provider, id)!;
      assert.ok(e, `${model} has a price`);
      assert.equal(e.inputPerM, of.inputPerM);
      assert.equal(e.outputPerM, of.outputPerM);
      assert.equal(e.currency, of.currency);
      assert.equal(p.priceNote('openaiCompatible', model), `list price of ${provider}/${id}; the gateway's cost is recorded after the call`);
    }
    const cost = p.cost('openaiCompatible', 'openai/gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 })!;
    assert.equal(cost.usd, list.get('openai', 'gpt-4o-mini')!.inputPerM, 'a call costs what the list model would');
  });

  it('once the gateway reported a cost for a model, its label says the ledger uses the gateway’s figure', () => {
    const p = new Pricing(config(GATEWAY, ['gpt-4o', 'gpt-4o', 'team-model']));
    p.noteGatewayCost('gpt-4o');
    assert.equal(p.priceNote('openaiCompatible', 'gpt-4o'), "list price of openai/gpt-4o for estimates; the ledger uses the gateway's cost");
    p.noteGatewayCost('team-model');
    assert.match(p.priceNote('openaiCompatible', 'team-model')!, /^no list price for team-model: the ledger uses the gateway's cost; .*tierwise\.models: \{"provider":"openaiCompatible","id":"team-model"/);
  });

  it('a model that maps to nothing has no price, and its note says how to set one', () => {
    const p = new Pricing(config(GATEWAY, ['team-model', 'team-model', 'team-model']));
    assert.equal(p.entry('openaiCompatible', 'team-model'), undefined);
    assert.equal(
      p.priceNote('openaiCompatible', 'team-model'),
      'price unknown: the gateway reports no cost for team-model yet; set its price (per million tokens) in tierwise.models: {"provider":"openaiCompatible","id":"team-model","input":1,"output":2}',
    );
  });

  it("the user's own price wins and has no gateway label", () => {
    const p = new Pricing(config(GATEWAY, ['openai/gpt-4o', 'openai/gpt-4o', 'openai/gpt-4o'], [{ provider: 'openaiCompatible', id: 'openai/gpt-4o', input: 1, output: 3 }]));
    assert.equal(p.entry('openaiCompatible', 'openai/gpt-4o')!.inputPerM, 1);
    assert.equal(p.priceNote('openaiCompatible', 'openai/gpt-4o'), undefined);
  });

  it('on a local server the same names are free, not list-priced', () => {
    const p = new Pricing(config('http://127.0.0.1:11434/v1', ['gpt-4o', 'gpt-4o', 'gpt-4o']));
    assert.equal(p.entry('openaiCompatible', 'gpt-4o')!.inputPerM, 0);
    assert.equal(p.priceNote('openaiCompatible', 'gpt-4o'), undefined);
    assert.equal(p.priceNote('openai', 'gpt-4o'), undefined, 'hosted providers have their own prices');
  });
});
