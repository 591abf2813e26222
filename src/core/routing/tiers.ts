/**
 * Tier -> model, per provider. Settings `tierwise.tiers.<provider>.<tier>` override single entries.
 */
import type { ProviderId, Tier } from '../types';
import { PROVIDER_IDS, TIERS } from '../types';
import { DEFAULT_DASHSCOPE_REGION, type DashScopeRegion } from '../providers/baseUrls';
import { msg, type Message } from '../messages';
import { settingProblem, type SettingProblem } from '../settingProblems';

export type TierModels = Record<Tier, string>;
export type TierTable = Record<ProviderId, TierModels>;

/**
 * Defaults: per provider a ladder whose price per token rises with the tier. A unit test checks each against the
 * catalogue: priced, rising, and neither deprecated nor retired (by the catalogue's lifecycle dates). Checked 2026-12-07.
 * - OpenAI: gpt-6-luna / gpt-6.1-sol / gpt-6.2-astra. The GPT-4o, GPT-4.1 and GPT-5 families are deprecated
 *   (shutdown 2027-01-14 and 2026-12-11), so the current GPT-6 models are used; all three are reasoning models.
 * - Anthropic: claude-haiku-4-5 / claude-sonnet-5-5 / claude-opus-5-5. Claude Opus 4.5 and Sonnet 4.5 are
 *   deprecated. Haiku 4.5 is legacy since Haiku 5.5 came out (2026-10-07) but still served with no retirement
 *   announced; it stays the simple tier because Haiku 5.5 thinks by default and refuses `temperature` (a 400), while
 *   the simple tasks want a ten-token label at `temperature: 0`.
 * - DashScope, per region (`dashscopeTierModels`): qwen-turbo was shut down on 2026-10-10 in Beijing and Singapore,
 *   and Model Studio recommends the Qwen3.6/3.7 series. By price and ability:
 *   China (CNY): qwen3.7-flash / qwen-plus / qwen3.8-max. qwen-plus (Qwen3-based, 1M context, ¥0.8/¥2) stays the
 *   medium tier: no price of qwen3.7-plus in CNY was found, and qwen3.6-plus costs ¥2/¥12.
 *   International and US (USD): qwen3.7-flash / qwen3.7-plus / qwen4-max.
 * - OpenAI-compatible (Ollama, LM Studio, vLLM, gateways): the user's own model names; `llama3.2` by default.
 */
export const DASHSCOPE_TIER_MODELS: Readonly<Record<DashScopeRegion, TierModels>> = Object.freeze({
  china: { simple: 'qwen3.7-flash', medium: 'qwen-plus', complex: 'qwen3.8-max' },
  international: { simple: 'qwen3.7-flash', medium: 'qwen3.7-plus', complex: 'qwen4-max' },
  us: { simple: 'qwen3.7-flash', medium: 'qwen3.7-plus', complex: 'qwen4-max' },
});

/** The default tier table for a DashScope region (the other providers' defaults do not depend on it). */
export function defaultTierModels(region: DashScopeRegion = DEFAULT_DASHSCOPE_REGION): Readonly<TierTable> {
  return Object.freeze({
    openai: { simple: 'gpt-6-luna', medium: 'gpt-6.1-sol', complex: 'gpt-6.2-astra' },
    anthropic: { simple: 'claude-haiku-4-5', medium: 'claude-sonnet-5-5', complex: 'claude-opus-5-5' },
    dashscope: { ...DASHSCOPE_TIER_MODELS[region] },
    openaiCompatible: { simple: 'llama3.2', medium: 'llama3.2', complex: 'llama3.2' },
  });
}

/** The defaults in the default DashScope region (China). */
export const DEFAULT_TIER_MODELS: Readonly<TierTable> = defaultTierModels();

/** The model names of the original plan, kept for users and tests that refer to them. */
export const SEED_TIER_MODELS: Readonly<TierTable> = Object.freeze({
  openai: { simple: 'gpt-4o-mini', medium: 'gpt-4o', complex: 'gpt-4.1' },
  anthropic: {
    simple: 'claude-3-5-haiku-latest',
    medium: 'claude-3-5-sonnet-latest',
    complex: 'claude-3-opus-latest',
  },
  dashscope: { simple: 'qwen-turbo', medium: 'qwen-plus', complex: 'qwen-max' },
  openaiCompatible: { simple: 'llama3.2', medium: 'llama3.2', complex: 'llama3.2' },
});

