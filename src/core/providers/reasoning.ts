import type { ProviderId } from '../types';

/** o-series and gpt-5 / gpt-6 (and later) models take `max_completion_tokens` and only the default temperature. */
export function isReasoningModel(model: string): boolean {
  const m = model.toLowerCase().replace(/^.*\//, '');
  return /^o\d/.test(m) || /^gpt-([5-9]|\d{2,})/.test(m);
}

/**
 * Room left for hidden reasoning on OpenAI's reasoning models. Their `max_completion_tokens` covers the reasoning
 * as well as the answer, so a task sized for a ten-token answer would come back empty: the request asks for the
 * answer's budget plus this room, and the estimate before sending and the fit check count it too.
 */
export const REASONING_ROOM_TOKENS = 1024;

/** The reasoning room a request to this model needs on top of its answer's `max_tokens` (0 for other models). */
export function reasoningRoomTokens(provider: ProviderId, model: string): number {
  return provider === 'openai' && isReasoningModel(model) ? REASONING_ROOM_TOKENS : 0;
}

/**
 * DashScope's Qwen3.5 and later families (qwen3.5-…, qwen3.6-…, qwen3.7-…, qwen3.8-…, qwen4-…) think by default
 * ("qwen3.8、qwen3.7、qwen3.6、qwen3.5 系列模型默认开启思考模式", Model Studio's batch page, checked 2026-12-07). Tierwise
 * sizes max_tokens for the answer and prices it at the non-thinking output price, so it asks them not to think
 * (`enable_thinking: false`), as it sends Qwen3's hybrid models (whose default is off).
 */
export function thinksByDefault(provider: ProviderId, model: string): boolean {
  if (provider !== 'dashscope') return false;
  const m = model.toLowerCase().replace(/^.*\//, '');
  return /^qwen(3\.[5-9]|[4-9](\.\d+)?)(-|$)/.test(m);
}
