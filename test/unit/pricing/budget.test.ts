import assert from 'node:assert/strict';
import { budgetStatus, remainingUsd, statusAfter } from '../../../src/core/pricing';

describe('pricing: budgets', () => {
  it('ok below 80%, warn from 80%, over from 100%', () => {
    const s = { dailyUsd: 1, monthlyUsd: 20 };
    assert.equal(budgetStatus(0.79, 5, s).state, 'ok');
    assert.equal(budgetStatus(0.79, 5, s).message, '');
    assert.equal(budgetStatus(0.8, 5, s).state, 'warn');
    assert.equal(budgetStatus(0.8, 5, s).message, '80% of the daily budget used: $0.80 of $1.00.');
    assert.equal(budgetStatus(1, 5, s).state, 'over');
    assert.match(budgetStatus(1.5, 5, s).message, /^Over the daily budget: \$1.50 of \$1.00 \(150%\)\.$/);
    assert.equal(budgetStatus(0.1, 16, s).state, 'warn');
    assert.equal(budgetStatus(0.9, 20, s).state, 'over', 'the worse line wins');
    assert.equal(budgetStatus(0.9, 20, s).daily.state, 'warn');
  });

  it('no budget means ok, with a custom warning threshold', () => {
    assert.equal(budgetStatus(1000, 1000, {}).state, 'ok');
    assert.equal(budgetStatus(1000, 1000, { dailyUsd: 0 }).state, 'ok');
    assert.equal(budgetStatus(0.5, 0, { dailyUsd: 1, warnAt: 0.5 }).state, 'warn');
  });

  it('remaining budget and the status after an estimate', () => {
    assert.equal(remainingUsd(0.25, 10, { dailyUsd: 1, monthlyUsd: 20 }), 0.75);
    assert.equal(remainingUsd(0.25, 19.5, { dailyUsd: 1, monthlyUsd: 20 }), 0.5);
    assert.equal(remainingUsd(2, 0, { dailyUsd: 1 }), 0);
    assert.equal(remainingUsd(2, 0, {}), Infinity);
    assert.equal(statusAfter(0.7, 0, 0.35, { dailyUsd: 1 }).state, 'over');
  });
});
