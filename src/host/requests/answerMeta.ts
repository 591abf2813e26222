/** What an answer's header shows of a call's usage and cost, and what the ledger keeps of how it was routed. */
import * as vscode from 'vscode';
import type { RoutingInfo } from '../../core/pricing';
import type { Route } from '../../core/routing';
import type { ProviderId, Usage } from '../../core/types';
import type { Pricing } from '../prices';
import { localize } from '../util';

export function usageMeta(u: Usage) {
  return { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cachedTokens: u.cacheReadTokens, cacheWriteTokens: u.cacheWriteTokens };
}

/** What the cache saved (reads) and what writing it cost, for the answer panel; nothing when neither happened. */
export function cacheMeta(c: { savingsUsd: number; cacheWriteUsd: number; writePremiumUsd: number }, fmt: (usd: number) => string) {
  return {
    cacheSavings: c.savingsUsd > 0 ? `saved ${fmt(c.savingsUsd)}` : undefined,
    cacheWriteCost:
      c.cacheWriteUsd > 0 ? `${fmt(c.cacheWriteUsd)}${c.writePremiumUsd > 0 ? `, ${fmt(c.writePremiumUsd)} above the input price` : ''}` : undefined,
  };
}

/** The cost line of a finished answer: the gateway's own figure, free for a local model, else the catalogue's price. */
export function costMeta(pricing: Pricing, provider: ProviderId, model: string, usage: Usage, batch: boolean | undefined, gatewayCostUsd: number | undefined) {
  const fmt = (usd: number) => pricing.formatUsd(usd);
  const price = pricing.cost(provider, model, usage, batch);
  if (gatewayCostUsd !== undefined) return { cost: vscode.l10n.t('{0} (reported by the gateway)', fmt(gatewayCostUsd)) };
  if (pricing.isLocal(provider) && price && price.usd === 0) return { cost: vscode.l10n.t('free (local model)') };
  // A gateway model: where its price comes from (a list price until the gateway reports one), or how to set one.
  const noteMsg = pricing.priceNoteMsg(provider, model);
  const note = noteMsg && localize(noteMsg);
  if (price) return { cost: note ? vscode.l10n.t('{0} ({1})', fmt(price.usd), note) : fmt(price.usd), ...cacheMeta(price, fmt) };
  return { cost: note ?? vscode.l10n.t('price unknown') };
}

/** For the ledger: how an auto route got its tier, and the same usage priced on the default and the top tier. */
export function routingInfo(pricing: Pricing, tiers: Record<string, string>, route: Route, provider: ProviderId, usage: Usage): RoutingInfo {
  const auto = route.auto!;
  const price = (model: string | undefined) => (model ? pricing.cost(provider, model, usage, route.request.batch)?.usd : undefined);
  const defaultTierUsd = price(tiers[auto.defaultTier]);
  const topTierUsd = price(tiers.complex);
  return {
    routedTier: auto.routedTier,
    defaultTier: auto.defaultTier,
    source: auto.source,
    ...(defaultTierUsd !== undefined ? { defaultTierUsd } : {}),
    ...(topTierUsd !== undefined ? { topTierUsd } : {}),
  };
}
