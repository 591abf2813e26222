/**
 * The spending rules in chat, where no dialog may appear mid-turn: a turn whose worst case is over
 * `tierwise.confirmAboveUsd`, or that would cross (or is past) a budget, is refused with the estimate and the
 * setting; Tierwise Auto tries the lower tiers first and takes the highest one that fits.
 */
import type { BudgetCheck } from '../pricing/budget';
import type { Tier } from '../types';
import { TIERS } from '../types';

export type SpendBlock =
  | { rule: 'threshold'; estimateUsd: number; thresholdUsd: number; setting: 'tierwise.confirmAboveUsd' }
  | { rule: 'budget'; check: Exclude<BudgetCheck, { kind: 'none' }>; setting: string };

/** The setting each budget is read from. */
export const BUDGET_SETTINGS: Record<string, string> = {
  daily: 'tierwise.budget.dailyUsd',
  monthly: 'tierwise.budget.monthlyUsd',
  workspace: 'tierwise.budget.workspaceMonthlyUsd',
};

/** What stops a turn of this worst-case cost, or undefined when it may go: the budget first, then the threshold. */
export function spendBlock(maxUsd: number, budget: (usd: number) => BudgetCheck, confirmAboveUsd: number): SpendBlock | undefined {
  const b = budget(maxUsd);
  if (b.kind !== 'none') return { rule: 'budget', check: b, setting: BUDGET_SETTINGS[b.budget] ?? 'tierwise.budget' };
  if (confirmAboveUsd > 0 && maxUsd > confirmAboveUsd) return { rule: 'threshold', estimateUsd: maxUsd, thresholdUsd: confirmAboveUsd, setting: 'tierwise.confirmAboveUsd' };
  return undefined;
}

/** The tiers below `tier`, highest first (where Tierwise Auto may step down to). */
export function tiersBelow(tier: Tier): Tier[] {
  return TIERS.slice(0, TIERS.indexOf(tier)).reverse();
}
