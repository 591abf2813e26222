/** The cost report's UI, independent of the webview API so it can be tested under jsdom. */
import type { CostPoint, CostReportData, ReportViewToHost } from '../shared/protocol';
import { barChart, dataTable, dayChart, dayName, requests, type Formatter } from './charts';
import { moneyFormatter } from '../core/pricing/currency';
import { WEBVIEW_STRINGS } from '../shared/protocol/strings';
import { day, int, s, timestamp, type WebviewStringId } from './strings';

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
  if (amount < 0) {
    const more = money(-amount);
    return { label: s(`report.${what}.costMore`), value: s(`report.${what}.more`, more), cls: 'loss', sentence: s(`report.${what}.moreSentence`, more) };
  }
  const value = baseline && baseline > 0 ? s('report.percent', money(amount), int(Math.round((amount / baseline) * 100))) : money(amount);
  return { label: s(`report.${what}.saved`), value, cls: 'saving', sentence: s(`report.${what}.savedSentence`, money(amount)) };
}

/** A tier's point named in the page's language ("simple" → "简单"); other keys keep their label. */
function tierPoint(p: CostPoint): CostPoint {
  const id = `tier.${p.key}`;
  return p.label === undefined && Object.hasOwn(WEBVIEW_STRINGS, id) ? { ...p, label: s(id as WebviewStringId) } : p;
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
    h1.textContent = s('report.title');
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
    name.textContent = s('report.workspace');
    this.filter = doc.createElement('select');
    this.filter.id = 'workspace-filter';
    label.htmlFor = this.filter.id;
    label.append(name, this.filter);
    this.setOptions([], undefined);
    this.filter.addEventListener('change', () => {
      const v = this.filter.value;
      this.post(v === ALL_WORKSPACES ? { type: 'report.filter', seq: this.seq++ } : { type: 'report.filter', seq: this.seq++, workspace: v });
    });
    bar.append(h1, label, button(s('report.exportCsv'), 'report.exportCsv'), button(s('report.refresh'), 'report.refresh'));
    this.live = doc.createElement('div');
    this.live.className = 'sr-only';
    this.live.setAttribute('aria-live', 'polite');
    this.body = doc.createElement('div');
    this.body.className = 'report';
    this.body.textContent = s('report.loading');
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
    const options = [option(ALL_WORKSPACES, s('report.allWorkspaces')), ...workspaces.map((w) => option(w.key, w.current ? s('report.thisWindow', w.label) : w.label))];
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
    const period = el(
      'p',
      'period',
      [
        s('report.period', day(data.from), day(data.to)),
        shown !== undefined ? s('report.scope.workspace', shown) : s('report.scope.all'),
        s('report.amountsIn', s(`currency.${data.currency}`)),
        ...(data.prices ? [data.prices] : []),
        s('report.updated', timestamp(data.generatedAt)),
      ].join(' · '),
    );

    const t = data.totals;
    const sv = data.savings;
    const cards = el('div', 'cards');
    const card = (label: string, value: string, sub: string, cls = '') => {
      const c = el('section', `card ${cls}`);
      c.append(el('h2', 'card-label', label), el('div', 'card-value', value), el('div', 'card-sub', sub));
      cards.append(c);
    };
    card(s('report.spent'), money(t.cost), s('report.spent.sub', requests(t.requests), int(t.inputTokens), int(t.outputTokens)));
    const tiering = savingCard('tiering', sv.tieringCost, sv.topTierCost, money);
    card(tiering.label, tiering.value, s('report.tiering.sub', money(sv.topTierCost)), tiering.cls);
    const caching = savingCard('caching', sv.cacheCost, undefined, money);
    card(caching.label, caching.value, s('report.caching.sub', int(sv.cacheTokens)), caching.cls);
    card(s('report.batch.saved'), money(sv.batchCost), s('report.batch.sub', int(sv.batchTokens)), 'saving');
    if (sv.localRequests > 0) card(s('report.local.saved'), money(sv.localCost), s('report.local.sub', requests(sv.localRequests)), 'saving');
    const r = data.routing;
    if (r) {
      // Against the default tier; a loss is shown as a cost, never as a saving.
      const saved = r.defaultTierCost - r.cost;
      const sub = [
        s(r.requests === 1 ? 'report.routing.sub.one' : 'report.routing.sub.other', int(r.requests), money(r.cost), money(r.defaultTierCost), money(r.topTierCost)),
        s(r.escalations === 1 ? 'report.routing.escalations.one' : 'report.routing.escalations.other', int(r.escalations)),
        ...(r.learned ? [s('report.routing.learned', int(r.learned))] : []),
        ...(r.judgeCalls ? [s('report.routing.judge', int(r.judgeCalls), money(r.judgeCost))] : []),
        ...(r.unpriced ? [s('report.routing.unpriced', int(r.unpriced))] : []),
      ].join(' · ');
      if (saved > 0) card(s('report.routing.saved'), money(saved), sub, 'saving');
      else card(s('report.routing.vsDefault'), saved < 0 ? s('report.routing.more', money(-saved)) : money(0), sub);
    }

    const charts = el('div', 'charts');
    const figure = (id: WebviewStringId, points: CostPoint[], kind: 'day' | 'bar') => {
      const title = s(id);
      const f = el('figure', 'figure');
      const cap = el('figcaption', '', title);
      // From the English title, so that the id is the same in every language.
      cap.id = `cap-${WEBVIEW_STRINGS[id].replace(/\W+/g, '-').toLowerCase()}`;
      const svg = kind === 'day' ? dayChart(d, title, points, money) : barChart(d, title, points, money);
      svg.setAttribute('aria-labelledby', cap.id);
      const details = el('details', 'data-details');
      details.append(el('summary', '', s('report.showData')), dataTable(d, title, points, money, kind === 'day' ? dayName : undefined));
      f.append(cap, svg, details);
      charts.append(f);
    };
    figure('report.byDay', data.byDay, 'day');
    figure('report.byProvider', data.byProvider, 'bar');
    figure('report.byModel', data.byModel, 'bar');
    figure('report.byTier', data.byTier.map(tierPoint), 'bar');
    figure('report.byTask', data.byTask, 'bar');
    figure('report.bySource', data.bySource, 'bar');
    figure('report.byWorkspace', data.byWorkspace, 'bar');
    this.body.replaceChildren(period, cards, charts);
    this.notify(shown !== undefined ? s('report.noticeIn', money(t.cost), shown, tiering.sentence) : s('report.notice', money(t.cost), tiering.sentence));
  }
}
