import assert from 'node:assert/strict';
import { ManualClock, flushMicrotasks } from '../../../src/core/clock';
import { assessComplexity, featureVector, selectionKind } from '../../../src/core/routing/complexity';
import { routingConfigFromSettings, defaultRoutingConfig } from '../../../src/core/routing/config';
import { JUDGE_MAX_TOKENS, decideWithJudge, parseJudgeReply } from '../../../src/core/routing/judge';
import type { JudgeFn } from '../../../src/core/routing/judge';
import { LEARNED_DISTANCE, LearnedRouting, MAX_LEARNED } from '../../../src/core/routing/learned';
import { Router } from '../../../src/core/routing/router';
import { FN, ask, ok, ports } from './fixtures';
import { english } from '../../../src/core/messages';


describe('routing / complexity: what a free-form request asks', () => {
  const tierOf = (q: string, sel = FN, languageId = 'typescript') => assessComplexity({ request: q, selectionText: sel, languageId }).tier;

  it('the issue’s two examples: a lookup goes to simple, a proof to complex', () => {
    assert.equal(tierOf('What language is this written in?'), 'simple');
    assert.equal(tierOf('Prove that this algorithm terminates for every input, or give a counterexample.'), 'complex');
  });

  it('reads lookup/extraction/conversion as simple, explanation/summary/rewriting as medium, design/refactoring/debugging as complex', () => {
    const cases: [string, string][] = [
      ['How many parameters does this take?', 'simple'],
      ['Extract every URL from this text.', 'simple'],
      ['Convert this JSON to YAML.', 'simple'],
      ['Explain what this function does.', 'medium'],
      ['Summarise this document.', 'medium'],
      ['Rewrite this paragraph to be more formal.', 'medium'],
      ['Design a schema for these events.', 'complex'],
      ['Refactor this into smaller functions.', 'complex'],
      ['Implement a cache for these calls.', 'complex'],
      ['This deadlocks under load, find out why.', 'complex'],
    ];
    for (const [q, t] of cases) assert.equal(tierOf(q), t, q);
  });

  it('handles Chinese requests', () => {
    const cases: [string, string][] = [
      ['解释一下这段代码的作用。', 'medium'],
      ['总结这篇文档的要点。', 'medium'],
      ['证明这个函数的正确性。', 'complex'],
      ['重构这段代码，让它更容易测试。', 'complex'],
      ['实现一个 LRU 缓存。', 'complex'],
      ['把这段话翻译成英文。', 'simple'],
      ['提取这段文字里的所有日期。', 'simple'],
    ];
    for (const [q, t] of cases) assert.equal(tierOf(q), t, q);
    assert.equal(assessComplexity({ request: '解释一下', selectionText: FN }).features.cjk, 1);
  });

  it('a strong cue outranks an explanation verb; an explanation of a design stays an explanation', () => {
    assert.equal(tierOf('Explain why this code deadlocks.'), 'complex');
    assert.equal(tierOf('Explain the purpose of this loop.'), 'medium');
  });

  it('counts steps: "and then", numbered lists; three steps make multi-step work', () => {
    const a = assessComplexity({ request: 'Explain this code, then summarise it, then rewrite the comments.', selectionText: FN, languageId: 'typescript' });
    assert.equal(a.steps, 3);
    assert.equal(a.tier, 'complex');
    assert.match(a.signals[0]!, /3 steps: multi-step work/);
    const b = assessComplexity({ request: '1. Parse the config\n2. Validate it\n3. Write a migration', selectionText: FN });
    assert.equal(b.steps, 3);
    assert.equal(b.tier, 'complex');
    const two = assessComplexity({ request: 'Prove it terminates and then implement a faster version.', selectionText: FN });
    assert.deepEqual(two.intents, ['proof', 'implementation']);
    assert.equal(two.signals[0], 'asks for a proof and an implementation (2 steps)');
  });

  it('the selection: its kind by language id, or sniffed; a long selection of code to explain goes up', () => {
    assert.equal(selectionKind('typescript', ''), 'code');
    assert.equal(selectionKind('json', ''), 'data');
    assert.equal(selectionKind('markdown', FN), 'prose');
    assert.equal(selectionKind('plaintext', 'The export button does nothing.'), 'prose');
    assert.equal(selectionKind(undefined, FN.repeat(5)), 'code');
    const long = assessComplexity({ request: 'Explain what this does.', selectionText: FN, selectionTokens: 5000, languageId: 'typescript' });
    assert.equal(long.tier, 'complex');
    assert.ok(long.signals.some((s) => s.includes('5,000-token typescript selection')));
    const prose = assessComplexity({ request: 'Explain what this says.', selectionText: 'x', selectionTokens: 5000, languageId: 'markdown' });
    assert.equal(prose.tier, 'medium');
  });

  it('sizes max_tokens for the expected answer: a lookup small, a conversion with the input, a detailed ask larger', () => {
    const lookup = assessComplexity({ request: 'What is the return type?', selectionText: FN });
    const convert = assessComplexity({ request: 'Convert this to YAML.', selectionText: FN, selectionTokens: 1000 });
    const impl = assessComplexity({ request: 'Implement a parser for this.', selectionText: FN });
    const detailed = assessComplexity({ request: 'Explain this in detail.', selectionText: FN });
    const brief = assessComplexity({ request: 'Explain this briefly.', selectionText: FN });
    assert.ok(lookup.maxTokens <= 128, `lookup ${lookup.maxTokens}`);
    assert.ok(convert.maxTokens >= 1.3 * 1000, `convert ${convert.maxTokens}`);
    assert.ok(impl.maxTokens >= 2000, `impl ${impl.maxTokens}`);
    assert.ok(detailed.maxTokens > brief.maxTokens * 2, `${detailed.maxTokens} vs ${brief.maxTokens}`);
  });

  it('no recognisable task: medium with low confidence', () => {
    const a = assessComplexity({ request: 'Thoughts?', selectionText: FN });
    assert.equal(a.tier, 'medium');
    assert.ok(a.confidence < 0.6);
    assert.deepEqual(a.signals, ['no clear task in the request']);
  });

  it('features are numbers only, never the text', () => {
    const a = assessComplexity({ request: 'Explain the secret sauce of fetchUser', selectionText: 'const secret = 42;' });
    const json = JSON.stringify(a.features);
    assert.doesNotMatch(json, /secret|fetchUser|sauce/);
    for (const v of featureVector(a.features)) assert.ok(Number.isFinite(v) && v >= 0 && v <= 1);
  });
});

