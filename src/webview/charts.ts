/**
 * Small SVG charts built with DOM calls: no library, no inline styles or scripts (so they live under the strict
 * CSP), colours from the VS Code theme through CSS classes, and every chart has a data table for screen readers.
 */
import type { CostPoint } from '../shared/protocol';
import { day, int, s, shortDay } from './strings';

const SVG = 'http://www.w3.org/2000/svg';

export type Formatter = (n: number) => string;

function svgEl<K extends keyof SVGElementTagNameMap>(doc: Document, tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = doc.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function text(doc: Document, tag: string, cls: string, value: string): HTMLElement {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  e.textContent = value;
  return e;
}

/** A point's name: its label, else its key. */
export const pointName = (p: CostPoint): string => p.label ?? p.key;
/** A day's name: its label, else its ISO day in the page's language. */
export const dayName = (p: CostPoint): string => p.label ?? day(p.key);

/** A `<table>` of the points, for assistive technology and for reading exact numbers. */
export function dataTable(doc: Document, caption: string, points: CostPoint[], money: Formatter, name: (p: CostPoint) => string = pointName): HTMLTableElement {
  const t = doc.createElement('table');
  t.className = 'data';
  t.append(text(doc, 'caption', '', caption));
  const head = doc.createElement('tr');
  for (const h of ['', s('chart.cost'), s('chart.requests'), s('chart.inputTokens'), s('chart.outputTokens')]) {
    const th = text(doc, 'th', '', h);
    th.setAttribute('scope', 'col');
    head.append(th);
  }
  const thead = doc.createElement('thead');
  thead.append(head);
  const tbody = doc.createElement('tbody');
  for (const p of points) {
    const tr = doc.createElement('tr');
    const th = text(doc, 'th', '', name(p));
    th.setAttribute('scope', 'row');
    tr.append(th, text(doc, 'td', 'num', money(p.cost)), text(doc, 'td', 'num', int(p.requests)), text(doc, 'td', 'num', int(p.inputTokens)), text(doc, 'td', 'num', int(p.outputTokens)));
    tbody.append(tr);
  }
  t.append(thead, tbody);
  return t;
}

/** "1 request", "3 requests". */
export const requests = (n: number): string => s(Math.round(n) === 1 ? 'report.requests.one' : 'report.requests.other', int(n));

/** Horizontal bars, largest first: one row per point (provider, model, tier, task). */
export function barChart(doc: Document, title: string, points: CostPoint[], money: Formatter, maxBars = 12): SVGSVGElement {
  const sorted = [...points].sort((a, b) => b.cost - a.cost).slice(0, maxBars);
  const row = 22;
  const labelW = 170;
  const valueW = 90;
  const barW = 300;
  const width = labelW + barW + valueW;
  const height = Math.max(1, sorted.length) * row + 4;
  const max = Math.max(...sorted.map((p) => p.cost), 0) || 1;
  const svg = svgEl(doc, 'svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart bar-chart', role: 'img' });
  svg.append(svgEl(doc, 'title', {}));
  svg.firstChild!.textContent = s('chart.title', title, sorted.map((p) => s('chart.point', pointName(p), money(p.cost))).join(', ') || s('chart.noData'));
  sorted.forEach((p, i) => {
    const y = i * row + 2;
    const label = svgEl(doc, 'text', { x: labelW - 6, y: y + row / 2, class: 'label', 'text-anchor': 'end', 'dominant-baseline': 'middle' });
    const name = pointName(p);
    label.textContent = name.length > 26 ? `${name.slice(0, 25)}…` : name;
    const w = Math.max(p.cost > 0 ? 1 : 0, (p.cost / max) * barW);
    const bar = svgEl(doc, 'rect', { x: labelW, y: y + 3, width: w.toFixed(1), height: row - 6, rx: 2, class: `bar series-${i % 6}` });
    const tip = svgEl(doc, 'title', {});
    tip.textContent = s('chart.tip', name, money(p.cost), requests(p.requests));
    bar.append(tip);
    const value = svgEl(doc, 'text', { x: labelW + w + 6, y: y + row / 2, class: 'value', 'dominant-baseline': 'middle' });
    value.textContent = money(p.cost);
    svg.append(label, bar, value);
  });
  if (!sorted.length) {
    const none = svgEl(doc, 'text', { x: 4, y: row / 2 + 2, class: 'label', 'dominant-baseline': 'middle' });
    none.textContent = s('chart.empty');
    svg.append(none);
  }
  return svg;
}

/** Width of one character of an axis label (10px font, report.css), rounded up for wide glyphs such as "¥". */
const AXIS_CHAR_PX = 6.5;

/** The smallest of 1, 2 and 5 × 10ⁿ at least `x` (1 for nothing to show). */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 0.25;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** Columns per day, oldest left, with a few axis ticks. */
export function dayChart(doc: Document, title: string, points: CostPoint[], money: Formatter): SVGSVGElement {
  const days = [...points].sort((a, b) => a.key.localeCompare(b.key));
  const width = 560;
  const height = 200;
  const highest = Math.max(...days.map((p) => p.cost), 0);
  // Ticks at round steps (1, 2 or 5 × 10ⁿ), so their labels are short; the left margin fits the longest label.
  const step = niceStep(highest / 4);
  const max = step * 4;
  const ticks = [0, 1, 2, 3, 4].map((i) => money(step * i));
  const left = Math.ceil(Math.max(40, ...ticks.map((l) => l.length * AXIS_CHAR_PX + 10)));
  const bottom = 24;
  const top = 8;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const svg = svgEl(doc, 'svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart day-chart', role: 'img' });
  const t = svgEl(doc, 'title', {});
  t.textContent = s('chart.days', title, int(days.length), money(highest));
  svg.append(t);
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH - (plotH * i) / 4;
    svg.append(svgEl(doc, 'line', { x1: left, x2: width - 8, y1: y, y2: y, class: 'grid' }));
    const lab = svgEl(doc, 'text', { x: left - 6, y, class: 'axis', 'text-anchor': 'end', 'dominant-baseline': 'middle' });
    lab.textContent = ticks[i]!;
    svg.append(lab);
  }
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(1, Math.min(28, slot * 0.7));
  const every = Math.max(1, Math.ceil(days.length / 8));
  days.forEach((p, i) => {
    const h = (p.cost / max) * plotH;
    const x = left + i * slot + (slot - barW) / 2;
    const bar = svgEl(doc, 'rect', { x: x.toFixed(1), y: (top + plotH - h).toFixed(1), width: barW.toFixed(1), height: h.toFixed(1), class: 'bar series-0' });
    const tip = svgEl(doc, 'title', {});
    tip.textContent = s('chart.tip', dayName(p), money(p.cost), requests(p.requests));
    bar.append(tip);
    svg.append(bar);
    if (i % every === 0) {
      const lab = svgEl(doc, 'text', { x: (x + barW / 2).toFixed(1), y: height - 6, class: 'axis', 'text-anchor': 'middle' });
      lab.textContent = p.label !== undefined ? p.label.slice(5) : shortDay(p.key);
      svg.append(lab);
    }
  });
  return svg;
}
