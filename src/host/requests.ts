import * as vscode from 'vscode';
import type { ProviderError } from '../core/errors';
import type { RouteOverride, Route, RouteInput } from '../core/routing';
import { isRouteError } from '../core/routing';
import type { CallEvent, CallOutcome } from '../core/resilience/pipeline';
import type { ChatRequest, ProviderId, Tier, Usage } from '../core/types';
import { PROVIDER_LABELS, TIERS } from '../core/types';
import type { AnswerHandle } from './panels/answerPanel';
import type { Services } from './services';
import { describeError } from './errors';
import { confirmSpend, countedRouteInput, ensureKey } from './sendChecks';
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
  /** The editor and selection the answer may be inserted into. */
  target?: { uri: vscode.Uri; selection: vscode.Selection };
  /** A request built elsewhere (prompt files): sent as is, with routing only choosing the model. */
  prebuilt?: { request: Omit<ChatRequest, 'provider' | 'model'>; tier?: Tier; provider?: ProviderId; model?: string };
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

  constructor(private readonly s: Services) {}

  /**
   * Builds the request from the active editor (or the last active one while a Tierwise panel has focus): its
   * selection, or the whole document (and says so).
   */
  fromEditor(task: string, title: string, question?: string): PendingRequest | undefined {
    const editor = this.s.editors.current();
    if (!editor) {
      void vscode.window.showWarningMessage('Tierwise: open a file and select some code or text first.');
      return undefined;
    }
    const doc = editor.document;
    let selection = editor.selection;
    let text = doc.getText(selection);
    if (selection.isEmpty || text.trim() === '') {
      text = doc.getText();
      if (text.trim() === '') {
        void vscode.window.showWarningMessage('Tierwise: the selection and the document are empty. Select some code or text to send.');
        return undefined;
      }
      selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(text.length));
      void vscode.window.setStatusBarMessage(`Tierwise: no selection, sending the whole document (${doc.lineCount} lines)`, 5000);
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
    const planned = routed ?? (await this.plan(pending));
    if (!planned) return;
    if (!(await this.confirm(planned.route))) return;
    if (!(await this.ensureKey(planned.route.provider, pending))) return;
    const where = await this.s.checkDestination(planned.route.provider);
    if (!where) return;
    await this.execute(pending, planned.route, planned.input, where);
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
    const route = router.route(input);
    if (isRouteError(route)) {
      void vscode.window.showErrorMessage(`Tierwise: ${route.message}`);
      return undefined;
    }
    if (pending.prebuilt) {
      const r = pending.prebuilt.request;
      route.request = { ...r, provider: route.provider, model: route.model, maxTokens: r.maxTokens || route.maxTokens };
      route.maxTokens = route.request.maxTokens;
    }
    return { route, input };
  }

  /** Budget, price and escalation checks that need the user's yes. */
  private async confirm(route: Route): Promise<boolean> {
    // The router's own budget sentence is in dollars; confirmSpend words the budget rule in the display currency.
    return confirmSpend(this.s, route.estimatedUsd?.max ?? 0, (max, threshold) => `This request may cost up to ${max} on ${route.model} (more than your ${threshold} threshold).`);
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
    await this.finish(handle, pending, route, outcome, Date.now() - started);
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
        handle.meta({ ...usageMeta(e.usage), ...(cost ? { cost: this.s.pricing().formatUsd(cost.usd) } : {}) });
        break;
      }
      case 'finish':
        break;
    }
  }

  private async finish(handle: AnswerHandle, pending: PendingRequest, route: Route, o: CallOutcome, latencyMs: number): Promise<void> {
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
            ? { cost: fmt(price.usd), cacheSavings: price.savingsUsd > 0 ? `saved ${fmt(price.savingsUsd)}` : undefined }
            : { cost: 'price unknown' };
    const finalMeta = {
      ...usageMeta(usage),
      ...cost,
      // Tokens written to the provider's cache (Anthropic, DashScope explicit cache) cost more than plain input once.
      ...(price && usage.cacheWriteTokens > 0
        ? { notes: [`Cache: ${usage.cacheWriteTokens.toLocaleString('en-US')} prompt tokens written to the cache${price.writePremiumUsd > 0 ? ` (${fmt(price.writePremiumUsd)} above the input price)` : ''}; later requests with the same start read them at the cached price.`] }
        : {}),
      ttftMs: timing?.timeToFirstTokenMs,
      tokensPerSecond: timing?.tokensPerSecond,
      retries: o.retries,
      estimated: o.result ? !o.result.usageReported : true,
    };
    let outcome: 'done' | 'cancelled' | 'interrupted' | 'error';
    let message: string | undefined;
    if (o.result) {
      outcome = 'done';
      if (o.result.finishReason === 'length') message = `The answer reached max_tokens (${route.maxTokens}). Escalate or raise the task's max_tokens for a longer one.`;
    } else {
      const err = o.error as ProviderError;
      if (err.kind === 'aborted') {
        outcome = 'cancelled';
        message = o.partialText ? 'Stopped. The partial answer is kept.' : 'Stopped before any text arrived.';
      } else {
        outcome = o.partialText ? 'interrupted' : 'error';
        message = describeError(err, { model, settingHint: this.settingFor(route) }).message;
        this.s.log.warn(`request failed: ${message}`);
        if (err.kind === 'auth') void this.offerKeyFix(err.provider, pending);
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
      ...(gatewayCostUsd !== undefined ? { gatewayCostUsd } : {}),
      ...(local ? { local } : {}),
    });
    this.warnOnBudget();
    // A gateway's key budget moved with this call.
    if (provider === 'openaiCompatible') void this.s.statusBar.refreshGateway();
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
    const pending = { ...prev.pending, override: { tier: up.tier } };
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
      for (const m of models) {
        items.push({ label: m.id, description: `${m.tier} · ${pricing.describePrice(provider, m.id) ?? ''}`, ov: { provider, model: m.id } });
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
  return { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cachedTokens: u.cacheReadTokens };
}

function renderText(r: Omit<ChatRequest, 'provider' | 'model'>): string {
  return [r.system ?? '', ...r.messages.map((m) => m.content)].join('\n');
}
