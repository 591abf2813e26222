import assert from 'node:assert/strict';
import type { ProviderId } from '../../../src/core/types';
import type { RoutingConfig } from '../../../src/core/routing/config';
import { defaultRoutingConfig, routingConfigFromSettings } from '../../../src/core/routing/config';
import type { Route, RouteError, RouteInput } from '../../../src/core/routing/router';
import { Router, isRouteError } from '../../../src/core/routing/router';
import { DEFAULT_TASKS } from '../../../src/core/routing/taskCatalogue';
import { CNY_TO_USD, TEST_TIERS, ports } from './fixtures';

const ALL: ProviderId[] = ['openai', 'anthropic', 'dashscope', 'openaiCompatible'];

function cfg(patch: Partial<RoutingConfig> = {}): RoutingConfig {
  return { ...defaultRoutingConfig('openai'), tiers: structuredClone(TEST_TIERS), ...patch };
}

function input(task: string, inputTokens: number, extra: Partial<RouteInput> = {}): RouteInput {
  return { task, inputTokens, selectionText: 'some text', ...extra };
}

function ok(r: Route | RouteError | undefined): Route {
  assert.ok(r, 'expected a route');
  if (isRouteError(r)) assert.fail(`expected a route, got error: ${r.message}`);
  return r;
}

function summary(r: Route | RouteError): string {
  return isRouteError(r) ? `error:${r.error}` : `${r.tier} ${r.provider}/${r.model}`;
}

