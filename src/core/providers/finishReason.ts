import type { FinishReason } from '../types';

/** Chat Completions finish_reason (OpenAI, DashScope, OpenAI-compatible servers). */
export function mapOpenAIFinishReason(r: string | null | undefined): FinishReason {
  switch (r) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    default:
      return 'unknown';
  }
}

/** Anthropic Messages stop_reason. */
export function mapAnthropicStopReason(r: string | null | undefined): FinishReason {
  switch (r) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'unknown';
  }
}
