/** The sentences of a route: its one-line reason, why a model was passed over, and why nothing fits. */
import type { ProviderId, Tier } from '../types';
import type { RoutingConfig } from './config';
import type { Candidate, Mode } from './policy';
import type { AutoRouting, Route } from './route';
import type { TaskDef } from './tasks';
import { formatMoneyAll } from '../pricing/currency';
import { formatCount } from './text';

/** Why a candidate cannot take the request: its input limit, its window, or the window with the answer. */
export function overflowCause(c: Candidate, prompt: number): string {
  const cap = c.info?.maxInput;
  if (cap && prompt > cap) return `${formatCount(prompt)} tokens exceed ${c.model}'s input limit of ${formatCount(cap)}`;
  const window = formatCount(c.window ?? 0);
  if (c.window !== undefined && prompt > c.window) {
    return `${formatCount(prompt)} tokens exceed ${c.model}'s ${window} window`;
  }
  return `${formatCount(prompt)} tokens + ${formatCount(c.maxTokens)} output exceed ${c.model}'s ${window} window`;
}

/** The refusal when no model from `start` up holds the request, naming the largest window seen. */
export function tooLargeMessage(
  task: TaskDef,
  prompt: number,
  start: Tier,
  forcedProvider: ProviderId | undefined,
  largest: { model: string; contextWindow: number } | undefined,
): string {
  const scope = `${start === 'complex' ? 'complex-tier' : `${start}-tier or higher`} model${forcedProvider ? ` on ${forcedProvider}` : ''}`;
  const biggest = largest ? `; the largest window is ${largest.model}'s ${formatCount(largest.contextWindow)}` : '';
  return `${task.label}: ${formatCount(prompt)} input tokens plus the answer do not fit any ${scope}${biggest}. Select less text or choose a model.`;
}

/** "simple tier: classification, 180 input tokens → gpt-4o-mini" and its variants for escalations and choices. */
export function reasonLine(
  cfg: Pick<RoutingConfig, 'policy'>,
  task: TaskDef,
  prompt: number,
  c: Candidate,
  meta: { mode: Mode; from?: Tier; causes: string[]; compared: number; auto?: AutoRouting },
): string {
  const { mode, from, causes, compared, auto } = meta;
  if (from && mode === 'requested') return `${c.tier} tier (escalated from ${from} on request) → ${c.model}`;
  if (from) return `${c.tier} tier (escalated from ${from}: ${causes.join('; ')}) → ${c.model}`;
  const tierPart = mode === 'forcedTier' ? `${c.tier} tier (your choice)` : `${c.tier} tier`;
  let reason = `${tierPart}: ${auto ? autoSignals(auto) : task.noun}, ${formatCount(prompt)} input tokens → ${c.model}`;
  if (mode === 'forcedModel') reason += ' (your choice)';
  else if (causes.length) reason += ` (${causes.join('; ')})`;
  else if (cfg.policy === 'cheapest' && compared > 1) reason += ` (cheapest of ${compared})`;
  return reason;
}

/** The question asked before a route whose estimate crosses the budget left. */
export function overBudgetSentence(route: Pick<Route, 'costIncrease'>, c: Candidate & { cost: { max: number } }, budgetUsd: number): string {
  const [remaining, max, from] = formatMoneyAll([Math.max(0, budgetUsd), c.cost.max, route.costIncrease?.fromUsd ?? c.cost.max], 'USD');
  const left = `the remaining budget of ${remaining}`;
  return route.costIncrease
    ? `Moving to ${c.model} (${c.tier} tier) raises the estimate from ${from} to up to ${max}, over ${left}.`
    : `This request may cost up to ${max} on ${c.model}, over ${left}.`;
}

/** The signals of an auto route in words, for the reason line. */
export function autoSignals(auto: AutoRouting): string {
  const sig = auto.assessment.signals.join(', ');
  if (auto.judgedBy) {
    return `judged ${auto.routedTier} by ${auto.judgedBy} (the rules were unsure: ${sig})`;
  }
  if (auto.learned) {
    const n = auto.learned.votes;
    return `like ${n === 1 ? 'a past request' : `${n} past requests`} you moved to ${auto.learned.tier} (${sig})`;
  }
  return sig;
}
