import type { Currency, Usage } from '../types';
import { uncachedInputTokens } from '../types';
import type { ModelEntry, PriceTier } from './catalogue';

/** Prices per million tokens the way one request is billed (standard or batch). */
export interface Rates {
  currency: Currency;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export type PriceSource = Pick<
  ModelEntry,
  | 'currency'
  | 'inputPerM'
  | 'outputPerM'
  | 'cachedInputPerM'
  | 'cacheWritePerM'
  | 'batchInputPerM'
  | 'batchOutputPerM'
  | 'batchNoCacheDiscount'
> &
  Partial<Pick<ModelEntry, 'thinkingOutputPerM' | 'explicitCachedInputPerM' | 'tiers'>>;

const scale = (v: number | undefined, f: number): number | undefined => (v === undefined ? undefined : v * f);

/**
 * The prices of the input-length tier a request falls in (DashScope bills the WHOLE request at the tier of its
 * input, not marginally): the first tier whose `upTo` is ≥ the input tokens, the last one beyond. The entry's
 * own prices are its first tier; cache and batch prices of a higher tier keep their ratio to the tier's input
 * (cache) and output (batch output) prices, as DashScope defines them as percentages. Without tiers: `p` itself.
 */
export function priceTier(p: PriceSource, inputTokens: number): PriceSource & { tierIndex: number } {
  const tiers = p.tiers;
  if (!tiers?.length) return { ...p, tierIndex: 0 };
  let i = tiers.findIndex((t) => inputTokens <= t.upTo);
  if (i < 0) i = tiers.length - 1;
  const t: PriceTier = tiers[i]!;
  const fin = p.inputPerM > 0 ? t.inputPerM / p.inputPerM : 1;
  const fout = p.outputPerM > 0 ? t.outputPerM / p.outputPerM : 1;
  const out: PriceSource & { tierIndex: number } = {
    currency: p.currency,
    inputPerM: t.inputPerM,
    outputPerM: t.outputPerM,
    tierIndex: i,
  };
  const thinking = t.thinkingOutputPerM ?? (i === 0 ? p.thinkingOutputPerM : undefined);
  if (thinking !== undefined) out.thinkingOutputPerM = thinking;
  const fields: [keyof PriceSource, number | undefined][] = [
    ['cachedInputPerM', scale(p.cachedInputPerM, fin)],
    ['cacheWritePerM', scale(p.cacheWritePerM, fin)],
    ['explicitCachedInputPerM', scale(p.explicitCachedInputPerM, fin)],
    ['batchInputPerM', scale(p.batchInputPerM, fin)],
    ['batchOutputPerM', scale(p.batchOutputPerM, fout)],
  ];
  for (const [k, v] of fields) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  if (p.batchNoCacheDiscount) out.batchNoCacheDiscount = true;
  return out;
}

export interface RateOptions {
  /** The answer ran in thinking mode: output at the thinking-mode price where the model has one. */
  thinking?: boolean;
  /** The cache reads are hits on an explicit (cache_control) cache: at the explicit-hit price where there is one. */
  explicitCache?: boolean;
}

/**
 * Rates for a request (of one input tier, see `priceTier`). Missing cache prices bill as input. Batch: the batch
 * prices (50% of standard when the catalogue has none), cache reads and writes at half price too (OpenAI,
 * Anthropic) — except where the provider gives batch calls no cache discount (DashScope), where cached tokens
 * bill at the batch input price.
 */
export function ratesFor(p: PriceSource, batch = false, o: RateOptions = {}): Rates {
  const thinking = !!o.thinking && p.thinkingOutputPerM !== undefined;
  const outputPerM = thinking ? p.thinkingOutputPerM! : p.outputPerM;
  const cacheRead = (o.explicitCache ? (p.explicitCachedInputPerM ?? p.cachedInputPerM) : p.cachedInputPerM) ?? p.inputPerM;
  const cacheWrite = p.cacheWritePerM ?? p.inputPerM;
  if (!batch) return { currency: p.currency, input: p.inputPerM, output: outputPerM, cacheRead, cacheWrite };
  const input = p.batchInputPerM ?? p.inputPerM / 2;
  const batchOut = p.batchOutputPerM ?? p.outputPerM / 2;
  const output = thinking && p.outputPerM > 0 ? (batchOut * outputPerM) / p.outputPerM : batchOut;
  if (p.batchNoCacheDiscount) return { currency: p.currency, input, output, cacheRead: input, cacheWrite: input };
  return { currency: p.currency, input, output, cacheRead: cacheRead / 2, cacheWrite: cacheWrite / 2 };
}

export interface Cost {
  currency: Currency;
  /** Uncached input tokens × input price. */
  input: number;
  /** Output tokens (reasoning included) × output price. */
  output: number;
  cacheRead: number;
  cacheWrite: number;
  total: number;
  /** What the cache-read tokens would have cost at the full input price minus what they cost (≥ 0). */
  cacheSavings: number;
  /** Extra paid for writing the cache (cache-write price above the input price), ≥ 0. */
  cacheWritePremium: number;
  /** cacheSavings − cacheWritePremium: what the cache saved this request overall (negative: it cost more). */
  cacheNet: number;
  batch: boolean;
  /** Index of the input-length price tier applied (0 for models with one price). */
  tier: number;
  /** Output billed at the thinking-mode price. */
  thinking: boolean;
}

/**
 * THE cost formula (the only place that prices usage):
 *   in·uncached + out·output + cacheWrite·written + cacheRead·read
 * with `Usage` normalised (inputTokens includes the cached parts, so uncached = input − read − written, and
 * outputTokens already includes reasoning tokens, which bill as output). The rates are those of the input-length
 * tier the request's input falls in (the whole request at that tier), the thinking-mode output price when the
 * answer reports reasoning tokens and the model has one, and the explicit-cache hit price when the reads are
 * explicit-cache hits (DashScope).
 */
export function costOf(p: PriceSource, usage: Usage, options: { batch?: boolean } = {}): Cost {
  const batch = options.batch ?? false;
  const tp = priceTier(p, usage.inputTokens);
  const thinking = usage.reasoningTokens > 0 && tp.thinkingOutputPerM !== undefined;
  const r = ratesFor(tp, batch, { thinking, explicitCache: usage.explicitCache === true });
  const M = 1_000_000;
  const input = (uncachedInputTokens(usage) * r.input) / M;
  const output = (usage.outputTokens * r.output) / M;
  const cacheRead = (usage.cacheReadTokens * r.cacheRead) / M;
  const cacheWrite = (usage.cacheWriteTokens * r.cacheWrite) / M;
  const cacheSavings = Math.max(0, (usage.cacheReadTokens * (r.input - r.cacheRead)) / M);
  const cacheWritePremium = Math.max(0, (usage.cacheWriteTokens * (r.cacheWrite - r.input)) / M);
  return {
    currency: r.currency,
    input,
    output,
    cacheRead,
    cacheWrite,
    total: input + output + cacheRead + cacheWrite,
    cacheSavings,
    cacheWritePremium,
    cacheNet: cacheSavings - cacheWritePremium,
    batch,
    tier: tp.tierIndex,
    thinking,
  };
}
