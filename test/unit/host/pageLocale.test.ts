import * as stub from './vscodeStub';
import assert from 'node:assert/strict';
import { pageLocale } from '../../../src/host/panels/html';
import { WEBVIEW_STRINGS, parsePageLocale } from '../../../src/shared/protocol/strings';

describe('host: the locale a webview page is given', () => {
  const t = stub.l10n.t;
  afterEach(() => {
    stub.l10n.t = t;
    stub.env.language = 'en';
  });

  it('English: every webview string as its English template, placeholders kept for the page to fill', () => {
    const l = pageLocale();
    assert.equal(l.language, 'en');
    assert.deepEqual(l.strings, WEBVIEW_STRINGS);
    assert.deepEqual(parsePageLocale(JSON.stringify(l)), l);
  });

  it('Chinese: each string through vscode.l10n.t with its English template as the key', () => {
    const zh: Record<string, string> = { 'Spend by tier': '按层级的花费', 'Answer started: {0}': '回答开始：{0}' };
    const keys: string[] = [];
    stub.l10n.t = (message: string, ...args: unknown[]) => {
      keys.push(message);
      assert.deepEqual(args, [], 'no arguments: the page fills the placeholders');
      return zh[message] ?? message;
    };
    stub.env.language = 'zh-cn';
    const l = pageLocale();
    assert.equal(l.language, 'zh-cn');
    assert.equal(l.strings['report.byTier'], '按层级的花费');
    assert.equal(l.strings['answer.started'], '回答开始：{0}');
    assert.equal(l.strings['answer.stop'], 'Stop');
    assert.deepEqual(new Set(keys), new Set(Object.values(WEBVIEW_STRINGS)));
    assert.deepEqual(parsePageLocale(JSON.stringify(l)), l, 'the page reads back what the host wrote');
  });
});
