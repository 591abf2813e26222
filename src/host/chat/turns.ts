/**
 * One chat turn (VS Code's chat, another extension's `vscode.lm` request, or the @tierwise participant), through
 * the same steps as the answer panel: count → route → spending rules → key → destination → the call pipeline
 * (limits, retries, fallbacks, breaker, cache marks) → the ledger, recorded with source `chat`. No dialog appears
 * mid-turn: a turn the spending rules would ask about is refused with the estimate and the setting, and Tierwise
 * Auto steps down a tier instead where a lower one fits.
 */
import * as vscode from 'vscode';
import { AUTO_MODEL_ID, type ChatModelSpec } from '../../core/chat/models';
import { spendBlock, tiersBelow, type SpendBlock } from '../../core/chat/spending';
import type { ProviderError } from '../../core/errors';
import { BUDGET_NAMES, type CallSource } from '../../core/pricing';
import type { CallEvent, CallOutcome } from '../../core/resilience/pipeline';
import { isRouteError, tierName, type Route, type RouteInput } from '../../core/routing';
import { english, msg } from '../../core/messages';
import { localize } from '../util';
import { countRequestLocally } from '../../core/tokens/request';
import { PROVIDER_LABELS, messageText, type ChatMessage, type ChatRequest, type ProviderId, type Tier, type ToolCall } from '../../core/types';
import { recordCall, type CallEnd, countedRouteInput } from '../requests';
import { AttemptTimeline } from '../telemetry';
import { describeError } from '../util';
import type { ChatPorts } from './ports';

/** The answer budget of a chat turn unless the caller asks for another (`modelOptions.maxTokens`). */
export const CHAT_MAX_TOKENS = 4096;

/** The conversation of one turn, in Tierwise's shape. */
export interface TurnRequest {
  system?: string;
  messages: ChatMessage[];
  tools?: ChatRequest['tools'];
  toolChoice?: ChatRequest['toolChoice'];
  maxTokens?: number;
  /** Routing: the task (default `answer`, Ask About Selection's) and a tier or model the caller fixed. */
  task?: string;
  tier?: Tier;
  languageId?: string;
  /** Recorded as (default `chat`). */
  source?: CallSource;
  escalatedFrom?: Tier;
}

/** Where a turn's output goes. */
export interface TurnSink {
  text(t: string): void;
  toolCall(c: ToolCall): void;
}

export interface PlannedTurn {
  route: Route;
  input: RouteInput;
  /** Set when Tierwise Auto stepped down: the sentence that says so. */
  steppedDown?: string;
}

export interface TurnResult {
  route: Route;
  outcome: CallEnd;
  text: string;
  toolCalls: ToolCall[];
  /** The cost recorded in the ledger (USD), undefined when unknown. */
  costUsd?: number;
  /** The cost as shown (the display currency; "free (local model)"; "price unknown"). */
  costText: string;
  /** The error message (outcome `error` or `interrupted`). */
  message?: string;
  provider: ProviderId;
  model: string;
}

/** A turn refused before anything was sent: the message names why (and the setting). */
export class TurnRefused extends Error {}

/** What the chat has cost this session, for the status bar. */
export interface ChatStats {
  turns: number;
  sessionUsd: number;
  lastUsd?: number;
  lastModel?: string;
}

export class ChatTurns implements vscode.Disposable {
  private readonly stats_: ChatStats = { turns: 0, sessionUsd: 0 };
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly busy = new vscode.EventEmitter<boolean>();
  private running = 0;
  /** A chat turn was recorded: its cost is in `stats()`. */
  readonly onDidChange = this.changed.event;
  /** true while at least one chat turn streams. */
  readonly onDidChangeBusy = this.busy.event;

  /** Anthropic's count_tokens answers, by model and text (oldest dropped first). */
  private readonly anthropicCounts = new Map<string, number>();

  constructor(private readonly s: ChatPorts) {}

