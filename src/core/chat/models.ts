/**
 * The models Tierwise offers VS Code's chat (the Language Model Chat Provider API): the tier models of every provider
 * that is set up, and Tierwise Auto. Pure: the host turns these into `LanguageModelChatInformation`.
 */
import type { ModelInfo } from '../routing/route';
import { PROVIDER_IDS, TIERS, type ProviderId, type Tier } from '../types';

/** The id of Tierwise Auto in the model picker. */
export const AUTO_MODEL_ID = 'auto';

export interface ChatModelSpec {
  /** `auto`, or `<provider>/<tier>`. */
  id: string;
  /** Set for a tier model; Auto routes each request. */
  target?: { provider: ProviderId; tier: Tier; model: string };
  maxInputTokens: number;
  maxOutputTokens: number;
  toolCalling: boolean;
}

/** Until the catalogue knows a model (a local server's, a new one): limits that a chat view can plan with. */
export const UNKNOWN_LIMITS = { maxInputTokens: 32_000, maxOutputTokens: 4_096 };

/**
 * Whether a model can call tools: every current model of OpenAI, Anthropic and DashScope's Qwen chat models can,
 * except the ones below (OpenAI's o1-mini and o1-preview, instruct-completion models; Qwen's translation, maths and
 * OCR-only models, QwQ previews). An OpenAI-compatible server is trusted to say so itself: assumed yes.
 */
export function supportsToolCalling(provider: ProviderId, model: string): boolean {
  const m = model.toLowerCase();
  if (provider === 'openai') return !/^o1-(mini|preview)|instruct|^babbage|^davinci|embedding|tts|whisper|dall-e|realtime/.test(m);
  if (provider === 'dashscope') return !/qwen-mt|math|qwen-vl-ocr|qwq-32b-preview|embedding/.test(m);
  return true;
}

/** Input and output limits of a catalogued model (input: the window less the output, or its own input cap). */
export function limitsOf(info: ModelInfo | undefined): { maxInputTokens: number; maxOutputTokens: number } {
  if (!info || info.contextWindow <= 0) return UNKNOWN_LIMITS;
  const maxOutputTokens = info.maxOutput > 0 ? info.maxOutput : UNKNOWN_LIMITS.maxOutputTokens;
  const room = Math.max(1, info.contextWindow - maxOutputTokens);
  return { maxInputTokens: info.maxInput ? Math.min(info.maxInput, info.contextWindow) : room, maxOutputTokens };
}

export interface ChatModelPorts {
  /** Providers set up now (a key is set, or a local server is configured). */
  available: readonly ProviderId[];
  /** The tier table (`tierwise.tiers.*`). */
  tiers: Record<ProviderId, Record<Tier, string>>;
  modelInfo(provider: ProviderId, model: string): ModelInfo | undefined;
}

/**
 * Auto first, then each set-up provider's simple, medium and complex model. Auto's limits are the largest of the
 * models it may route to (the router refuses a request none of them holds); it calls tools when they all can.
 */
export function chatModels(p: ChatModelPorts): ChatModelSpec[] {
  const out: ChatModelSpec[] = [];
  for (const provider of PROVIDER_IDS) {
    if (!p.available.includes(provider)) continue;
    for (const tier of TIERS) {
      const model = p.tiers[provider]?.[tier];
      if (!model) continue;
      out.push({ id: `${provider}/${tier}`, target: { provider, tier, model }, ...limitsOf(p.modelInfo(provider, model)), toolCalling: supportsToolCalling(provider, model) });
    }
  }
  if (!out.length) return [];
  const auto: ChatModelSpec = {
    id: AUTO_MODEL_ID,
    maxInputTokens: Math.max(...out.map((m) => m.maxInputTokens)),
    maxOutputTokens: Math.max(...out.map((m) => m.maxOutputTokens)),
    toolCalling: out.every((m) => m.toolCalling),
  };
  return [auto, ...out];
}

/** The tier model a picker id names, or undefined (Auto, or a provider no longer set up). */
export function targetOf(id: string, models: readonly ChatModelSpec[]): ChatModelSpec | undefined {
  return models.find((m) => m.id === id);
}
