import assert from 'node:assert/strict';
import { Catalogue } from '../../../src/core/pricing/catalogue';
import { lifecycleOf } from '../../../src/core/pricing/lifecycle';
import { pricesAge, PRICES_STALE_AFTER_DAYS } from '../../../src/core/pricing/priceAge';
import { describeDiff, diffPriceList, lifecycleChanges, parseLiteLlmPrices } from '../../../src/core/pricing/priceList';

const meta = { from: 'https://example.test/prices.json', date: '2026-12-07' };

/** LiteLLM's JSON: prices and `deprecation_date`, for OpenAI, Anthropic and DashScope. */
const json = {
  'gpt-6-luna': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1e-7, output_cost_per_token: 5e-7, deprecation_date: '2027-05-01' },
  'gpt-6.1-sol': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1e-6, output_cost_per_token: 8e-6, deprecation_date: '2026-11-30' },
  'gpt-9-new': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, deprecation_date: '2027-02-02' },
  'dashscope/qwen-plus': { litellm_provider: 'dashscope', mode: 'chat', input_cost_per_token: 9e-7, output_cost_per_token: 9e-6, deprecation_date: '2027-03-15' },
  'dashscope/qwen-flash': { litellm_provider: 'dashscope', mode: 'chat', input_cost_per_token: 9e-8, output_cost_per_token: 9e-7 },
  'dashscope/qwen-unknown': { litellm_provider: 'dashscope', mode: 'chat', input_cost_per_token: 9e-8, output_cost_per_token: 9e-7, deprecation_date: '2027-01-01' },
};

