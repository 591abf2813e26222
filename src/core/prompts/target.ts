/** Which model a prompt file targets: its own provider/model, else its tier's model, else the default. */
import type { ProviderId, Tier } from '../types';
import type { PromptConfig } from './model';
import { inferProvider } from './config';

export interface ModelTarget {
  provider: ProviderId;
  model: string;
}

export interface ResolvedTarget extends ModelTarget {
  /** The tier the target came from, when it came from one. */
  tier?: Tier;
  /** Where the choice came from, for display. */
  source: 'file' | 'tier' | 'default';
}

export function resolveTarget(config: PromptConfig, tierModels: Record<Tier, ModelTarget>, fallback: ModelTarget): ResolvedTarget {
  if (config.model) {
    const provider = config.provider ?? inferProvider(config.model) ?? fallback.provider;
    return { provider, model: config.model, source: 'file' };
  }
  if (config.tier) {
    const t = tierModels[config.tier];
    if (t) return { ...t, tier: config.tier, source: 'tier' };
  }
  if (config.provider && config.provider !== fallback.provider) {
    // A provider alone: use the first tier model on that provider, else the default model name.
    const onProvider = (['medium', 'simple', 'complex'] as Tier[]).map((k) => tierModels[k]).find((t) => t?.provider === config.provider);
    if (onProvider) return { ...onProvider, source: 'tier' };
    return { provider: config.provider, model: fallback.model, source: 'file' };
  }
  return { ...fallback, source: 'default' };
}
