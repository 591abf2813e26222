import type { ProviderId } from '../../../src/core/types';
import assert from 'node:assert/strict';
import { isRouteError, type ModelInfo, type Route, type RouteError, type RouteInput, type RoutingPorts } from '../../../src/core/routing/router';

/** A fake pricing catalogue: prices per million tokens. */
export const CATALOGUE: Record<string, ModelInfo> = {
  'openai/gpt-4o-mini': { contextWindow: 128_000, maxOutput: 16_384, inputPerM: 0.15, outputPerM: 0.6, currency: 'USD' },
  'openai/gpt-4o': { contextWindow: 128_000, maxOutput: 16_384, inputPerM: 2.5, outputPerM: 10, currency: 'USD' },
  'openai/gpt-4.1': { contextWindow: 1_047_576, maxOutput: 32_768, inputPerM: 2, outputPerM: 8, currency: 'USD' },
  'anthropic/claude-haiku-4-5': { contextWindow: 200_000, maxOutput: 64_000, inputPerM: 1, outputPerM: 5, currency: 'USD' },
  'anthropic/claude-sonnet-4-5': { contextWindow: 200_000, maxOutput: 64_000, inputPerM: 3, outputPerM: 15, currency: 'USD' },
  'anthropic/claude-opus-4-5': { contextWindow: 200_000, maxOutput: 64_000, inputPerM: 5, outputPerM: 25, currency: 'USD' },
  'dashscope/qwen-turbo': { contextWindow: 1_000_000, maxOutput: 8_192, inputPerM: 0.3, outputPerM: 0.6, currency: 'CNY' },
  'dashscope/qwen-plus': { contextWindow: 131_072, maxOutput: 8_192, inputPerM: 0.8, outputPerM: 2, currency: 'CNY' },
  'dashscope/qwen-max': { contextWindow: 32_768, maxOutput: 8_192, inputPerM: 2.4, outputPerM: 9.6, currency: 'CNY' },
};

export const CNY_TO_USD = 0.14;

/**
 * The tier table the router tests are written against (the models of the fake catalogue above), pinned so that
 * routing behaviour is tested independently of the shipped defaults.
 */
export const TEST_TIERS = {
  openai: { simple: 'gpt-4o-mini', medium: 'gpt-4o', complex: 'gpt-4.1' },
  anthropic: { simple: 'claude-haiku-4-5', medium: 'claude-sonnet-4-5', complex: 'claude-opus-4-5' },
  dashscope: { simple: 'qwen-turbo', medium: 'qwen-plus', complex: 'qwen-max' },
  openaiCompatible: { simple: 'llama3.2', medium: 'llama3.2', complex: 'llama3.2' },
};

export function ports(available: ProviderId[], extra: Record<string, ModelInfo> = {}): RoutingPorts {
  const table = { ...CATALOGUE, ...extra };
  return {
    modelInfo: (p, m) => table[`${p}/${m}`],
    toUsd: (amount, currency) => (currency === 'CNY' ? amount * CNY_TO_USD : amount),
    available,
    // The router adds nothing of its own in these tests, so prompt tokens == the input tokens given.
    countTokens: () => 0,
  };
}

/** A small TypeScript function, the selection of the free-form requests below. */
export const FN = `export function add(a: number, b: number): number {\n  return a + b;\n}\n`;

/** A free-form request ("Ask About Selection") about FN. */
export function ask(question: string, extra: Partial<RouteInput> = {}): RouteInput {
  return { task: 'answer', question, selectionText: FN, languageId: 'typescript', inputTokens: 180, ...extra };
}

/** The route, or a failed test when the router refused. */
export function ok(r: Route | RouteError | undefined): Route {
  assert.ok(r, 'expected a route');
  if (isRouteError(r)) assert.fail(`expected a route, got error: ${r.message}`);
  return r;
}
