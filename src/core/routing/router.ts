/**
 * The router: task + input size -> tier -> provider/model, with escalation when the input does not fit,
 * a one-line explanation, a cost estimate, a budget check and the fallback chain.
 */
import { estimateCost } from '../pricing/estimate';
import type { ChatRequest, ProviderId, Tier } from '../types';
import { PROVIDER_IDS, TIERS } from '../types';
import type { RoutingConfig } from './config';
import type { TaskDef } from './tasks';
import { buildMessages, taskMaxTokens, taskOverheadTokens } from './tasks';
import type { ModelRef } from './tiers';
import { nextTier, tiersFrom } from './tiers';
import { roughTokens } from './text';
import { english, type Message } from '../messages';
import { reasoningRoomTokens } from '../providers/reasoning';
import { assessComplexity } from './complexity';
import type { AutoRouting, ModelInfo, Route, RouteError, RouteInput, RoutingPorts } from './route';
import { sortByCost, tierProvider, type Candidate, type Mode } from './policy';
import { autoSignals, longDocumentCause, modelTooSmallMessage, overBudgetSentence, overflowCause, reasonLine, tooLargeMessage, unknownTaskMessage } from './reasons';

export * from './route';
export { autoSignals, tierProvider };

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
      return routeError('unknownTask', unknownTaskMessage(input.task), input.inputTokens);
    }
    const ov = input.override ?? {};
    const auto = base.auto ? this.assessAuto(base, input) : undefined;
    // An auto task's answer budget is the one the assessment expects.
    const task: TaskDef = auto ? { ...base, maxTokens: auto.assessment.maxTokens } : base;
    const prompt = this.promptTokens(task, input);

    if (ov.model) return this.routeForcedModel(task, input, prompt, ov.model, ov.provider, ov.tier, auto);

    let start: Tier = ov.tier ?? auto?.routedTier ?? task.tier;
    let from: Tier | undefined;
    const causes: Message[] = [];
    if (!ov.tier && start !== 'complex' && prompt > this.cfg.longDocumentTokens) {
      from = start;
      start = 'complex';
      causes.push(longDocumentCause(prompt, this.cfg.longDocumentTokens));
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
        const fit = this.byCost(this.allCandidates([tier], task, input, prompt)).find((c) => c.fits && c.window !== undefined);
        if (fit) {
          chosen = fit;
          break;
        }
      }
    }
    if (!chosen) return this.tooLarge(task, input, prompt, start, ov.provider);

    if (chosen.tier !== start || chosen.provider !== expected.provider || chosen.model !== expected.model) {
      if (!expected.fits) causes.push(overflowCause(expected, prompt));
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
    if (input.request) return Math.max(0, input.inputTokens);
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
    let maxTokens = input.maxTokens ?? taskMaxTokens(task, input.inputTokens);
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
    if (this.cfg.policy !== 'cheapest') return [mk(tierProvider(this.cfg, tier))];
    const avail = this.available();
    const providers = avail.length ? PROVIDER_IDS.filter((p) => avail.includes(p)) : [this.cfg.activeProvider];
    return this.byCost(providers.map(mk));
  }

  private allCandidates(tiers: readonly Tier[], task: TaskDef, input: RouteInput, prompt: number): Candidate[] {
    const avail = this.available();
    const providers = new Set<ProviderId>(PROVIDER_IDS.filter((p) => avail.includes(p)));
    providers.add(this.cfg.activeProvider);
    for (const t of TIERS) providers.add(tierProvider(this.cfg, t));
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

  private byCost(cands: Candidate[]): Candidate[] {
    return sortByCost(cands, this.cfg.activeProvider);
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
      return routeError('tooLarge', modelTooSmallMessage(task, overflowCause(c, prompt)), prompt, { provider: p, model, contextWindow: c.window! });
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
    return routeError('tooLarge', tooLargeMessage(task, prompt, start, forcedProvider, largest), prompt, largest);
  }

  private finish(
    task: TaskDef,
    input: RouteInput,
    prompt: number,
    c: Candidate,
    meta: { mode: Mode; from?: Tier; causes: Message[]; compared: number; expected: Candidate; auto?: AutoRouting },
  ): Route {
    const { from, expected, auto } = meta;
    const reasonMsg = reasonLine(this.cfg, task, prompt, c, meta);

    const route: Route = {
      task,
      tier: c.tier,
      provider: c.provider,
      model: c.model,
      maxTokens: c.maxTokens,
      inputTokens: prompt,
      reasonMsg,
      reason: english(reasonMsg),
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
      route.needsConfirmationMsg = overBudgetSentence(route, { ...c, cost: c.cost }, budget);
      route.needsConfirmation = english(route.needsConfirmationMsg);
    }
    return route;
  }

  private request(task: TaskDef, input: RouteInput, c: Candidate): ChatRequest {
    if (input.request) return { ...input.request, provider: c.provider, model: c.model, maxTokens: c.maxTokens };
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

/** A refusal: its sentence for users and the same in English. */
function routeError(error: RouteError['error'], messageMsg: Message, inputTokens: number, largest?: RouteError['largest']): RouteError {
  return { error, messageMsg, message: english(messageMsg), inputTokens, ...(largest ? { largest } : {}) };
}
