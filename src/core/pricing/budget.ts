import { formatMoney } from './currency';

export type BudgetState = 'ok' | 'warn' | 'over';

/** Settings `tierwise.budget.*`, in USD. 0 or missing = no budget. */
export interface BudgetSettings {
  dailyUsd?: number;
  monthlyUsd?: number;
  /** Fraction of a budget at which to warn (default 0.8). */
  warnAt?: number;
}

export interface BudgetLine {
  state: BudgetState;
  spentUsd: number;
  limitUsd?: number;
  /** spent / limit, undefined without a limit. */
  fraction?: number;
}

export interface BudgetStatus {
  /** The worse of the two. */
  state: BudgetState;
  daily: BudgetLine;
  monthly: BudgetLine;
  /** One sentence for the status bar / a notification; empty when ok. */
  message: string;
}

function line(spent: number, limit: number | undefined, warnAt: number): BudgetLine {
  if (!limit || limit <= 0) return { state: 'ok', spentUsd: spent };
  const fraction = spent / limit;
  const state: BudgetState = fraction >= 1 ? 'over' : fraction >= warnAt ? 'warn' : 'ok';
  return { state, spentUsd: spent, limitUsd: limit, fraction };
}

const RANK: Record<BudgetState, number> = { ok: 0, warn: 1, over: 2 };

export function budgetStatus(spentTodayUsd: number, spentMonthUsd: number, settings: BudgetSettings): BudgetStatus {
  const warnAt = settings.warnAt ?? 0.8;
  const daily = line(spentTodayUsd, settings.dailyUsd, warnAt);
  const monthly = line(spentMonthUsd, settings.monthlyUsd, warnAt);
  const state = RANK[daily.state] >= RANK[monthly.state] ? daily.state : monthly.state;
  const parts: string[] = [];
  for (const [name, l] of [
    ['daily', daily],
    ['monthly', monthly],
  ] as const) {
    if (l.state === 'ok' || l.limitUsd === undefined) continue;
    const pct = Math.round((l.fraction ?? 0) * 100);
    parts.push(
      l.state === 'over'
        ? `Over the ${name} budget: ${formatMoney(l.spentUsd, 'USD')} of ${formatMoney(l.limitUsd, 'USD')} (${pct}%).`
        : `${pct}% of the ${name} budget used: ${formatMoney(l.spentUsd, 'USD')} of ${formatMoney(l.limitUsd, 'USD')}.`,
    );
  }
  return { state, daily, monthly, message: parts.join(' ') };
}

/** USD left before the tighter budget is reached (Infinity without budgets, 0 when over). */
export function remainingUsd(spentTodayUsd: number, spentMonthUsd: number, settings: BudgetSettings): number {
  let left = Infinity;
  if (settings.dailyUsd && settings.dailyUsd > 0) left = Math.min(left, settings.dailyUsd - spentTodayUsd);
  if (settings.monthlyUsd && settings.monthlyUsd > 0) left = Math.min(left, settings.monthlyUsd - spentMonthUsd);
  return Math.max(0, left);
}

/** The status after spending `estimateUsd` more: what a confirmation before sending should look at. */
export function statusAfter(spentTodayUsd: number, spentMonthUsd: number, estimateUsd: number, settings: BudgetSettings): BudgetStatus {
  return budgetStatus(spentTodayUsd + estimateUsd, spentMonthUsd + estimateUsd, settings);
}
