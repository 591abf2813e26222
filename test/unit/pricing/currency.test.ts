import assert from 'node:assert/strict';
import { displayCurrency, formatMoney, moneyFormatter } from '../../../src/core/pricing';

describe('pricing / the display currency', () => {
  it('unset: CNY when VS Code speaks Chinese, USD in every other language', () => {
    assert.equal(displayCurrency(undefined, 'zh-cn'), 'CNY');
    assert.equal(displayCurrency(undefined, 'zh-tw'), 'CNY');
    assert.equal(displayCurrency(undefined, 'zh-Hans'), 'CNY');
    assert.equal(displayCurrency(undefined, 'ZH-CN'), 'CNY');
    assert.equal(displayCurrency(undefined, 'en'), 'USD');
    assert.equal(displayCurrency(undefined, 'ja'), 'USD');
    assert.equal(displayCurrency(undefined, 'zu'), 'USD', 'Zulu is not Chinese');
    assert.equal(displayCurrency(undefined, ''), 'USD');
  });

  it('a value some scope sets wins over the language; a value that is no currency counts as unset', () => {
    assert.equal(displayCurrency('USD', 'zh-cn'), 'USD');
    assert.equal(displayCurrency('CNY', 'en'), 'CNY');
    assert.equal(displayCurrency('EUR', 'zh-cn'), 'CNY');
    assert.equal(displayCurrency('cny', 'en'), 'USD');
  });

  it('money has one format in every language: ¥1,234.50', () => {
    assert.equal(formatMoney(1234.5, 'CNY'), '¥1,234.50');
    assert.equal(moneyFormatter(displayCurrency(undefined, 'zh-cn'))(1234.5), '¥1,234.50');
    assert.equal(moneyFormatter(displayCurrency(undefined, 'en'))(1234.5), '$1,234.50');
  });
});
