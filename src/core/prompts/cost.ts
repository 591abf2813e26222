/** Prices and the per-call cost of a prompt's input. */
import type { Currency, ProviderId } from '../types';

/** Prices per million tokens. */
export interface PromptPrice {
  input: number;
  /** Price of a cache read; undefined when the model has no prompt caching. */
  cachedInput?: number;
  output?: number;
  currency: Currency;
}

export type PriceFor = (provider: ProviderId, model: string) => PromptPrice | undefined;

/** Cost of sending `inputTokens`, of which `cachedTokens` are read from the prompt cache. */
export function inputCost(price: PromptPrice, inputTokens: number, cachedTokens = 0): number {
  const cached = Math.max(0, Math.min(cachedTokens, inputTokens));
  const cachedPrice = price.cachedInput ?? price.input;
  return ((inputTokens - cached) * price.input + cached * cachedPrice) / 1_000_000;
}

/** Worst-case output cost when the answer uses all of `maxTokens`. */
export function maxOutputCost(price: PromptPrice, maxTokens: number): number | undefined {
  return price.output === undefined ? undefined : (maxTokens * price.output) / 1_000_000;
}

/** Saving per call when `prefixTokens` are read from cache instead of sent at full price. */
export function cacheSaving(price: PromptPrice, prefixTokens: number): number | undefined {
  if (price.cachedInput === undefined) return undefined;
  return (prefixTokens * (price.input - price.cachedInput)) / 1_000_000;
}

/** The one money formatter (src/core/pricing/currency.ts), re-exported for the prompt modules. */
export { formatMoney } from '../pricing/currency';
