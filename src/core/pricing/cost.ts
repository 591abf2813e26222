import type { Currency, Usage } from '../types';
import { uncachedInputTokens } from '../types';
import type { ModelEntry } from './catalogue';

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
  'currency' | 'inputPerM' | 'outputPerM' | 'cachedInputPerM' | 'cacheWritePerM' | 'batchInputPerM' | 'batchOutputPerM' | 'batchNoCacheDiscount'
>;

/**
 * Rates for a request. Missing cache prices bill as input. Batch: the batch prices (50% of standard when the
 * catalogue has none), cache reads and writes at half price too (OpenAI, Anthropic) — except where the provider
 * gives batch calls no cache discount (DashScope), where cached tokens bill at the batch input price.
 */
export function ratesFor(p: PriceSource, batch = false): Rates {
  const cacheRead = p.cachedInputPerM ?? p.inputPerM;
  const cacheWrite = p.cacheWritePerM ?? p.inputPerM;
  if (!batch) return { currency: p.currency, input: p.inputPerM, output: p.outputPerM, cacheRead, cacheWrite };
  const input = p.batchInputPerM ?? p.inputPerM / 2;
  const output = p.batchOutputPerM ?? p.outputPerM / 2;
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
  batch: boolean;
}

/**
 * THE cost formula (the only place that prices usage):
 *   in·uncached + out·output + cacheWrite·written + cacheRead·read
 * with `Usage` normalised (inputTokens includes the cached parts, so uncached = input − read − written, and
 * outputTokens already includes reasoning tokens, which bill as output).
 */
export function costOf(p: PriceSource, usage: Usage, options: { batch?: boolean } = {}): Cost {
  const batch = options.batch ?? false;
  const r = ratesFor(p, batch);
  const M = 1_000_000;
  const input = (uncachedInputTokens(usage) * r.input) / M;
  const output = (usage.outputTokens * r.output) / M;
  const cacheRead = (usage.cacheReadTokens * r.cacheRead) / M;
  const cacheWrite = (usage.cacheWriteTokens * r.cacheWrite) / M;
  return {
    currency: r.currency,
    input,
    output,
    cacheRead,
    cacheWrite,
    total: input + output + cacheRead + cacheWrite,
    cacheSavings: Math.max(0, (usage.cacheReadTokens * (r.input - r.cacheRead)) / M),
    cacheWritePremium: Math.max(0, (usage.cacheWriteTokens * (r.cacheWrite - r.input)) / M),
    batch,
  };
}
