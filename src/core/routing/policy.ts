/**
 * The router's choices between models: which provider a tier's policy names, and the order of candidates by cost.
 * Shared with the host so that prompt-file lenses show the models the router would pick.
 */
import type { ProviderId, Tier } from '../types';
import type { RoutingConfig } from './config';
import type { ModelInfo } from './route';

/** One model the router considers for a request, with what it would cost and whether the request fits. */
export interface Candidate {
  provider: ProviderId;
  model: string;
  tier: Tier;
  info: ModelInfo | undefined;
  /** The context window when known (a catalogue entry may carry 0 for "not known"). */
  window: number | undefined;
  maxTokens: number;
  fits: boolean;
  cost: { min: number; max: number } | undefined;
}

/** How the tier was decided: the router, the user's tier, the user's model, or an escalation asked for. */
export type Mode = 'auto' | 'forcedTier' | 'forcedModel' | 'requested';

/** The provider the `provider` / `perTier` policies give a tier (and a local simple tier, when set). */
export function tierProvider(cfg: Pick<RoutingConfig, 'policy' | 'perTier' | 'activeProvider' | 'localSimpleTier'>, tier: Tier): ProviderId {
  const { policy, perTier, activeProvider, localSimpleTier } = cfg;
  if (policy === 'perTier' && perTier[tier]) return perTier[tier];
  if (localSimpleTier && tier === 'simple') return 'openaiCompatible';
  return activeProvider;
}

/** Cheapest (by maximum estimate) first; unknown prices after known ones; ties: the active provider, then input order. */
export function sortByCost(cands: Candidate[], active: ProviderId): Candidate[] {
  return cands
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const ca = a.c.cost?.max ?? Infinity;
      const cb = b.c.cost?.max ?? Infinity;
      if (ca !== cb) return ca - cb;
      if ((a.c.provider === active) !== (b.c.provider === active)) return a.c.provider === active ? -1 : 1;
      return a.i - b.i;
    })
    .map((x) => x.c);
}
