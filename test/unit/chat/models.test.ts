import assert from 'node:assert/strict';
import { AUTO_MODEL_ID, UNKNOWN_LIMITS, chatModels, limitsOf, supportsToolCalling } from '../../../src/core/chat/models';
import { spendBlock, tiersBelow } from '../../../src/core/chat/spending';
import { budgetCheck } from '../../../src/core/pricing/budget';
import { Catalogue } from '../../../src/core/pricing';
import { DEFAULT_TIER_MODELS as DEFAULT_TIERS } from '../../../src/core/routing/tiers';
import type { ProviderId } from '../../../src/core/types';

const catalogue = new Catalogue();
const info = (p: ProviderId, m: string) => {
  const e = catalogue.get(p, m);
  return e ? { contextWindow: e.contextWindow, maxInput: e.maxInput, maxOutput: e.maxOutput, inputPerM: e.inputPerM, outputPerM: e.outputPerM, currency: e.currency } : undefined;
};

describe('chat/models: what Tierwise offers VS Code chat', () => {
  it('lists Auto first, then the tier models of the providers that are set up only', () => {
    const list = chatModels({ available: ['anthropic', 'dashscope'], tiers: DEFAULT_TIERS, modelInfo: info });
    assert.deepEqual(list.map((m) => m.id), [AUTO_MODEL_ID, 'anthropic/simple', 'anthropic/medium', 'anthropic/complex', 'dashscope/simple', 'dashscope/medium', 'dashscope/complex']);
    const medium = list.find((m) => m.id === 'anthropic/medium')!;
    const e = catalogue.get('anthropic', DEFAULT_TIERS.anthropic.medium)!;
    assert.equal(medium.maxOutputTokens, e.maxOutput);
    assert.equal(medium.maxInputTokens, e.maxInput ? Math.min(e.maxInput, e.contextWindow) : e.contextWindow - e.maxOutput);
    const auto = list[0]!;
    assert.equal(auto.maxInputTokens, Math.max(...list.slice(1).map((m) => m.maxInputTokens)));
    assert.equal(auto.target, undefined);
  });

  it('no provider set up: no models at all (not a lone Auto)', () => {
    assert.deepEqual(chatModels({ available: [], tiers: DEFAULT_TIERS, modelInfo: info }), []);
  });

  it('a model the catalogue does not know gets limits a chat can plan with', () => {
    assert.deepEqual(limitsOf(undefined), UNKNOWN_LIMITS);
    assert.deepEqual(limitsOf({ contextWindow: 128_000, maxOutput: 16_000, inputPerM: 1, outputPerM: 1, currency: 'USD' }), { maxInputTokens: 112_000, maxOutputTokens: 16_000 });
    assert.deepEqual(limitsOf({ contextWindow: 400_000, maxInput: 272_000, maxOutput: 128_000, inputPerM: 1, outputPerM: 1, currency: 'USD' }), { maxInputTokens: 272_000, maxOutputTokens: 128_000 });
  });

  it('models that cannot call tools say so, and Auto then says so too', () => {
    assert.equal(supportsToolCalling('openai', 'gpt-4o-mini'), true);
    assert.equal(supportsToolCalling('openai', 'o1-mini'), false);
    assert.equal(supportsToolCalling('dashscope', 'qwen-mt-turbo'), false);
    assert.equal(supportsToolCalling('anthropic', 'claude-haiku-4-5'), true);
    const tiers = { ...DEFAULT_TIERS, dashscope: { ...DEFAULT_TIERS.dashscope, simple: 'qwen-mt-turbo' } };
    const list = chatModels({ available: ['dashscope'], tiers, modelInfo: info });
    assert.equal(list.find((m) => m.id === 'dashscope/simple')!.toolCalling, false);
    assert.equal(list[0]!.toolCalling, false);
  });
});

describe('chat/spending: the rules without a dialog', () => {
  const budget = (daily: number, spent: number) => (usd: number) => budgetCheck(spent, spent, usd, { dailyUsd: daily });
  it('the budget comes first and names its setting; then the threshold', () => {
    const b = spendBlock(0.5, budget(1, 0.8), 0.1);
    assert.equal(b?.rule, 'budget');
    assert.equal(b?.setting, 'tierwise.budget.dailyUsd');
    const t = spendBlock(0.5, budget(10, 0), 0.1);
    assert.deepEqual(t, { rule: 'threshold', estimateUsd: 0.5, thresholdUsd: 0.1, setting: 'tierwise.confirmAboveUsd' });
    assert.equal(spendBlock(0.05, budget(10, 0), 0.1), undefined);
    assert.equal(spendBlock(5, budget(10, 0), 0), undefined, 'threshold 0: never asks');
  });
  it('a used-up budget blocks even a free call', () => {
    assert.equal(spendBlock(0, budget(1, 1), 0)?.rule, 'budget');
  });
  it('Auto steps down through the tiers below, highest first', () => {
    assert.deepEqual(tiersBelow('complex'), ['medium', 'simple']);
    assert.deepEqual(tiersBelow('simple'), []);
  });
});
