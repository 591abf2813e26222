/** Prices and the per-call cost of a prompt's input. */
import type { Currency, ProviderId, Usage } from '../types';
import { costOf, type PriceSource } from '../pricing/cost';

/** Prices per million tokens. */
export interface PromptPrice {
  input: number;
  /** Price of a cache read; undefined when the model has no prompt caching. */
  cachedInput?: number;
  output?: number;
  currency: Currency;
}

export type PriceFor = (provider: ProviderId, model: string) => PromptPrice | undefined;

/** The price as the one cost formula (src/core/pricing/cost.ts) takes it. */
function source(price: PromptPrice): PriceSource {
  return { currency: price.currency, inputPerM: price.input, outputPerM: price.output ?? 0, cachedInputPerM: price.cachedInput };
}

const usage = (u: Partial<Usage>): Usage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...u });

/** Cost of sending `inputTokens`, of which `cachedTokens` are read from the prompt cache. */
export function inputCost(price: PromptPrice, inputTokens: number, cachedTokens = 0): number {
  const cached = Math.max(0, Math.min(cachedTokens, inputTokens));
  return costOf(source(price), usage({ inputTokens, cacheReadTokens: cached })).total;
}

/** Worst-case output cost when the answer uses all of `maxTokens`. */
export function maxOutputCost(price: PromptPrice, maxTokens: number): number | undefined {
  return price.output === undefined ? undefined : costOf(source(price), usage({ outputTokens: maxTokens })).total;
}

/** Saving per call when `prefixTokens` are read from cache instead of sent at full price. */
export function cacheSaving(price: PromptPrice, prefixTokens: number): number | undefined {
  if (price.cachedInput === undefined) return undefined;
  return costOf(source(price), usage({ inputTokens: prefixTokens, cacheReadTokens: prefixTokens })).cacheSavings;
}

/** The one money formatter (src/core/pricing/currency.ts), re-exported for the prompt modules. */
export { formatMoney } from '../pricing/currency';
