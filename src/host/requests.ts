import * as vscode from 'vscode';
import type { ProviderError } from '../core/errors';
import type { RouteOverride, Route, RouteInput } from '../core/routing';
import { isRouteError } from '../core/routing';
import { decideWithJudge, needsJudge } from '../core/routing/judge';
import type { RoutingInfo } from '../core/pricing';
import { systemClock } from '../core/clock';
import type { CallEvent, CallOutcome } from '../core/resilience/pipeline';
import type { ChatRequest, ProviderId, Tier, Usage } from '../core/types';
import { PROVIDER_LABELS, TIERS } from '../core/types';
import type { AnswerHandle } from './panels/answerPanel';
import type { Services } from './services';
import { describeError } from './errors';
import { HUGE_TEXT_CHARS, confirmSpend, countedRouteInput, ensureKey } from './sendChecks';
import { takeTurns } from '../core/resilience/turns';
import { gatewayReportedCost } from '../core/setup/local';

/** What the user asked for, kept whole so that Retry, Escalate and "Set API Key, then run" can run it again. */
export interface PendingRequest {
  task: string;
  title: string;
  text: string;
  question?: string;
  languageId?: string;
  fileName?: string;
  override?: RouteOverride;
  /** The user chose `override` for this request just now (the ⚙ of Run Task): learned from once. */
  overrideChosen?: boolean;
  /** The editor and selection the answer may be inserted into. */
  target?: { uri: vscode.Uri; selection: vscode.Selection };
  /** A request built elsewhere (prompt files): sent as is, with routing only choosing the model. */
  prebuilt?: { request: Omit<ChatRequest, 'provider' | 'model'>; tier?: Tier; provider?: ProviderId; model?: string };
  /** Set on the one automatic resend after a 401 whose key had been replaced meanwhile (in another window). */
  resentAfterKeyChange?: boolean;
}

interface Running {
  pending: PendingRequest;
  route: Route;
  input: RouteInput;
  controller: AbortController;
}

export class RequestService implements vscode.Disposable {
  private readonly running = new Map<string, Running>();
  private readonly finished = new Map<string, { pending: PendingRequest; route: Route; input: RouteInput }>();
  private readonly turn = takeTurns();
  /** Requests between sending and their ledger record. */
  private readonly inflight = new Set<Promise<void>>();
  /** Set while the window closes or reloads: stopped answers say so. */
  private closing = false;

  constructor(private readonly s: Services) {}

