/** The cost report's UI, independent of the webview API so it can be tested under jsdom. */
import type { CostPoint, CostReportData, ReportViewToHost } from '../shared/protocol';
import { barChart, dataTable, dayChart, requests, type Formatter } from './charts';
import { moneyFormatter } from '../core/pricing/currency';

/** Every amount the report shows (series points, totals, savings, routing), so that they are formatted as one set. */
export function reportAmounts(data: CostReportData): number[] {
  const out: number[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'number') {
      if (key === 'cost' || key.endsWith('Cost')) out.push(v, -v);
    } else if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(data, '');
  return out;
}
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * A saving card, honest about losses: a positive amount is "Saved by tiering $1.48 (70%)"; a negative one is
 * "Tiering cost more: $0.12 more than the top tier", never "$0.00 saved".
 */
export function savingCard(
  what: 'tiering' | 'caching',
  amount: number,
  baseline: number | undefined,
  money: Formatter,
): { label: string; value: string; cls: string; sentence: string } {
  const Name = what === 'tiering' ? 'Tiering' : 'Caching';
  const than = what === 'tiering' ? 'than the top tier' : 'than sending without the cache';
  if (amount < 0) {
    const more = `${money(-amount)} more ${than}`;
    return { label: `${Name} cost more`, value: more, cls: 'loss', sentence: `${Name.toLowerCase()} cost ${more}` };
  }
  const pct = baseline && baseline > 0 ? ` (${Math.round((amount / baseline) * 100)}%)` : '';
  return { label: `Saved by ${what}`, value: money(amount) + pct, cls: 'saving', sentence: `${money(amount)} saved by ${what}` };
}

/** The filter's value for "every workspace" (workspace keys are never empty). */
const ALL_WORKSPACES = '';

export class ReportApp {
  private seq = 0;
  private readonly body: HTMLElement;
  private readonly live: HTMLElement;
  /** The workspace filter: every workspace, or one of `CostReportData.workspaces`. */
  private readonly filter: HTMLSelectElement;

  constructor(
    readonly root: HTMLElement,
    private readonly doc: Document,
    private readonly post: (msg: ReportViewToHost) => void,
  ) {
    const bar = doc.createElement('div');
    bar.className = 'toolbar';
    const h1 = doc.createElement('h1');
    h1.textContent = 'Tierwise: Cost Report';
    const button = (label: string, type: 'report.exportCsv' | 'report.refresh') => {
      const b = doc.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', () => this.post({ type, seq: this.seq++ }));
      return b;
    };
    // The label holds its list, so that the two wrap together in a narrow view.
    const label = doc.createElement('label');
    label.className = 'filter';
    const name = doc.createElement('span');
    name.textContent = 'Workspace';
    this.filter = doc.createElement('select');
    this.filter.id = 'workspace-filter';
    label.htmlFor = this.filter.id;
    label.append(name, this.filter);
    this.setOptions([], undefined);
    this.filter.addEventListener('change', () => {
      const v = this.filter.value;
      this.post(v === ALL_WORKSPACES ? { type: 'report.filter', seq: this.seq++ } : { type: 'report.filter', seq: this.seq++, workspace: v });
    });
    bar.append(h1, label, button('Export CSV…', 'report.exportCsv'), button('Refresh', 'report.refresh'));
    this.live = doc.createElement('div');
    this.live.className = 'sr-only';
    this.live.setAttribute('aria-live', 'polite');
    this.body = doc.createElement('div');
    this.body.className = 'report';
    this.body.textContent = 'Loading…';
    root.append(bar, this.live, this.body);
  }

  /** The filter's choices: every workspace, then each one the ledger knows (names as text, never as markup). */
  private setOptions(workspaces: CostReportData['workspaces'], selected: string | undefined): void {
    const d = this.doc;
    const option = (value: string, text: string) => {
      const o = d.createElement('option');
      o.value = value;
      o.textContent = text;
      return o;
    };
    const options = [option(ALL_WORKSPACES, 'All workspaces'), ...workspaces.map((w) => option(w.key, w.current ? `${w.label} (this window)` : w.label))];
    if (selected !== undefined && !workspaces.some((w) => w.key === selected)) options.push(option(selected, selected));
    this.filter.replaceChildren(...options);
    this.filter.value = selected ?? ALL_WORKSPACES;
    // A long folder name is cut in the list; its whole name shows on hover.
    this.filter.title = this.filter.selectedOptions[0]?.textContent ?? '';
  }

  ready(): void {
    this.post({ type: 'ready', seq: this.seq++ });
  }

