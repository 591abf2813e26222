import assert from 'node:assert/strict';
import { ENGLISH_LOCALE, WEBVIEW_STRINGS, formatTemplate, parsePageLocale, type PageLocale } from '../../../src/shared/protocol/strings';
import { formatDay, formatInteger, formatShortDay, formatTimestamp, isEnglish } from '../../../src/shared/format';
import { int, loadPageLocale, pageLanguage, s, setPageLocale } from '../../../src/webview/strings';
import { AnswerApp, sentence } from '../../../src/webview/answerApp';
import { ReportApp } from '../../../src/webview/reportApp';
import { createSanitizer } from '../../../src/webview/sanitize';
import { buildPage, escapeHtml } from '../../../src/host/panels/page';
import { makeWindow } from './dom';
import { META, sampleReport } from './fixtures';

/** A few strings as a Chinese page gets them from the host. */
const ZH: PageLocale = {
  language: 'zh-cn',
  strings: {
    'answer.empty': 'Tierwise 的回答显示在这里。',
    'answer.stop': '停止',
    'answer.outcome.done': '完成',
    'answer.ended': '{0}：{1}',
    'answer.meta.tokens': '{0} 个 token',
    'answer.meta.cacheRead': '缓存读取',
    'code.copy': '复制',
    'tier.simple': '简单',
    'tier.complex': '复杂',
    'report.byTier': '按层级的花费',
    'report.byDay': '按天的花费',
    'report.period': '{0} 至 {1}',
    'report.spent.sub': '{0} · 输入 {1} / 输出 {2} token',
    'report.requests.other': '{0} 个请求',
    'currency.USD': '美元',
    'report.amountsIn': '金额单位：{0}',
  },
};

