import * as vscode from 'vscode';
import { type Route, isRouteError, taskLabel, tierName } from '../../core/routing';
import type { TokenCount } from '../../core/tokens/client';
import { TIERS } from '../../core/types';
import { gatewayBudget, serverTokenCount, type GatewayBudget } from '../../core/setup/local';
import { editorText, rangesText, currentWorkspace, localize } from '../util';
import type { StatusPorts } from './ports';
import type { ChatStats } from '../chat';
import { DocumentTokens } from './documentTokens';
import { appendListNotices } from '../setup';
import { noticeFor, switchLabel, switchLink, type LifecyclePort, lifecyclePort } from '../prices';
import { calibrationDetail, calibrationNote } from '../tokens';

const DEBOUNCE_MS = 120;
/** Above this many characters the status bar estimates from samples instead of counting the whole text. */
const SAMPLE_ABOVE_CHARS = 4 * 1024 * 1024;
const SAMPLES = 64;
const SAMPLE_CHARS = 2048;

/** `SAMPLES` slices of `SAMPLE_CHARS`, evenly spaced over the ranges taken end to end. */
function sampleText(doc: vscode.TextDocument, ranges: [number, number][], total: number): string {
  const parts: string[] = [];
  const step = Math.max(SAMPLE_CHARS, Math.floor(total / SAMPLES));
  let base = 0;
  for (const [from, to] of ranges) {
    const len = to - from;
    for (let at = Math.ceil(base / step) * step - base; at < len; at += step) {
      const start = from + at;
      parts.push(doc.getText(new vscode.Range(doc.positionAt(start), doc.positionAt(Math.min(to, start + SAMPLE_CHARS)))));
    }
    base += len;
  }
  return parts.join('');
}
/** Nothing but blanks, read line by line (stops at the first line with text). */
function isBlank(doc: vscode.TextDocument): boolean {
  for (let i = 0; i < doc.lineCount; i++) if (!doc.lineAt(i).isEmptyOrWhitespace) return false;
  return true;
}
/** How often the gateway's key budget is asked for again. */
const GATEWAY_REFRESH_MS = 60_000;
/** Larger selections are not sent to a local server's /tokenize on every change. */
const SERVER_COUNT_MAX_CHARS = 200_000;

