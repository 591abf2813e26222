import type { ChatRequest, Usage } from '../types';
import { messageText, toolsText } from '../types';

/** The usage object of an OpenAI / DashScope / OpenAI-compatible chat completion (fields vary by server). */
export interface OpenAIWireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: {
    cached_tokens?: number | null;
    /** DashScope explicit cache: tokens written to the cache (inside prompt_tokens). */
    cache_creation_input_tokens?: number | null;
    /** DashScope: "ephemeral" when the counts are those of an explicit (cache_control) cache; absent: implicit. */
    cache_type?: string | null;
  } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** The usage object of an Anthropic message (message_start / message_delta / non-streaming). */
export interface AnthropicWireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

const n = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * OpenAI and Qwen: `prompt_tokens` already INCLUDES the cached tokens (and DashScope's explicit-cache creation
 * tokens). DashScope marks explicit-cache counts with `cache_type: "ephemeral"` (or reports a creation).
 */
export function fromOpenAIUsage(u: OpenAIWireUsage): Usage {
  const d = u.prompt_tokens_details;
  const usage: Usage = {
    inputTokens: n(u.prompt_tokens),
    outputTokens: n(u.completion_tokens),
    cacheReadTokens: n(d?.cached_tokens),
    cacheWriteTokens: n(d?.cache_creation_input_tokens),
    reasoningTokens: n(u.completion_tokens_details?.reasoning_tokens),
  };
  if (d?.cache_type === 'ephemeral' || usage.cacheWriteTokens > 0) usage.explicitCache = true;
  return usage;
}

/** Anthropic: `input_tokens` EXCLUDES cache reads and writes, so they are added back. */
export function fromAnthropicUsage(u: AnthropicWireUsage): Usage {
  const cacheRead = n(u.cache_read_input_tokens);
  const cacheWrite = n(u.cache_creation_input_tokens);
  return {
    inputTokens: n(u.input_tokens) + cacheRead + cacheWrite,
    outputTokens: n(u.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: n(u.output_tokens_details?.thinking_tokens),
  };
}

/**
 * Anthropic streams report usage twice: message_start carries the input side, message_delta the cumulative totals.
 * Later non-null counters overwrite earlier ones (never add).
 */
export function mergeAnthropicUsage(prev: AnthropicWireUsage | undefined, next: AnthropicWireUsage): AnthropicWireUsage {
  const out: AnthropicWireUsage = { ...(prev ?? {}) };
  for (const k of Object.keys(next) as (keyof AnthropicWireUsage)[]) {
    if (next[k] != null) (out as Record<string, unknown>)[k] = next[k];
  }
  return out;
}

/** For when the provider reported nothing: the one offline estimate (src/core/tokens/estimate.ts). */
export { estimateTokens } from '../tokens/estimate';
import { estimateTokens } from '../tokens/estimate';

export function estimateInputTokens(req: ChatRequest): number {
  let t = req.system ? estimateTokens(req.system) + 3 : 0;
  if (req.tools?.length) t += estimateTokens(toolsText(req.tools));
  for (const m of req.messages) t += estimateTokens(messageText(m)) + 3;
  return t;
}

/**
 * Usage of an attempt that did not finish: what the provider reported so far (Anthropic sends the input side
 * first), with the missing parts estimated from the request and the text that arrived.
 */
export function estimateUsage(req: ChatRequest, partialText: string, reported?: Usage): Usage {
  const outputEstimate = estimateTokens(partialText);
  if (reported && reported.inputTokens > 0) {
    return { ...reported, outputTokens: Math.max(reported.outputTokens, outputEstimate) };
  }
  return {
    inputTokens: estimateInputTokens(req),
    outputTokens: outputEstimate,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}