describe('webview strings: the page locale', () => {
  afterEach(() => setPageLocale(ENGLISH_LOCALE));

  it('a missing, empty or malformed data-locale falls back to English', () => {
    for (const raw of [undefined, null, '', '{', 'null', '[]', '"zh-cn"', '{"strings":{}}', '{"language":42}', '{"language":"not a tag!"}', '{"language":"zh-cn","extra":1}', JSON.stringify({ language: '', strings: {} })]) {
      assert.deepEqual(parsePageLocale(raw), ENGLISH_LOCALE, String(raw));
    }
  });

  it('keeps only known ids with usable strings; a bad one shows its English template', () => {
    const l = parsePageLocale(JSON.stringify({ language: 'zh-cn', strings: { 'answer.stop': '停止', 'answer.retry': 7, 'answer.escalate': '', nope: 'x', __proto__: 'y', toString: 'z' } }));
    assert.deepEqual(l, { language: 'zh-cn', strings: { 'answer.stop': '停止' } });
    setPageLocale(l);
    assert.equal(s('answer.stop'), '停止');
    assert.equal(s('answer.retry'), 'Retry');
    assert.equal(s('answer.escalate'), 'Escalate');
    assert.equal(parsePageLocale(JSON.stringify({ language: 'de', strings: 'all' })).strings['answer.stop'], undefined, 'strings that are not an object: none');
  });

  it('reads the locale from the root element and uses it', () => {
    const win = makeWindow(`<!doctype html><html><body><main id="app" data-locale="${escapeHtml(JSON.stringify(ZH))}"></main></body></html>`);
    const l = loadPageLocale(win.document.getElementById('app'));
    assert.equal(l.language, 'zh-cn');
    assert.equal(pageLanguage(), 'zh-cn');
    assert.equal(s('answer.empty'), 'Tierwise 的回答显示在这里。');
    loadPageLocale(makeWindow().document.body);
    assert.equal(pageLanguage(), 'en', 'no attribute: English');
    assert.equal(s('answer.empty'), 'Answers from Tierwise appear here.');
    loadPageLocale(null);
    assert.equal(pageLanguage(), 'en');
  });

  it('the locale survives the page builder: an attribute, escaped, under the strict CSP with no inline script', () => {
    const hostile: PageLocale = { language: 'zh-cn', strings: { 'answer.empty': `"><script>alert('x')</script>&{0}` } };
    const html = buildPage({ title: 't', lang: 'zh-cn', cspSource: 'vscode-resource:', scripts: ['x.js'], body: `<main id="app" data-locale="${escapeHtml(JSON.stringify(hostile))}"></main>` });
    assert.match(html, /<html lang="zh-cn">/);
    const win = makeWindow(html);
    assert.equal(win.document.querySelectorAll('script').length, 1, 'only the page script');
    assert.equal(win.document.querySelectorAll('script:not([src])').length, 0);
    assert.deepEqual(loadPageLocale(win.document.getElementById('app')), hostile);
    assert.equal(s('answer.empty'), `"><script>alert('x')</script>&{0}`);
  });

  it('s() fills {0}, {1}… in order, in English and translated, and leaves a placeholder without an argument', () => {
    assert.equal(s('answer.meta.tokensCost', '1,024', '$0.0031'), '1,024 tokens, $0.0031');
    assert.equal(s('report.routing.judge', 3, '$0.01'), 'judge: 3 calls, $0.01');
    assert.equal(s('answer.started'), 'Answer started: {0}');
    setPageLocale(ZH);
    assert.equal(s('answer.ended', '解释', '完成'), '解释：完成');
    assert.equal(s('report.spent.sub', '3 个请求', '1,000', '200'), '3 个请求 · 输入 1,000 / 输出 200 token');
    assert.equal(formatTemplate('{1} before {0}, {0} again, {2} missing', ['a', 'b']), 'b before a, a again, {2} missing');
    assert.equal(formatTemplate('no args {0}', []), 'no args {0}');
  });

  it('every template numbers its placeholders from {0} without gaps', () => {
    for (const [id, t] of Object.entries(WEBVIEW_STRINGS)) {
      const used = [...new Set([...t.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
      assert.deepEqual(used, used.map((_, i) => i), `${id}: ${t}`);
    }
  });
});

describe('webview strings: numbers and dates in the display language', () => {
  afterEach(() => setPageLocale(ENGLISH_LOCALE));

  it('English keeps the ISO days and "1,234"', () => {
    for (const lang of ['en', 'en-us', 'en-GB', '', 'bad tag!']) {
      assert.ok(isEnglish(lang), lang);
      assert.equal(formatInteger(1234567.4, lang), '1,234,567');
      assert.equal(formatDay('2026-12-07', lang), '2026-12-07');
      assert.equal(formatShortDay('2026-12-07', lang), '12-07');
      assert.equal(formatTimestamp('2026-12-07T10:30:12.000Z', lang), '2026-12-07 10:30');
    }
  });

  it('Chinese dates read "2026年12月7日", integers keep their separators', () => {
    assert.ok(!isEnglish('zh-cn'));
    assert.equal(formatDay('2026-12-07', 'zh-cn'), '2026年12月7日');
    assert.equal(formatShortDay('2026-12-07', 'zh-cn'), '12月7日');
    assert.equal(formatTimestamp('2026-12-07T10:30:12.000Z', 'zh-cn'), '2026年12月7日 10:30');
    assert.equal(formatInteger(1234567, 'zh-cn'), '1,234,567');
    assert.equal(formatInteger(1234567, 'de'), '1.234.567', 'another language, its own grouping');
    assert.equal(formatDay('not a day', 'zh-cn'), 'not a day', 'anything else is shown as it is');
    setPageLocale(ZH);
    assert.equal(int(98765.6), '98,766');
  });

  it('a sentence ends with a full-width full stop after Chinese text, once', () => {
    assert.equal(sentence('解释：完成'), '解释：完成。');
    assert.equal(sentence('回答已截断。'), '回答已截断。');
    assert.equal(sentence('Explain: Done'), 'Explain: Done.');
  });
});

describe('webview strings: the panels in Chinese', () => {
  afterEach(() => setPageLocale(ENGLISH_LOCALE));

  it('the answer panel shows the host’s strings, and keeps its ids and data attributes', () => {
    setPageLocale(ZH);
    const win = makeWindow();
    const doc = win.document;
    const timers: (() => void)[] = [];
    const app = new AnswerApp(doc.body, { doc, sanitizer: createSanitizer(win), schedule: (cb) => cb(), post: () => {}, saveState: () => {}, setTimer: (cb) => timers.push(cb), now: () => 0 });
    assert.equal(doc.querySelector('.empty')!.textContent, 'Tierwise 的回答显示在这里。');
    app.handle({ type: 'answer.start', id: 'a1', title: '解释', meta: { ...META }, startedAt: 1 });
    app.handle({ type: 'answer.delta', id: 'a1', text: '```ts\nconst x = 1;\n```\n' });
    app.handle({ type: 'answer.meta', id: 'a1', meta: { cachedTokens: 12345 } });
    app.handle({ type: 'answer.end', id: 'a1', outcome: 'done' });
    const el = doc.querySelector('article.answer[data-id="a1"]')!;
    assert.equal(el.querySelector('.badge.tier.tier-simple')!.textContent, '简单');
    assert.equal(el.querySelector('.badge.outcome')!.textContent, '完成');
    assert.equal(el.querySelector('[data-answer-action="stop"]')!.textContent, '停止');
    assert.equal(el.querySelector('[data-answer-action="retry"]')!.textContent, 'Retry', 'untranslated: English');
    assert.equal(el.querySelector('[data-code-action="copy"]')!.textContent, '复制');
    assert.match(el.querySelector('.answer-meta')!.textContent!, /缓存读取12,345 个 token/);
    assert.match(app.live.textContent!, /^解释：完成。/);
  });

  it('the cost report shows translated titles, tiers and Chinese dates; figure ids stay the English ones', () => {
    setPageLocale(ZH);
    const win = makeWindow();
    const app = new ReportApp(win.document.body, win.document, () => {});
    app.render(sampleReport());
    const doc = win.document;
    const period = doc.querySelector('.period')!.textContent!;
    assert.match(period, /^2026年11月1日 至 2026年11月27日 · /);
    assert.match(period, /金额单位：美元/);
    assert.match(period, /2026年11月27日 05:00$/);
    const tiers = Array.from(doc.querySelectorAll('figure')).find((f) => f.querySelector('figcaption')?.textContent === '按层级的花费')!;
    assert.ok(tiers, 'the tier figure has its translated title');
    assert.equal(tiers.querySelector('figcaption')!.id, 'cap-spend-by-tier');
    assert.deepEqual(Array.from(tiers.querySelectorAll('table.data tbody th')).map((t) => t.textContent), ['简单', '复杂']);
    const days = Array.from(doc.querySelectorAll('figure')).find((f) => f.querySelector('figcaption')?.id === 'cap-spend-by-day')!;
    assert.deepEqual(Array.from(days.querySelectorAll('table.data tbody th')).map((t) => t.textContent), ['2026年11月2日', '2026年11月1日']);
    assert.deepEqual(Array.from(days.querySelectorAll('text.axis[text-anchor="middle"]')).map((t) => t.textContent), ['11月1日', '11月2日']);
    assert.match(doc.querySelector('.cards')!.textContent!, /\$0\.62.*个请求 · 输入 /);
    // Money keeps the one formatter in every language.
    assert.match(doc.querySelector('.cards')!.textContent!, /\$1\.48 \(70%\)/);
  });

  it('the cost report in English is as before', () => {
    const win = makeWindow();
    const app = new ReportApp(win.document.body, win.document, () => {});
    app.render(sampleReport());
    const doc = win.document;
    assert.equal(doc.querySelector('.period')!.textContent, '2026-11-01 – 2026-11-27 · all workspaces · amounts in USD · updated 2026-11-27 05:00');
    const ids = Array.from(doc.querySelectorAll('figcaption')).map((c) => c.id);
    assert.deepEqual(ids, ['cap-spend-by-day', 'cap-spend-by-provider', 'cap-spend-by-model', 'cap-spend-by-tier', 'cap-spend-by-task', 'cap-spend-by-source', 'cap-spend-by-workspace']);
    const tiers = doc.getElementById('cap-spend-by-tier')!.closest('figure')!;
    assert.deepEqual(Array.from(tiers.querySelectorAll('table.data tbody th')).map((t) => t.textContent), ['simple', 'complex']);
    assert.deepEqual(Array.from(doc.querySelectorAll('.day-chart text.axis[text-anchor="middle"]')).map((t) => t.textContent), ['11-01', '11-02']);
  });

});
