/**
 * The provider layer: one file per wire protocol, both through the official SDKs.
 * Every provider streams one attempt and throws ProviderError; retries, limits and fallback live elsewhere.
 */
import { systemClock, type Clock } from '../clock';
import { AnthropicProvider } from './anthropic';
import { OpenAICompatibleProvider } from './openaiCompatible';
import type { Provider, ProviderConfig } from './types';

export type { Provider, ProviderConfig } from './types';
export {
  DASHSCOPE_BASE_URLS,
  DASHSCOPE_REGION_LABELS,
  dashscopeRegionOf,
  OPENAI_BASE_URL,
  ANTHROPIC_BASE_URL,
  OPENAI_COMPATIBLE_BASE_URL,
  defaultBaseUrl,
  providerNeedsKey,
  type DashScopeRegion,
} from './baseUrls';
export { fromAnthropicUsage, fromOpenAIUsage, estimateTokens, estimateUsage } from './usage';
export { mapAnthropicStopReason, mapOpenAIFinishReason } from './finishReason';
export { scrubSecret } from './errorMapping';
export { AnthropicProvider } from './anthropic';
export { OpenAICompatibleProvider, isReasoningModel } from './openaiCompatible';

export function createProvider(cfg: ProviderConfig, clock: Clock = systemClock): Provider {
  switch (cfg.id) {
    case 'anthropic':
      return new AnthropicProvider(cfg, clock);
    case 'openai':
    case 'dashscope':
    case 'openaiCompatible':
      return new OpenAICompatibleProvider(cfg, clock);
  }
}
