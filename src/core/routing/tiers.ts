/**
 * Tier -> model, per provider. Settings `tierwise.tiers.<provider>.<tier>` override single entries.
 */
import type { ProviderId, Tier } from '../types';
import { PROVIDER_IDS, TIERS } from '../types';

export type TierModels = Record<Tier, string>;
export type TierTable = Record<ProviderId, TierModels>;

/**
 * Defaults: per provider a ladder whose price per token rises with the tier (a unit test checks it against the
 * catalogue, and that no default is deprecated). Checked 2026-12-01.
 * - OpenAI: gpt-6-luna / gpt-6.1-sol / gpt-6.2-astra. The GPT-4o, GPT-4.1 and GPT-5 families are deprecated
 *   (shutdown 2027-01-14 and 2026-12-11), so the current GPT-6 models are used; all three are reasoning models.
 * - Anthropic: claude-haiku-4-5 / claude-sonnet-5-5 / claude-opus-5-5. Claude Opus 4.5 and Sonnet 4.5 are
 *   deprecated. Haiku 4.5 (not 5.5) for the simple tier: it does not think unless asked, so the small output
 *   budgets of the simple tasks (10 tokens for a label) hold, and it accepts `temperature: 0`.
 * - DashScope: qwen-turbo / qwen-plus / qwen-max (stable aliases in the compatible-mode API).
 * - OpenAI-compatible (Ollama, LM Studio, vLLM, gateways): the user's own model names; `llama3.2` by default.
 */
export const DEFAULT_TIER_MODELS: Readonly<TierTable> = Object.freeze({
  openai: { simple: 'gpt-6-luna', medium: 'gpt-6.1-sol', complex: 'gpt-6.2-astra' },
  anthropic: { simple: 'claude-haiku-4-5', medium: 'claude-sonnet-5-5', complex: 'claude-opus-5-5' },
  dashscope: { simple: 'qwen-turbo', medium: 'qwen-plus', complex: 'qwen-max' },
  openaiCompatible: { simple: 'llama3.2', medium: 'llama3.2', complex: 'llama3.2' },
});

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
  problems: string[];
}

/**
 * Merge the `tierwise.tiers` setting (`{ openai: { simple: "…" }, … }`) over the defaults.
 * Blank strings mean "use the default"; bad entries are reported and skipped.
 */
export function resolveTierTable(raw: unknown, base: Readonly<TierTable> = DEFAULT_TIER_MODELS): TierTableResult {
  const table = Object.fromEntries(PROVIDER_IDS.map((p) => [p, { ...base[p] }])) as TierTable;
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { table, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('tierwise.tiers must be an object like { "openai": { "simple": "gpt-4o-mini" } }; ignored.');
    return { table, problems };
  }
  for (const [provider, models] of Object.entries(raw as Record<string, unknown>)) {
    if (!isProviderId(provider)) {
      problems.push(`tierwise.tiers.${provider}: unknown provider (known: ${PROVIDER_IDS.join(', ')}); ignored.`);
      continue;
    }
    if (models === undefined || models === null) continue;
    if (typeof models !== 'object' || Array.isArray(models)) {
      problems.push(`tierwise.tiers.${provider}: must be an object with simple, medium and complex; ignored.`);
      continue;
    }
    for (const [tier, model] of Object.entries(models as Record<string, unknown>)) {
      const where = `tierwise.tiers.${provider}.${tier}`;
      if (!isTier(tier)) {
        problems.push(`${where}: unknown tier (known: ${TIERS.join(', ')}); ignored.`);
      } else if (model === undefined || model === null || model === '') {
        // keep the default
      } else if (typeof model !== 'string' || !model.trim() || /\s/.test(model.trim())) {
        problems.push(`${where}: must be a model name without spaces; ignored.`);
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
 * (e.g. "openaiCompatible/meta-llama/Llama-3.1-8B"). Returns an error string when invalid.
 */
export function parseModelRef(spec: unknown): ModelRef | string {
  if (typeof spec !== 'string') return 'must be a string "provider/model"';
  const s = spec.trim();
  const slash = s.indexOf('/');
  if (slash <= 0 || slash === s.length - 1) return `"${s}" must look like "provider/model"`;
  const provider = s.slice(0, slash);
  const model = s.slice(slash + 1);
  if (!isProviderId(provider)) return `"${s}": unknown provider "${provider}" (known: ${PROVIDER_IDS.join(', ')})`;
  if (/\s/.test(model)) return `"${s}": model name contains spaces`;
  return { provider, model };
}