describe('routing / router: auto tasks', () => {
  it('Ask About Selection routes by the question, with the signals and the model in the reason line', () => {
    const router = new Router(defaultRoutingConfig('openai'), ports(['openai']));
    const simple = ok(router.route(ask('What language is this written in?')));
    assert.equal(simple.tier, 'simple');
    assert.equal(simple.model, 'gpt-6-luna');
    assert.equal(simple.reason, 'simple tier: asks for a lookup, 180 input tokens → gpt-6-luna');
    const complex = ok(router.route(ask('Prove that it terminates and then implement a faster version.')));
    assert.equal(complex.reason, 'complex tier: asks for a proof and an implementation (2 steps), 180 input tokens → gpt-6.2-astra');
    assert.equal(complex.auto?.defaultTier, 'medium');
    assert.equal(complex.auto?.source, 'rules');
    // max_tokens sized for the answer, not the task's fixed 500.
    assert.equal(simple.request.maxTokens, simple.maxTokens);
    assert.ok(simple.maxTokens < 500 && complex.maxTokens > 500, `${simple.maxTokens} / ${complex.maxTokens}`);
  });

  it('the per-request override still wins, and keeps the signals; Escalate goes one tier up', () => {
    const router = new Router(defaultRoutingConfig('openai'), ports(['openai']));
    const forced = ok(router.route(ask('What language is this written in?', { override: { tier: 'complex' } })));
    assert.equal(forced.tier, 'complex');
    assert.equal(forced.reason, 'complex tier (your choice): asks for a lookup, 180 input tokens → gpt-6.2-astra');
    assert.equal(forced.auto?.source, 'override');
    assert.equal(forced.auto?.routedTier, 'simple');
    const input = ask('What language is this written in?');
    const r = ok(router.route(input));
    const up = router.escalate(r, input);
    assert.ok(up);
    assert.equal(up.tier, 'medium');
    assert.equal(up.auto?.source, 'escalated');
    assert.equal(up.maxTokens, r.maxTokens);
    const model = ok(router.route(ask('What language is this written in?', { override: { provider: 'openai', model: 'gpt-6.2-astra' } })));
    assert.equal(model.model, 'gpt-6.2-astra');
    assert.equal(model.auto?.source, 'override');
  });

  it('a task with tier "auto" in the settings is routed by the request; other tasks keep their tier', () => {
    const { config, problems } = routingConfigFromSettings({
      tasks: { triage: { tier: 'auto', system: 'Help with the selection.', question: 'What to do' }, summarise: { tier: 'auto' } },
      routing: { classifier: 'model' },
    });
    assert.deepEqual(problems, []);
    assert.equal(config.classifier, 'model');
    assert.equal(config.tasks.triage!.auto, true);
    assert.equal(config.tasks.triage!.tier, 'medium');
    assert.equal(config.tasks.summarise!.auto, true);
    assert.equal(config.tasks.summarise!.tier, 'medium');
    const router = new Router(config, ports(['openai']));
    const r = ok(router.route({ task: 'triage', question: 'refactor this into a class', selectionText: FN, languageId: 'typescript', inputTokens: 100 }));
    assert.equal(r.tier, 'complex');
    const review = ok(router.route({ task: 'reviewCode', selectionText: FN, inputTokens: 100 }));
    assert.equal(review.auto, undefined);
    assert.equal(review.reason, 'complex tier: code review, 100 input tokens → gpt-6.2-astra');
    // Ask About Selection can be pinned back to a fixed tier.
    const pinned = routingConfigFromSettings({ tasks: { answer: { tier: 'medium' } } }).config;
    assert.equal(pinned.tasks.answer!.auto, false);
    assert.equal(ok(new Router(pinned, ports(['openai'])).route(ask('What language is this?'))).tier, 'medium');
    assert.deepEqual(routingConfigFromSettings({ routing: { classifier: 'gpt' } }).problems.map(english), ['tierwise.routing.classifier: must be one of local, model; using local.']);
  });

  it('a past choice of the user decides a look-alike request, and the reason line says so', () => {
    const learned = new LearnedRouting();
    const router = new Router(defaultRoutingConfig('openai'), { ...ports(['openai']), learned: (f) => learned.match(f) });
    const first = ok(router.route(ask('Explain what this function does.')));
    assert.equal(first.tier, 'medium');
    learned.add(first.auto!.assessment.features, 'complex', first.tier, 1);
    const again = ok(router.route(ask('Explain how this function works.')));
    assert.equal(again.tier, 'complex');
    assert.equal(again.auto?.source, 'learned');
    assert.equal(again.reason, 'complex tier: like a past request you moved to complex (asks for an explanation), 180 input tokens → gpt-6.2-astra');
    // A different kind of request is not affected.
    assert.equal(ok(router.route(ask('What language is this written in?'))).tier, 'simple');
    // The judge's tier is used and named when given.
    const judged = ok(router.route(ask('Thoughts?', { judged: { tier: 'simple', model: 'gpt-6-luna' } })));
    assert.equal(judged.tier, 'simple');
    assert.equal(judged.reason, 'simple tier: judged simple by gpt-6-luna (the rules were unsure: no clear task in the request), 180 input tokens → gpt-6-luna');
  });
});

