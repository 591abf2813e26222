/** The sentences of a route: its one-line reason, why a model was passed over, and why nothing fits. */
import type { ProviderId, Tier } from '../types';
import type { RoutingConfig } from './config';
import type { Candidate, Mode } from './policy';
import type { AutoRouting, Route } from './route';
import type { TaskDef } from './tasks';
import { formatMoneyAll } from '../pricing/currency';
import { joined, msg, type Message, type MessageArg } from '../messages';
import { taskLabel, taskNoun } from './taskCatalogue';
import { formatCount } from './text';
import { tierName } from './tiers';

/** The separator of the causes in a reason line ("; ", "；"). */
const CAUSES = msg('routing.separator.semicolon');
/** The separator of the signals in a reason line (", ", "，"). */
const SIGNALS = msg('routing.separator.comma');

/** Why a candidate cannot take the request: its input limit, its window, or the window with the answer. */
export function overflowCause(c: Candidate, prompt: number): Message {
  const cap = c.info?.maxInput;
  if (cap && prompt > cap) return msg('routing.cause.overInputLimit', formatCount(prompt), c.model, formatCount(cap));
  const window = formatCount(c.window ?? 0);
  if (c.window !== undefined && prompt > c.window) return msg('routing.cause.overWindow', formatCount(prompt), c.model, window);
  return msg('routing.cause.overWindowWithAnswer', formatCount(prompt), formatCount(c.maxTokens), c.model, window);
}

/** Why a long prompt starts at the complex tier. */
export function longDocumentCause(prompt: number, longDocumentTokens: number): Message {
  return msg('routing.cause.longDocument', formatCount(prompt), formatCount(longDocumentTokens));
}

/** The refusal when no model from `start` up holds the request, naming the largest window seen. */
export function tooLargeMessage(
  task: TaskDef,
  prompt: number,
  start: Tier,
  forcedProvider: ProviderId | undefined,
  largest: { model: string; contextWindow: number } | undefined,
): Message {
  const tier = tierName(start);
  const top = start === 'complex';
  const scope = forcedProvider
    ? top
      ? msg('routing.scope.tierOn', tier, forcedProvider)
      : msg('routing.scope.fromTierOn', tier, forcedProvider)
    : top
      ? msg('routing.scope.tier', tier)
      : msg('routing.scope.fromTier', tier);
  return largest
    ? msg('routing.error.tooLargeLargest', taskLabel(task), formatCount(prompt), scope, largest.model, formatCount(largest.contextWindow))
    : msg('routing.error.tooLarge', taskLabel(task), formatCount(prompt), scope);
}

/** The refusal when the model the user chose cannot hold the request. */
export function modelTooSmallMessage(task: TaskDef, cause: Message): Message {
  return msg('routing.error.modelTooSmall', taskLabel(task), cause);
}

/** The refusal of a task id the catalogue does not have. */
export function unknownTaskMessage(task: string): Message {
  return msg('routing.error.unknownTask', task);
}

/** "simple tier: classification, 180 input tokens → gpt-4o-mini" and its variants for escalations and choices. */
export function reasonLine(
  cfg: Pick<RoutingConfig, 'policy'>,
  task: TaskDef,
  prompt: number,
  c: Candidate,
  meta: { mode: Mode; from?: Tier; causes: Message[]; compared: number; auto?: AutoRouting },
): Message {
  const { mode, from, causes, compared, auto } = meta;
  const tier = tierName(c.tier);
  if (from && mode === 'requested') return msg('routing.reason.escalatedOnRequest', tier, tierName(from), c.model);
  if (from) return msg('routing.reason.escalated', tier, tierName(from), joined(causes, CAUSES), c.model);
  const what = auto ? autoSignals(auto) : taskNoun(task);
  const tokens = formatCount(prompt);
  if (mode === 'forcedModel') return msg('routing.reason.modelChosen', tier, what, tokens, c.model);
  const chosen = mode === 'forcedTier';
  if (causes.length) {
    const why = joined(causes, CAUSES);
    return chosen ? msg('routing.reason.tierChosenBecause', tier, what, tokens, c.model, why) : msg('routing.reason.autoBecause', tier, what, tokens, c.model, why);
  }
  if (cfg.policy === 'cheapest' && compared > 1) {
    return chosen ? msg('routing.reason.tierChosenCheapest', tier, what, tokens, c.model, compared) : msg('routing.reason.autoCheapest', tier, what, tokens, c.model, compared);
  }
  return chosen ? msg('routing.reason.tierChosen', tier, what, tokens, c.model) : msg('routing.reason.auto', tier, what, tokens, c.model);
}

/** The question asked before a route whose estimate crosses the budget left. */
export function overBudgetSentence(route: Pick<Route, 'costIncrease'>, c: Candidate & { cost: { max: number } }, budgetUsd: number): Message {
  const [remaining, max, from] = formatMoneyAll([Math.max(0, budgetUsd), c.cost.max, route.costIncrease?.fromUsd ?? c.cost.max], 'USD');
  return route.costIncrease
    ? msg('routing.budget.raise', c.model, tierName(c.tier), from!, max!, remaining!)
    : msg('routing.budget.over', max!, c.model, remaining!);
}

/** The signals of an auto route in words, for the reason line. */
export function autoSignals(auto: AutoRouting): MessageArg {
  const sig = joined(auto.assessment.signalMsgs, SIGNALS);
  if (auto.judgedBy) return msg('routing.reason.judged', tierName(auto.routedTier), auto.judgedBy, sig);
  if (auto.learned) {
    const n = auto.learned.votes;
    return n === 1 ? msg('routing.reason.learnedOne', tierName(auto.learned.tier), sig) : msg('routing.reason.learnedMany', n, tierName(auto.learned.tier), sig);
  }
  return sig;
}