  stats(): ChatStats {
    return { ...this.stats_ };
  }

  /** The model a count is made on: the tier model, or for Auto the active provider's medium one. */
  countModel(spec: ChatModelSpec): { provider: ProviderId; model: string } {
    if (spec.target) return { provider: spec.target.provider, model: spec.target.model };
    const cfg = this.s.config().routing.config;
    return { provider: cfg.activeProvider, model: cfg.tiers[cfg.activeProvider].medium };
  }

  /**
   * Tierwise's count of a text on the model, never a character estimate: the token worker's (exact for OpenAI and
   * Qwen2/3, calibrated for newer Qwen), and for Anthropic its count_tokens where a key is set, as a one-message
   * request counts (its few framing tokens included), remembered per model and text. Without a key, or when
   * count_tokens fails, Anthropic's local estimate.
   */
  async countText(spec: ChatModelSpec, text: string): Promise<number> {
    const { provider, model } = this.countModel(spec);
    if (provider === 'anthropic' && text) {
      const key = `${model}\u0000${text}`;
      const known = this.anthropicCounts.get(key);
      if (known !== undefined) return known;
      const n = await this.s.providerCount({ provider, model, messages: [{ role: 'user', content: text }], maxTokens: 1 });
      if (n !== undefined) {
        if (this.anthropicCounts.size >= 512) this.anthropicCounts.delete(this.anthropicCounts.keys().next().value!);
        this.anthropicCounts.set(key, n);
        return n;
      }
    }
    return (await this.s.tokens().counter().count(provider, model, text)).tokens;
  }

  /** The count of a whole request (framing included): Anthropic's count_tokens where a key is set, else the worker. */
  async countRequest(req: ChatRequest): Promise<number> {
    if (req.provider === 'anthropic') {
      const n = await this.s.providerCount(req);
      if (n !== undefined) return n;
    }
    return (await countRequestLocally(this.s.tokens().counter(), req)).tokens;
  }

  /** Count and route a turn; apply the spending rules (Auto: a lower tier that fits). Throws TurnRefused. */
  async plan(spec: ChatModelSpec, t: TurnRequest): Promise<PlannedTurn> {
    const { provider, model } = this.countModel(spec);
    const request: Omit<ChatRequest, 'provider' | 'model'> = {
      ...(t.system ? { system: t.system } : {}),
      messages: t.messages,
      maxTokens: t.maxTokens ?? CHAT_MAX_TOKENS,
      ...(t.tools?.length ? { tools: t.tools, toolChoice: t.toolChoice ?? 'auto' } : {}),
    };
    const inputTokens = await this.countRequest({ ...request, provider, model });
    const last = [...t.messages].reverse().find((m) => m.role === 'user');
    const question = last ? messageText(last) : '';
    const earlier = t.messages.slice(0, last ? t.messages.lastIndexOf(last) : t.messages.length).map(messageText).join('\n');
    const input: RouteInput = {
      task: t.task ?? 'answer',
      inputTokens,
      selectionText: earlier,
      question,
      ...(t.languageId ? { languageId: t.languageId } : {}),
      request,
      maxTokens: request.maxTokens,
      remainingBudgetUsd: this.s.budget().remainingUsd(),
      override: spec.target ? { provider: spec.target.provider, tier: spec.target.tier, model: spec.target.model } : t.tier ? { tier: t.tier } : {},
    };
    return this.checked(input, spec.id === AUTO_MODEL_ID && !t.tier);
  }

