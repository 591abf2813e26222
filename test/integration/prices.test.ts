import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { priceListUrl } from '../../src/host/prices/updatePrices';
import { fakeUrl, setting, tierwise } from './helpers';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'unit', 'pricing', 'fixtures', 'litellm-prices.json');

suite('Update Prices from a LiteLLM price list', () => {
  suiteSetup(async () => {
    await fetch(`${fakeUrl()}/__fake/static/prices.json`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: readFileSync(FIXTURE, 'utf8') });
  });
  suiteTeardown(async () => {
    const app = await tierwise();
    await app.prices.reset();
    await setting('pricing.updateUrl', undefined);
  });

  test('from the URL setting (served over loopback): shows the changes, applies them, names the list in use', async () => {
    const app = await tierwise();
    await setting('pricing.updateUrl', `${fakeUrl()}/__fake/static/prices.json`);
    assert.equal(priceListUrl(), `${fakeUrl()}/__fake/static/prices.json`);
    const pricing = app.services.pricing();
    assert.match(pricing.priceSource(), /^built-in prices of \d{4}-\d{2}-\d{2}$/);
    const before = pricing.entry('openai', 'gpt-6-luna')!.inputPerM;

    const loaded = await app.prices.load({ url: priceListUrl() });
    assert.deepEqual(loaded.diff.added.map((m) => m.id), ['gpt-6.3-sol']);
    assert.ok(loaded.lines.includes(`openai/gpt-6-luna inputPerM: ${before} → 0.12`), loaded.lines.join('\n'));
    assert.equal(app.services.pricing().entry('openai', 'gpt-6-luna')!.inputPerM, before, 'nothing changes before applying');

    await app.prices.apply(loaded.list);
    const after = app.services.pricing();
    assert.equal(after.entry('openai', 'gpt-6-luna')!.inputPerM, 0.12);
    assert.ok(after.entry('openai', 'gpt-6.3-sol'), 'the new model is priced');
    assert.deepEqual(after.entry('dashscope', 'qwen-plus')!.currency, 'CNY', 'DashScope keeps its built-in CNY prices');
    assert.match(after.priceSource(), /^LiteLLM price list of \d{4}-\d{2}-\d{2} \(DashScope: built-in of /);
    assert.match(app.statusBar.tooltip().value, /Prices: LiteLLM price list of/);
    const stored = app.context.globalState.get<{ date: string; from: string }>('tierwise.priceList');
    assert.match(stored?.date ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(stored?.from, priceListUrl());

    await app.prices.reset();
    assert.equal(app.services.pricing().entry('openai', 'gpt-6-luna')!.inputPerM, before);
    assert.match(app.services.pricing().priceSource(), /^built-in prices of/);
  });

  test('from a local file: the same changes', async () => {
    const app = await tierwise();
    const loaded = await app.prices.load({ file: vscode.Uri.file(FIXTURE) });
    assert.deepEqual(loaded.diff.added.map((m) => m.id), ['gpt-6.3-sol']);
    assert.equal(loaded.list.from, FIXTURE);
    await assert.rejects(app.prices.load({ url: `${fakeUrl()}/__fake/static/missing.json` }), /answered 404/);
  });
});