describe('routing / learned: nearest neighbours over features', () => {
  const f = (q: string, selectionTokens = 200) => assessComplexity({ request: q, selectionText: FN, selectionTokens }).features;

  it('matches within the threshold and the same main intent only; the latest choice breaks ties', () => {
    const l = new LearnedRouting();
    assert.equal(l.match(f('Explain this.')), undefined);
    l.add(f('Explain this.'), 'complex', 'medium', 1);
    assert.equal(l.match(f('Explain that.'))?.tier, 'complex');
    assert.equal(l.match(f('Summarise this.')), undefined, 'other intent');
    assert.equal(l.match(f('Explain this.', 60_000)), undefined, 'far bigger selection');
    l.add(f('Explain this.'), 'simple', 'medium', 2);
    assert.equal(l.match(f('Explain this.'))?.tier, 'simple');
    assert.ok(LEARNED_DISTANCE > 0);
  });

  it('round-trips through JSON, drops malformed entries, keeps at most MAX_LEARNED, and clears', () => {
    const l = new LearnedRouting();
    for (let i = 0; i < MAX_LEARNED + 10; i++) l.add(f('Explain this.'), 'complex', 'medium', i);
    assert.equal(l.size, MAX_LEARNED);
    const back = LearnedRouting.fromJSON([...l.toJSON(), { features: { intent: 'x' }, tier: 'complex' }, null, 'junk']);
    assert.equal(back.size, MAX_LEARNED);
    assert.equal(LearnedRouting.fromJSON('nonsense').size, 0);
    back.clear();
    assert.equal(back.size, 0);
    assert.equal(back.match(f('Explain this.')), undefined);
  });
});