/**
 * The status bar item: tokens of the selection (or document) for the active provider's model, the estimated
 * cost on the tier the current task would use, and the session's spend. Live as the selection changes.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private generation = 0;
  private last: { count: TokenCount; scope: string; languageId: string; empty: boolean; text: string } | undefined;
  /** Exposed for tests: the latest text and tooltip. */
  text = '';
  tooltipText = '';
  /** The gateway key's spend and budget (LiteLLM /key/info), when the OpenAI-compatible endpoint has one. */
  private gateway: { budget?: GatewayBudget; at: number; url: string } | undefined;
  private gatewayRun: Promise<void> | undefined;
  private gatewayWarned = false;
  private readonly documents: DocumentTokens;

  /** Deprecated and retired tier models, from the catalogue in use. */
  private readonly lifecycle: LifecyclePort;

  constructor(private readonly s: StatusPorts) {
    this.lifecycle = lifecyclePort(s);
    this.documents = new DocumentTokens(() => this.s.tokens().counter());
    this.subs.push(this.documents);
    this.item = vscode.window.createStatusBarItem('tierwise.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Tierwise';
    this.item.command = 'tierwise.showCostReport';
    this.setText('$(pulse) Tierwise');
    this.item.tooltip = vscode.l10n.t('Tierwise: select code or text to see its tokens and cost.');
    this.item.show();
    this.subs.push(
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.s.editors.current()?.document) this.schedule();
      }),
    );
    // An editor restored at start-up raises no event: count it once activation is over.
    if (vscode.window.activeTextEditor) this.schedule();
  }

  private setText(t: string): void {
    this.text = t;
    this.item.text = t;
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  /** What chat turns cost this session (the last turn on the bar, all of them in the tooltip). */
  private chat: ChatStats | undefined;
  setChat(stats: ChatStats): void {
    this.chat = stats;
    this.render();
  }

  /** Recount soon (selection, document, settings or spend changed). */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.update().catch((e: unknown) => this.s.log.warn(`status bar update failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    }, DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    // While a Tierwise panel has focus, the counts stay those of the editor beside it (the one commands act on).
    const editor = this.s.editors.current();
    const gen = ++this.generation;
    if (!editor || editor.document.uri.scheme === 'output') {
      this.last = undefined;
      this.render();
      return;
    }
    const doc = editor.document;
    // The text every command would send (util/editors.ts): the selections that hold text, else the whole document.
    const sent = editorText(editor);
    const scope = sent.scope;
    const cfg = this.s.config().routing.config;
    const provider = cfg.activeProvider;
    const model = cfg.tiers[provider].medium;
    const show = (count: TokenCount, text: string, empty: boolean) => {
      if (gen !== this.generation) return;
      // Keep a local server's own count once it came (the local estimate is only a stand-in), but show what the
      // settings now say (tiers, prices): a change applies without a reload.
      if (this.last?.count.method === 'provider' && this.last.text === text) return this.render();
      this.last = { count, scope, languageId: doc.languageId, empty, text };
      this.render();
    };
    // A huge text (a 50 MB file) is neither copied nor counted whole on every cursor move: it is estimated from
    // evenly spaced samples, on this thread, in well under a millisecond, and shown as an estimate.
    const ranges: [number, number][] = sent.ranges.map((r) => [doc.offsetAt(r.start), doc.offsetAt(r.end)]);
    const total = ranges.reduce((n, [a, b]) => n + b - a, 0);
    if (total > SAMPLE_ABOVE_CHARS) {
      const sample = sampleText(doc, ranges, total);
      const approx = this.s.tokens().counter().approximate(provider, model, sample);
      show({ tokens: Math.round((approx.tokens * total) / Math.max(1, sample.length)), exact: false, method: 'estimate' }, '', false);
      return;
    }
    const failed = (e: unknown) => this.s.log.warn(`token count failed: ${String(e)}`);
    // `seen` stands for the counted text: the selection itself, or the document's version (not copied on every change).
    const selection = scope === 'selection' ? rangesText(doc, sent.ranges) : undefined;
    const seen = selection ?? `${doc.uri.toString()}@${doc.version}`;
    const empty = selection !== undefined ? selection.trim() === '' : isBlank(doc);
    const counter = this.s.tokens().counter();
    if (selection !== undefined) counter.live('status', provider, model, selection, (count) => show(count, seen, empty), failed);
    else {
      // The worker holds the document and gets only its edits: a keystroke re-counts the chunks it touched.
      if (!counter.isReady(provider, model)) show(counter.approximate(provider, model, doc.getText()), seen, empty);
      this.documents.count(doc, provider, model).then((count) => show(count, seen, empty), failed);
    }
    // A local llama.cpp or vLLM server counts exactly with its own tokenizer (POST /tokenize).
    const pricing = this.s.pricingIfLoaded();
    if (provider === 'openaiCompatible' && pricing?.isLocal(provider) && !empty && (selection?.length ?? total) <= SERVER_COUNT_MAX_CHARS) {
      const baseUrl = this.s.config().providers.openaiCompatible.baseUrl || 'http://localhost:11434/v1';
      void serverTokenCount(fetch, baseUrl, model, selection ?? doc.getText(), { timeoutMs: 1500 }).then((n) => {
        if (n === undefined || gen !== this.generation) return;
        this.last = { count: { tokens: n, exact: true, method: 'provider' }, scope, languageId: doc.languageId, empty, text: seen };
        this.render();
      });
    }
  }

  /** The route of the current task (the last command's) for the counted text, at render time so it follows the task. */
  private route(): Route | undefined {
    if (!this.last || this.last.empty) return undefined;
    try {
      const r = this.s.router().route({ task: this.s.currentTask(), inputTokens: this.last.count.tokens, selectionText: '', languageId: this.last.languageId });
      return isRouteError(r) ? undefined : r;
    } catch (e) {
      this.s.log.debug(`status route: ${String(e)}`);
      return undefined;
    }
  }

  render(): void {
    const pricing = this.s.pricingIfLoaded();
    const spend = this.s.spendIfLoaded();
    const budget = this.s.budgetIfLoaded()?.state();
    const parts: string[] = [this.busy ? '$(sync~spin)' : '$(pulse)'];
    const route = this.route();
    if (this.last) {
      const { count } = this.last;
      parts.push(vscode.l10n.t('{0}{1} tok', count.exact ? '' : '≈', count.tokens.toLocaleString('en-US')));
      // An empty file or selection has nothing to send, so it has no price.
      if (route?.estimatedUsd && pricing) parts.push(pricing.isLocal(route.provider) && route.estimatedUsd.max === 0 ? `· ${vscode.l10n.t('free (local)')}` : `· ~${pricing.formatUsd(route.estimatedUsd.min)}`);
    } else {
      parts.push('Tierwise');
    }
    if (spend && pricing) parts.push(`${this.last ? '· ' : ''}${vscode.l10n.t('session {0}', pricing.formatUsd(spend.sessionUsd))}`);
    if (this.chat?.turns && pricing) parts.push(`· ${vscode.l10n.t('chat turn {0}', this.chat.lastUsd !== undefined ? pricing.formatUsd(this.chat.lastUsd) : vscode.l10n.t('price unknown'))}`);
    this.setText(parts.join(' '));
    const gw = this.gateway?.budget?.level;
    if (this.gatewayStale()) void this.refreshGateway();
    this.item.backgroundColor =
      budget?.level === 'over' || gw === 'over'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : budget?.level === 'warn' || gw === 'warn'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const tip = this.tooltip(route);
    this.tooltipText = tip.value;
    this.item.tooltip = tip;
  }

  /** The tooltip as it shows now (public for tests). */
  tooltip(route: Route | undefined = this.route()): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    // Links in the tooltip run only these commands.
    md.isTrusted = { enabledCommands: ['tierwise.switchModel', 'tierwise.checkSetup', 'tierwise.updatePrices'] };
    md.supportThemeIcons = true;
    md.appendMarkdown('**Tierwise**\n\n');
    const pricing = this.s.pricingIfLoaded();
    if (this.last) {
      const { count, scope } = this.last;
      const measured = calibrationNote(count.calibration);
      const how =
        count.method === 'provider'
          ? vscode.l10n.t('exact (counted by the server)')
          : count.exact
            ? vscode.l10n.t('exact ({0})', count.method)
            : measured
              ? vscode.l10n.t('estimate ({0}), {1}', count.method, measured)
              : vscode.l10n.t('estimate ({0})', count.method);
      const n = `${count.exact ? '' : '≈'}${count.tokens.toLocaleString('en-US')}`;
      md.appendMarkdown(`${scope === 'selection' ? vscode.l10n.t('Selection: **{0} tokens**, {1}', n, how) : vscode.l10n.t('Document: **{0} tokens**, {1}', n, how)}\n\n`);
      const detail = calibrationDetail(count.calibration);
      if (detail) md.appendMarkdown(`${detail}\n\n`);
      if (this.last.empty) md.appendMarkdown(`${scope === 'selection' ? vscode.l10n.t('The selection is empty: there is nothing to send.') : vscode.l10n.t('The document is empty: there is nothing to send.')}\n\n`);
      else if (route) {
        md.appendMarkdown(`${vscode.l10n.t('Task *{0}* → {1}', localize(taskLabel(route.task)), localize(route.reasonMsg))}\n\n`);
        if (pricing) {
          md.appendMarkdown(`| ${vscode.l10n.t('tier')} | ${vscode.l10n.t('model')} | ${vscode.l10n.t('input alone')} | ${vscode.l10n.t('input + a full answer (max_tokens)')} |\n|---|---|---:|---:|\n`);
          for (const tier of TIERS) {
            const r = this.s.router().route({ task: route.task.id, inputTokens: count.tokens, selectionText: '', override: { tier } });
            if (isRouteError(r)) continue;
            // A gateway model's price says where it comes from (its list model, the gateway's cost) or how to set one.
            const note = pricing.priceNoteMsg(r.provider, r.model);
            const price = [pricing.describePrice(r.provider, r.model), note && localize(note)].filter(Boolean).join('; ');
            const est = r.estimatedUsd;
            const gone = noticeFor(this.lifecycle, r.provider, r.model);
            md.appendMarkdown(
              `| ${localize(tierName(tier))} | ${gone ? `$(warning) ~~${r.model}~~ ${gone.level === 'retired' ? vscode.l10n.t('retired') : vscode.l10n.t('deprecated')}` : r.model}${price ? ` <small>(${price})</small>` : ''} | ${est ? pricing.formatUsd(est.min) : '?'} | ${est ? pricing.formatUsd(est.max) : '?'} |\n`,
            );
          }
          md.appendMarkdown('\n');
        }
      }
    }
    if (pricing) this.appendLifecycle(md, route?.task.id ?? this.s.currentTask());
    const spend = this.s.spendIfLoaded();
    if (spend && pricing) {
      const ws = currentWorkspace();
      const [session, today, month, wsToday] = pricing.formatUsdAll([spend.sessionUsd, spend.todayUsd, spend.monthUsd, spend.workspaceTodayUsd]);
      md.appendMarkdown(
        `${
          ws
            ? vscode.l10n.t('Spent: session {0} · today {1} ({2} in this workspace, {3}) · this month {4}', session!, today!, wsToday!, escapeMarkdown(ws.name), month!)
            : vscode.l10n.t('Spent: session {0} · today {1} · this month {2}', session!, today!, month!)
        }\n\n`,
      );
    }
    if (this.chat?.turns && pricing) {
      const [total, last] = pricing.formatUsdAll([this.chat.sessionUsd, this.chat.lastUsd ?? 0]);
      md.appendMarkdown(
        `${vscode.l10n.t('Chat: {0} turns this session, {1} · last turn {2} on {3}', this.chat.turns, total!, this.chat.lastUsd !== undefined ? last! : vscode.l10n.t('price unknown'), this.chat.lastModel ?? '')}\n\n`,
      );
    }
    const budget = this.s.budgetIfLoaded()?.state();
    if (budget && budget.level !== 'none') md.appendMarkdown(`${budget.level === 'ok' ? '' : '$(warning) '}${budget.message}\n\n`);
    const gw = this.gateway?.budget;
    if (gw && pricing) {
      const pct = gw.fraction !== undefined ? ` (${Math.round(gw.fraction * 100)}%)` : '';
      const [spent, max] = pricing.formatUsdAll([gw.spendUsd, gw.maxBudgetUsd ?? 0]);
      const amount = gw.maxBudgetUsd !== undefined ? vscode.l10n.t('{0} of {1} spent', spent, max) : vscode.l10n.t('{0} spent', spent);
      const state = gw.level === 'over' ? vscode.l10n.t(', budget reached: the gateway may refuse calls') : gw.level === 'warn' ? vscode.l10n.t(', over 80% of its budget') : '';
      md.appendMarkdown(`${gw.level === 'ok' ? '' : '$(warning) '}${vscode.l10n.t('Gateway key: {0}{1}{2}.', amount, pct, state)}\n\n`);
    }
    if (pricing) md.appendMarkdown(`${vscode.l10n.t('Prices: {0}', localize(pricing.priceSourceText()))}\n\n`);
    appendListNotices(md, this.s.modelLists);
    md.appendMarkdown(vscode.l10n.t('Click for the cost report.'));
    return md;
  }

  /**
   * The tier models the current task would use that the catalogue knows as deprecated or retired: what happened,
   * when and by whom, and a Switch link that writes the tier setting (retired, or deprecated with a successor).
   */
  private appendLifecycle(md: vscode.MarkdownString, task: string): void {
    const seen = new Set<string>();
    for (const tier of TIERS) {
      const r = this.s.router().route({ task, inputTokens: 0, selectionText: '', override: { tier } });
      if (isRouteError(r) || seen.has(`${r.provider}/${r.model}`)) continue;
      seen.add(`${r.provider}/${r.model}`);
      const n = noticeFor(this.lifecycle, r.provider, r.model);
      if (!n) continue;
      const link = n.successor ? ` [${switchLabel(n.successor)}](${switchLink({ provider: r.provider, tier: r.tier, from: r.model, to: n.successor })})` : '';
      md.appendMarkdown(`$(warning) ${vscode.l10n.t('{0} tier: {1}', localize(tierName(r.tier)), n.message)}${link}\n\n`);
    }
  }

  /** The OpenAI-compatible endpoint, when routing uses it (a gateway's budget is worth showing then). */
  private gatewayUrl(): string | undefined {
    const cfg = this.s.config();
    const r = cfg.routing.config;
    const used = r.activeProvider === 'openaiCompatible' || r.localSimpleTier || (r.policy === 'perTier' && Object.values(r.perTier).includes('openaiCompatible'));
    return used && cfg.providers.openaiCompatible.baseUrl ? cfg.providers.openaiCompatible.baseUrl : undefined;
  }

  private gatewayStale(): boolean {
    const url = this.gatewayUrl();
    if (!url) {
      this.gateway = undefined;
      return false;
    }
    return !this.gatewayRun && (!this.gateway || this.gateway.url !== url || Date.now() - this.gateway.at > GATEWAY_REFRESH_MS);
  }

  /** Asks the gateway for its key's spend and budget (LiteLLM /key/info); warns once when it passes 80%. */
  async refreshGateway(): Promise<void> {
    // One request at a time; a refresh asked for during one runs after it (the spend may have moved since).
    while (this.gatewayRun) await this.gatewayRun;
    const run = this.fetchGateway();
    this.gatewayRun = run;
    try {
      await run;
    } finally {
      if (this.gatewayRun === run) this.gatewayRun = undefined;
    }
    this.render();
  }

  private async fetchGateway(): Promise<void> {
    const url = this.gatewayUrl();
    if (!url) return;
    try {
      const budget = await gatewayBudget(fetch, url, await this.s.keys.get('openaiCompatible'));
      // A gateway without /key/info is asked again only after the refresh interval.
      this.gateway = { ...(budget ? { budget } : {}), at: Date.now(), url };
      if (budget && budget.level !== 'ok' && !this.gatewayWarned) {
        this.gatewayWarned = true;
        void vscode.window.showWarningMessage(vscode.l10n.t('Tierwise: the gateway key has used {0}% of its budget.', Math.round((budget.fraction ?? 0) * 100)));
      }
    } catch (e) {
      this.gateway = { at: Date.now(), url };
      this.s.log.debug(`gateway key budget: ${String(e)}`);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subs) d.dispose();
    this.item.dispose();
  }
}

/** A name (a folder's) as plain text in Markdown: no emphasis, links, HTML or theme icons. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, (c) => `\\${c}`);
}