  /**
   * A task's request (the @tierwise participant): the router builds the prompt from the task, as for the panel's
   * commands. An auto task (Ask) may step down a tier to fit the spending rules.
   */
  async planTask(t: { task: string; text: string; question?: string; languageId?: string; fileName?: string; tier?: Tier }): Promise<PlannedTurn> {
    const input = await countedRouteInput(
      this.s,
      {
        task: t.task,
        selectionText: t.text,
        ...(t.question ? { question: t.question } : {}),
        ...(t.languageId ? { languageId: t.languageId } : {}),
        ...(t.fileName ? { fileName: t.fileName } : {}),
        override: t.tier ? { tier: t.tier } : {},
      },
      `${t.question ?? ''}\n${t.text}`,
    );
    return this.checked(input, !t.tier && !!this.s.router().tasks().find((x) => x.id === t.task)?.auto);
  }

  /** Routes the input and applies the spending rules; `mayStepDown`: try the lower tiers before refusing. */
  checked(input: RouteInput, mayStepDown: boolean): PlannedTurn {
    const route = this.route(input);
    const block = this.block(route);
    if (!block) return { route, input };
    // Tierwise Auto: the highest lower tier whose worst case fits the rules, and say so.
    if (mayStepDown) {
      for (const tier of tiersBelow(route.tier)) {
        const lower = this.s.router().route({ ...input, override: { ...input.override, tier } });
        if (isRouteError(lower) || (lower.provider === route.provider && lower.model === route.model)) continue;
        if (this.block(lower)) continue;
        const steppedDown = vscode.l10n.t(
          'Tierwise Auto stepped down from the {0} tier ({1}) to the {2} tier ({3}): {4}',
          localize(tierName(route.tier)),
          route.model,
          localize(tierName(lower.tier)),
          lower.model,
          this.stepReason(block),
        );
        const reasonMsg = msg('routing.reason.withNote', lower.reasonMsg, steppedDown);
        return { route: { ...lower, reasonMsg, reason: english(reasonMsg) }, input: { ...input, override: { ...input.override, tier } }, steppedDown };
      }
    }
    throw new TurnRefused(this.describeBlock(block, route));
  }

  private route(input: RouteInput): Route {
    const r = this.s.router().route(input);
    if (isRouteError(r)) throw new TurnRefused(vscode.l10n.t('Tierwise: {0}', localize(r.messageMsg)));
    return r;
  }

  private block(route: Route): SpendBlock | undefined {
    return spendBlock(route.estimatedUsd?.max ?? 0, (usd) => this.s.budget().check(usd), this.s.config().confirmAboveUsd);
  }

  /** Why Auto left the tier it chose, in a clause: the worst case there and the rule, with its setting. */
  private stepReason(b: SpendBlock): string {
    const pricing = this.s.pricing();
    if (b.rule === 'threshold') {
      const [max, threshold] = pricing.formatUsdAll([b.estimateUsd, b.thresholdUsd]);
      return vscode.l10n.t('up to {0} there is over your {1} threshold ({2})', max!, threshold!, b.setting);
    }
    const [max, left] = pricing.formatUsdAll([b.check.estimateUsd, b.check.leftUsd]);
    return vscode.l10n.t('up to {0} there could cross the {1} budget, {2} left ({3})', max!, localize(BUDGET_NAMES[b.check.budget]), left!, b.setting);
  }

  /** The refusal's sentence: the estimate, the rule and the setting to change. */
  private describeBlock(b: SpendBlock, route: Route): string {
    const pricing = this.s.pricing();
    if (b.rule === 'threshold') {
      const [max, threshold] = pricing.formatUsdAll([b.estimateUsd, b.thresholdUsd]);
      return vscode.l10n.t(
        'This turn may cost up to {0} on {1}, more than your {2} threshold. Nothing was sent: the chat cannot ask mid-turn. Raise the setting {3}, or pick a cheaper model.',
        max!,
        route.model,
        threshold!,
        b.setting,
      );
    }
    const c = b.check;
    const [spent, limit, left, max] = pricing.formatUsdAll([c.spentUsd, c.limitUsd, c.leftUsd, c.estimateUsd]);
    return c.kind === 'over'
      ? vscode.l10n.t('The {0} budget is used up ({1} of {2} spent); this turn may cost up to {3} on {4}. Nothing was sent. Raise the setting {5} to go on.', localize(BUDGET_NAMES[c.budget]), spent!, limit!, max!, route.model, b.setting)
      : vscode.l10n.t(
          'This turn may cost up to {0} on {1} and could cross the {2} budget ({3} of {4} left). Nothing was sent: the chat cannot ask mid-turn. Raise the setting {5}, or pick a cheaper model.',
          max!,
          route.model,
          localize(BUDGET_NAMES[c.budget]),
          left!,
          limit!,
          b.setting,
        );
  }

