/**
 * The router: task + input size -> tier -> provider/model, with escalation when the input does not fit,
 * a one-line explanation, a cost estimate, a budget check and the fallback chain.
 */
import { estimateCost } from '../pricing/estimate';
import { formatMoneyAll } from '../pricing/currency';
import type { PriceTier } from '../pricing/catalogue';
import type { ChatRequest, Currency, ProviderId, Tier } from '../types';
import { PROVIDER_IDS, TIERS } from '../types';
import type { RoutingConfig } from './config';
import type { TaskDef, TaskId } from './tasks';
import { buildMessages, taskMaxTokens, taskOverheadTokens } from './tasks';
import type { ModelRef } from './tiers';
import { nextTier, tiersFrom } from './tiers';
import { formatCount, roughTokens } from './text';
import { reasoningRoomTokens } from '../providers/reasoning';
import type { Assessment } from './complexity';
import { assessComplexity } from './complexity';
import type { LearnedMatch } from './learned';

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
  /** One line, e.g. "simple tier: classification, 180 input tokens → gpt-4o-mini". */
  reason: string;
  escalatedFrom?: Tier;
  /** Set for auto tasks: the assessment and what decided the tier. */
  auto?: AutoRouting;
  /** Estimated cost in USD: min = prompt only, max = prompt + all of maxTokens. Undefined when prices are unknown. */
  estimatedUsd?: { min: number; max: number };
  /** Set when an escalation (or a switch to another model) made the estimate dearer. */
  costIncrease?: { fromUsd: number; toUsd: number };
  /** Set when the estimate crosses the remaining budget: ask the user before sending. */
  needsConfirmation?: string;
  request: ChatRequest;
  /** Fallback chain for the resilience layer, in order. Every entry is available and holds the input. */
  fallbacks: ModelRef[];
}

export type RouteErrorKind = 'unknownTask' | 'tooLarge';

export interface RouteError {
  error: RouteErrorKind;
  /** A sentence for the user, shown before anything is sent. */
  message: string;
  inputTokens: number;
  /** The largest context window among the models considered (tooLarge). */
  largest?: { provider: ProviderId; model: string; contextWindow: number };
}

export function isRouteError(r: Route | RouteError | undefined): r is RouteError {
  return r !== undefined && 'error' in r;
}

interface Candidate {
  provider: ProviderId;
  model: string;
  tier: Tier;
  info: ModelInfo | undefined;
  /** The context window when known (a catalogue entry may carry 0 for "not known"). */
  window: number | undefined;
  maxTokens: number;
  fits: boolean;
  cost: { min: number; max: number } | undefined;
}

type Mode = 'auto' | 'forcedTier' | 'forcedModel' | 'requested';

export class Router {
  private cfg: RoutingConfig;

  constructor(
    cfg: RoutingConfig,
    private readonly ports: RoutingPorts,
  ) {
    this.cfg = cfg;
  }

  update(cfg: RoutingConfig): void {
    this.cfg = cfg;
  }

  get config(): RoutingConfig {
    return this.cfg;
  }

  /** Tasks for the host's quick pick, in catalogue order (hidden tasks left out). */
  tasks(): TaskDef[] {
    return Object.values(this.cfg.tasks).filter((t) => !t.hidden);
  }

