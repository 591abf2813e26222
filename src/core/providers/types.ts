import type { ChatRequest, ProviderId, StreamEvent } from '../types';
import type { DashScopeRegion } from './baseUrls';

export interface ProviderConfig {
  id: ProviderId;
  /** Default: defaultBaseUrl(id, region). */
  baseUrl?: string;
  apiKey?: string;
  /** DashScope only: which regional endpoint (keys are region-specific). Default 'international'. */
  region?: DashScopeRegion;
  /** Extra request headers. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Idle timeout in ms: the longest wait for the response headers and then between two stream events. */
  timeoutMs?: number;
}

export interface Provider {
  readonly id: ProviderId;
  /**
   * Streams one attempt. Yields normalised StreamEvents: one 'start' when the response headers arrive, 'text' deltas,
   * then exactly one 'usage' and one 'finish'. Throws ProviderError (never a raw SDK error). Honors `signal`
   * (abort => ProviderError kind 'aborted' with partialText).
   */
  stream(req: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
  /** Exact input token count where the provider offers it (Anthropic count_tokens), else undefined. */
  countTokens?(req: ChatRequest, signal?: AbortSignal): Promise<number | undefined>;
}
