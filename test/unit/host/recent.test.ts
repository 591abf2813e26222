import assert from 'node:assert/strict';
import { Recent } from '../../../src/host/requests/recent';

describe('host / Recent: the requests Retry and Escalate can still run', () => {
  it('keeps the latest entries up to its limit and drops the oldest', () => {
    const r = new Recent<string, number>(3);
    for (let i = 1; i <= 10; i++) r.set(`a${i}`, i);
    assert.equal(r.size, 3);
    assert.equal(r.get('a7'), undefined);
    assert.deepEqual(['a8', 'a9', 'a10'].map((k) => r.get(k)), [8, 9, 10]);
  });

  it('an entry set again counts as the newest', () => {
    const r = new Recent<string, number>(2);
    r.set('a', 1);
    r.set('b', 2);
    r.set('a', 3);
    r.set('c', 4);
    assert.equal(r.has('b'), false, 'b was the oldest');
    assert.equal(r.get('a'), 3);
    assert.equal(r.get('c'), 4);
  });
});