  notify(text: string): void {
    this.live.textContent = text;
  }

  render(data: CostReportData): void {
    const d = this.doc;
    // Amounts in the report's currency, through the one money formatter ("¥0.0086", never "CN¥"), with the
    // digits the whole report needs so that two different amounts never read the same.
    const money: Formatter = moneyFormatter(data.currency, reportAmounts(data));
    const el = (tag: string, cls: string, text?: string) => {
      const e = d.createElement(tag);
      e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    this.setOptions(data.workspaces, data.workspace);
    const shown = data.workspace !== undefined ? (data.workspaces.find((w) => w.key === data.workspace)?.label ?? data.workspace) : undefined;
    const prices = data.prices ? ` · ${data.prices}` : '';
    const scope = shown !== undefined ? ` · workspace ${shown}` : ' · all workspaces';
    const period = el('p', 'period', `${data.from} – ${data.to}${scope} · amounts in ${data.currency}${prices} · updated ${data.generatedAt.slice(0, 16).replace('T', ' ')}`);

    const t = data.totals;
    const s = data.savings;
    const cards = el('div', 'cards');
    const card = (label: string, value: string, sub: string, cls = '') => {
      const c = el('section', `card ${cls}`);
      c.append(el('h2', 'card-label', label), el('div', 'card-value', value), el('div', 'card-sub', sub));
      cards.append(c);
    };
    card('Spent', money(t.cost), `${requests(t.requests)} · ${int(t.inputTokens)} in / ${int(t.outputTokens)} out tokens`);
    const tiering = savingCard('tiering', s.tieringCost, s.topTierCost, money);
    card(tiering.label, tiering.value, `the same requests on each provider's top tier: ${money(s.topTierCost)}`, tiering.cls);
    const caching = savingCard('caching', s.cacheCost, undefined, money);
    card(caching.label, caching.value, `${int(s.cacheTokens)} input tokens read from cache`, caching.cls);
    card('Saved by batch', money(s.batchCost), `${int(s.batchTokens)} tokens sent as batch`, 'saving');
    if (s.localRequests > 0) card('Saved by local models', money(s.localCost), `${requests(s.localRequests)} answered locally for free, priced at the cloud model of their tier`, 'saving');
    const r = data.routing;
    if (r) {
      // Against the default tier; a loss is shown as a cost, never as a saving.
      const saved = r.defaultTierCost - r.cost;
      const esc = `${int(r.escalations)} escalation${r.escalations === 1 ? '' : 's'}`;
      const judge = r.judgeCalls ? ` · judge: ${int(r.judgeCalls)} calls, ${money(r.judgeCost)}` : '';
      const sub = `${int(r.requests)} auto-routed ${r.requests === 1 ? 'request' : 'requests'} cost ${money(r.cost)}; on their default tier ${money(r.defaultTierCost)}, on the top tier ${money(r.topTierCost)} · ${esc}${r.learned ? ` · ${int(r.learned)} routed by your past choices` : ''}${judge}${r.unpriced ? ` · ${int(r.unpriced)} without a price left out` : ''}`;
      if (saved > 0) card('Saved by routing', money(saved), sub, 'saving');
      else card('Routing vs default tier', saved < 0 ? `${money(-saved)} more` : money(0), sub);
    }

    const charts = el('div', 'charts');
    const figure = (title: string, points: CostPoint[], kind: 'day' | 'bar') => {
      const f = el('figure', 'figure');
      const cap = el('figcaption', '', title);
      cap.id = `cap-${title.replace(/\W+/g, '-').toLowerCase()}`;
      const svg = kind === 'day' ? dayChart(d, title, points, money) : barChart(d, title, points, money);
      svg.setAttribute('aria-labelledby', cap.id);
      const details = el('details', 'data-details');
      details.append(el('summary', '', 'Show data'), dataTable(d, title, points, money));
      f.append(cap, svg, details);
      charts.append(f);
    };
    figure('Spend by day', data.byDay, 'day');
    figure('Spend by provider', data.byProvider, 'bar');
    figure('Spend by model', data.byModel, 'bar');
    figure('Spend by tier', data.byTier, 'bar');
    figure('Spend by task', data.byTask, 'bar');
    figure('Spend by source', data.bySource, 'bar');
    figure('Spend by workspace', data.byWorkspace, 'bar');
    this.body.replaceChildren(period, cards, charts);
    this.notify(`Cost report updated: ${money(t.cost)} spent${shown !== undefined ? ` in ${shown}` : ''}, ${tiering.sentence}.`);
  }
}
