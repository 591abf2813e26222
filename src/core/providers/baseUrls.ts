import { msg, type Message } from '../messages';
import type { ProviderId } from '../types';

/**
 * The one DashScope region type, spelled as the setting `tierwise.providers.dashscope.region` is: China (Beijing,
 * prices in CNY), international (Singapore, USD), US (Virginia, USD). It picks both the host and the price list.
 */
export type DashScopeRegion = 'china' | 'international' | 'us';

/** The region when nothing names one (the setting's default). */
export const DEFAULT_DASHSCOPE_REGION: DashScopeRegion = 'china';

const REGION_SPELLINGS: Readonly<Record<string, DashScopeRegion>> = { china: 'china', cn: 'china', international: 'international', intl: 'international', us: 'us' };

/** A region as users write it in settings and price keys ("china" or "cn", "international" or "intl", "us"). */
export function dashscopeRegionFrom(v: unknown): DashScopeRegion | undefined {
  return typeof v === 'string' ? REGION_SPELLINGS[v.trim().toLowerCase()] : undefined;
}

/**
 * DashScope (Model Studio) OpenAI-compatible endpoints: China (Beijing), international (Singapore), US (Virginia).
 * API keys are region-locked: a key works only on its own region's host.
 */
export const DASHSCOPE_BASE_URLS: Readonly<Record<DashScopeRegion, string>> = Object.freeze({
  china: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
  international: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  us: 'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
});

/** A region's name inside a sentence ("the {0} host", "the {0} region"), as a message. */
export const DASHSCOPE_REGION_LABELS: Readonly<Record<DashScopeRegion, Message>> = Object.freeze({
  china: msg('setup.region.china'),
  international: msg('setup.region.internationalInSentence'),
  us: msg('setup.region.us'),
});

/** The region whose DashScope host a base URL is on; undefined for any other host (a proxy, a test server). */
export function dashscopeRegionOf(baseUrl: string): DashScopeRegion | undefined {
  let host: string;
  try {
    host = new URL(baseUrl).host.toLowerCase();
  } catch {
    return undefined;
  }
  for (const [region, url] of Object.entries(DASHSCOPE_BASE_URLS) as [DashScopeRegion, string][]) {
    if (new URL(url).host === host) return region;
  }
  return undefined;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** The Anthropic SDK appends /v1/messages itself. */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Ollama's OpenAI-compatible endpoint; LM Studio uses http://localhost:1234/v1, vLLM http://localhost:8000/v1. */
export const OPENAI_COMPATIBLE_BASE_URL = 'http://localhost:11434/v1';

export function defaultBaseUrl(id: ProviderId, region: DashScopeRegion = DEFAULT_DASHSCOPE_REGION): string {
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
