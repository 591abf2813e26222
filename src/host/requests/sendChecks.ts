import * as vscode from 'vscode';
import type { RouteInput } from '../../core/routing';
import { PROVIDER_LABELS, type ProviderId } from '../../core/types';
import type { CountPorts, KeyPorts, RequestPorts, SpendPorts } from './ports';
import { currentWorkspace, localize } from '../util';
import { BUDGET_NAMES } from '../../core/pricing';

const SET_API_KEY = vscode.l10n.t('Set API Key');

/** Above this many characters a request's text is estimated instead of counted (8 MB, ~2M tokens or more). */
export const HUGE_TEXT_CHARS = 8 * 1024 * 1024;

/**
 * The router's input for a text, counted on the model the route most likely uses (the override's, else the active
 * provider's medium tier), with the budget left.
 */
export async function countedRouteInput(s: CountPorts, input: Omit<RouteInput, 'inputTokens' | 'remainingBudgetUsd'>, countText: string): Promise<RouteInput> {
  const cfg = s.config();
  const provider = input.override?.provider ?? cfg.routing.config.activeProvider;
  const model = input.override?.model ?? cfg.routing.config.tiers[provider].medium;
  // A huge text is estimated from samples (labelled as such where it is shown) rather than counted whole first.
  const count = countText.length > HUGE_TEXT_CHARS ? s.tokens().counter().approximate(provider, model, countText) : await s.tokens().countBest(provider, model, countText);
  return { ...input, inputTokens: count.tokens, remainingBudgetUsd: s.budget().remainingUsd() };
}

/**
 * Budget and price checks that need the user's yes. The budget rule (README "Budgets"): a warning from 80% (after
 * the call that crosses it), a question before every call from 100%, and before that a question only when this call
 * alone could cross the budget (its worst case, all of max_tokens, is more than what is left), saying so. Then the
 * route's own reasons and an estimate above `tierwise.confirmAboveUsd`; `overThreshold` words the last one from the
 * formatted estimate and threshold. `subject` names what is sent ("This request", "This batch of 3 requests").
 */
export async function confirmSpend(
  s: SpendPorts,
  maxUsd: number,
  overThreshold: (max: string, threshold: string) => string,
  otherReasons: readonly string[] = [],
  subject = vscode.l10n.t('This request'),
): Promise<boolean> {
  const reasons = spendReasons(s, maxUsd, overThreshold, otherReasons, subject);
  if (!reasons.length) return true;
  const send = vscode.l10n.t('Send Anyway');
  const choice = await vscode.window.showWarningMessage(`Tierwise: ${reasons.join(' ')}`, { modal: true }, send);
  return choice === send;
}

/** The sentences of the confirmation (none: no question). Exported for tests. */
export function spendReasons(s: SpendPorts, maxUsd: number, overThreshold: (max: string, threshold: string) => string, otherReasons: readonly string[] = [], subject = vscode.l10n.t('This request')): string[] {
  const cfg = s.config();
  const pricing = s.pricing();
  const reasons: string[] = [];
  const b = s.budget().check(maxUsd);
  if (b.kind !== 'none') {
    const [spent, limit, left, max] = pricing.formatUsdAll([b.spentUsd, b.limitUsd, b.leftUsd, b.estimateUsd]);
    if (b.budget === 'workspace') {
      const ws = currentWorkspace()?.name ?? '';
      reasons.push(
        b.kind === 'over'
          ? vscode.l10n.t('The monthly budget of this workspace ({0}) is used up: {1} of {2} spent. {3} may cost up to {4}.', ws, spent!, limit!, subject, max!)
          : vscode.l10n.t('{0} alone could cross the monthly budget of this workspace ({1}): it may cost up to {2} (if the answer uses all of max_tokens), and {3} of {4} is left.', subject, ws, max!, left!, limit!),
      );
    } else {
      reasons.push(
        b.kind === 'over'
          ? vscode.l10n.t('The {0} budget is used up: {1} of {2} spent. {3} may cost up to {4}.', localize(BUDGET_NAMES[b.budget]), spent!, limit!, subject, max!)
          : vscode.l10n.t('{0} alone could cross the {1} budget: it may cost up to {2} (if the answer uses all of max_tokens), and {3} of {4} is left.', subject, localize(BUDGET_NAMES[b.budget]), max!, left!, limit!),
      );
    }
  }
  reasons.push(...otherReasons);
  if (cfg.confirmAboveUsd > 0 && maxUsd > cfg.confirmAboveUsd) {
    const [max, threshold] = pricing.formatUsdAll([maxUsd, cfg.confirmAboveUsd]);
    reasons.push(overThreshold(max!, threshold!));
  }
  return reasons;
}

/**
 * The key step of sending: a missing key offers "Set API Key". true when a key is there (or was just set) and the
 * same request goes on from here; false when the user left it unset.
 */
export async function keyReady(s: KeyPorts, provider: ProviderId, what = vscode.l10n.t('this request')): Promise<boolean> {
  if (!s.needsKey(provider) || (await s.keys.has(provider))) return true;
  const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: no API key is set for {0}. Set one to send {1}.', PROVIDER_LABELS[provider], what), SET_API_KEY);
  return choice === SET_API_KEY && (await s.keys.promptAndSet(provider)) !== undefined;
}

/** After a 401: offers to set the key again. true when a new key was set, so the same request may go once more. */
export async function keyFixed(keys: RequestPorts['keys'], provider: ProviderId): Promise<boolean> {
  const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: {0} rejected the API key.', PROVIDER_LABELS[provider]), SET_API_KEY);
  return choice === SET_API_KEY && (await keys.promptAndSet(provider)) !== undefined;
}

