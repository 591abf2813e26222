import assert from 'node:assert/strict';
import { english } from '../../../src/core/messages';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Catalogue } from '../../../src/core/pricing/catalogue';
import { costOf } from '../../../src/core/pricing/cost';
import { describeDiff, describePriceSource, diffPriceList, guessTier, parseLiteLlmPrices } from '../../../src/core/pricing/priceList';

const fixture = () => JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'litellm-prices.json'), 'utf8')) as unknown;
const meta = { from: 'file:///tmp/prices.json', date: '2026-12-02' };

describe('pricing / LiteLLM price list', () => {
  it('keeps OpenAI and Anthropic chat models with prices, per million tokens; skips snapshots, other providers, embeddings', () => {
    const { list, problems } = parseLiteLlmPrices(fixture(), meta);
    assert.deepEqual(
      list.models.map((m) => `${m.provider}/${m.id}`),
      ['anthropic/claude-opus-5-5', 'anthropic/claude-sonnet-5-5', 'openai/gpt-6-luna', 'openai/gpt-6.3-sol'],
    );
    assert.deepEqual(problems, ['gpt-image-3: no input or output price; skipped.']);
    const luna = list.models.find((m) => m.id === 'gpt-6-luna')!;
    assert.equal(luna.inputPerM, 0.12);
    assert.equal(luna.outputPerM, 0.6);
    assert.equal(luna.cachedInputPerM, 0.01);
    assert.equal(luna.cacheWritePerM, 0.125);
    assert.equal(luna.batchInputPerM, 0.06);
    assert.equal(luna.maxOutput, 128000);
    assert.equal(list.models.find((m) => m.id === 'claude-opus-5-5')!.endOfLife, '2027-09-22');
    assert.equal(list.date, '2026-12-02');
    assert.throws(() => parseLiteLlmPrices([], meta), /not a LiteLLM price list/);
  });

  it('shows what would change before applying: new models and changed prices', () => {
    const { list } = parseLiteLlmPrices(fixture(), meta);
    const d = diffPriceList(new Catalogue(), list);
    assert.deepEqual(d.added.map((m) => m.id), ['gpt-6.3-sol']);
    assert.deepEqual(
      d.changed.map((c) => `${c.id} ${c.field} ${c.from}→${c.to}`),
      [
        'claude-opus-5-5 endOfLife undefined→2027-09-22',
        'gpt-6-luna inputPerM 0.1→0.12',
        'gpt-6-luna outputPerM 0.5→0.6',
        'gpt-6-luna batchInputPerM 0.05→0.06',
        'gpt-6-luna batchOutputPerM 0.25→0.3',
      ],
    );
    assert.equal(d.unchanged, 1, 'claude-sonnet-5-5 matches the built-in prices');
    const lines = describeDiff(d);
    assert.equal(lines[0], 'new: openai/gpt-6.3-sol $2 in / $10 out per M');
    assert.ok(lines.includes('openai/gpt-6-luna inputPerM: 0.1 → 0.12'));
    assert.equal(describeDiff(d, 2).at(-1), '… and 4 more');
  });

  it('applied, the catalogue prices with the list and says where each price comes from; DashScope stays built in', () => {
    const { list } = parseLiteLlmPrices(fixture(), meta);
    const cat = new Catalogue({ priceList: list });
    const luna = cat.get('openai', 'gpt-6-luna')!;
    assert.equal(luna.inputPerM, 0.12);
    assert.equal(luna.source, 'LiteLLM price list (file:///tmp/prices.json)');
    assert.equal(luna.date, '2026-12-02');
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    assert.equal(costOf(luna, usage).total, 0.12);
    const added = cat.get('openai', 'gpt-6.3-sol')!;
    assert.equal(added.tier, 'medium');
    assert.equal(added.contextWindow, 922000);
    assert.equal(cat.get('anthropic', 'claude-opus-5-5')!.deprecated, true);
    // The new model is appended: it does not displace a tier's default.
    assert.equal(cat.defaultFor('openai', 'medium')!.id, new Catalogue().defaultFor('openai', 'medium')!.id);
    // DashScope CNY prices are untouched.
    assert.deepEqual(cat.get('dashscope', 'qwen-plus'), new Catalogue().get('dashscope', 'qwen-plus'));
    // User overrides from settings still win over the list.
    const over = new Catalogue({ priceList: list, overrides: { 'openai/gpt-6-luna': { inputPerM: 0.09 } } });
    assert.equal(over.get('openai', 'gpt-6-luna')!.inputPerM, 0.09);
  });

  it('names the price list in use', () => {
    assert.equal(english(describePriceSource(undefined, '2026-12-01')), 'built-in prices of 2026-12-01');
    assert.deepEqual(describePriceSource(undefined, '2026-12-01'), { id: 'errors.prices.builtIn', args: ['2026-12-01'] });
    assert.equal(english(describePriceSource({ name: 'LiteLLM', date: '2026-12-02' }, '2026-12-01')), 'LiteLLM price list of 2026-12-02 (DashScope: built-in of 2026-12-01)');
    assert.match(Catalogue.builtInDate(), /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(Catalogue.builtInDate() >= '2026-12-01', 'the latest check of any built-in entry');
  });

  it('guesses the tier of a new model from its name', () => {
    assert.deepEqual(['gpt-7-mini', 'claude-haiku-6', 'gpt-7', 'claude-opus-6', 'o5'].map(guessTier), ['simple', 'simple', 'medium', 'complex', 'complex']);
  });
});
