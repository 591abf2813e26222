import assert from 'node:assert/strict';
import { Catalogue, makeRecord, parseLedger } from '../../../src/core/pricing';
import type { LedgerRecord, RoutingInfo } from '../../../src/core/pricing';
import { routingSavings } from '../../../src/core/routing/savings';
import { isCostReportData } from '../../../src/shared/protocol';
import { ReportApp } from '../../../src/webview/reportApp';
import { makeWindow } from '../webview/dom';
import { sampleReport } from '../webview/fixtures';

const cat = new Catalogue();
const usage = { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

function rec(model: string, extra: { routing?: RoutingInfo; overhead?: 'routing'; task?: string } = {}): LedgerRecord {
  return makeRecord(cat, { time: 1, provider: 'openai', model, usage, latencyMs: 1, retries: 0, outcome: 'ok', ...extra });
}

describe('routing / saved by routing', () => {
  it('ledger records carry the routing info and the judge flag; older records without them still read', () => {
    const r = rec('gpt-4o-mini', { routing: { routedTier: 'simple', defaultTier: 'medium', source: 'rules', defaultTierUsd: 0.01, topTierUsd: 0.02 } });
    assert.deepEqual(r.routing, { routedTier: 'simple', defaultTier: 'medium', source: 'rules', defaultTierUsd: 0.01, topTierUsd: 0.02 });
    const judge = rec('gpt-4o-mini', { overhead: 'routing', task: 'routing-judge' });
    assert.equal(judge.overhead, 'routing');
    const plain = rec('gpt-4o');
    assert.equal('routing' in plain, false);
    const old = '{"v":1,"time":5,"provider":"openai","model":"gpt-4o","inputTokens":1,"outputTokens":1,"cacheReadTokens":0,"cacheWriteTokens":0,"reasoningTokens":0,"cost":0.1,"currency":"USD","costUsd":0.1,"cacheSavingsUsd":0,"latencyMs":1,"retries":0,"outcome":"ok"}';
    const back = parseLedger(`${old}\n${JSON.stringify(r)}\n`);
    assert.equal(back.length, 2);
    assert.equal(back[0]!.routing, undefined);
    assert.equal(back[1]!.routing?.defaultTier, 'medium');
    assert.equal(routingSavings(parseLedger(`${old}\n`)), undefined);
  });

  it('sums auto-routed cost against the default and top tier, counts escalations, learned and judge calls', () => {
    const records = [
      rec('gpt-4o-mini', { routing: { routedTier: 'simple', defaultTier: 'medium', source: 'rules', defaultTierUsd: 0.0075, topTierUsd: 0.006 } }),
      rec('gpt-4.1', { routing: { routedTier: 'simple', defaultTier: 'medium', source: 'escalated', defaultTierUsd: 0.0075, topTierUsd: 0.006 } }),
      rec('gpt-4.1', { routing: { routedTier: 'complex', defaultTier: 'medium', source: 'learned', defaultTierUsd: 0.0075, topTierUsd: 0.006 } }),
      rec('llama3.2', { routing: { routedTier: 'simple', defaultTier: 'medium', source: 'rules' } }),
      rec('gpt-4o-mini', { overhead: 'routing', task: 'routing-judge' }),
      rec('gpt-4o'),
    ];
    const s = routingSavings(records)!;
    assert.equal(s.requests, 4);
    assert.equal(s.unpriced, 1);
    assert.equal(s.escalations, 1);
    assert.equal(s.learned, 1);
    assert.equal(s.judgeCalls, 1);
    const mini = records[0]!.costUsd;
    const big = records[1]!.costUsd;
    assert.ok(Math.abs(s.judgeUsd - mini) < 1e-12);
    assert.ok(Math.abs(s.costUsd - (mini + 2 * big + mini)) < 1e-12);
    assert.ok(Math.abs(s.defaultTierUsd - 3 * 0.0075) < 1e-12);
    assert.ok(Math.abs(s.topTierUsd - 3 * 0.006) < 1e-12);
  });

  it('the report shows the saving against the default tier, and a loss as a cost, never as a saving', () => {
    const routing = { requests: 3, cost: 0.5, defaultTierCost: 2, topTierCost: 3, unpriced: 0, escalations: 2, learned: 1, judgeCalls: 4, judgeCost: 0.01 };
    assert.ok(isCostReportData({ ...sampleReport(), routing }));
    assert.ok(isCostReportData(sampleReport()), 'routing is optional');
    assert.ok(!isCostReportData({ ...sampleReport(), routing: { ...routing, cost: 'x' } }));
    assert.ok(!isCostReportData({ ...sampleReport(), routing: { ...routing, extra: 1 } }));
    const show = (r: typeof routing) => {
      const win = makeWindow();
      const app = new ReportApp(win.document.body, win.document, () => undefined);
      app.ready();
      app.render({ ...sampleReport(), routing: r });
      return win.document.querySelector('.cards')!.textContent!;
    };
    const good = show(routing);
    assert.match(good, /Saved by routing\$1\.50/);
    assert.match(good, /3 auto-routed requests cost \$0\.50?; on their default tier \$2\.00, on the top tier \$3\.00 · 2 escalations · 1 routed by your past choices · judge: 4 calls, \$0\.01/);
    const bad = show({ ...routing, cost: 2.5 });
    assert.doesNotMatch(bad, /Saved by routing/);
    assert.match(bad, /Routing vs default tier\$0\.50? more/);
  });
});
