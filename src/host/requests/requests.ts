/**
 * Sending one request, as one line: the editor's text (fromEditor.ts) → count and route (routeRequest.ts) →
 * confirm → key → destination → stream → finish → record. Each step returns to `send`; nothing re-sends from
 * inside a step. A 401 whose key the user then fixes goes through key → stream → record once more, with the same
 * route and without asking about the cost again.
 */
import * as vscode from 'vscode';
import type { ProviderError } from '../../core/errors';
import { type RouteOverride, type Route, isRouteError, taskLabel } from '../../core/routing';
import type { CallEvent, CallOutcome } from '../../core/resilience/pipeline';
import { type ProviderId, PROVIDER_LABELS } from '../../core/types';
import type { AnswerHandle } from '../panels';
import type { Answers, PendingRequest } from './pending';
import type { RequestPorts } from './ports';
import { describeError, errorText, localize } from '../util';
import { LARGE_TEXT_BYTES, byteSize, formatSize, requestFromEditor } from './fromEditor';
import { routeRequest, type Planned } from './routeRequest';
import { noticeFor, notFoundMessage, originOf, switchLabel, switchModel, type LifecyclePort, lifecyclePort } from '../prices';
import { english, msg } from '../../core/messages';

export type { PendingRequest } from './pending';
import { cacheMeta, costMeta, usageMeta } from './answerMeta';
import { pickOverride } from './pickOverride';
import { confirmSpend, keyFixed, keyReady } from './sendChecks';
import { Recent } from './recent';
import { takeTurns } from '../../core/resilience/turns';
import { AttemptTimeline } from '../telemetry';
import { gatewayCost, recordCall } from './callRecord';

/** How a delivery ended: done (whatever its outcome), or a 401 that deserves one more try with another key. */
type Delivered = 'done' | 'keyChanged' | 'keyRejected';

/** Answers kept for Retry and Escalate: as many as the answer panel shows. */
const RECENT_REQUESTS = 50;

export class RequestService implements vscode.Disposable {
  private readonly running = new Map<string, Planned & { pending: PendingRequest; controller: AbortController }>();
  private readonly finished = new Recent<string, Planned & { pending: PendingRequest }>(RECENT_REQUESTS);
  private readonly turn = takeTurns();
  /** Requests between sending and their ledger record. */
  private readonly inflight = new Set<Promise<Delivered>>();
  /** Set while the window closes or reloads: stopped answers say so. */
  private closing = false;
  private budgetLevel = 'none';
  private readonly busy = new vscode.EventEmitter<boolean>();
  private readonly recorded = new vscode.EventEmitter<ProviderId>();
  /** true while at least one request streams. */
  readonly onDidChangeBusy = this.busy.event;
  /** A call ended and was recorded (the provider that answered). */
  readonly onDidFinish = this.recorded.event;

  /** The catalogue and tier table the lifecycle notices read. */
  private readonly lifecycle: LifecyclePort;

  constructor(
    private readonly s: RequestPorts,
    private readonly answers: Answers,
  ) {
    this.lifecycle = lifecyclePort(s);
  }

  /** The request of the editor a command acts on (see fromEditor.ts). */
  fromEditor(task: string, title: string, question?: string): PendingRequest | undefined {
    return requestFromEditor(this.s.editors, task, title, question);
  }

  /** count → route → confirm → key → destination → stream → finish → record. `planned` skips counting and routing. */
  async send(pending: PendingRequest, planned?: Planned): Promise<void> {
    await this.turn(); // many requests started at once are routed one event-loop turn each
    const routed = planned ?? (await routeRequest(this.s, pending));
    if (!routed) return;
    // A deprecated or retired model is named as such on the route line; a retired one is offered its successor first.
    const plan = await this.checkLifecycle(pending, routed);
    if (!plan) return;
    if (!(await this.confirm(plan.route, pending.text))) return;
    let delivered = await this.deliver(pending, plan);
    // The key was replaced while the request ran (another window rotated it): once more with the new one.
    if (delivered === 'keyChanged') delivered = await this.deliver(pending, plan, true);
    // The key was rejected: offered to set it again, off the command's way (it has ended and been recorded).
    if (delivered === 'keyRejected') void this.fixKeyAndDeliver(pending, plan);
  }

