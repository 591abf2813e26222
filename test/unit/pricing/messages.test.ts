import assert from 'node:assert/strict';
import { english, fill, formatMessage, type Message } from '../../../src/core/messages';
import { BUDGET_NAMES, budgetStatus } from '../../../src/core/pricing';
import { Catalogue } from '../../../src/core/pricing/catalogue';
import { modelNotice } from '../../../src/core/pricing/lifecycle';

const ids = (m: Message): string[] => [m.id, ...m.args.flatMap((a) => (typeof a === 'object' ? ids(a) : []))];

describe('pricing: budget and lifecycle notices as catalogue messages', () => {
  it('a budget warning carries one message per budget, and reads as before in English', () => {
    const s = { dailyUsd: 1, monthlyUsd: 10, workspaceMonthlyUsd: 3 };
    assert.equal(budgetStatus(0.1, 1, s).text, undefined, 'no message when every budget is fine');
    const one = budgetStatus(0.8, 1, s);
    assert.equal(one.text?.id, 'errors.budget.warnDaily');
    assert.equal(english(one.text!), '80% of the daily budget used: $0.80 of $1.00.');
    const all = budgetStatus(1.5, 9, s, undefined, 3);
    assert.deepEqual(ids(all.text!), ['common.joined', 'common.joined', 'errors.budget.overDaily', 'errors.budget.warnMonthly', 'errors.budget.overWorkspace']);
    assert.equal(all.message, "Over the daily budget: $1.50 of $1.00 (150%). 90% of the monthly budget used: $9.00 of $10.00. Over this workspace's monthly budget: $3.00 of $3.00 (100%).");
    assert.equal(english(all.text!), all.message);
  });

  it('a retired model names the platform as a message, so it is translated with the sentence', () => {
    const n = modelNotice(new Catalogue({ dashscopeRegion: 'china' }), 'dashscope', 'qwen-turbo', '2026-12-07')!;
    assert.deepEqual(ids(n.text), ['errors.lifecycle.recommends', 'errors.lifecycle.retiredOn', 'errors.lifecycle.platformDashscope', 'errors.lifecycle.platformDashscope']);
    assert.equal(english(n.text), n.message);
    assert.equal(n.message, 'qwen-turbo was retired by Alibaba Cloud Model Studio on 2026-10-10: requests to it fail. Alibaba Cloud Model Studio recommends qwen3.7-flash instead.');
    const upper = formatMessage(n.text, (t, a) => fill(t, a).toUpperCase());
    assert.equal(upper, n.message.toUpperCase());
  });

  it('a deprecated model without a named successor offers the tier model', () => {
    const n = modelNotice(new Catalogue(), 'openai', 'gpt-5', '2026-12-01', () => 'gpt-6.2-astra')!;
    // The tier is named by its message ("复杂" in Chinese), not by its id.
    assert.deepEqual(ids(n.text), ['errors.lifecycle.currentModel', 'errors.lifecycle.deprecatedUntil', 'routing.tier.complex']);
    assert.equal(english(n.text), n.message);
    assert.match(n.message, /^gpt-5 is deprecated by OpenAI and stops answering on 2026-12-11\. Tierwise's current complex model is gpt-6\.2-astra\.$/);
  });
});

describe('pricing: budget names as catalogue messages', () => {
  it('each budget a sentence names is a message with the English word it always had', () => {
    assert.deepEqual(
      Object.fromEntries(Object.entries(BUDGET_NAMES).map(([k, m]) => [k, [m.id, english(m)]])),
      { daily: ['errors.budget.name.daily', 'daily'], monthly: ['errors.budget.name.monthly', 'monthly'], workspace: ['errors.budget.name.workspace', 'workspace'] },
    );
  });
});