  /** key → destination → stream → record. Cancellation aborts the HTTP request at once. */
  async run(plan: PlannedTurn, sink: TurnSink, token: vscode.CancellationToken, t: Pick<TurnRequest, 'source' | 'escalatedFrom'> = {}): Promise<TurnResult> {
    const { route } = plan;
    if (this.s.needsKey(route.provider) && !(await this.s.keys.has(route.provider))) {
      throw new TurnRefused(vscode.l10n.t('Tierwise: no API key is set for {0}. Run "Tierwise: Set API Key", then send again.', PROVIDER_LABELS[route.provider]));
    }
    const where = await this.s.checkDestination(route.provider);
    if (!where) throw new TurnRefused(vscode.l10n.t('Tierwise: the request was not sent ({0} is not approved as a destination).', PROVIDER_LABELS[route.provider]));
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    const started = Date.now();
    const calls: ToolCall[] = [];
    let text = '';
    this.running++;
    this.busy.fire(true);
    let o: CallOutcome;
    const timeline = this.s.telemetry.enabled ? new AttemptTimeline() : undefined;
    try {
      const candidates = await this.s.candidates(route);
      o = await this.s.runner().run(
        candidates,
        (e: CallEvent) => {
          timeline?.observe(e);
          if (e.type === 'text') {
            text += e.text;
            sink.text(e.text);
          } else if (e.type === 'toolCall') {
            calls.push(e.call);
            sink.toolCall(e.call);
          }
        },
        controller.signal,
      );
    } finally {
      sub.dispose();
      this.running--;
      this.busy.fire(this.running > 0);
    }
    let outcome: CallEnd;
    let message: string | undefined;
    if (o.result) outcome = 'done';
    else {
      const err = o.error as ProviderError;
      if (err.kind === 'aborted') outcome = 'cancelled';
      else {
        outcome = o.partialText ? 'interrupted' : 'error';
        message = describeError(err, { model: o.model, settingHint: `tierwise.tiers.${route.provider}.${route.tier}` }).message;
        this.s.log.warn(`chat request failed: ${message}`);
      }
    }
    const rec = await recordCall(this.s, route, o, { outcome, latencyMs: Date.now() - started, source: t.source ?? 'chat', escalatedFrom: t.escalatedFrom }, timeline && { timeline, startMs: started });
    const priced = rec.costSource !== undefined || this.s.pricing().cost(rec.provider, rec.model, o.result?.usage ?? o.usage) !== undefined;
    const costUsd = priced ? rec.costUsd : undefined;
    this.stats_.turns++;
    if (costUsd !== undefined) {
      this.stats_.sessionUsd += costUsd;
      this.stats_.lastUsd = costUsd;
    } else this.stats_.lastUsd = undefined;
    this.stats_.lastModel = rec.model;
    this.changed.fire();
    const pricing = this.s.pricing();
    const costText = rec.costSource === 'local' ? vscode.l10n.t('free (local model)') : costUsd !== undefined ? pricing.formatUsd(costUsd) : vscode.l10n.t('price unknown');
    return { route, outcome, text, toolCalls: calls, costUsd, costText, ...(message ? { message } : {}), provider: o.provider, model: o.result?.model ?? o.model };
  }

  dispose(): void {
    this.changed.dispose();
    this.busy.dispose();
  }
}
