import assert from 'node:assert/strict';
import { budgetCheck, budgetStatus, formatMoneyAll, hasBudget, remainingUsd, statusAfter } from '../../../src/core/pricing';

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

  it('confirmation rule: none below 100% unless this call alone could cross; always at 100%', () => {
    const s = { dailyUsd: 1, monthlyUsd: 20 };
    assert.deepEqual(budgetCheck(0, 0, 0.5, s), { kind: 'none' }, 'nothing spent, a call well inside the budget');
    assert.deepEqual(budgetCheck(0.85, 5, 0.1, s), { kind: 'none' }, 'at 85% a call that fits only warns');
    const crossing = budgetCheck(0.9, 5, 0.2, s);
    assert.ok(crossing.kind === 'crossing');
    assert.equal(crossing.budget, 'daily');
    assert.ok(Math.abs(crossing.leftUsd - 0.1) < 1e-12);
    assert.equal(budgetCheck(0, 0, 1.5, s).kind, 'crossing', 'at 0% only a call that alone is over the budget asks');
    assert.equal(budgetCheck(1, 5, 0, s).kind, 'over');
    assert.equal(budgetCheck(0.1, 20, 0, s).kind, 'over', 'the monthly budget too');
    const monthly = budgetCheck(0.1, 19.95, 0.1, s);
    assert.equal(monthly.kind === 'crossing' && monthly.budget, 'monthly', 'the budget with least left decides');
    assert.deepEqual(budgetCheck(100, 100, 100, {}), { kind: 'none' });
  });

  it('messages use the formatter given (the display currency) and amounts that differ read differently', () => {
    const cny = (a: readonly number[]) => formatMoneyAll(a.map((x) => x * 7.2), 'CNY');
    assert.equal(budgetStatus(0.8, 0, { dailyUsd: 1 }, cny).message, '80% of the daily budget used: ¥5.76 of ¥7.20.');
    assert.deepEqual(formatMoneyAll([0.00021, 0.00024], 'USD'), ['$0.00021', '$0.00024']);
    assert.deepEqual(formatMoneyAll([0.000214, 0.000206], 'USD'), ['$0.000214', '$0.000206']);
    assert.deepEqual(formatMoneyAll([0.5, 0.5], 'CNY'), ['¥0.50', '¥0.50']);
    assert.deepEqual(formatMoneyAll([1.004, 1.001], 'USD'), ['$1.004', '$1.001']);
  });

  it("this workspace's monthly budget counts only this workspace's spend, warns and asks like the others", () => {
    const s = { workspaceMonthlyUsd: 10 };
    // 50 spent this month in all, 7.9 of it here: the workspace budget alone decides.
    assert.equal(budgetStatus(1, 50, s, undefined, 7.9).state, 'ok');
    const warn = budgetStatus(1, 50, s, undefined, 8);
    assert.equal(warn.state, 'warn');
    assert.equal(warn.message, "80% of this workspace's monthly budget used: $8.00 of $10.00.");
    assert.equal(budgetStatus(1, 50, s, undefined, 12).message, "Over this workspace's monthly budget: $12.00 of $10.00 (120%).");
    assert.equal(remainingUsd(0, 50, s, 7.5), 2.5);
    assert.equal(remainingUsd(0, 50, { monthlyUsd: 51, ...s }, 7.5), 1, 'the tightest budget');
    const crossing = budgetCheck(0, 50, 3, s, 7.5);
    assert.ok(crossing.kind === 'crossing' && crossing.budget === 'workspace');
    assert.equal(crossing.leftUsd, 2.5);
    assert.deepEqual(budgetCheck(0, 50, 2, s, 7.5), { kind: 'none' });
    assert.equal(budgetCheck(0, 0, 0, s, 10).kind, 'over');
    assert.equal(statusAfter(0, 0, 3, s, 7.5).state, 'over');
    assert.equal(budgetStatus(0, 0, {}, undefined, 1e6).state, 'ok', 'no budget: nothing to say');
    assert.equal(hasBudget(s), true);
    assert.equal(hasBudget({ dailyUsd: 0 }), false);
  });
});