describe('routing / router: routing table per policy', () => {
  const tasks = ['classify', 'extractKeywords', 'explainCode', 'reviewCode'];

  it('provider: every tier on the active provider', () => {
    const table = (active: ProviderId) => {
      const router = new Router(cfg({ activeProvider: active }), ports(ALL));
      return tasks.map((t) => summary(router.route(input(t, 200))));
    };
    assert.deepEqual(table('openai'), [
      'simple openai/gpt-4o-mini',
      'simple openai/gpt-4o-mini',
      'medium openai/gpt-4o',
      'complex openai/gpt-4.1',
    ]);
    assert.deepEqual(table('anthropic'), [
      'simple anthropic/claude-haiku-4-5',
      'simple anthropic/claude-haiku-4-5',
      'medium anthropic/claude-sonnet-4-5',
      'complex anthropic/claude-opus-4-5',
    ]);
    assert.deepEqual(table('dashscope'), [
      'simple dashscope/qwen-turbo',
      'simple dashscope/qwen-turbo',
      'medium dashscope/qwen-plus',
      'complex dashscope/qwen-max',
    ]);
    assert.deepEqual(table('openaiCompatible'), [
      'simple openaiCompatible/llama3.2',
      'simple openaiCompatible/llama3.2',
      'medium openaiCompatible/llama3.2',
      'complex openaiCompatible/llama3.2',
    ]);
  });

  it('provider + localSimpleTier: simple tier on the local server, the rest in the cloud (hybrid)', () => {
    const router = new Router(cfg({ activeProvider: 'anthropic', localSimpleTier: true }), ports(ALL));
    assert.deepEqual(
      tasks.map((t) => summary(router.route(input(t, 200)))),
      [
        'simple openaiCompatible/llama3.2',
        'simple openaiCompatible/llama3.2',
        'medium anthropic/claude-sonnet-4-5',
        'complex anthropic/claude-opus-4-5',
      ],
    );
  });

  it('perTier: each tier on its own provider, missing tiers on the active provider', () => {
    const router = new Router(
      cfg({ policy: 'perTier', perTier: { simple: 'dashscope', complex: 'anthropic' } }),
      ports(ALL),
    );
    assert.deepEqual(
      tasks.map((t) => summary(router.route(input(t, 200)))),
      [
        'simple dashscope/qwen-turbo',
        'simple dashscope/qwen-turbo',
        'medium openai/gpt-4o',
        'complex anthropic/claude-opus-4-5',
      ],
    );
  });

  it('tier models come from the settings, per provider and tier', () => {
    const { config, problems } = routingConfigFromSettings({
      provider: 'openaiCompatible',
      tiers: { ...TEST_TIERS, openaiCompatible: { simple: 'qwen2.5:3b', complex: 'qwen2.5-coder:32b' } },
    });
    assert.deepEqual(problems, []);
    const router = new Router(config, ports(ALL));
    assert.deepEqual(
      tasks.map((t) => summary(router.route(input(t, 200)))),
      [
        'simple openaiCompatible/qwen2.5:3b',
        'simple openaiCompatible/qwen2.5:3b',
        'medium openaiCompatible/llama3.2',
        'complex openaiCompatible/qwen2.5-coder:32b',
      ],
    );
  });

  it('cheapest: compares prices in USD, converting CNY, for this input size and max_tokens', () => {
    const router = new Router(cfg({ policy: 'cheapest' }), ports(['openai', 'anthropic', 'dashscope']));
    const r = ok(router.route(input('classify', 1000)));
    // qwen-turbo: (1000 × 0.3 + 10 × 0.6) / 1e6 CNY = 0.000306 CNY ≈ $0.0000428, below gpt-4o-mini's $0.000156.
    assert.equal(`${r.provider}/${r.model}`, 'dashscope/qwen-turbo');
    assert.equal(r.reason, 'simple tier: classification, 1,000 input tokens → qwen-turbo (cheapest of 3)');
    assert.ok(Math.abs(r.estimatedUsd!.max - 0.000306 * CNY_TO_USD) < 1e-12);
    assert.ok(Math.abs(r.estimatedUsd!.min - 0.0003 * CNY_TO_USD) < 1e-12);
    // The other candidates become the fallback chain, cheapest first.
    assert.deepEqual(r.fallbacks, [
      { provider: 'openai', model: 'gpt-4o-mini' },
      { provider: 'anthropic', model: 'claude-haiku-4-5' },
    ]);

    // Read as if the CNY figures were dollars, qwen-turbo would lose to gpt-4o-mini: the conversion decides.
    const naive = ports(['openai', 'anthropic', 'dashscope']);
    naive.toUsd = (amount) => amount;
    assert.equal(ok(new Router(cfg({ policy: 'cheapest' }), naive).route(input('classify', 1000))).model, 'gpt-4o-mini');
  });

  it('cheapest: only among available providers; output size matters as well as input size', () => {
    const router = new Router(cfg({ policy: 'cheapest' }), ports(['openai', 'anthropic']));
    const r = ok(router.route(input('explainCode', 1000)));
    // gpt-4o: 0.0025 + 800 × 10 / 1e6 = $0.0105; claude-sonnet-4-5: 0.003 + 0.012 = $0.015.
    assert.equal(r.model, 'gpt-4o');
    assert.ok(Math.abs(r.estimatedUsd!.max - 0.0105) < 1e-12);

    // A model cheap on input but dear on output loses for an output-heavy task and wins for a short one.
    const extra = {
      'anthropic/claude-sonnet-4-5': {
        contextWindow: 200_000,
        maxOutput: 64_000,
        inputPerM: 0.5,
        outputPerM: 40,
        currency: 'USD' as const,
      },
    };
    const skewed = new Router(cfg({ policy: 'cheapest', longDocumentTokens: 1_000_000 }), ports(['openai', 'anthropic'], extra));
    assert.equal(ok(skewed.route(input('explainCode', 1000))).model, 'gpt-4o');
    assert.equal(ok(skewed.route(input('explainCode', 100_000))).model, 'claude-sonnet-4-5');
  });

  it('cheapest: a free local model wins; models without prices come after priced ones', () => {
    const local = {
      'openaiCompatible/llama3.2': { contextWindow: 128_000, maxOutput: 4096, inputPerM: 0, outputPerM: 0, currency: 'USD' as const },
    };
    const withPrice = new Router(cfg({ policy: 'cheapest' }), ports(ALL, local));
    assert.equal(ok(withPrice.route(input('extractKeywords', 500))).model, 'llama3.2');
    const unknown = new Router(cfg({ policy: 'cheapest' }), ports(['openai', 'openaiCompatible']));
    const r = ok(unknown.route(input('extractKeywords', 500)));
    assert.equal(r.model, 'gpt-4o-mini');
    assert.deepEqual(r.fallbacks, [{ provider: 'openaiCompatible', model: 'llama3.2' }]);
    // …but an unknown window is not trusted with input that no priced model holds.
    const huge = unknown.route(input('extractKeywords', 2_000_000));
    assert.ok(isRouteError(huge));
    assert.equal(huge.largest?.model, 'gpt-4.1');
  });
});

