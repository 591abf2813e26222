import assert from 'node:assert/strict';
import { ReportApp, savingCard } from '../../../src/webview/reportApp';
import { moneyFormatter } from '../../../src/core/pricing';
import { dayChart, niceStep, requests } from '../../../src/webview/charts';
import type { ReportViewToHost } from '../../../src/shared/protocol';
import { makeWindow } from './dom';
import { sampleReport } from './fixtures';

describe('cost report (DOM)', () => {
  it('draws a chart and a data table per series, totals and savings, without inline styles', () => {
    const win = makeWindow();
    const posted: ReportViewToHost[] = [];
    const app = new ReportApp(win.document.body, win.document, (m) => posted.push(m));
    app.ready();
    app.render(sampleReport());
    const doc = win.document;
    assert.equal(doc.querySelectorAll('svg.chart').length, 7);
    assert.equal(doc.querySelectorAll('table.data').length, 7);
    const bySource = Array.from(doc.querySelectorAll('figure')).find((f) => f.querySelector('figcaption')?.textContent === 'Spend by source')!;
    assert.ok(bySource.textContent!.includes('VS Code chat'), 'chat spend has its own bar');
    assert.equal(doc.querySelectorAll('[style]').length, 0);
    assert.equal(doc.querySelectorAll('.day-chart rect.bar').length, 2);
    assert.equal(doc.querySelectorAll('figure')[2].querySelectorAll('rect.bar').length, 2);
    const cards = doc.querySelector('.cards')!.textContent!;
    assert.match(cards, /Spent\$0\.62/);
    assert.match(cards, /Saved by tiering\$1\.48 \(70%\)/);
    assert.match(cards, /top tier: \$2\.10/);
    assert.match(cards, /Saved by local models\$0\.05/);
    // Days are drawn oldest first.
    const titles = Array.from(doc.querySelectorAll('.day-chart rect.bar title')).map((t) => t.textContent);
    assert.match(titles[0]!, /^2026-11-01/);
    for (const svg of Array.from(doc.querySelectorAll('svg.chart'))) assert.ok(svg.getAttribute('aria-labelledby'));
    (doc.querySelector('.toolbar button') as HTMLButtonElement).click();
    assert.deepEqual(posted, [{ type: 'ready', seq: 0 }, { type: 'report.exportCsv', seq: 1 }]);
  });

  it('formats small amounts with significant digits', () => {
    const f = moneyFormatter('USD');
    assert.equal(f(0.000412), '$0.00041');
    assert.equal(f(12.5), '$12.50');
    assert.equal(moneyFormatter('CNY')(3), '¥3.00', 'the same symbol as everywhere else');
    assert.equal(moneyFormatter('CNY')(0.0086), '¥0.0086');
  });

  it('day chart: round axis ticks in ¥, with a left margin that fits the longest label', () => {
    const win = makeWindow();
    const money = moneyFormatter('CNY');
    const pts = [
      { key: '2026-11-01', cost: 0.00116, requests: 2, inputTokens: 300, outputTokens: 40 },
      { key: '2026-11-02', cost: 0.000805, requests: 1, inputTokens: 200, outputTokens: 20 },
    ];
    const svg = dayChart(win.document, 'Spend by day', pts, money);
    const axis = Array.from(svg.querySelectorAll('text.axis[text-anchor="end"]'));
    const labels = axis.map((t) => t.textContent!);
    assert.deepEqual(labels, ['¥0.00', '¥0.0005', '¥0.001', '¥0.0015', '¥0.002']);
    const x = Number(axis[0]!.getAttribute('x'));
    for (const l of labels) assert.ok(l.length * 6.5 <= x, `${l} fits left of the axis at ${x}`);
    assert.equal(niceStep(0.00029), 0.0005);
    assert.equal(niceStep(3), 5);
    assert.equal(niceStep(0.1), 0.1);
    assert.equal(requests(1), '1 request');
    assert.equal(requests(2), '2 requests');
  });

  it('shows a negative tiering or caching saving as a cost, never as $0 saved', () => {
    const win = makeWindow();
    const app = new ReportApp(win.document.body, win.document, () => {});
    const data = sampleReport();
    data.savings = { ...data.savings, topTierCost: 0.5, tieringCost: -0.12, cacheCost: -0.004 };
    data.prices = 'LiteLLM price list of 2026-12-02';
    app.render(data);
    assert.match(win.document.querySelector('.period')!.textContent!, /LiteLLM price list of 2026-12-02/);
    const cards = win.document.querySelector('.cards')!.textContent!;
    assert.match(cards, /Tiering cost more\$0\.12 more than the top tier/);
    assert.match(cards, /Caching cost more\$0\.004 more than sending without the cache/);
    assert.doesNotMatch(cards, /Saved by tiering/);
    assert.equal(win.document.querySelectorAll('.card.loss').length, 2);
    assert.match(win.document.querySelector('[aria-live]')!.textContent!, /tiering cost \$0\.12 more than the top tier/);
    const money = moneyFormatter('USD');
    assert.deepEqual(savingCard('tiering', 1.48, 2.1, money).value, '$1.48 (70%)');
    assert.equal(savingCard('tiering', 0, 0, money).label, 'Saved by tiering');
  });

  it('breaks spend down by workspace and filters by it through the typed protocol', () => {
    const win = makeWindow();
    const posted: ReportViewToHost[] = [];
    const app = new ReportApp(win.document.body, win.document, (m) => posted.push(m));
    const doc = win.document;
    const select = doc.querySelector<HTMLSelectElement>('select#workspace-filter')!;
    assert.ok(select, 'a workspace filter in the toolbar');
    const label = doc.querySelector('label[for="workspace-filter"]')!;
    assert.equal(label.querySelector('span')?.textContent, 'Workspace');
    assert.ok(label.contains(select), 'the label holds its list');
    app.render(sampleReport());
    assert.deepEqual(
      Array.from(select.options).map((o) => [o.value, o.textContent]),
      [
        ['', 'All workspaces'],
        ['a1b2c3d4e5f6', 'shop (this window)'],
        ['b1b2c3d4e5f6', '=HYPERLINK("http://x")<img src=x>'],
        ['(none)', '(no workspace)'],
      ],
    );
    assert.equal(doc.querySelectorAll('img').length, 0, 'a folder name is text, never markup');
    assert.equal(select.value, '');
    assert.match(doc.querySelector('.period')!.textContent!, /all workspaces/);
    const fig = Array.from(doc.querySelectorAll('figure')).find((f) => f.querySelector('figcaption')?.textContent === 'Spend by workspace')!;
    assert.ok(fig, 'a chart of spend by workspace');
    assert.equal(fig.querySelectorAll('rect.bar').length, 2);
    assert.deepEqual(Array.from(fig.querySelectorAll('table.data tbody th')).map((t) => t.textContent), ['shop', '(no workspace)']);

    select.value = 'a1b2c3d4e5f6';
    select.dispatchEvent(new win.Event('change'));
    select.value = '';
    select.dispatchEvent(new win.Event('change'));
    assert.deepEqual(posted, [
      { type: 'report.filter', seq: 0, workspace: 'a1b2c3d4e5f6' },
      { type: 'report.filter', seq: 1 },
    ]);

    // The host answers with the filtered data: the filter shows it, the period says it.
    app.render({ ...sampleReport(), workspace: 'a1b2c3d4e5f6', byWorkspace: [{ key: 'a1b2c3d4e5f6', label: 'shop', cost: 0.5, requests: 3, inputTokens: 1000, outputTokens: 200 }] });
    assert.equal(select.value, 'a1b2c3d4e5f6');
    assert.match(doc.querySelector('.period')!.textContent!, /workspace shop/);
    assert.match(doc.querySelector('[aria-live]')!.textContent!, /spent in shop/);
    assert.equal(doc.querySelectorAll('[style]').length, 0, 'no inline styles (CSP)');
    assert.equal(doc.querySelectorAll('script').length, 0);
  });
});