export function isProviderId(v: unknown): v is ProviderId {
  return typeof v === 'string' && (PROVIDER_IDS as readonly string[]).includes(v);
}

export function isTier(v: unknown): v is Tier {
  return typeof v === 'string' && (TIERS as readonly string[]).includes(v);
}

const TIER_NAMES: Readonly<Record<Tier, Message>> = {
  simple: msg('routing.tier.simple'),
  medium: msg('routing.tier.medium'),
  complex: msg('routing.tier.complex'),
};

/** A tier's name for sentences ("simple tier", "简单层级"): a message, never the raw id. */
export function tierName(t: Tier): Message {
  return TIER_NAMES[t];
}

/** The tier one step up, or undefined at the top. */
export function nextTier(t: Tier): Tier | undefined {
  return TIERS[TIERS.indexOf(t) + 1];
}

/** Tiers from `t` upwards, `t` included. */
export function tiersFrom(t: Tier): Tier[] {
  return TIERS.slice(TIERS.indexOf(t));
}

export interface TierTableResult {
  table: TierTable;
  problems: SettingProblem[];
}

/**
 * Merge the `tierwise.tiers` setting (`{ openai: { simple: "…" }, … }`) over the defaults.
 * Blank strings mean "use the default"; bad entries are reported and skipped.
 */
export function resolveTierTable(raw: unknown, base: Readonly<TierTable> = DEFAULT_TIER_MODELS): TierTableResult {
  const table = Object.fromEntries(PROVIDER_IDS.map((p) => [p, { ...base[p] }])) as TierTable;
  const problems: SettingProblem[] = [];
  if (raw === undefined || raw === null) return { table, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(settingProblem('tierwise.tiers', msg('settings.tiers.notObject', 'tierwise.tiers')));
    return { table, problems };
  }
  for (const [provider, models] of Object.entries(raw as Record<string, unknown>)) {
    if (!isProviderId(provider)) {
      problems.push(settingProblem('tierwise.tiers', msg('settings.tiers.unknownProvider', `tierwise.tiers.${provider}`, PROVIDER_IDS.join(', '))));
      continue;
    }
    if (models === undefined || models === null) continue;
    if (typeof models !== 'object' || Array.isArray(models)) {
      problems.push(settingProblem(`tierwise.tiers.${provider}`, msg('settings.tiers.providerNotObject', `tierwise.tiers.${provider}`)));
      continue;
    }
    for (const [tier, model] of Object.entries(models as Record<string, unknown>)) {
      const where = `tierwise.tiers.${provider}.${tier}`;
      if (!isTier(tier)) {
        problems.push(settingProblem(`tierwise.tiers.${provider}`, msg('settings.unknownTier', where, TIERS.join(', '))));
      } else if (model === undefined || model === null || model === '') {
        // keep the default
      } else if (typeof model !== 'string' || !model.trim() || /\s/.test(model.trim())) {
        problems.push(settingProblem(where, msg('settings.tiers.badModel', where)));
      } else {
        table[provider][tier] = model.trim();
      }
    }
  }
  return { table, problems };
}

export interface ModelRef {
  provider: ProviderId;
  model: string;
}

/**
 * Parse "provider/model" (as in `tierwise.fallback`). The model part may itself contain '/'
 * (e.g. "openaiCompatible/meta-llama/Llama-3.1-8B"). Returns what is wrong (a message) when invalid.
 */
export function parseModelRef(spec: unknown): ModelRef | Message {
  if (typeof spec !== 'string') return msg('settings.modelRef.notString');
  const s = spec.trim();
  const slash = s.indexOf('/');
  if (slash <= 0 || slash === s.length - 1) return msg('settings.modelRef.noSlash', s);
  const provider = s.slice(0, slash);
  const model = s.slice(slash + 1);
  if (!isProviderId(provider)) return msg('settings.modelRef.unknownProvider', s, provider, PROVIDER_IDS.join(', '));
  if (/\s/.test(model)) return msg('settings.modelRef.spaces', s);
  return { provider, model };
}