  /**
   * Builds the request from the active editor (or the last active one while a Tierwise panel has focus): its
   * selection, or the whole document (and says so).
   */
  fromEditor(task: string, title: string, question?: string): PendingRequest | undefined {
    const editor = this.s.editors.current();
    if (!editor) {
      void vscode.window.showWarningMessage(noEditorMessage());
      return undefined;
    }
    const doc = editor.document;
    let selection = editor.selection;
    let text = doc.getText(selection);
    const whole = selection.isEmpty || text.trim() === '';
    if (whole) {
      text = doc.getText();
      if (text.trim() === '') {
        void vscode.window.showWarningMessage('Tierwise: the selection and the document are empty. Select some code or text to send.');
        return undefined;
      }
      selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(text.length));
      void vscode.window.setStatusBarMessage(`Tierwise: no selection, sending the whole document (${doc.lineCount} lines)`, 5000);
    }
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      const line = doc.positionAt(doc.offsetAt(selection.start) + nul).line + 1;
      void vscode.window.showErrorMessage(
        `Tierwise: the ${whole ? 'document' : 'selection'} contains binary data (a NUL byte on line ${line}), so nothing was sent. Select text only, or open the file as text.`,
      );
      return undefined;
    }
    return {
      task,
      title,
      text,
      question,
      languageId: doc.languageId,
      fileName: vscode.workspace.asRelativePath(doc.uri),
      target: { uri: doc.uri, selection },
    };
  }

  async send(pending: PendingRequest, routed?: { route: Route; input: RouteInput }): Promise<void> {
    await this.turn(); // many requests started at once are routed one event-loop turn each
    const planned = routed ?? (await this.plan(pending));
    if (!planned) return;
    if (!(await this.confirm(planned.route, pending.text))) return;
    if (!(await this.ensureKey(planned.route.provider, pending))) return;
    const where = await this.s.checkDestination(planned.route.provider);
    if (!where) return;
    const run = this.execute(pending, planned.route, planned.input, where);
    this.inflight.add(run);
    await run.finally(() => this.inflight.delete(run));
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

  /** Routes a request; shows the reason a request cannot be sent, before anything is sent. */
  private async plan(pending: PendingRequest): Promise<{ route: Route; input: RouteInput } | undefined> {
    const router = this.s.router();
    const countText = pending.prebuilt ? renderText(pending.prebuilt.request) : `${pending.question ?? ''}\n${pending.text}`;
    const input = await countedRouteInput(
      this.s,
      {
        task: pending.task,
        selectionText: pending.text,
        languageId: pending.languageId,
        fileName: pending.fileName,
        question: pending.question,
        override: {
          ...(pending.prebuilt?.tier ? { tier: pending.prebuilt.tier } : {}),
          ...(pending.prebuilt?.provider ? { provider: pending.prebuilt.provider } : {}),
          ...(pending.prebuilt?.model ? { model: pending.prebuilt.model } : {}),
          ...pending.override,
        },
      },
      countText,
    );
    let routed = router.route(input);
    let routedInput: RouteInput = input;
    if (!isRouteError(routed) && routed.auto && !pending.prebuilt) {
      const judged = await this.judge(routed, input);
      if (judged) {
        routedInput = { ...input, judged };
        routed = router.route(routedInput);
      }
    }
    const route = routed;
    if (isRouteError(route)) {
      // A refusal for size says how large the text is, not only its token count.
      const estimated = countText.length > HUGE_TEXT_CHARS ? ', its tokens estimated from samples' : '';
      const size = route.error === 'tooLarge' ? `The text is ${formatSize(pending.text.length, byteSize(pending.text))}${estimated}. ` : '';
      void vscode.window.showErrorMessage(`Tierwise: ${size}${route.message}`);
      return undefined;
    }
    if (pending.overrideChosen) {
      // Learn once from the tier the user chose over the router's; a Retry of the same request does not count again.
      pending.overrideChosen = false;
      void this.s.learnedRouting().record(route.auto, route.tier, route.auto?.routedTier ?? route.tier);
    }
    if (pending.prebuilt) {
      const r = pending.prebuilt.request;
      route.request = { ...r, provider: route.provider, model: route.model, maxTokens: r.maxTokens || route.maxTokens };
      route.maxTokens = route.request.maxTokens;
    }
    return { route, input: routedInput };
  }

  /**
   * Judge mode: when the rules are unsure of an auto-routed request, asks the simple-tier model which tier it needs
   * (5 output tokens, 3 s at most, recorded in the ledger as routing overhead). undefined keeps the local decision.
   */
  private async judge(route: Route, input: RouteInput): Promise<{ tier: Tier; model: string } | undefined> {
    const auto = route.auto;
    const cfg = this.s.config().routing.config;
    if (!auto || auto.source !== 'rules' || !needsJudge(cfg.classifier, auto.assessment)) return undefined;
    const simple = this.s.router().route({ ...input, override: { tier: 'simple' } });
    if (isRouteError(simple)) return undefined;
    if (this.s.needsKey(simple.provider) && !(await this.s.keys.has(simple.provider))) return undefined;
    let judgeModel = simple.model;
    const decision = await decideWithJudge(
      cfg.classifier,
      auto.assessment,
      { request: input.question ?? '', languageId: input.languageId },
      async (p, signal) => {
        const request: ChatRequest = { provider: simple.provider, model: simple.model, system: p.system, messages: [{ role: 'user', content: p.user }], maxTokens: p.maxTokens, temperature: 0 };
        const started = Date.now();
        const candidates = await this.s.candidates({ ...simple, request, maxTokens: p.maxTokens, fallbacks: [] });
        const o = await this.s.runner().run(candidates, () => undefined, signal);
        judgeModel = o.result?.model ?? o.model;
        await this.s.ledger().record({
          provider: o.provider,
          model: judgeModel,
          tier: 'simple',
          task: 'routing-judge',
          usage: o.result?.usage ?? o.usage,
          usageReported: o.result?.usageReported ?? false,
          latencyMs: Date.now() - started,
          retries: o.retries,
          outcome: o.result ? 'ok' : o.error?.kind === 'aborted' ? 'cancelled' : 'error',
          error: o.error?.kind,
          overhead: 'routing',
        });
        if (!o.result) throw o.error ?? new Error('no answer');
        return o.result.text;
      },
      systemClock,
    );
    if (decision.fallback) this.s.log.info(`routing judge: ${decision.fallback}; keeping the local ${auto.assessment.tier} tier`);
    return decision.source === 'judge' ? { tier: decision.tier, model: judgeModel } : undefined;
  }

  /** Budget, price and escalation checks that need the user's yes. */
  private async confirm(route: Route, text: string): Promise<boolean> {
    // The router's own budget sentence is in dollars; confirmSpend words the budget rule in the display currency.
    const reasons: string[] = [];
    // A large text is never sent without the user seeing its size first.
    const bytes = text.length >= LARGE_TEXT_BYTES / 4 ? byteSize(text) : 0;
    if (bytes >= LARGE_TEXT_BYTES) {
      const cost = route.estimatedUsd ? `, up to ${this.s.pricing().formatUsd(route.estimatedUsd.max)}` : '';
      reasons.push(`This request sends ${formatSize(text.length, bytes)} (${route.inputTokens.toLocaleString('en-US')} input tokens) to ${route.model}${cost}.`);
    }
    return confirmSpend(
      this.s,
      route.estimatedUsd?.max ?? 0,
      (max, threshold) => `This request may cost up to ${max} on ${route.model} (more than your ${threshold} threshold).`,
      reasons,
    );
  }

  /** A missing key offers "Set API Key" and, once set, sends the same request. */
  private async ensureKey(provider: ProviderId, pending: PendingRequest): Promise<boolean> {
    return ensureKey(this.s, provider, () => this.send(pending));
  }

  private async execute(pending: PendingRequest, route: Route, input: RouteInput, where: string[] = []): Promise<void> {
    const panel = this.s.panel();
    const handle = panel.start({
      title: pending.title,
      meta: { provider: route.provider, model: route.model, tier: route.tier, reason: route.reason, task: route.task.label },
      target: pending.target,
    });
    if (where.length) handle.meta({ notes: where });
    const controller = new AbortController();
    this.running.set(handle.id, { pending, route, input, controller });
    this.s.statusBar.setBusy(true);
    const started = Date.now();
    const keyVersion = this.s.keys.version(route.provider);
    let outcome: CallOutcome | undefined;
    try {
      const candidates = await this.s.candidates(route);
      outcome = await this.s.runner().run(candidates, (e) => this.onEvent(handle, route, e), controller.signal);
    } catch (e) {
      this.s.log.error(e instanceof Error ? e : String(e));
      handle.end('error', `Tierwise could not send the request: ${e instanceof Error ? e.message : String(e)}`);
      return;
    } finally {
      this.running.delete(handle.id);
      this.finished.set(handle.id, { pending, route, input });
      this.s.statusBar.setBusy(this.running.size > 0);
    }
    await this.finish(handle, pending, route, outcome, Date.now() - started, keyVersion);
  }

  private onEvent(handle: AnswerHandle, route: Route, e: CallEvent): void {
    switch (e.type) {
      case 'text':
        handle.append(e.text);
        break;
      case 'queued':
        handle.status(e.reason);
        break;
      case 'retry':
        handle.status(e.message);
        handle.meta({ notes: [e.message] });
        break;
      case 'fallback': {
        const note = `Falling back from ${e.from.provider}/${e.from.model} to ${e.to.provider}/${e.to.model}: ${e.reason}`;
        handle.status(note);
        handle.meta({ notes: [note] });
        break;
      }
      case 'skipped':
        handle.status(`Skipping ${PROVIDER_LABELS[e.provider]}: ${e.reason}`);
        break;
      case 'attempt':
        if (e.attempt === 1) handle.status(`Sending to ${e.model}…`);
        break;
      case 'start':
        handle.status('');
        break;
      case 'usage': {
        const cost = this.s.pricing().cost(route.provider, route.model, e.usage, route.request.batch);
        handle.meta({ ...usageMeta(e.usage), ...(cost ? { cost: this.s.pricing().formatUsd(cost.usd), ...cacheMeta(cost, (x) => this.s.pricing().formatUsd(x)) } : {}) });
        break;
      }
      case 'finish':
        break;
    }
  }

  private async finish(handle: AnswerHandle, pending: PendingRequest, route: Route, o: CallOutcome, latencyMs: number, keyVersion: number): Promise<void> {
    const provider = o.provider;
    const model = o.result?.model ?? o.model;
    const usage = o.result?.usage ?? o.usage;
    const price = this.s.pricing().cost(provider, model, usage, route.request.batch);
    const fmt = (usd: number) => this.s.pricing().formatUsd(usd);
    const timing = o.result?.timing;
    // A gateway that reports the call's cost (LiteLLM) is believed over the catalogue; a local server is free.
    const gatewayCostUsd = provider === 'openaiCompatible' && o.result ? gatewayReportedCost(o.result.headers) : undefined;
    const local = this.s.pricing().isLocal(provider);
    const cost =
      gatewayCostUsd !== undefined
        ? { cost: vscode.l10n.t('{0} (reported by the gateway)', fmt(gatewayCostUsd)) }
        : local && price && price.usd === 0
          ? { cost: vscode.l10n.t('free (local model)') }
          : price
            ? { cost: fmt(price.usd), ...cacheMeta(price, fmt) }
            : { cost: 'price unknown' };
    const finalMeta = {
      ...usageMeta(usage),
      ...cost,
      ttftMs: timing?.timeToFirstTokenMs,
      tokensPerSecond: timing?.tokensPerSecond,
      retries: o.retries,
      estimated: o.result ? !o.result.usageReported : true,
    };
    let outcome: 'done' | 'cancelled' | 'interrupted' | 'error';
    let message: string | undefined;
    let resend: PendingRequest | undefined;
    if (o.result) {
      outcome = 'done';
      if (o.result.finishReason === 'length') message = `The answer reached max_tokens (${route.maxTokens}). Escalate or raise the task's max_tokens for a longer one.`;
    } else {
      const err = o.error as ProviderError;
      if (err.kind === 'aborted' && this.closing) {
        outcome = 'interrupted';
        message = 'The window was reloaded or closed while this answer was streaming; the partial answer is kept.';
      } else if (err.kind === 'aborted') {
        outcome = 'cancelled';
        message = o.partialText ? 'Stopped. The partial answer is kept.' : 'Stopped before any text arrived.';
      } else {
        outcome = o.partialText ? 'interrupted' : 'error';
        message = describeError(err, { model, settingHint: this.settingFor(route) }).message;
        this.s.log.warn(`request failed: ${message}`);
        if (err.kind === 'auth' && this.s.keys.version(err.provider) !== keyVersion && !pending.resentAfterKeyChange) {
          // The key was replaced while this request ran (another window rotated it): ask once more with the new one.
          message = `${message} The ${PROVIDER_LABELS[err.provider]} key was changed meanwhile (in this or another window); sending again with the new key.`;
          resend = { ...pending, resentAfterKeyChange: true };
        } else if (err.kind === 'auth') void this.offerKeyFix(err.provider, pending);
      }
    }
    handle.end(outcome, message, finalMeta);
    if (outcome === 'done') void vscode.commands.executeCommand('setContext', 'tierwise.answered', true);
    await this.s.ledger().record({
      provider,
      model,
      tier: route.tier,
      task: route.task.id,
      usage,
      usageReported: !finalMeta.estimated,
      batch: !!route.request.batch,
      latencyMs,
      retries: o.retries,
      outcome: outcome === 'done' ? (o.result?.finishReason === 'length' ? 'truncated' : 'ok') : outcome,
      error: o.error?.kind,
      ...(route.auto ? { routing: this.routingInfo(route, provider, usage) } : {}),
      ...(gatewayCostUsd !== undefined ? { gatewayCostUsd } : {}),
      ...(local ? { local } : {}),
    });
    this.warnOnBudget();
    // A gateway's key budget moved with this call.
    if (provider === 'openaiCompatible') void this.s.statusBar.refreshGateway();
    if (resend) await this.send(resend);
  }

  /** For the ledger: how an auto route got its tier, and the same usage priced on the default and the top tier. */
  private routingInfo(route: Route, provider: ProviderId, usage: Usage): RoutingInfo {
    const auto = route.auto!;
    const tiers = this.s.config().routing.config.tiers[provider];
    const price = (model: string) => this.s.pricing().cost(provider, model, usage, route.request.batch)?.usd;
    const defaultTierUsd = price(tiers[auto.defaultTier]);
    const topTierUsd = price(tiers.complex);
    return {
      routedTier: auto.routedTier,
      defaultTier: auto.defaultTier,
      source: auto.source,
      ...(defaultTierUsd !== undefined ? { defaultTierUsd } : {}),
      ...(topTierUsd !== undefined ? { topTierUsd } : {}),
    };
  }

  private budgetLevel: string = 'none';
  /** A notification when spend crosses 80% or 100% of a budget (once per level). */
  private warnOnBudget(): void {
    const b = this.s.budget().state();
    if (b.level === this.budgetLevel) return;
    const rose = (b.level === 'warn' && this.budgetLevel !== 'over') || b.level === 'over';
    this.budgetLevel = b.level;
    if (rose) void vscode.window.showWarningMessage(`Tierwise: ${b.message}`, 'Show Cost Report').then((c) => c && vscode.commands.executeCommand('tierwise.showCostReport'));
  }

  private settingFor(route: Route): string {
    return `tierwise.tiers.${route.provider}.${route.tier}`;
  }

  private async offerKeyFix(provider: ProviderId, pending: PendingRequest): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`Tierwise: ${PROVIDER_LABELS[provider]} rejected the API key.`, 'Set API Key');
    if (choice === 'Set API Key' && (await this.s.keys.promptAndSet(provider))) await this.send(pending);
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
      void vscode.window.showInformationMessage('Tierwise: this answer already came from the top tier.');
      return;
    }
    if (prev.pending.prebuilt) {
      const r = prev.pending.prebuilt.request;
      up.request = { ...r, provider: up.provider, model: up.model, maxTokens: r.maxTokens || up.maxTokens };
    }
    // The user wanted more than the router gave: remembered for look-alike requests (features only).
    void this.s.learnedRouting().record(prev.route.auto, up.tier, prev.route.tier);
    const pending = { ...prev.pending, override: { tier: up.tier }, overrideChosen: false };
    await this.send(pending, { route: up, input: { ...prev.input, override: { tier: up.tier } } });
  }

  /** An answer restored from an earlier window: its request is no longer known, so say so rather than do nothing. */
  private gone(): void {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tierwise: this answer is from an earlier window session, so it cannot be sent again from here. Select the text and run the command again.'));
  }

  /** A quick pick to change tier or model for one request. */
  async pickOverride(): Promise<RouteOverride | undefined | null> {
    const cfg = this.s.config().routing.config;
    const pricing = this.s.pricing();
    type Item = vscode.QuickPickItem & { ov?: RouteOverride };
    const items: Item[] = [
      { label: '$(sparkle) Automatic', description: 'the tier the task needs', ov: undefined },
      ...TIERS.map((t) => ({ label: `$(layers) ${t} tier`, description: cfg.tiers[cfg.activeProvider][t], ov: { tier: t } })),
    ];
    // Any catalogued model of a provider that can be called now, with its price.
    for (const provider of this.s.available()) {
      const models = pricing.entries.models(provider);
      if (!models.length) continue;
      items.push({ label: PROVIDER_LABELS[provider], kind: vscode.QuickPickItemKind.Separator });
      const today = new Date().toISOString().slice(0, 10);
      for (const m of models) {
        if (m.endOfLife && m.endOfLife < today) continue; // shut down: no longer answers
        const state = m.deprecated ? ` · deprecated${m.endOfLife ? `, ends ${m.endOfLife}` : ''}` : '';
        items.push({ label: m.id, description: `${m.tier}${state} · ${pricing.describePrice(provider, m.id) ?? ''}`, ov: { provider, model: m.id } });
      }
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'Tierwise: tier or model for this request', matchOnDescription: true });
    if (!picked) return null;
    return picked.ov;
  }

  dispose(): void {
    this.stopAll();
  }
}