describe('routing / router: reasons, escalation and errors', () => {
  it('explains a plain route in one line', () => {
    const router = new Router(cfg(), ports(ALL));
    assert.equal(ok(router.route(input('classify', 180))).reason, 'simple tier: classification, 180 input tokens → gpt-4o-mini');
    assert.equal(ok(router.route(input('reviewCode', 12_345))).reason, 'complex tier: code review, 12,345 input tokens → gpt-4.1');
  });

  it('counts the task prompt into the input tokens', () => {
    const p = ports(ALL);
    delete p.countTokens;
    const r = ok(new Router(cfg(), p).route(input('classify', 180)));
    assert.ok(r.inputTokens > 180 + 100, `${r.inputTokens}`);
    assert.match(r.reason, new RegExp(`^simple tier: classification, ${r.inputTokens} input tokens → gpt-4o-mini$`));
  });

  it('escalates to the next tier when the input does not fit the window', () => {
    const router = new Router(cfg({ longDocumentTokens: 1_000_000 }), ports(ALL));
    const r = ok(router.route(input('explainCode', 140_000)));
    assert.equal(r.tier, 'complex');
    assert.equal(r.escalatedFrom, 'medium');
    assert.equal(r.model, 'gpt-4.1');
    assert.equal(r.reason, "complex tier (escalated from medium: 140,000 tokens exceed gpt-4o's 128,000 window) → gpt-4.1");
    // gpt-4.1 is cheaper than gpt-4o here: no cost increase to report.
    assert.equal(r.costIncrease, undefined);
  });

  it('counts the answer into the window: input that fits alone but not with max_tokens escalates', () => {
    const router = new Router(cfg({ longDocumentTokens: 1_000_000 }), ports(ALL));
    const r = ok(router.route(input('explainCode', 127_500)));
    assert.equal(
      r.reason,
      "complex tier (escalated from medium: 127,500 tokens + 800 output exceed gpt-4o's 128,000 window) → gpt-4.1",
    );
    assert.equal(ok(router.route(input('explainCode', 127_200))).model, 'gpt-4o');
  });

  it('escalates to another provider under perTier, and says when that raises the cost past the budget', () => {
    const router = new Router(
      cfg({ policy: 'perTier', perTier: { medium: 'openai', complex: 'anthropic' }, longDocumentTokens: 1_000_000 }),
      ports(ALL),
    );
    const r = ok(router.route(input('explainCode', 140_000, { remainingBudgetUsd: 0.5 })));
    assert.equal(
      r.reason,
      "complex tier (escalated from medium: 140,000 tokens exceed gpt-4o's 128,000 window) → claude-opus-4-5",
    );
    // gpt-4o would have cost up to 0.35 + 0.008 = $0.358; claude-opus-4-5 0.7 + 0.02 = $0.72.
    assert.ok(Math.abs(r.costIncrease!.fromUsd - 0.358) < 1e-9);
    assert.ok(Math.abs(r.costIncrease!.toUsd - 0.72) < 1e-9);
    assert.equal(
      r.needsConfirmation,
      'Moving to claude-opus-4-5 (complex tier) raises the estimate from $0.36 to up to $0.72, over the remaining budget of $0.50.',
    );
    // With enough budget it is still reported as dearer, but needs no confirmation.
    const rich = ok(router.route(input('explainCode', 140_000, { remainingBudgetUsd: 5 })));
    assert.ok(rich.costIncrease);
    assert.equal(rich.needsConfirmation, undefined);
  });

  it('asks for confirmation when even an ordinary route would cross the remaining budget', () => {
    const router = new Router(cfg(), ports(ALL));
    const r = ok(router.route(input('reviewCode', 5000, { remainingBudgetUsd: 0.001 })));
    // gpt-4.1: 5000 × 2 / 1e6 + 1200 × 8 / 1e6 = 0.01 + 0.0096
    assert.equal(r.needsConfirmation, 'This request may cost up to $0.02 on gpt-4.1, over the remaining budget of $0.001.');
    assert.equal(ok(router.route(input('reviewCode', 5000, { remainingBudgetUsd: 1 }))).needsConfirmation, undefined);
  });

  it('treats long input for a simple or medium task as long-document analysis (complex tier)', () => {
    const router = new Router(cfg(), ports(ALL));
    const r = ok(router.route(input('extractKeywords', 9000)));
    assert.equal(r.tier, 'complex');
    assert.equal(r.escalatedFrom, 'simple');
    assert.equal(r.reason, 'complex tier (escalated from simple: 9,000 tokens count as a long document, over 8,000) → gpt-4.1');
    assert.equal(r.maxTokens, 60, 'the task keeps its own output budget');
    assert.equal(ok(router.route(input('extractKeywords', 8000))).tier, 'simple');
    // The threshold is configurable.
    router.update(cfg({ longDocumentTokens: 20_000 }));
    assert.equal(ok(router.route(input('extractKeywords', 9000))).tier, 'simple');
  });

  it('at the top tier, moves to another available model that holds the input, and says why', () => {
    const router = new Router(cfg({ activeProvider: 'dashscope' }), ports(['dashscope', 'anthropic']));
    const r = ok(router.route(input('reviewCode', 40_000)));
    assert.equal(`${r.provider}/${r.model}`, 'anthropic/claude-opus-4-5');
    assert.equal(r.escalatedFrom, undefined);
    assert.equal(
      r.reason,
      "complex tier: code review, 40,000 input tokens → claude-opus-4-5 (40,000 tokens exceed qwen-max's 32,768 window)",
    );
  });

  it('returns a clear error when no model of the tier or above can hold the input', () => {
    const router = new Router(cfg({ activeProvider: 'dashscope' }), ports(['dashscope']));
    const e = router.route(input('reviewCode', 40_000));
    assert.ok(isRouteError(e));
    assert.equal(e.error, 'tooLarge');
    assert.equal(e.inputTokens, 40_000);
    assert.deepEqual(e.largest, { provider: 'dashscope', model: 'qwen-max', contextWindow: 32_768 });
    assert.equal(
      e.message,
      "Review code: 40,000 input tokens plus the answer do not fit any complex-tier model; the largest window is qwen-max's 32,768. Select less text or choose a model.",
    );
  });

  it('names the largest window of all when nothing anywhere can hold the input', () => {
    const router = new Router(cfg(), ports(ALL));
    const e = router.route(input('extractKeywords', 2_000_000));
    assert.ok(isRouteError(e));
    assert.deepEqual(e.largest, { provider: 'openai', model: 'gpt-4.1', contextWindow: 1_047_576 });
    assert.equal(
      e.message,
      "Extract keywords: 2,000,000 input tokens plus the answer do not fit any complex-tier model; the largest window is gpt-4.1's 1,047,576. Select less text or choose a model.",
    );
  });

  it('reports an unknown task', () => {
    const e = new Router(cfg(), ports(ALL)).route(input('dance', 10));
    assert.ok(isRouteError(e));
    assert.equal(e.error, 'unknownTask');
    assert.equal(e.message, 'Unknown task "dance".');
  });

  it('caps max_tokens at the model\'s output limit, sized to the input', () => {
    const router = new Router(cfg({ activeProvider: 'dashscope', longDocumentTokens: 1_000_000 }), ports(ALL));
    const r = ok(router.route(input('convertFormat', 20_000, { question: 'YAML' })));
    assert.equal(r.model, 'qwen-turbo');
    assert.equal(r.maxTokens, 8192);
    assert.equal(r.request.maxTokens, 8192);
    const small = ok(router.route(input('rewrite', 100)));
    assert.equal(small.maxTokens, 194);
  });
});

