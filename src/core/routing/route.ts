/**
 * What the router takes and gives: its input (task, counted tokens, overrides, a prompt file's own request), its
 * ports (catalogue, currency, availability) and the route or the reason there is none.
 */
import type { Message } from '../messages';
import type { PriceTier } from '../pricing/catalogue';
import type { ChatRequest, Currency, ProviderId, Tier } from '../types';
import type { Assessment } from './complexity';
import type { LearnedMatch } from './learned';
import type { TaskDef, TaskId } from './tasks';
import type { ModelRef } from './tiers';

export interface ModelInfo {
  contextWindow: number;
  /** Most input tokens the model accepts, when lower than the window minus the output (GPT-5: 272K). */
  maxInput?: number;
  maxOutput: number;
  /** Price per million input tokens, in `currency`. */
  inputPerM: number;
  /** Price per million output tokens, in `currency`. */
  outputPerM: number;
  currency: Currency;
  /** Input-length price tiers (DashScope): the whole request is billed at the tier its prompt falls in. */
  tiers?: PriceTier[];
}

export interface RoutingPorts {
  /** The pricing catalogue; undefined for an unknown model (its window is then not checked and cost unknown). */
  modelInfo(provider: ProviderId, model: string): ModelInfo | undefined;
  toUsd(amount: number, currency: Currency): number;
  /** Providers that can be called now (a key is set, or the local endpoint answers). */
  available: readonly ProviderId[] | (() => readonly ProviderId[]);
  /** Counts the prompt text the router adds (system, few-shot, framing). Defaults to a rough count. */
  countTokens?: (text: string) => number;
  /** What the user taught the router (escalations and tier changes of auto-routed requests). */
  learned?: (features: Assessment['features']) => LearnedMatch | undefined;
}

export interface RouteOverride {
  tier?: Tier;
  provider?: ProviderId;
  model?: string;
}

export interface RouteInput {
  task: TaskId | string;
  /** Tokens of the selection plus the question, as counted by the host. The router adds the task's own prompt. */
  inputTokens: number;
  selectionText: string;
  languageId?: string;
  fileName?: string;
  question?: string;
  override?: RouteOverride;
  /** Budget left in USD; a route whose estimate exceeds it carries `needsConfirmation`. */
  remainingBudgetUsd?: number;
  /** Judge mode: the tier the simple-tier model gave this request (auto tasks only). */
  judged?: { tier: Tier; model: string };
  /** The answer budget asked for (a prompt file's max_tokens), over the task's; still capped by the model's output. */
  maxTokens?: number;
  /**
   * A request built elsewhere (a prompt file's system prompt, messages and temperature): sent as is, with routing
   * only choosing its model. Its text is all in `inputTokens`; the task adds no prompt of its own.
   */
  request?: Omit<ChatRequest, 'provider' | 'model'>;
}

/** How an auto task (Ask About Selection, `tier: "auto"`) was routed. */
export interface AutoRouting {
  assessment: Assessment;
  /** The tier the task would have had without auto routing (its default tier): the basis of "saved by routing". */
  defaultTier: Tier;
  /** What decided the tier: the rules, a past choice of the user, the judge, the user now, or an escalation. */
  source: 'rules' | 'learned' | 'judge' | 'override' | 'escalated';
  /** The tier the router itself chose (before the user's override or escalation). */
  routedTier: Tier;
  learned?: LearnedMatch;
  /** The model that judged the request (judge mode). */
  judgedBy?: string;
}

export interface Route {
  task: TaskDef;
  tier: Tier;
  provider: ProviderId;
  model: string;
  maxTokens: number;
  /** Total prompt tokens: the input plus system prompt, few-shot examples and framing. */
  inputTokens: number;
  /** The reason line for users, e.g. "simple tier: classification, 180 input tokens → gpt-4o-mini" (host: `localize`). */
  reasonMsg: Message;
  /** The reason line in English (`english(reasonMsg)`): for the ledger, telemetry and logs. */
  reason: string;
  escalatedFrom?: Tier;
  /** Set for auto tasks: the assessment and what decided the tier. */
  auto?: AutoRouting;
  /** Estimated cost in USD: min = prompt only, max = prompt + all of maxTokens. Undefined when prices are unknown. */
  estimatedUsd?: { min: number; max: number };
  /** Set when an escalation (or a switch to another model) made the estimate dearer. */
  costIncrease?: { fromUsd: number; toUsd: number };
  /** Set when the estimate crosses the remaining budget: ask the user before sending. */
  needsConfirmationMsg?: Message;
  /** The same question in English (`english(needsConfirmationMsg)`). */
  needsConfirmation?: string;
  request: ChatRequest;
  /** Fallback chain for the resilience layer, in order. Every entry is available and holds the input. */
  fallbacks: ModelRef[];
}

export type RouteErrorKind = 'unknownTask' | 'tooLarge';

export interface RouteError {
  error: RouteErrorKind;
  /** A sentence for the user, shown before anything is sent (host: `localize`). */
  messageMsg: Message;
  /** The same sentence in English (`english(messageMsg)`), for logs and tests. */
  message: string;
  inputTokens: number;
  /** The largest context window among the models considered (tooLarge). */
  largest?: { provider: ProviderId; model: string; contextWindow: number };
}

export function isRouteError(r: Route | RouteError | undefined): r is RouteError {
  return r !== undefined && 'error' in r;
}