  /**
   * The catalogue's word on the routed model: deprecated → a note on the route line; retired → asked before sending
   * (Switch to the successor, written where the model came from, then routed to it; or Send Anyway; or nothing).
   */
  private async checkLifecycle(pending: PendingRequest, plan: Planned): Promise<Planned | undefined> {
    const { route } = plan;
    const notice = noticeFor(this.lifecycle, route.provider, route.model);
    if (!notice) return plan;
    const noted = (p: Planned, n = notice): Planned => {
      const reasonMsg = msg('routing.reason.withWarning', p.route.reasonMsg, n.message);
      return { ...p, route: { ...p.route, reasonMsg, reason: english(reasonMsg) } };
    };
    if (notice.level !== 'retired') return noted(plan);
    const switchTo = notice.successor ? switchLabel(notice.successor) : undefined;
    const anyway = vscode.l10n.t('Send Anyway');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Tierwise: {0}', notice.message),
      { modal: true, detail: vscode.l10n.t('Nothing has been sent yet.') },
      ...(switchTo ? [switchTo] : []),
      anyway,
    );
    if (choice === anyway) return noted(plan);
    if (!choice || !notice.successor) return undefined;
    await switchModel(originOf(pending, route), route.model, notice.successor);
    const input = { ...plan.input, override: { ...plan.input.override, tier: route.tier, provider: route.provider, model: notice.successor } };
    const next = this.s.router().route(input);
    if (isRouteError(next)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tierwise: {0}', localize(next.messageMsg)));
      return undefined;
    }
    const again = noticeFor(this.lifecycle, next.provider, next.model);
    return again ? noted({ route: next, input }, again) : { route: next, input };
  }

  /** After a 401: the user may set another key; then the same request goes once more, without a new cost question. */
  private async fixKeyAndDeliver(pending: PendingRequest, plan: Planned): Promise<void> {
    if (await keyFixed(this.s.keys, plan.route.provider)) await this.deliver(pending, plan);
  }

  /** key → destination → stream → finish → record, for a request already routed and confirmed (`again`: the resend). */
  private async deliver(pending: PendingRequest, plan: Planned, again = false): Promise<Delivered> {
    if (!(await keyReady(this.s, plan.route.provider))) return 'done';
    const where = await this.s.checkDestination(plan.route.provider);
    if (!where) return 'done';
    const run = this.stream(pending, plan, where, again);
    this.inflight.add(run);
    try {
      return await run;
    } finally {
      this.inflight.delete(run);
    }
  }

  /**
   * The window is closing or reloading: stop every request and wait (at most `timeoutMs`) until each has ended,
   * keeping its partial answer and writing its ledger record.
   */
  async drain(timeoutMs = 2000): Promise<void> {
    this.closing = true;
    this.stopAll();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inflight]), limit]);
    clearTimeout(timer);
  }

  /** Budget, price and size checks that need the user's yes: asked at most once per request. */
  private async confirm(route: Route, text: string): Promise<boolean> {
    // The router's own budget sentence is in dollars; confirmSpend words the budget rule in the display currency.
    const reasons: string[] = [];
    // A large text is never sent without the user seeing its size first.
    const bytes = text.length >= LARGE_TEXT_BYTES / 4 ? byteSize(text) : 0;
    if (bytes >= LARGE_TEXT_BYTES) {
      const size = formatSize(text.length, bytes);
      const tokens = route.inputTokens.toLocaleString('en-US');
      reasons.push(
        route.estimatedUsd
          ? vscode.l10n.t('This request sends {0} ({1} input tokens) to {2}, up to {3}.', size, tokens, route.model, this.s.pricing().formatUsd(route.estimatedUsd.max))
          : vscode.l10n.t('This request sends {0} ({1} input tokens) to {2}.', size, tokens, route.model),
      );
    }
    return confirmSpend(
      this.s,
      route.estimatedUsd?.max ?? 0,
      (max, threshold) => vscode.l10n.t('This request may cost up to {0} on {1} (more than your {2} threshold).', max, route.model, threshold),
      reasons,
    );
  }

  /** stream → finish → record: one call with its fallbacks, into a new answer. */
  private async stream(pending: PendingRequest, plan: Planned, where: string[], again: boolean): Promise<Delivered> {
    const { route } = plan;
    const handle = this.answers.start({
      title: pending.title,
      meta: { provider: route.provider, model: route.model, tier: route.tier, reason: localize(route.reasonMsg), task: localize(taskLabel(route.task)) },
      target: pending.target,
    });
    if (where.length) handle.meta({ notes: where });
    const controller = new AbortController();
    this.running.set(handle.id, { ...plan, pending, controller });
    this.busy.fire(true);
    const started = Date.now();
    const keyVersion = this.s.keys.version(route.provider);
    // Each attempt's start and end, for the call's span (only while telemetry export is on).
    const timeline = this.s.telemetry.enabled ? new AttemptTimeline() : undefined;
    let outcome: CallOutcome | undefined;
    try {
      const candidates = await this.s.candidates(route);
      outcome = await this.s.runner().run(
        candidates,
        (e) => {
          timeline?.observe(e);
          this.onEvent(handle, route, e);
        },
        controller.signal,
      );
    } catch (e) {
      this.s.log.error(e instanceof Error ? e : String(e));
      handle.end('error', vscode.l10n.t('Tierwise could not send the request: {0}', errorText(e)));
      return 'done';
    } finally {
      this.running.delete(handle.id);
      this.finished.set(handle.id, { ...plan, pending });
      this.busy.fire(this.running.size > 0);
    }
    return this.finish(handle, route, outcome, started, keyVersion, again, pending, timeline);
  }

  private onEvent(handle: AnswerHandle, route: Route, e: CallEvent): void {
    switch (e.type) {
      case 'text':
        handle.append(e.text);
        break;
      case 'queued':
        handle.status(localize(e.reasonText));
        break;
      case 'retry': {
        const note = localize(e.text);
        handle.status(note);
        handle.meta({ notes: [note] });
        break;
      }
      case 'fallback': {
        const note = vscode.l10n.t('Falling back from {0}/{1} to {2}/{3}: {4}', e.from.provider, e.from.model, e.to.provider, e.to.model, localize(e.reasonText));
        handle.status(note);
        handle.meta({ notes: [note] });
        break;
      }
      case 'skipped':
        handle.status(vscode.l10n.t('Skipping {0}: {1}', PROVIDER_LABELS[e.provider], localize(e.reasonText)));
        break;
      case 'attempt':
        if (e.attempt === 1) handle.status(vscode.l10n.t('Sending to {0}…', e.model));
        break;
      case 'start':
        handle.status('');
        break;
      case 'usage': {
        const pricing = this.s.pricing();
        const cost = pricing.cost(route.provider, route.model, e.usage, route.request.batch);
        handle.meta({ ...usageMeta(e.usage), ...(cost ? { cost: pricing.formatUsd(cost.usd), ...cacheMeta(cost, (x) => pricing.formatUsd(x)) } : {}) });
        break;
      }
      case 'finish':
        break;
    }
  }

  /** finish → record: the answer's last words and header, then its ledger record. */
  private async finish(handle: AnswerHandle, route: Route, o: CallOutcome, started: number, keyVersion: number, again: boolean, pending: PendingRequest, timeline?: AttemptTimeline): Promise<Delivered> {
    const latencyMs = Date.now() - started;
    const provider = o.provider;
    const model = o.result?.model ?? o.model;
    const usage = o.result?.usage ?? o.usage;
    const pricing = this.s.pricing();
    const timing = o.result?.timing;
    // A gateway that reports the call's cost (LiteLLM) is believed over the catalogue; a local server is free.
    const gatewayCostUsd = gatewayCost(o);
    const finalMeta = {
      ...usageMeta(usage),
      ...costMeta(pricing, provider, model, usage, route.request.batch, gatewayCostUsd),
      ttftMs: timing?.timeToFirstTokenMs,
      tokensPerSecond: timing?.tokensPerSecond,
      retries: o.retries,
      estimated: o.result ? !o.result.usageReported : true,
    };
    let outcome: 'done' | 'cancelled' | 'interrupted' | 'error';
    let message: string | undefined;
    let delivered: Delivered = 'done';
    if (o.result) {
      outcome = 'done';
      if (o.result.finishReason === 'length') message = vscode.l10n.t("The answer reached max_tokens ({0}). Escalate or raise the task's max_tokens for a longer one.", route.maxTokens);
    } else {
      const err = o.error as ProviderError;
      if (err.kind === 'aborted' && this.closing) {
        outcome = 'interrupted';
        message = vscode.l10n.t('The window was reloaded or closed while this answer was streaming; the partial answer is kept.');
      } else if (err.kind === 'aborted') {
        outcome = 'cancelled';
        message = o.partialText ? vscode.l10n.t('Stopped. The partial answer is kept.') : vscode.l10n.t('Stopped before any text arrived.');
      } else {
        outcome = o.partialText ? 'interrupted' : 'error';
        message = describeError(err, { model, settingHint: `tierwise.tiers.${route.provider}.${route.tier}` }).message;
        if (err.kind === 'notFound' && err.code !== 'html_response') message = this.modelNotFound(err, model, pending, route);
        this.s.log.warn(`request failed: ${message}`);
        if (err.kind === 'auth' && this.s.keys.version(err.provider) !== keyVersion && !again) {
          message = `${message} ${vscode.l10n.t('The {0} key was changed meanwhile (in this or another window); sending again with the new key.', PROVIDER_LABELS[err.provider])}`;
          delivered = 'keyChanged';
        } else if (err.kind === 'auth') delivered = 'keyRejected';
      }
    }
    handle.end(outcome, message, finalMeta);
    if (outcome === 'done') void vscode.commands.executeCommand('setContext', 'tierwise.answered', true);
    await recordCall(this.s, route, o, { outcome, latencyMs, source: pending.source ?? 'panel', escalatedFrom: pending.escalatedFrom }, timeline && { timeline, startMs: started });
    this.warnOnBudget();
    this.recorded.fire(provider);
    return delivered;
  }

  /**
   * "Model not found" for the model that was sent: retired (when, by whom, the successor, with Switch), or not in the
   * provider's list (the closest models that are). Returns the answer's message.
   */
  private modelNotFound(err: ProviderError, model: string, pending: PendingRequest, route: Route): string {
    const origin = originOf(pending, { ...route, model });
    const setting = origin.kind === 'setting' ? `tierwise.${origin.key}` : origin.kind === 'promptFile' ? vscode.workspace.asRelativePath(origin.uri) : vscode.l10n.t('(chosen for this request)');
    const nf = notFoundMessage(this.lifecycle, err.provider, model, setting, this.knownModels(err.provider));
    if (nf.successor) {
      const label = switchLabel(nf.successor);
      const successor = nf.successor;
      void vscode.window.showErrorMessage(`Tierwise: ${nf.message}`, label).then(async (c) => {
        if (c === label) await switchModel(origin, model, successor);
      });
    }
    return err.requestId ? localize(msg('errors.shown.requestId', nf.message, err.requestId)) : nf.message;
  }

  /** The models a provider is known to have: its own list where read (Check Setup), else the catalogue's current ones. */
  private knownModels(provider: ProviderId): string[] {
    const listed = this.s.modelLists.listedModels(provider);
    if (listed?.ids.length) return listed.ids;
    return this.s
      .pricing()
      .entries.models(provider)
      .filter((e) => !e.deprecated)
      .map((e) => e.id);
  }

  /** A notification when spend crosses 80% or 100% of a budget (once per level). */
  private warnOnBudget(): void {
    const b = this.s.budget().state();
    if (b.level === this.budgetLevel) return;
    const rose = (b.level === 'warn' && this.budgetLevel !== 'over') || b.level === 'over';
    this.budgetLevel = b.level;
    const report = vscode.l10n.t('Show Cost Report');
    if (rose) void vscode.window.showWarningMessage(`Tierwise: ${b.message}`, report).then((c) => c && vscode.commands.executeCommand('tierwise.showCostReport'));
  }

  stop(id: string): void {
    this.running.get(id)?.controller.abort();
  }

  stopAll(): void {
    for (const r of this.running.values()) r.controller.abort();
  }

  async retry(id: string): Promise<void> {
    const prev = this.finished.get(id) ?? this.running.get(id);
    if (prev) await this.send(prev.pending);
    else this.gone();
  }

  async escalate(id: string): Promise<void> {
    const prev = this.finished.get(id) ?? this.running.get(id);
    if (!prev) return this.gone();
    const up = this.s.router().escalate(prev.route, prev.input);
    if (!up) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: this answer already came from the top tier.'));
      return;
    }
    // The user wanted more than the router gave: remembered for look-alike requests (features only).
    void this.s.learnedRouting().record(prev.route.auto, up.tier, prev.route.tier);
    const pending = { ...prev.pending, override: { tier: up.tier }, overrideChosen: false, escalatedFrom: prev.route.tier };
    await this.send(pending, { route: up, input: { ...prev.input, override: { tier: up.tier } } });
  }

  /** An answer restored from an earlier window: its request is no longer known, so say so rather than do nothing. */
  private gone(): void {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: this answer is from an earlier window session, so it cannot be sent again from here. Select the text and run the command again.'));
  }

  /** A quick pick to change tier or model for one request (null: cancelled). */
  pickOverride(): Promise<RouteOverride | undefined | null> {
    return pickOverride(this.s);
  }

  dispose(): void {
    this.stopAll();
    this.busy.dispose();
    this.recorded.dispose();
  }
}
