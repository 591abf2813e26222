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
