import assert from 'node:assert/strict';
import { Catalogue } from '../../../src/core/pricing/catalogue';
import { closestModels, isoDay, lifecycleOf, modelNotice } from '../../../src/core/pricing/lifecycle';

describe('pricing / lifecycles', () => {
  const cat = new Catalogue();

  it('a model past its end of life is retired whatever its status says; before it, deprecated', () => {
    const e = { ...cat.get('openai', 'gpt-5')!, status: 'deprecated' as const };
    assert.equal(lifecycleOf(e, '2026-12-11').status, 'deprecated', 'on the day itself it still answers');
    assert.equal(lifecycleOf(e, '2026-12-12').status, 'retired');
    assert.equal(lifecycleOf({ ...e, endOfLife: undefined }, '2030-01-01').status, 'deprecated', 'no date: deprecated for good');
    assert.equal(lifecycleOf(cat.get('openai', 'gpt-6-luna')!, '2026-12-07').status, 'current');
  });

  it('a lifecycle carries its source and the date it was checked', () => {
    const lc = lifecycleOf(new Catalogue({ dashscopeRegion: 'international' }).get('dashscope', 'qwen-turbo')!, '2026-12-07');
    assert.equal(lc.status, 'retired');
    assert.match(lc.source ?? '', /alibabacloud\.com\/zh\/notice\//);
    assert.equal(lc.checked, '2026-12-07');
    assert.equal(lc.successor, 'qwen3.7-flash');
  });

  it('notices: dated snapshots and aliases of a retired model are retired too; current and unknown models get none', () => {
    assert.equal(modelNotice(cat, 'anthropic', 'claude-3-5-haiku-latest', '2026-12-07')?.level, 'retired');
    assert.equal(modelNotice(cat, 'anthropic', 'claude-3-5-haiku-20241022', '2026-12-07')?.successor, 'claude-haiku-4-5');
    assert.equal(modelNotice(cat, 'dashscope', 'qwen3.7-flash', '2026-12-07'), undefined);
    assert.equal(modelNotice(cat, 'dashscope', 'qwen-nonexistent', '2026-12-07'), undefined);
    const n = modelNotice(cat, 'openai', 'gpt-4o', '2026-12-07')!;
    assert.equal(n.level, 'deprecated');
    assert.equal(n.message, 'gpt-4o is deprecated by OpenAI and stops answering on 2027-01-14. OpenAI recommends gpt-6-luna instead.');
  });

  it('the closest models to an unknown one, by edit distance', () => {
    assert.deepEqual(closestModels('qwen-plsu', ['qwen3.7-flash', 'qwen-plus', 'qwen-max', 'qwen-long'], 2), ['qwen-plus', 'qwen-max']);
    assert.deepEqual(closestModels('gpt-6-lunar', ['gpt-6-luna', 'gpt-6.1-sol', 'gpt-6-luna']), ['gpt-6-luna', 'gpt-6.1-sol']);
    assert.deepEqual(closestModels('x', []), []);
  });

  it('days are UTC calendar days', () => {
    assert.equal(isoDay(Date.UTC(2026, 9, 10, 23, 59)), '2026-10-10');
  });
});