  route(input: RouteInput): Route | RouteError {
    const base = this.cfg.tasks[input.task];
    if (!base) {
      return { error: 'unknownTask', message: `Unknown task "${input.task}".`, inputTokens: input.inputTokens };
    }
    const ov = input.override ?? {};
    const auto = base.auto ? this.assessAuto(base, input) : undefined;
    // An auto task's answer budget is the one the assessment expects.
    const task: TaskDef = auto ? { ...base, maxTokens: auto.assessment.maxTokens } : base;
    const prompt = this.promptTokens(task, input);

    if (ov.model) return this.routeForcedModel(task, input, prompt, ov.model, ov.provider, ov.tier, auto);

    let start: Tier = ov.tier ?? auto?.routedTier ?? task.tier;
    let from: Tier | undefined;
    const causes: string[] = [];
    if (!ov.tier && start !== 'complex' && prompt > this.cfg.longDocumentTokens) {
      from = start;
      start = 'complex';
      causes.push(
        `${formatCount(prompt)} tokens count as a long document, over ${formatCount(this.cfg.longDocumentTokens)}`,
      );
    }

    // The policy's first choice at the starting tier: what the user expects, and the basis for cost comparison.
    const expected = this.policyCandidates(start, task, input, prompt, ov.provider)[0]!;
    let chosen: Candidate | undefined;
    let compared = 0;
    for (const tier of tiersFrom(start)) {
      const cands = this.policyCandidates(tier, task, input, prompt, ov.provider);
      // Among several (cheapest), a model with an unknown window is not trusted with input the others refused.
      const fit = cands.find((c) => c.fits && (c.window !== undefined || cands.length === 1));
      if (fit) {
        chosen = fit;
        compared = cands.length;
        break;
      }
    }
    if (!chosen && !ov.provider) {
      // Nothing on the policy's providers holds it: any available model, lowest tier first, then cheapest.
      for (const tier of tiersFrom(start)) {
        // Only models whose window is known: an unknown one cannot be trusted with input others refused.
        const fit = this.sortByCost(this.allCandidates([tier], task, input, prompt)).find((c) => c.fits && c.window !== undefined);
        if (fit) {
          chosen = fit;
          break;
        }
      }
    }
    if (!chosen) return this.tooLarge(task, input, prompt, start, ov.provider);

    if (chosen.tier !== start || chosen.provider !== expected.provider || chosen.model !== expected.model) {
      if (!expected.fits) causes.push(this.overflowCause(expected, prompt));
      if (chosen.tier !== start && !from) from = start;
    }
    const mode: Mode = ov.tier ? 'forcedTier' : 'auto';
    return this.finish(task, input, prompt, chosen, { mode, from, causes, compared, expected, auto });
  }

  /** Assesses an auto task's request: the rules, then a past choice of the user or the judge's tier. */
  assessAuto(task: TaskDef, input: RouteInput): AutoRouting {
    const question = input.question?.trim() ?? '';
    const request = task.id === 'answer' || !task.auto ? question : [question, task.label, task.noun].filter(Boolean).join('. ');
    const assessment = assessComplexity({
      request,
      selectionText: input.selectionText,
      selectionTokens: Math.max(0, input.inputTokens - (question ? roughTokens(question) : 0)),
      languageId: input.languageId,
    });
    const out: AutoRouting = { assessment, defaultTier: task.tier, source: 'rules', routedTier: assessment.tier };
    if (input.override?.tier || input.override?.model) out.source = 'override';
    if (input.judged) {
      out.routedTier = input.judged.tier;
      out.judgedBy = input.judged.model;
      if (out.source === 'rules') out.source = 'judge';
      return out;
    }
    const learned = this.ports.learned?.(assessment.features);
    if (learned && learned.tier !== assessment.tier) {
      out.learned = learned;
      out.routedTier = learned.tier;
      if (out.source === 'rules') out.source = 'learned';
    }
    return out;
  }