function usageMeta(u: Usage) {
  return { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cachedTokens: u.cacheReadTokens, cacheWriteTokens: u.cacheWriteTokens };
}

/** What the cache saved (reads) and what writing it cost, for the answer panel; nothing when neither happened. */
function cacheMeta(c: { savingsUsd: number; cacheWriteUsd: number; writePremiumUsd: number }, fmt: (usd: number) => string) {
  return {
    cacheSavings: c.savingsUsd > 0 ? `saved ${fmt(c.savingsUsd)}` : undefined,
    cacheWriteCost:
      c.cacheWriteUsd > 0 ? `${fmt(c.cacheWriteUsd)}${c.writePremiumUsd > 0 ? `, ${fmt(c.writePremiumUsd)} above the input price` : ''}` : undefined,
  };
}

function renderText(r: Omit<ChatRequest, 'provider' | 'model'>): string {
  return [r.system ?? '', ...r.messages.map((m) => m.content)].join('\n');
}

/** Texts from this size on ask before they are sent, naming their size. */
export const LARGE_TEXT_BYTES = 1024 * 1024;

/** UTF-8 size of a text without copying it (fast even for 50 MB). */
function byteSize(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** "50.0 MB (52,428,800 characters)". */
export function formatSize(chars: number, bytes: number): string {
  const mb = bytes / (1024 * 1024);
  const size = mb >= 1 ? `${mb.toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
  return `${size} (${chars.toLocaleString('en-US')} characters)`;
}

/**
 * Why there is no editor to send from. VS Code does not hand files of 50 MB or more to extensions: such a file is
 * open in a tab but has no text editor, which deserves its own message.
 */
function noEditorMessage(): string {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText) {
    return `Tierwise: ${vscode.workspace.asRelativePath(input.uri)} is open but VS Code does not share it with extensions (files of 50 MB or more are not). Copy the part you need into a smaller file.`;
  }
  return 'Tierwise: open a file and select some code or text first.';
}
