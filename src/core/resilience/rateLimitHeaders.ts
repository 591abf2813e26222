import { parseResetMs } from './retry';

/** What one dimension of a provider's rate-limit headers says. */
export interface LimitReport {
  limit?: number;
  remaining?: number;
  resetMs?: number;
}

/** The budgets of a lane: requests, tokens (input + output, or input only: see RateLimits.tpmBasis), and
 * Anthropic's separate input-token and output-token budgets. */
export const DIMENSIONS = ['requests', 'tokens', 'inputTokens', 'outputTokens'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type RateLimitReport = Record<Dimension, LimitReport>;

function int(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads x-ratelimit-* (OpenAI, DashScope) and anthropic-ratelimit-* response headers (lower-case names).
 * Anthropic's `tokens-*` repeat whichever of its input-token and output-token limits is the most restrictive, so
 * they are a budget of their own only when the `input-tokens-*` / `output-tokens-*` headers are absent.
 */
export function parseRateLimitHeaders(h: Record<string, string>, now: number): RateLimitReport {
  const read = (limit?: string, remaining?: string, reset?: string): LimitReport => {
    const r: LimitReport = {};
    const l = int(limit);
    const left = int(remaining);
    const resetMs = parseResetMs(reset, now);
    if (l !== undefined) r.limit = l;
    if (left !== undefined) r.remaining = left;
    if (resetMs !== undefined) r.resetMs = resetMs;
    return r;
  };
  const oai = (what: string) => read(h[`x-ratelimit-limit-${what}`], h[`x-ratelimit-remaining-${what}`], h[`x-ratelimit-reset-${what}`]);
  const anth = (what: string) => read(h[`anthropic-ratelimit-${what}-limit`], h[`anthropic-ratelimit-${what}-remaining`], h[`anthropic-ratelimit-${what}-reset`]);
  const either = (a: LimitReport, b: LimitReport) => (Object.keys(a).length > 0 ? a : b);
  const inputTokens = anth('input-tokens');
  const outputTokens = anth('output-tokens');
  const split = Object.keys(inputTokens).length > 0 || Object.keys(outputTokens).length > 0;
  return {
    requests: either(oai('requests'), anth('requests')),
    tokens: either(oai('tokens'), split ? {} : anth('tokens')),
    inputTokens,
    outputTokens,
  };
}