  /**
   * The route one tier up (the panel's Escalate button), or undefined at the top. Tiers whose model is the same
   * as the current one are skipped (e.g. one local model for all tiers).
   */
  escalate(route: Route, input: RouteInput): Route | undefined {
    const ov = input.override ?? {};
    for (let t = nextTier(route.tier); t; t = nextTier(t)) {
      const prompt = route.inputTokens;
      const cands = this.policyCandidates(t, route.task, input, prompt, ov.provider);
      const fit = cands.find((c) => c.fits && !(c.provider === route.provider && c.model === route.model));
      if (!fit) continue;
      const expected: Candidate = {
        provider: route.provider,
        model: route.model,
        tier: route.tier,
        info: undefined,
        window: undefined,
        maxTokens: route.maxTokens,
        fits: true,
        cost: route.estimatedUsd,
      };
      return this.finish(route.task, input, prompt, fit, {
        mode: 'requested',
        from: route.tier,
        causes: [],
        compared: cands.length,
        expected,
        ...(route.auto ? { auto: { ...route.auto, source: 'escalated' as const } } : {}),
      });
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------------------

  private available(): readonly ProviderId[] {
    const a = this.ports.available;
    return typeof a === 'function' ? a() : a;
  }

  private promptTokens(task: TaskDef, input: RouteInput): number {
    const count = this.ports.countTokens ?? roughTokens;
    const overhead = taskOverheadTokens(
      task,
      { languageId: input.languageId, fileName: input.fileName, question: input.question },
      count,
    );
    return Math.max(0, input.inputTokens) + overhead;
  }

  private candidate(provider: ProviderId, model: string, tier: Tier, task: TaskDef, input: RouteInput, prompt: number) {
    const info = this.ports.modelInfo(provider, model);
    let maxTokens = taskMaxTokens(task, input.inputTokens);
    if (info && info.maxOutput > 0) maxTokens = Math.max(1, Math.min(maxTokens, info.maxOutput));
    const window = info && info.contextWindow > 0 ? info.contextWindow : undefined;
    const inputCap = info?.maxInput && info.maxInput > 0 ? info.maxInput : undefined;
    // A reasoning model also spends its hidden reasoning inside the output budget sent (see reasoningRoomTokens).
    const output = maxTokens + reasoningRoomTokens(provider, model);
    const fits = (window === undefined || prompt + output <= window) && (inputCap === undefined || prompt <= inputCap);
    const cost = info ? this.estimate(info, prompt, output) : undefined;
    const c: Candidate = { provider, model, tier, info, window, maxTokens, fits, cost };
    return c;
  }

  private estimate(info: ModelInfo, prompt: number, maxTokens: number): { min: number; max: number } {
    const e = estimateCost(info, prompt, maxTokens);
    return { min: this.ports.toUsd(e.input, info.currency), max: this.ports.toUsd(e.totalMax, info.currency) };
  }

  /** The provider the `provider` / `perTier` policies give a tier. */
  private policyProvider(tier: Tier): ProviderId {
    const { policy, perTier, activeProvider, localSimpleTier } = this.cfg;
    if (policy === 'perTier' && perTier[tier]) return perTier[tier];
    if (localSimpleTier && tier === 'simple') return 'openaiCompatible';
    return activeProvider;
  }

  /** Candidates of one tier under the current policy, best first. */
  private policyCandidates(
    tier: Tier,
    task: TaskDef,
    input: RouteInput,
    prompt: number,
    forcedProvider?: ProviderId,
  ): Candidate[] {
    const mk = (p: ProviderId) => this.candidate(p, this.cfg.tiers[p][tier], tier, task, input, prompt);
    if (forcedProvider) return [mk(forcedProvider)];
    if (this.cfg.policy !== 'cheapest') return [mk(this.policyProvider(tier))];
    const avail = this.available();
    const providers = avail.length ? PROVIDER_IDS.filter((p) => avail.includes(p)) : [this.cfg.activeProvider];
    return this.sortByCost(providers.map(mk));
  }

  private allCandidates(tiers: readonly Tier[], task: TaskDef, input: RouteInput, prompt: number): Candidate[] {
    const avail = this.available();
    const providers = new Set<ProviderId>(PROVIDER_IDS.filter((p) => avail.includes(p)));
    providers.add(this.cfg.activeProvider);
    for (const t of TIERS) providers.add(this.policyProvider(t));
    const seen = new Set<string>();
    const out: Candidate[] = [];
    for (const tier of tiers) {
      for (const p of PROVIDER_IDS) {
        if (!providers.has(p)) continue;
        const model = this.cfg.tiers[p][tier];
        const key = `${p}/${model}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(this.candidate(p, model, tier, task, input, prompt));
      }
    }
    return out;
  }

  /** Cheapest (by maximum estimate) first; unknown prices after known ones; stable otherwise. */
  private sortByCost(cands: Candidate[]): Candidate[] {
    const active = this.cfg.activeProvider;
    return cands
      .map((c, i) => ({ c, i }))
      .sort((a, b) => {
        const ca = a.c.cost?.max ?? Infinity;
        const cb = b.c.cost?.max ?? Infinity;
        if (ca !== cb) return ca - cb;
        // Ties: the active provider first, then catalogue order.
        if ((a.c.provider === active) !== (b.c.provider === active)) return a.c.provider === active ? -1 : 1;
        return a.i - b.i;
      })
      .map((x) => x.c);
  }

  private overflowCause(c: Candidate, prompt: number): string {
    const cap = c.info?.maxInput;
    if (cap && prompt > cap) return `${formatCount(prompt)} tokens exceed ${c.model}'s input limit of ${formatCount(cap)}`;
    const window = formatCount(c.window ?? 0);
    if (c.window !== undefined && prompt > c.window) {
      return `${formatCount(prompt)} tokens exceed ${c.model}'s ${window} window`;
    }
    return `${formatCount(prompt)} tokens + ${formatCount(c.maxTokens)} output exceed ${c.model}'s ${window} window`;
  }

  private routeForcedModel(
    task: TaskDef,
    input: RouteInput,
    prompt: number,
    model: string,
    provider: ProviderId | undefined,
    tier: Tier | undefined,
    auto?: AutoRouting,
  ): Route | RouteError {
    const p =
      provider ??
      (this.cfg.activeProvider && TIERS.some((t) => this.cfg.tiers[this.cfg.activeProvider][t] === model)
        ? this.cfg.activeProvider
        : PROVIDER_IDS.find((q) => TIERS.some((t) => this.cfg.tiers[q][t] === model))) ??
      this.cfg.activeProvider;
    const t = tier ?? TIERS.find((x) => this.cfg.tiers[p][x] === model) ?? task.tier;
    const c = this.candidate(p, model, t, task, input, prompt);
    if (!c.fits) {
      return {
        error: 'tooLarge',
        message: `${task.label}: ${this.overflowCause(c, prompt)}; choose another model or select less text.`,
        inputTokens: prompt,
        largest: { provider: p, model, contextWindow: c.window! },
      };
    }
    return this.finish(task, input, prompt, c, { mode: 'forcedModel', causes: [], compared: 1, expected: c, auto });
  }

  private tooLarge(
    task: TaskDef,
    input: RouteInput,
    prompt: number,
    start: Tier,
    forcedProvider?: ProviderId,
  ): RouteError {
    const tiers = tiersFrom(start);
    const cands = forcedProvider
      ? tiers.map((t) => this.candidate(forcedProvider, this.cfg.tiers[forcedProvider][t], t, task, input, prompt))
      : this.allCandidates(tiers, task, input, prompt);
    let largest: RouteError['largest'];
    for (const c of cands) {
      if (c.window !== undefined && (!largest || c.window > largest.contextWindow)) {
        largest = { provider: c.provider, model: c.model, contextWindow: c.window };
      }
    }
    const scope = `${start === 'complex' ? 'complex-tier' : `${start}-tier or higher`} model${
      forcedProvider ? ` on ${forcedProvider}` : ''
    }`;
    const biggest = largest ? `; the largest window is ${largest.model}'s ${formatCount(largest.contextWindow)}` : '';
    const message = `${task.label}: ${formatCount(prompt)} input tokens plus the answer do not fit any ${scope}${biggest}. Select less text or choose a model.`;
    return { error: 'tooLarge', message, inputTokens: prompt, ...(largest ? { largest } : {}) };
  }

  private finish(
    task: TaskDef,
    input: RouteInput,
    prompt: number,
    c: Candidate,
    meta: { mode: Mode; from?: Tier; causes: string[]; compared: number; expected: Candidate; auto?: AutoRouting },
  ): Route {
    const { mode, from, causes, compared, expected, auto } = meta;
    const n = formatCount(prompt);
    let reason: string;
    if (from && mode === 'requested') {
      reason = `${c.tier} tier (escalated from ${from} on request) → ${c.model}`;
    } else if (from) {
      reason = `${c.tier} tier (escalated from ${from}: ${causes.join('; ')}) → ${c.model}`;
    } else {
      const tierPart = mode === 'forcedTier' ? `${c.tier} tier (your choice)` : `${c.tier} tier`;
      reason = `${tierPart}: ${auto ? autoSignals(auto) : task.noun}, ${n} input tokens → ${c.model}`;
      if (mode === 'forcedModel') reason += ' (your choice)';
      else if (causes.length) reason += ` (${causes.join('; ')})`;
      else if (this.cfg.policy === 'cheapest' && compared > 1) reason += ` (cheapest of ${compared})`;
    }

    const route: Route = {
      task,
      tier: c.tier,
      provider: c.provider,
      model: c.model,
      maxTokens: c.maxTokens,
      inputTokens: prompt,
      reason,
      request: this.request(task, input, c),
      fallbacks: this.fallbacks(task, input, prompt, c),
    };
    if (from) route.escalatedFrom = from;
    if (auto) route.auto = auto;
    if (c.cost) route.estimatedUsd = c.cost;

    const switched = c.provider !== expected.provider || c.model !== expected.model;
    if (switched && c.cost && expected.cost && c.cost.max > expected.cost.max) {
      route.costIncrease = { fromUsd: expected.cost.max, toUsd: c.cost.max };
    }
    const budget = input.remainingBudgetUsd;
    if (budget !== undefined && c.cost && c.cost.max > budget) {
      const [remaining, max, from] = formatMoneyAll([Math.max(0, budget), c.cost.max, route.costIncrease?.fromUsd ?? c.cost.max], 'USD');
      const left = `the remaining budget of ${remaining}`;
      route.needsConfirmation = route.costIncrease
        ? `Moving to ${c.model} (${c.tier} tier) raises the estimate from ${from} to up to ${max}, over ${left}.`
        : `This request may cost up to ${max} on ${c.model}, over ${left}.`;
    }
    return route;
  }

  private request(task: TaskDef, input: RouteInput, c: Candidate): ChatRequest {
    const built = buildMessages(task, input);
    const req: ChatRequest = {
      provider: c.provider,
      model: c.model,
      system: built.system,
      messages: built.messages,
      maxTokens: c.maxTokens,
    };
    if (task.temperature !== undefined) req.temperature = task.temperature;
    // Simple-tier tasks (classify, keywords, convert) rarely see the same selection twice, whatever tier they end
    // up on: pay for a cache write only once a prefix repeats.
    if (task.tier === 'simple') req.cachePolicy = 'whenSeen';
    return req;
  }

  private fallbacks(task: TaskDef, input: RouteInput, prompt: number, chosen: Candidate): ModelRef[] {
    const avail = this.available();
    let refs: ModelRef[];
    const configured = this.cfg.fallback[chosen.tier];
    if (configured) refs = configured;
    else if (this.cfg.policy === 'cheapest') {
      refs = this.policyCandidates(chosen.tier, task, input, prompt).map((c) => ({ provider: c.provider, model: c.model }));
    } else refs = [];
    const seen = new Set<string>([`${chosen.provider}/${chosen.model}`]);
    const out: ModelRef[] = [];
    for (const r of refs) {
      const key = `${r.provider}/${r.model}`;
      if (seen.has(key) || !avail.includes(r.provider)) continue;
      seen.add(key);
      if (!this.candidate(r.provider, r.model, chosen.tier, task, input, prompt).fits) continue;
      out.push({ provider: r.provider, model: r.model });
    }
    return out;
  }
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
