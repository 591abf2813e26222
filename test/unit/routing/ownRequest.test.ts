import assert from 'node:assert/strict';
import type { RoutingConfig } from '../../../src/core/routing/config';
import { defaultRoutingConfig } from '../../../src/core/routing/config';
import type { Route, RouteError, RouteInput } from '../../../src/core/routing/router';
import { Router, isRouteError, tierProvider } from '../../../src/core/routing/router';
import type { TaskDef } from '../../../src/core/routing/tasks';
import { TEST_TIERS, ports } from './fixtures';

/** The hidden task the host routes prompt files under (src/host/config.ts). */
const PROMPT_FILE: TaskDef = { id: 'promptFile', label: 'Prompt file', noun: 'prompt file', tier: 'medium', system: '', examples: [], maxTokens: 1024, code: false, hidden: true };

function cfg(patch: Partial<RoutingConfig> = {}): RoutingConfig {
  const base = defaultRoutingConfig('openai');
  return { ...base, tiers: structuredClone(TEST_TIERS), tasks: { ...base.tasks, promptFile: PROMPT_FILE }, ...patch };
}

const OWN = { system: 'You answer in haiku.', messages: [{ role: 'user' as const, content: 'Tell me about tokens.' }], temperature: 0.2, maxTokens: 4000 };

function fileInput(inputTokens: number, extra: Partial<RouteInput> = {}): RouteInput {
  return { task: 'promptFile', inputTokens, selectionText: '', request: OWN, maxTokens: OWN.maxTokens, ...extra };
}

function ok(r: Route | RouteError | undefined): Route {
  assert.ok(r, 'expected a route');
  if (isRouteError(r)) assert.fail(`expected a route, got error: ${r.message}`);
  return r;
}

describe("routing / router: a prompt file's own request and max_tokens", () => {
  it("sends the file's request as is on the routed model, with the file's max_tokens", () => {
    const r = ok(new Router(cfg(), ports(['openai'])).route(fileInput(1000)));
    assert.equal(r.model, 'gpt-4o');
    assert.equal(r.maxTokens, 4000);
    assert.deepEqual(r.request, { ...OWN, provider: 'openai', model: 'gpt-4o', maxTokens: 4000 });
  });

  it("the estimate uses the file's max_tokens, not the task's 1,024", () => {
    const r = ok(new Router(cfg(), ports(['openai'])).route(fileInput(1000)));
    // gpt-4o: $2.5 per million input tokens, $10 per million output tokens.
    assert.ok(Math.abs(r.estimatedUsd!.min - (1000 * 2.5) / 1e6) < 1e-12);
    assert.ok(Math.abs(r.estimatedUsd!.max - (1000 * 2.5 + 4000 * 10) / 1e6) < 1e-12, `max ${r.estimatedUsd!.max}`);
    const plain = ok(new Router(cfg(), ports(['openai'])).route(fileInput(1000, { maxTokens: undefined })));
    assert.ok(Math.abs(plain.estimatedUsd!.max - (1000 * 2.5 + 1024 * 10) / 1e6) < 1e-12, 'without an override the task default applies');
  });

  it("the fit check counts the file's max_tokens: a request that fits with 1,024 moves up when the file asks for more", () => {
    const small = { 'openai/gpt-4o': { contextWindow: 8_000, maxOutput: 16_384, inputPerM: 2.5, outputPerM: 10, currency: 'USD' as const } };
    const router = new Router(cfg(), ports(['openai'], small));
    assert.equal(ok(router.route(fileInput(5_000, { maxTokens: 1024 }))).model, 'gpt-4o');
    const r = ok(router.route(fileInput(5_000, { maxTokens: 4000 })));
    assert.equal(r.model, 'gpt-4.1');
    assert.equal(r.escalatedFrom, 'medium');
    assert.match(r.reason, /5,000 tokens \+ 4,000 output exceed gpt-4o's 8,000 window/);
    assert.equal(r.request.maxTokens, 4000);
  });

  it("the model's output limit still caps the file's max_tokens", () => {
    const r = ok(new Router(cfg(), ports(['openai'])).route(fileInput(1000, { maxTokens: 50_000 })));
    assert.equal(r.maxTokens, 16_384);
    assert.equal(r.request.maxTokens, 16_384);
  });

  it('adds no task prompt to the count of a request that brings its own', () => {
    const counting = { ...ports(['openai']), countTokens: (t: string) => t.length };
    const own = ok(new Router(cfg(), counting).route(fileInput(500, { task: 'explainCode' })));
    assert.equal(own.inputTokens, 500);
    const built = ok(new Router(cfg(), counting).route({ task: 'explainCode', inputTokens: 500, selectionText: 'x' }));
    assert.ok(built.inputTokens > 500, 'a task-built request adds its system prompt and framing');
  });

  it("Escalate keeps the file's request and max_tokens one tier up", () => {
    const router = new Router(cfg(), ports(['openai']));
    const input = fileInput(1000);
    const up = router.escalate(ok(router.route(input)), input);
    assert.ok(up);
    assert.equal(up.model, 'gpt-4.1');
    assert.equal(up.maxTokens, 4000);
    assert.deepEqual(up.request, { ...OWN, provider: 'openai', model: 'gpt-4.1', maxTokens: 4000 });
    assert.ok(Math.abs(up.estimatedUsd!.max - (1000 * 2 + 4000 * 8) / 1e6) < 1e-12, 'the estimate one tier up uses the same max_tokens');
  });
});

describe('routing / policy: the provider of each tier', () => {
  it('perTier names a tier its provider; a local simple tier goes to the OpenAI-compatible server; else the active provider', () => {
    const base = cfg({ activeProvider: 'anthropic' });
    assert.equal(tierProvider(base, 'simple'), 'anthropic');
    assert.equal(tierProvider({ ...base, localSimpleTier: true }, 'simple'), 'openaiCompatible');
    assert.equal(tierProvider({ ...base, localSimpleTier: true }, 'medium'), 'anthropic');
    const perTier = { ...base, policy: 'perTier' as const, perTier: { complex: 'openai' as const } };
    assert.equal(tierProvider(perTier, 'complex'), 'openai');
    assert.equal(tierProvider(perTier, 'medium'), 'anthropic');
    assert.equal(tierProvider({ ...perTier, localSimpleTier: true }, 'simple'), 'openaiCompatible');
  });
});
