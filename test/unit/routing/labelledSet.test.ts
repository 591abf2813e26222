import assert from 'node:assert/strict';
import { GOALS, confusion, labelledItems } from '../../../bench/routing/labelled';

// bench/routing's accuracy on its labelled set does not depend on the machine: its goals are asserted here.
describe('routing: the labelled set of bench/routing', () => {
  const items = labelledItems();

  it('has 180 labelled requests, a dev and a held-out test half, in English and Chinese', () => {
    assert.equal(items.length, 180);
    assert.ok(items.some((i) => i.split === 'test') && items.some((i) => i.split === 'dev'));
    assert.ok(items.some((i) => i.lang === 'zh'));
  });

  for (const [name, split] of [['dev', 'dev'], ['held-out test', 'test'], ['all', undefined]] as const) {
    it(`${name}: at least ${GOALS.minAccuracy * 100} % routed to their labelled tier, at most ${GOALS.maxComplexToSimple * 100} % of complex requests sent to simple`, () => {
      const set = split ? items.filter((i) => i.split === split) : items;
      const c = confusion(set);
      assert.ok(c.right / set.length >= GOALS.minAccuracy, `accuracy ${c.right}/${set.length}; confusion ${JSON.stringify(c.matrix)}`);
      assert.ok(c.complexToSimple / c.complex <= GOALS.maxComplexToSimple, `complex → simple ${c.complexToSimple}/${c.complex}`);
    });
  }
});
