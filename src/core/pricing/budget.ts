import { english, joined, msg, type Message } from '../messages';
import { formatMoneyAll } from './currency';

export type BudgetState = 'ok' | 'warn' | 'over';

/** Settings `tierwise.budget.*`, in USD. 0 or missing = no budget. */
export interface BudgetSettings {
  dailyUsd?: number;
  monthlyUsd?: number;
  /** This workspace's monthly budget (`tierwise.budget.workspaceMonthlyUsd`), against its own spend this month. */
  workspaceMonthlyUsd?: number;
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
  /** The worst of the three. */
  state: BudgetState;
  daily: BudgetLine;
  monthly: BudgetLine;
  workspace: BudgetLine;
  /** One sentence for the status bar / a notification, in English; empty when ok. */
  message: string;
  /** The same sentence as a catalogue message, for the display language; undefined when ok. */
  text?: Message;
}

function line(spent: number, limit: number | undefined, warnAt: number): BudgetLine {
  if (!limit || limit <= 0) return { state: 'ok', spentUsd: spent };
  const fraction = spent / limit;
  const state: BudgetState = fraction >= 1 ? 'over' : fraction >= warnAt ? 'warn' : 'ok';
  return { state, spentUsd: spent, limitUsd: limit, fraction };
}

const RANK: Record<BudgetState, number> = { ok: 0, warn: 1, over: 2 };

/** Formats a USD amount for a message (the display currency); defaults to dollars. */
export type UsdFormatter = (amountsUsd: readonly number[]) => string[];
const dollars: UsdFormatter = (a) => formatMoneyAll(a, 'USD');

/** Whether any of the budgets is set. */
export function hasBudget(settings: BudgetSettings): boolean {
  return !!(settings.dailyUsd || settings.monthlyUsd || settings.workspaceMonthlyUsd);
}

/** The budget a `BudgetCheck` names, as a sentence says it ("the daily budget", "the workspace budget"): a message. */
export const BUDGET_NAMES: Readonly<Record<'daily' | 'monthly' | 'workspace', Message>> = Object.freeze({
  daily: msg('errors.budget.name.daily'),
  monthly: msg('errors.budget.name.monthly'),
  workspace: msg('errors.budget.name.workspace'),
});

const OVER = { daily: 'errors.budget.overDaily', monthly: 'errors.budget.overMonthly', workspace: 'errors.budget.overWorkspace' } as const;
const WARN = { daily: 'errors.budget.warnDaily', monthly: 'errors.budget.warnMonthly', workspace: 'errors.budget.warnWorkspace' } as const;

/** `spentWorkspaceMonthUsd`: this workspace's spend this month (for `workspaceMonthlyUsd`). */
export function budgetStatus(spentTodayUsd: number, spentMonthUsd: number, settings: BudgetSettings, fmt: UsdFormatter = dollars, spentWorkspaceMonthUsd = 0): BudgetStatus {
  const warnAt = settings.warnAt ?? 0.8;
  const daily = line(spentTodayUsd, settings.dailyUsd, warnAt);
  const monthly = line(spentMonthUsd, settings.monthlyUsd, warnAt);
  const workspace = line(spentWorkspaceMonthUsd, settings.workspaceMonthlyUsd, warnAt);
  const state = [daily, monthly, workspace].reduce<BudgetState>((worst, l) => (RANK[l.state] > RANK[worst] ? l.state : worst), 'ok');
  const parts: Message[] = [];
  for (const [key, l] of [
    ['daily', daily],
    ['monthly', monthly],
    ['workspace', workspace],
  ] as const) {
    if (l.state === 'ok' || l.limitUsd === undefined) continue;
    const pct = Math.round((l.fraction ?? 0) * 100);
    const [spent, limit] = fmt([l.spentUsd, l.limitUsd]);
    parts.push(l.state === 'over' ? msg(OVER[key], spent, limit, pct) : msg(WARN[key], pct, spent, limit));
  }
  const text = parts.length ? joined(parts, ' ') : undefined;
  return { state, daily, monthly, workspace, message: parts.map(english).join(' '), ...(typeof text === 'object' ? { text } : {}) };
}

/** USD left before the tightest budget is reached (Infinity without budgets, 0 when over). */
export function remainingUsd(spentTodayUsd: number, spentMonthUsd: number, settings: BudgetSettings, spentWorkspaceMonthUsd = 0): number {
  let left = Infinity;
  if (settings.dailyUsd && settings.dailyUsd > 0) left = Math.min(left, settings.dailyUsd - spentTodayUsd);
  if (settings.monthlyUsd && settings.monthlyUsd > 0) left = Math.min(left, settings.monthlyUsd - spentMonthUsd);
  if (settings.workspaceMonthlyUsd && settings.workspaceMonthlyUsd > 0) left = Math.min(left, settings.workspaceMonthlyUsd - spentWorkspaceMonthUsd);
  return Math.max(0, left);
}

/** The status after spending `estimateUsd` more: what a confirmation before sending should look at. */
export function statusAfter(spentTodayUsd: number, spentMonthUsd: number, estimateUsd: number, settings: BudgetSettings, spentWorkspaceMonthUsd = 0): BudgetStatus {
  return budgetStatus(spentTodayUsd + estimateUsd, spentMonthUsd + estimateUsd, settings, dollars, spentWorkspaceMonthUsd + estimateUsd);
}

/**
 * When a call needs the user's yes because of a budget. One rule:
 *   - below 80% of every budget: no question;
 *   - from 80%: a warning (no question);
 *   - at 100% (or over): every call asks first (`over`);
 *   - before that, a call asks only when it alone could cross a budget: its worst-case estimate (all of max_tokens)
 *     is more than what is left (`crossing`).
 */
export type BudgetCheck =
  | { kind: 'none' }
  | { kind: 'over' | 'crossing'; budget: keyof typeof BUDGET_NAMES; spentUsd: number; limitUsd: number; leftUsd: number; estimateUsd: number };

export function budgetCheck(spentTodayUsd: number, spentMonthUsd: number, estimateUsd: number, settings: BudgetSettings, spentWorkspaceMonthUsd = 0): BudgetCheck {
  const lines: { budget: keyof typeof BUDGET_NAMES; spent: number; limit: number }[] = [];
  if (settings.dailyUsd && settings.dailyUsd > 0) lines.push({ budget: 'daily', spent: spentTodayUsd, limit: settings.dailyUsd });
  if (settings.monthlyUsd && settings.monthlyUsd > 0) lines.push({ budget: 'monthly', spent: spentMonthUsd, limit: settings.monthlyUsd });
  if (settings.workspaceMonthlyUsd && settings.workspaceMonthlyUsd > 0) lines.push({ budget: 'workspace', spent: spentWorkspaceMonthUsd, limit: settings.workspaceMonthlyUsd });
  const over = lines.find((l) => l.spent >= l.limit);
  if (over) return { kind: 'over', budget: over.budget, spentUsd: over.spent, limitUsd: over.limit, leftUsd: 0, estimateUsd };
  // The budget with the least left decides whether this call alone could cross one.
  const tight = [...lines].sort((a, b) => a.limit - a.spent - (b.limit - b.spent))[0];
  if (tight && estimateUsd > tight.limit - tight.spent) {
    return { kind: 'crossing', budget: tight.budget, spentUsd: tight.spent, limitUsd: tight.limit, leftUsd: tight.limit - tight.spent, estimateUsd };
  }
  return { kind: 'none' };
}
