import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock';
import { CircuitBreaker } from '../../../src/core/resilience/breaker';

describe('resilience/breaker', () => {
  it('opens after N consecutive failures, half-opens after the cool-down, closes on a good trial', async () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker(clock, { failureThreshold: 3, cooldownMs: 10_000 });
    for (let i = 0; i < 2; i++) {
      assert.equal(b.tryAcquire(), true);
      b.failure();
    }
    assert.equal(b.state, 'closed');
    assert.equal(b.tryAcquire(), true);
    b.failure();
    assert.equal(b.state, 'open');
    assert.equal(b.tryAcquire(), false);
    assert.equal(b.remainingCooldownMs, 10_000);
    await clock.advance(9_999);
    assert.equal(b.tryAcquire(), false);
    await clock.advance(1);
    assert.equal(b.state, 'halfOpen');
    assert.equal(b.tryAcquire(), true); // the one trial
    assert.equal(b.tryAcquire(), false); // nobody else meanwhile
    b.success();
    assert.equal(b.state, 'closed');
    assert.equal(b.tryAcquire(), true);
  });

  it('reopens when the half-open trial fails', async () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker(clock, { failureThreshold: 1, cooldownMs: 1000 });
    b.failure();
    await clock.advance(1000);
    assert.equal(b.tryAcquire(), true);
    b.failure();
    assert.equal(b.state, 'open');
    await clock.advance(999);
    assert.equal(b.state, 'open');
    await clock.advance(1);
    assert.equal(b.state, 'halfOpen');
  });

  it('a success resets the count; a neutral outcome frees the trial without judging', async () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker(clock, { failureThreshold: 2, cooldownMs: 1000 });
    b.failure();
    b.success();
    b.failure();
    assert.equal(b.state, 'closed');
    b.failure();
    assert.equal(b.state, 'open');
    await clock.advance(1000);
    assert.equal(b.tryAcquire(), true);
    b.neutral();
    assert.equal(b.state, 'halfOpen');
    assert.equal(b.tryAcquire(), true);
  });
});