describe('routing / judge: the simple-tier model decides when the rules are unsure', () => {
  const unsure = assessComplexity({ request: 'Thoughts?', selectionText: FN });
  const sure = assessComplexity({ request: 'Convert this JSON to YAML.', selectionText: FN });

  it('is asked only in model mode and only below the confidence threshold, with a tiny max_tokens', async () => {
    const clock = new ManualClock();
    const seen: { maxTokens: number; user: string }[] = [];
    const judge: JudgeFn = async (p) => {
      seen.push(p);
      return 'Complex.';
    };
    assert.deepEqual(await decideWithJudge('local', unsure, { request: 'Thoughts?' }, judge, clock), { tier: 'medium', source: 'local', called: false });
    assert.deepEqual(await decideWithJudge('model', sure, { request: 'Convert' }, judge, clock), { tier: 'simple', source: 'local', called: false });
    assert.equal(seen.length, 0);
    assert.deepEqual(await decideWithJudge('model', unsure, { request: 'Thoughts?', languageId: 'typescript' }, judge, clock), { tier: 'complex', source: 'judge', called: true });
    assert.equal(seen[0]!.maxTokens, JUDGE_MAX_TOKENS);
    assert.equal(seen[0]!.user, `Request: Thoughts?\nSelection: ${unsure.features.selectionTokens} tokens of typescript code.`);
  });

  it('falls back to the local decision on an error, an unreadable reply, or a timeout (which aborts the call)', async () => {
    const clock = new ManualClock();
    const failing: JudgeFn = async () => {
      throw new Error('500');
    };
    assert.deepEqual(await decideWithJudge('model', unsure, { request: 'x' }, failing, clock), { tier: 'medium', source: 'local', fallback: 'error', called: true });
    assert.deepEqual(await decideWithJudge('model', unsure, { request: 'x' }, async () => 'maybe', clock), { tier: 'medium', source: 'local', fallback: 'unreadable', called: true });
    let aborted = false;
    const slow: JudgeFn = (_p, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('aborted'));
        });
      });
    const pending = decideWithJudge('model', unsure, { request: 'x' }, slow, clock, 3000);
    await flushMicrotasks();
    await clock.advance(2999);
    let settled = false;
    void pending.then(() => (settled = true));
    await flushMicrotasks();
    assert.equal(settled, false);
    await clock.advance(1);
    assert.deepEqual(await pending, { tier: 'medium', source: 'local', fallback: 'timeout', called: true });
    assert.equal(aborted, true);
  });

  it('parses one tier from the reply', () => {
    assert.equal(parseJudgeReply(' Simple'), 'simple');
    assert.equal(parseJudgeReply('complex.'), 'complex');
    assert.equal(parseJudgeReply('复杂'), 'complex');
    assert.equal(parseJudgeReply('simple or medium'), undefined);
    assert.equal(parseJudgeReply(''), undefined);
  });
});
