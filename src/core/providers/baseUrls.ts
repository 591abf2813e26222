import type { ProviderId } from '../types';

export type DashScopeRegion = 'china' | 'international';

/** DashScope (Model Studio) OpenAI-compatible endpoints. API keys are region-specific. */
export const DASHSCOPE_BASE_URLS: Readonly<Record<DashScopeRegion, string>> = Object.freeze({
  china: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
  international: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
});

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** The Anthropic SDK appends /v1/messages itself. */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Ollama's OpenAI-compatible endpoint; LM Studio uses http://localhost:1234/v1, vLLM http://localhost:8000/v1. */
export const OPENAI_COMPATIBLE_BASE_URL = 'http://localhost:11434/v1';

export function defaultBaseUrl(id: ProviderId, region: DashScopeRegion = 'international'): string {
  switch (id) {
    case 'openai':
      return OPENAI_BASE_URL;
    case 'anthropic':
      return ANTHROPIC_BASE_URL;
    case 'dashscope':
      return DASHSCOPE_BASE_URLS[region];
    case 'openaiCompatible':
      return OPENAI_COMPATIBLE_BASE_URL;
  }
}

/** Local and gateway servers often run without a key; the hosted providers always need one. */
export function providerNeedsKey(id: ProviderId): boolean {
  return id !== 'openaiCompatible';
}
