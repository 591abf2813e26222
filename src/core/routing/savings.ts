/**
 * "Saved by routing": what auto-routed requests cost against the same usage on each task's default tier and on the
 * top tier (priced when recorded), with the escalations and the judge's overhead. Pure, over ledger records.
 */
import type { LedgerRecord } from '../pricing/record';

export interface RoutingSavings {
  requests: number;
  /** USD: the auto-routed answers with prices on every tier, plus the judge's calls. */
  costUsd: number;
  defaultTierUsd: number;
  topTierUsd: number;
  unpriced: number;
  escalations: number;
  learned: number;
  judgeCalls: number;
  judgeUsd: number;
}

export function routingSavings(records: readonly LedgerRecord[]): RoutingSavings | undefined {
  const out: RoutingSavings = { requests: 0, costUsd: 0, defaultTierUsd: 0, topTierUsd: 0, unpriced: 0, escalations: 0, learned: 0, judgeCalls: 0, judgeUsd: 0 };
  for (const r of records) {
    if (r.overhead === 'routing') {
      out.judgeCalls++;
      out.judgeUsd += r.costUsd;
      continue;
    }
    const info = r.routing;
    if (!info) continue;
    out.requests++;
    if (info.source === 'escalated') out.escalations++;
    if (info.source === 'learned') out.learned++;
    if (info.defaultTierUsd === undefined || info.topTierUsd === undefined) {
      out.unpriced++;
      continue;
    }
    out.costUsd += r.costUsd;
    out.defaultTierUsd += info.defaultTierUsd;
    out.topTierUsd += info.topTierUsd;
  }
  if (!out.requests && !out.judgeCalls) return undefined;
  // The judge is part of what routing cost.
  out.costUsd += out.judgeUsd;
  return out;
}
