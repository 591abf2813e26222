import * as vscode from 'vscode';
import type { RouteInput } from '../core/routing';
import { PROVIDER_LABELS, type ProviderId } from '../core/types';
import type { Services } from './services';

/** Above this many characters a request's text is estimated instead of counted (8 MB, ~2M tokens or more). */
export const HUGE_TEXT_CHARS = 8 * 1024 * 1024;

/**
 * The router's input for a text, counted on the model the route most likely uses (the override's, else the active
 * provider's medium tier), with the budget left.
 */
export async function countedRouteInput(s: Services, input: Omit<RouteInput, 'inputTokens' | 'remainingBudgetUsd'>, countText: string): Promise<RouteInput> {
  const cfg = s.config();
  const provider = input.override?.provider ?? cfg.routing.config.activeProvider;
  const model = input.override?.model ?? cfg.routing.config.tiers[provider].medium;
  // A huge text is estimated from samples (labelled as such where it is shown) rather than counted whole first.
  const count = countText.length > HUGE_TEXT_CHARS ? s.tokens().counter().approximate(provider, model, countText) : await s.tokens().countBest(provider, model, countText);
  return { ...input, inputTokens: count.tokens, remainingBudgetUsd: s.budget().remainingUsd() };
}

/**
 * Budget and price checks that need the user's yes: a budget already spent, the route's own reasons, and an
 * estimate above `tierwise.confirmAboveUsd`. `overThreshold` words the last one from the formatted estimate and
 * threshold.
 */
export async function confirmSpend(s: Services, maxUsd: number, overThreshold: (max: string, threshold: string) => string, otherReasons: readonly string[] = []): Promise<boolean> {
  const cfg = s.config();
  const budget = s.budget().state();
  const reasons: string[] = [];
  if (budget.level === 'over') reasons.push(budget.message);
  reasons.push(...otherReasons);
  if (cfg.confirmAboveUsd > 0 && maxUsd > cfg.confirmAboveUsd) {
    reasons.push(overThreshold(s.pricing().formatUsd(maxUsd), s.pricing().formatUsd(cfg.confirmAboveUsd)));
  }
  if (!reasons.length) return true;
  const choice = await vscode.window.showWarningMessage(`Tierwise: ${reasons.join(' ')}`, { modal: true }, 'Send Anyway');
  return choice === 'Send Anyway';
}

/**
 * A missing key offers "Set API Key"; once one is set, `resend` runs the same request again. true when the key is
 * there and sending can go on now.
 */
export async function ensureKey(s: Services, provider: ProviderId, resend: () => unknown, what = 'this request'): Promise<boolean> {
  if (!s.needsKey(provider) || (await s.keys.has(provider))) return true;
  const choice = await vscode.window.showErrorMessage(`Tierwise: no API key is set for ${PROVIDER_LABELS[provider]}. Set one to send ${what}.`, 'Set API Key');
  if (choice !== 'Set API Key') return false;
  const set = await s.keys.promptAndSet(provider);
  if (!set) return false;
  void resend();
  return false;
}