describe('routing / router: overrides, escalate button, request and fallbacks', () => {
  it('forces a tier for one request, without long-document escalation', () => {
    const router = new Router(cfg(), ports(ALL));
    const r = ok(router.route(input('explainCode', 500, { override: { tier: 'simple' } })));
    assert.equal(r.model, 'gpt-4o-mini');
    assert.equal(r.reason, 'simple tier (your choice): code explanation, 500 input tokens → gpt-4o-mini');
    assert.equal(ok(router.route(input('extractKeywords', 9000, { override: { tier: 'simple' } }))).tier, 'simple');
    // A forced tier that cannot hold the input still escalates, and says so.
    const big = ok(router.route(input('extractKeywords', 140_000, { override: { tier: 'simple' } })));
    assert.equal(big.reason, "complex tier (escalated from simple: 140,000 tokens exceed gpt-4o-mini's 128,000 window) → gpt-4.1");
  });

  it('forces a provider: its model for the tier', () => {
    const router = new Router(cfg({ policy: 'cheapest' }), ports(ALL));
    const r = ok(router.route(input('explainCode', 500, { override: { provider: 'anthropic' } })));
    assert.equal(r.model, 'claude-sonnet-4-5');
    assert.equal(r.reason, 'medium tier: code explanation, 500 input tokens → claude-sonnet-4-5');
  });

  it('forces a model: provider and tier found from the tier table, or given', () => {
    const router = new Router(cfg(), ports(ALL));
    const byName = ok(router.route(input('explainCode', 500, { override: { model: 'qwen-max' } })));
    assert.equal(`${byName.tier} ${byName.provider}/${byName.model}`, 'complex dashscope/qwen-max');
    assert.equal(byName.reason, 'complex tier: code explanation, 500 input tokens → qwen-max (your choice)');
    const custom = ok(
      router.route(input('explainCode', 500, { override: { provider: 'openaiCompatible', model: 'mistral-nemo' } })),
    );
    assert.equal(`${custom.tier} ${custom.provider}/${custom.model}`, 'medium openaiCompatible/mistral-nemo');
    assert.equal(custom.request.model, 'mistral-nemo');
    // A forced model that cannot hold the input is an error, not a silent switch.
    const e = router.route(input('explainCode', 40_000, { override: { model: 'qwen-max' } }));
    assert.ok(isRouteError(e));
    assert.equal(e.message, "Explain code: 40,000 tokens exceed qwen-max's 32,768 window; choose another model or select less text.");
  });

  it('escalate(): one tier up, or undefined at the top', () => {
    const router = new Router(cfg(), ports(ALL));
    const inp = input('classify', 180);
    const r0 = ok(router.route(inp));
    const r1 = ok(router.escalate(r0, inp));
    assert.equal(r1.reason, 'medium tier (escalated from simple on request) → gpt-4o');
    assert.equal(r1.escalatedFrom, 'simple');
    assert.equal(r1.maxTokens, 10, 'the task and its output budget stay the same');
    const r2 = ok(router.escalate(r1, inp));
    assert.equal(r2.reason, 'complex tier (escalated from medium on request) → gpt-4.1');
    assert.equal(router.escalate(r2, inp), undefined);
  });

  it('escalate(): skips tiers served by the same model, and flags budget crossings', () => {
    const local = new Router(cfg({ activeProvider: 'openaiCompatible' }), ports(ALL));
    const inp = input('extractKeywords', 500);
    assert.equal(local.escalate(ok(local.route(inp)), inp), undefined);

    const router = new Router(cfg({ policy: 'perTier', perTier: { complex: 'anthropic' } }), ports(ALL));
    const inp2 = input('explainCode', 10_000, { remainingBudgetUsd: 0.05 });
    router.update(cfg({ policy: 'perTier', perTier: { complex: 'anthropic' }, longDocumentTokens: 50_000 }));
    const med = ok(router.route(inp2));
    assert.equal(med.model, 'gpt-4o');
    const up = ok(router.escalate(med, inp2));
    assert.equal(up.model, 'claude-opus-4-5');
    // gpt-4o: 0.025 + 0.008 = $0.033; opus: 0.05 + 0.02 = $0.07
    assert.deepEqual(
      [up.costIncrease!.fromUsd.toFixed(3), up.costIncrease!.toUsd.toFixed(3)],
      ['0.033', '0.070'],
    );
    assert.equal(
      up.needsConfirmation,
      'Moving to claude-opus-4-5 (complex tier) raises the estimate from $0.033 to up to $0.07, over the remaining budget of $0.05.',
    );
  });

  it('builds the ChatRequest for the chosen model: system, few-shot, user content, max_tokens, temperature', () => {
    const router = new Router(cfg({ activeProvider: 'anthropic' }), ports(ALL));
    const r = ok(
      router.route({
        task: 'classify',
        inputTokens: 5,
        selectionText: 'Great tool!',
        fileName: 'review.md',
        languageId: 'markdown',
      }),
    );
    assert.equal(r.request.provider, 'anthropic');
    assert.equal(r.request.model, 'claude-haiku-4-5');
    assert.equal(r.request.system, DEFAULT_TASKS.classify.system);
    assert.equal(r.request.maxTokens, 10);
    assert.equal(r.request.temperature, 0);
    assert.equal(r.request.messages.length, 5);
    assert.deepEqual(r.request.messages.at(-1), {
      role: 'user',
      content: 'File: review.md (markdown)\n\nInput:\n```\nGreat tool!\n```',
      stable: true,
    });
    assert.equal(r.request.cachePolicy, 'whenSeen', 'a simple-tier task pays for a cache write only on a repeated prefix');
    assert.equal(ok(router.route(input('explainCode', 5))).request.cachePolicy, undefined);
    assert.equal(ok(router.route(input('explainCode', 5))).request.temperature, undefined);
  });

  it('carries the configured fallback chain, keeping only available models that hold the input', () => {
    const { config } = routingConfigFromSettings({ tiers: TEST_TIERS,
      fallback: {
        simple: ['dashscope/qwen-turbo', 'openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5'],
        medium: ['dashscope/qwen-max', 'anthropic/claude-sonnet-4-5', 'dashscope/qwen-plus'],
      },
    });
    const router = new Router(config, ports(['openai', 'dashscope', 'anthropic']));
    const simple = ok(new Router(config, ports(['openai', 'dashscope'])).route(input('classify', 100)));
    assert.deepEqual(simple.fallbacks, [{ provider: 'dashscope', model: 'qwen-turbo' }]);
    // qwen-max (32k) cannot hold 40,000 tokens, so it is left out of the chain.
    config.longDocumentTokens = 100_000;
    router.update(config);
    const med = ok(router.route(input('explainCode', 40_000)));
    assert.deepEqual(med.fallbacks, [
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      { provider: 'dashscope', model: 'qwen-plus' },
    ]);
    // No chain configured for the tier: none under the provider policy.
    assert.deepEqual(ok(router.route(input('reviewCode', 100))).fallbacks, []);
  });

  it('takes availability as a function, read at each route', () => {
    let avail: ProviderId[] = ['openai'];
    const p = ports([]);
    p.available = () => avail;
    const router = new Router(cfg({ policy: 'cheapest' }), p);
    assert.equal(ok(router.route(input('classify', 1000))).model, 'gpt-4o-mini');
    avail = ['openai', 'dashscope'];
    assert.equal(ok(router.route(input('classify', 1000))).model, 'qwen-turbo');
  });
});

describe('routing / router: hidden tasks', () => {
  it('routes a hidden task but leaves it out of the task list', () => {
    const hidden = { id: 'promptFile', label: 'Prompt file', noun: 'prompt file', tier: 'medium' as const, system: '', examples: [], maxTokens: 1024, code: false, hidden: true };
    const base = cfg();
    const router = new Router({ ...base, tasks: { ...base.tasks, promptFile: hidden } }, ports(ALL));
    assert.ok(!router.tasks().some((t) => t.id === 'promptFile'));
    assert.equal(router.tasks().length, Object.keys(base.tasks).length);
    const r = ok(router.route(input('promptFile', 70, { override: { tier: 'simple' } })));
    assert.equal(r.model, 'gpt-4o-mini');
    assert.match(r.reason, /^simple tier \(your choice\): prompt file, \d+ input tokens → gpt-4o-mini$/);
  });
});
