import { reasoningRoomTokens } from '../providers/reasoning';
import type { Currency, ProviderId, Tier } from '../types';
import { PROVIDER_IDS, TIERS } from '../types';
import type { Catalogue, ModelEntry } from './catalogue';
import { costOf, priceTier, type PriceSource } from './cost';
import { convert, type CurrencySettings } from './currency';

export interface CostEstimate {
  currency: Currency;
  inputTokens: number;
  maxTokens: number;
  /** Cost of the prompt alone. */
  input: number;
  /** Output cost range: min = `typicalOutput` tokens (0 by default), max = all of max_tokens. */
  outputMin: number;
  outputMax: number;
  totalMin: number;
  totalMax: number;
}

export interface EstimateOptions {
  /** Output tokens assumed for the low end (default 0). */
  typicalOutput?: number;
  batch?: boolean;
  /** Prompt tokens expected to be served from the cache. */
  cachedInputTokens?: number;
}

/**
 * Cost range before sending: the prompt plus anything from `typicalOutput` to `maxTokens` output tokens, all at
 * the input-length tier the prompt falls in (the whole request bills at that tier). Output at the non-thinking
 * price: Tierwise does not ask for thinking mode.
 */
export function estimateCost(p: PriceSource, inputTokens: number, maxTokens: number, options: EstimateOptions = {}): CostEstimate {
  const cached = Math.min(inputTokens, options.cachedInputTokens ?? 0);
  const tp = priceTier(p, inputTokens);
  const usage = { inputTokens, outputTokens: 0, cacheReadTokens: cached, cacheWriteTokens: 0, reasoningTokens: 0 };
  const prompt = costOf(tp, usage, { batch: options.batch }).total;
  const outLow = Math.min(maxTokens, Math.max(0, options.typicalOutput ?? 0));
  const outputMin = costOf(tp, { ...usage, inputTokens: 0, cacheReadTokens: 0, outputTokens: outLow }, { batch: options.batch }).total;
  const outputMax = costOf(tp, { ...usage, inputTokens: 0, cacheReadTokens: 0, outputTokens: maxTokens }, { batch: options.batch }).total;
  return {
    currency: p.currency,
    inputTokens,
    maxTokens,
    input: prompt,
    outputMin,
    outputMax,
    totalMin: prompt + outputMin,
    totalMax: prompt + outputMax,
  };
}

/** What one call of a prompt file costs (its CodeLenses), in the model's price currency. */
export interface PromptFileCost {
  currency: Currency;
  /** The rendered prompt's input, uncached. */
  perCall: number;
  /** The same input with the fixed prefix read from the prompt cache (only when asked for). */
  cachedPerCall?: number;
  /** Output if the answer uses all of max_tokens (only when the file sets max_tokens). */
  maxOutput?: number;
}

/**
 * A prompt file's cost per call through `estimateCost`: the input at the tier its length falls in, the cached
 * variant with `cachedPrefixTokens` read from the cache, and the worst-case output at that same tier.
 */
export function promptFileCost(p: PriceSource, inputTokens: number, options: { maxTokens?: number; cachedPrefixTokens?: number } = {}): PromptFileCost {
  const e = estimateCost(p, inputTokens, options.maxTokens ?? 0);
  const out: PromptFileCost = { currency: p.currency, perCall: e.input };
  if (options.cachedPrefixTokens !== undefined) out.cachedPerCall = estimateCost(p, inputTokens, 0, { cachedInputTokens: options.cachedPrefixTokens }).input;
  if (options.maxTokens !== undefined) out.maxOutput = e.outputMax;
  return out;
}

/** Configured model per tier per provider (from settings); missing tiers fall back to the catalogue's tier hint. */
export type TierModels = Partial<Record<ProviderId, Partial<Record<Tier, string>>>>;

export interface CompareRow {
  provider: ProviderId;
  tier: Tier;
  model: string;
  name: string;
  /** Prompt tokens for this provider/model (counted by the caller; tokenizers differ). */
  tokens: number;
  tokensExact: boolean;
  fitsContext: boolean;
  /** All amounts in the display currency. */
  currency: Currency;
  input: number;
  /** Output cost if the answer uses all of max_tokens. */
  outputAtMax: number;
  total: number;
  /** Total with the whole prompt read from the cache (undefined when the model has no cache price). */
  cachedTotal?: number;
  /** Total through the batch API (undefined when the provider has no batch price for it, or no batch API for it). */
  batchTotal?: number;
}

export interface CompareInput {
  catalogue: Catalogue;
  tiers?: TierModels;
  /** Providers to include (default: all). */
  providers?: readonly ProviderId[];
  maxTokens: number;
  currency: CurrencySettings;
  /** Prompt tokens for a provider/model, with exactness. */
  tokensFor: (provider: ProviderId, model: string) => { tokens: number; exact: boolean };
  /** Whether Run Task as Batch can run this model (default: whenever it has a batch price). */
  batchAvailable?: (provider: ProviderId, model: string) => boolean;
}

/** Price one request on every tier of every configured provider, in the display currency. */
export function compareTable(input: CompareInput): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const provider of input.providers ?? PROVIDER_IDS) {
    for (const tier of TIERS) {
      const configured = input.tiers?.[provider]?.[tier];
      const entry: ModelEntry | undefined = configured ? input.catalogue.get(provider, configured) : input.catalogue.defaultFor(provider, tier);
      if (!entry) continue;
      const model = configured ?? entry.id;
      const { tokens, exact } = input.tokensFor(provider, model);
      const cv = (x: number) => convert(x, entry.currency, input.currency.display, input.currency.cnyPerUsd);
      // A reasoning model's hidden reasoning is billed as output too (see reasoningRoomTokens).
      const output = input.maxTokens + reasoningRoomTokens(provider, model);
      const std = estimateCost(entry, tokens, output);
      const row: CompareRow = {
        provider,
        tier,
        model,
        name: entry.name,
        tokens,
        tokensExact: exact,
        fitsContext: entry.contextWindow <= 0 || tokens + output <= entry.contextWindow,
        currency: input.currency.display,
        input: cv(std.input),
        outputAtMax: cv(std.outputMax),
        total: cv(std.totalMax),
      };
      if (entry.cachedInputPerM !== undefined) row.cachedTotal = cv(estimateCost(entry, tokens, output, { cachedInputTokens: tokens }).totalMax);
      if (entry.batchInputPerM !== undefined && (input.batchAvailable?.(provider, model) ?? true)) row.batchTotal = cv(estimateCost(entry, tokens, output, { batch: true }).totalMax);
      rows.push(row);
    }
  }
  return rows;
}
