import * as vscode from 'vscode';
import type { Route } from '../core/routing';
import { isRouteError } from '../core/routing';
import type { TokenCount } from '../core/tokens/client';
import { TIERS } from '../core/types';
import type { Services } from './services';

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
  private last: { count: TokenCount; route?: Route; scope: string } | undefined;
  /** Exposed for tests: the latest text and tooltip. */
  text = '';

  constructor(private readonly s: Services) {
    this.item = vscode.window.createStatusBarItem('tierwise.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Tierwise';
    this.item.command = 'tierwise.showCostReport';
    this.setText('$(pulse) Tierwise');
    this.item.tooltip = 'Tierwise: select code or text to see its tokens and cost.';
    this.item.show();
    this.subs.push(
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.schedule();
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

  /** Recount soon (selection, document, settings or spend changed). */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.update().catch((e: unknown) => this.s.log.warn(`status bar update failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    }, DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const gen = ++this.generation;
    if (!editor || editor.document.uri.scheme === 'output') {
      this.last = undefined;
      this.render();
      return;
    }
    const doc = editor.document;
    const selected = editor.selections.filter((sel) => !sel.isEmpty);
    const scope = selected.length ? 'selection' : 'document';
    const cfg = this.s.config().routing.config;
    const provider = cfg.activeProvider;
    const model = cfg.tiers[provider].medium;
    const show = (count: TokenCount) => {
      if (gen !== this.generation) return;
      let route: Route | undefined;
      try {
        const r = this.s.router().route({ task: this.s.currentTask(), inputTokens: count.tokens, selectionText: '', languageId: doc.languageId });
        route = isRouteError(r) ? undefined : r;
      } catch (e) {
        this.s.log.debug(`status route: ${String(e)}`);
      }
      this.last = { count, route, scope };
      this.render();
    };
    // A huge text (a 50 MB file) is neither copied nor counted whole on every cursor move: it is estimated from
    // evenly spaced samples, on this thread, in well under a millisecond, and shown as an estimate.
    const ranges: [number, number][] = selected.length
      ? selected.map((sel) => [doc.offsetAt(sel.start), doc.offsetAt(sel.end)])
      : [[0, doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end)]];
    const total = ranges.reduce((n, [a, b]) => n + b - a, 0);
    if (total > SAMPLE_ABOVE_CHARS) {
      const sample = sampleText(doc, ranges, total);
      const approx = this.s.tokens().counter().approximate(provider, model, sample);
      show({ tokens: Math.round((approx.tokens * total) / Math.max(1, sample.length)), exact: false, method: 'estimate' });
      return;
    }
    const text = selected.length ? selected.map((sel) => doc.getText(sel)).join('\n') : doc.getText();
    this.s.tokens().counter().live('status', provider, model, text, show, (e) => this.s.log.warn(`token count failed: ${String(e)}`));
  }

  render(): void {
    const pricing = this.s.pricingIfLoaded();
    const spend = this.s.spendIfLoaded();
    const budget = this.s.budgetIfLoaded()?.state();
    const parts: string[] = [this.busy ? '$(sync~spin)' : '$(pulse)'];
    if (this.last) {
      const { count, route } = this.last;
      parts.push(`${count.exact ? '' : '≈'}${count.tokens.toLocaleString('en-US')} tok`);
      if (route?.estimatedUsd && pricing) parts.push(`· ~${pricing.formatUsd(route.estimatedUsd.min)}`);
    } else {
      parts.push('Tierwise');
    }
    if (spend && pricing) parts.push(`${this.last ? '· ' : ''}session ${pricing.formatUsd(spend.sessionUsd)}`);
    this.setText(parts.join(' '));
    this.item.backgroundColor =
      budget?.level === 'over'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : budget?.level === 'warn'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.tooltip = this.tooltip();
  }

  /** The tooltip as it shows now (public for tests). */
  tooltip(): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.supportThemeIcons = true;
    md.appendMarkdown('**Tierwise**\n\n');
    const pricing = this.s.pricingIfLoaded();
    if (this.last) {
      const { count, route, scope } = this.last;
      const how = count.exact ? `exact (${count.method})` : `estimate (${count.method})`;
      md.appendMarkdown(`${scope === 'selection' ? 'Selection' : 'Document'}: **${count.exact ? '' : '≈'}${count.tokens.toLocaleString('en-US')} tokens**, ${how}\n\n`);
      if (route) {
        md.appendMarkdown(`Task *${route.task.label}* → ${route.reason}\n\n`);
        if (pricing) {
          md.appendMarkdown('| tier | model | input | up to max_tokens |\n|---|---|---:|---:|\n');
          const cfg = this.s.config().routing.config;
          for (const tier of TIERS) {
            const r = this.s.router().route({ task: route.task.id, inputTokens: count.tokens, selectionText: '', override: { tier } });
            if (isRouteError(r)) continue;
            const price = pricing.describePrice(r.provider, r.model);
            const est = r.estimatedUsd;
            md.appendMarkdown(
              `| ${tier} | ${r.model}${price ? ` <small>(${price})</small>` : ''} | ${est ? pricing.formatUsd(est.min) : '?'} | ${est ? pricing.formatUsd(est.max) : '?'} |\n`,
            );
            void cfg;
          }
          md.appendMarkdown('\n');
        }
      }
    }
    const spend = this.s.spendIfLoaded();
    if (spend && pricing) {
      md.appendMarkdown(`Spent: session ${pricing.formatUsd(spend.sessionUsd)} · today ${pricing.formatUsd(spend.todayUsd)} · this month ${pricing.formatUsd(spend.monthUsd)}\n\n`);
    }
    const budget = this.s.budgetIfLoaded()?.state();
    if (budget && budget.level !== 'none') md.appendMarkdown(`${budget.level === 'ok' ? '' : '$(warning) '}${budget.message}\n\n`);
    if (pricing) md.appendMarkdown(`Prices: ${pricing.priceSource()}\n\n`);
    md.appendMarkdown('Click for the cost report.');
    return md;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subs) d.dispose();
    this.item.dispose();
  }
}