describe('pricing / lifecycle from the price list (Update Prices…)', () => {
  it('reads deprecation_date into endOfLife; DashScope models only with one, for their lifecycle', () => {
    const { list } = parseLiteLlmPrices(json, meta);
    assert.deepEqual(
      list.models.map((m) => `${m.provider}/${m.id} ${m.endOfLife ?? '-'}`),
      ['dashscope/qwen-plus 2027-03-15', 'dashscope/qwen-unknown 2027-01-01', 'openai/gpt-6-luna 2027-05-01', 'openai/gpt-6.1-sol 2026-11-30', 'openai/gpt-9-new 2027-02-02'],
    );
  });

  it('the catalogue takes the lifecycle: end of life, deprecated, retired once the date is past, its source and date', () => {
    const { list } = parseLiteLlmPrices(json, meta);
    const cat = new Catalogue({ priceList: list });
    const luna = cat.get('openai', 'gpt-6-luna')!;
    assert.equal(luna.endOfLife, '2027-05-01');
    assert.equal(luna.status, 'deprecated');
    assert.equal(luna.deprecated, true);
    assert.equal(luna.lifecycleSource, 'LiteLLM price list (deprecation_date)');
    assert.equal(luna.lifecycleChecked, '2026-12-07');
    assert.equal(lifecycleOf(luna, '2026-12-07').status, 'deprecated');
    const sol = cat.get('openai', 'gpt-6.1-sol')!;
    assert.equal(sol.status, 'retired', 'a past deprecation_date means retired');
    assert.equal(lifecycleOf(sol, '2026-12-07').status, 'retired');
    const added = cat.get('openai', 'gpt-9-new')!;
    assert.equal(added.endOfLife, '2027-02-02');
    assert.equal(added.status, 'deprecated');
    // A model the catalogue already retired stays retired, and keeps its named successor.
    const old = new Catalogue().get('openai', 'gpt-4o')!;
    const relisted = new Catalogue({ priceList: { ...list, models: [{ provider: 'openai', id: 'gpt-4o', inputPerM: old.inputPerM, outputPerM: old.outputPerM, tier: 'medium', endOfLife: '2027-06-01' }] } }).get('openai', 'gpt-4o')!;
    assert.equal(relisted.endOfLife, '2027-06-01');
    assert.equal(relisted.successor, old.successor);
  });

  it('DashScope: only the lifecycle is taken (every region), never the prices; an unknown model is not added', () => {
    const { list } = parseLiteLlmPrices(json, meta);
    const built = new Catalogue();
    for (const region of ['china', 'international'] as const) {
      const cat = new Catalogue({ priceList: list, dashscopeRegion: region });
      const plus = cat.get('dashscope', 'qwen-plus')!;
      const before = built.get('dashscope', 'qwen-plus', region)!;
      assert.equal(plus.endOfLife, '2027-03-15', region);
      assert.equal(plus.status, 'deprecated');
      assert.equal(plus.inputPerM, before.inputPerM, 'the built-in price stays');
      assert.equal(plus.outputPerM, before.outputPerM);
      assert.equal(plus.currency, before.currency);
      assert.equal(plus.source, before.source);
      assert.deepEqual(cat.get('dashscope', 'qwen-flash'), new Catalogue({ dashscopeRegion: region }).get('dashscope', 'qwen-flash'), 'no deprecation_date: untouched');
      assert.equal(cat.get('dashscope', 'qwen-unknown'), undefined);
    }
  });

  it('the diff names the lifecycle changes: "end of life … (new)", moved, retired', () => {
    const { list } = parseLiteLlmPrices(json, meta);
    const d = diffPriceList(new Catalogue(), list);
    assert.deepEqual(
      lifecycleChanges(d).map((c) => `${c.provider}/${c.id}`),
      ['dashscope/qwen-plus', 'openai/gpt-6-luna', 'openai/gpt-6.1-sol'],
    );
    assert.ok(!d.added.some((m) => m.provider === 'dashscope'), 'DashScope models are never added');
    const lines = describeDiff(d, 40, '2026-12-07');
    assert.ok(lines.includes('dashscope/qwen-plus: end of life 2027-03-15 (new)'), lines.join('\n'));
    assert.ok(lines.includes('openai/gpt-6-luna: end of life 2027-05-01 (new)'));
    assert.ok(lines.includes('openai/gpt-6.1-sol: retired on 2026-11-30 (new)'));
    assert.ok(lines.includes('new: openai/gpt-9-new $1 in / $2 out per M, end of life 2027-02-02 (new)'));
    const moved = describeDiff(diffPriceList(new Catalogue(), { ...list, models: [{ provider: 'openai', id: 'gpt-4o-mini', inputPerM: 0.15, outputPerM: 0.6, tier: 'simple', endOfLife: '2027-02-14' }] }));
    assert.ok(moved.includes('openai/gpt-4o-mini: end of life 2027-02-14 (was 2027-01-14)'), moved.join('\n'));
  });
});

describe('pricing / the age of the prices in use (the 60-day offer)', () => {
  const at = (d: string) => Date.parse(`${d}T12:00:00Z`);

  it('is the newer of the built-in date and the applied list\'s; offered past 60 days', () => {
    assert.equal(PRICES_STALE_AFTER_DAYS, 60);
    assert.deepEqual(pricesAge('2026-12-07', undefined, at('2026-12-07')), { date: '2026-12-07', days: 0, stale: false });
    assert.deepEqual(pricesAge('2026-12-07', undefined, at('2027-02-05')), { date: '2026-12-07', days: 60, stale: false });
    assert.deepEqual(pricesAge('2026-12-07', undefined, at('2027-02-06')), { date: '2026-12-07', days: 61, stale: true });
    assert.deepEqual(pricesAge('2026-12-07', '2027-01-20', at('2027-02-06')), { date: '2027-01-20', days: 17, stale: false }, 'an applied list is newer');
    assert.deepEqual(pricesAge('2026-12-07', '2026-10-01', at('2027-02-06')), { date: '2026-12-07', days: 61, stale: true }, 'an older list does not age the built-in prices');
    assert.equal(pricesAge('', 'nonsense', at('2027-02-06')), undefined);
    assert.equal(pricesAge(Catalogue.builtInDate(), undefined, Date.parse(`${Catalogue.builtInDate()}T00:00:00Z`))?.stale, false);
  });
});
