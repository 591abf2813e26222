import assert from 'node:assert/strict';
import { Calibration, MAX_MODELS, MAX_SAMPLES, MIN_SAMPLES, calibrationKey, callSample, correctionOf, type Sample } from '../../../src/core/tokens/calibration';
import { countPlan, TokenCounter } from '../../../src/core/tokens/client';
import { LiveDocuments } from '../../../src/core/tokens/documents';
import { qwenVocabularyOf } from '../../../src/core/tokens/encodings';
import { InProcessBackend } from '../../../src/core/tokens/inprocess';
import { countRequestLocally } from '../../../src/core/tokens/request';
import type { CallOutcome } from '../../../src/core/resilience/pipeline';
import type { ChatRequest, Usage } from '../../../src/core/types';

const near = (a: number | undefined, b: number, what: string, eps = 1e-9) => assert.ok(a !== undefined && Math.abs(a - b) < eps, `${what}: ${a} != ${b}`);

/** Calibration with `samples` for `model`. */
function calibrated(model: string, samples: readonly Sample[]): Calibration {
  const c = new Calibration();
  samples.forEach(([e, r], i) => assert.ok(c.add(model, e, r, 1000 + i)));
  return c;
}

describe('tokens: which Qwen models are estimated (newer vocabulary)', () => {
  it('qwen3.5, qwen3.6, qwen3.7, qwen3.8 and qwen4 are the newer vocabulary; Qwen2/2.5/3 stay exact', () => {
    for (const m of ['qwen3.5-plus', 'qwen3.6-flash', 'qwen3.7-flash', 'qwen3.7-plus', 'qwen3.7-max', 'qwen3.8-max', 'qwen3.8-plus-2026-11-01', 'qwen4-max', 'qwen4-plus-latest', 'qwen3.10-turbo']) {
      assert.equal(qwenVocabularyOf(m), 'newer', m);
      assert.equal(countPlan('dashscope', m).method, 'estimate-qwen', m);
    }
    for (const m of ['qwen-plus', 'qwen-max', 'qwen-flash', 'qwen-long', 'qwen3-max', 'qwen3-coder-plus', 'qwen2.5-72b-instruct']) {
      assert.equal(qwenVocabularyOf(m), 'qwen', m);
      assert.equal(countPlan('dashscope', m).method, 'qwen', m);
    }
  });
});

describe('tokens: calibration of estimates from reported usage', () => {
  it('the factor is the token-weighted ratio of reported to estimated tokens', () => {
    // a consistent 10% under-count: factor 1.1, and every call predicted exactly from the others
    const exact = correctionOf([[100, 110], [200, 220], [1000, 1100]]);
    near(exact.factor, 1.1, 'factor');
    assert.equal(exact.calibrated, true);
    assert.equal(exact.samples, 3);
    near(exact.error, 0, 'error');
    near(exact.meanError, 0, 'mean error');
    // weighted by tokens: one long request outweighs two short ones with another ratio
    const weighted = correctionOf([[10, 20], [10, 20], [1000, 1000]]);
    near(weighted.factor, 1040 / 1020, 'weighted factor');
  });

  it('the measured error is leave-one-out: each call predicted with the factor of the others (p90 and mean)', () => {
    const samples: Sample[] = [[100, 100], [100, 110], [100, 120], [100, 130]];
    const c = correctionOf(samples);
    near(c.factor, 460 / 400, 'factor');
    // factor without sample i: (460 − rᵢ) / 300; error |f × 100 − rᵢ| / rᵢ
    const loo = samples.map(([e, r]) => Math.abs(((460 - r) / 300) * e - r) / r);
    near(c.meanError, loo.reduce((a, b) => a + b, 0) / 4, 'mean error');
    near(c.error, Math.max(...loo), 'p90 of 4 samples is the largest (nearest rank)');
    // larger than the in-sample error of the fitted factor (it does not see the call it predicts)
    const inSample = samples.reduce((a, [e, r]) => a + Math.abs(c.factor * e - r) / r, 0) / 4;
    assert.ok((c.meanError ?? 0) > inSample, `${c.meanError} > ${inSample}`);
  });

  it('below the minimum number of calls a model is uncalibrated: factor 1, no error claimed', () => {
    assert.equal(MIN_SAMPLES, 3);
    const c = calibrated('qwen3.7-plus', [[100, 120], [200, 240]]);
    assert.deepEqual(c.correction('qwen3.7-plus'), { factor: 1, samples: 2, calibrated: false });
    assert.deepEqual(c.correction('qwen3.8-max'), { factor: 1, samples: 0, calibrated: false });
    c.add('qwen3.7-plus', 300, 360);
    const now = c.correction('qwen3.7-plus');
    assert.equal(now.calibrated, true);
    near(now.factor, 1.2, 'factor');
  });

  it('keeps the latest samples of each model and a bounded number of models', () => {
    const c = new Calibration();
    for (let i = 0; i < MAX_SAMPLES + 20; i++) c.add('qwen3.7-plus', 100, i < 20 ? 300 : 110, i);
    const k = c.correction('qwen3.7-plus');
    assert.equal(k.samples, MAX_SAMPLES);
    near(k.factor, 1.1, 'only the latest samples count');
    for (let m = 0; m < MAX_MODELS + 5; m++) c.add(`model-${m}`, 100, 100, 1000 + m);
    assert.equal(c.keys().length, MAX_MODELS);
    assert.equal(c.correction('qwen3.7-plus').samples, 0, 'the model updated longest ago went first');
    assert.equal(c.correction(`model-${MAX_MODELS + 4}`).samples, 1);
    const stored = JSON.stringify(c.toJSON());
    assert.ok(stored.length < 10_000, `${stored.length} bytes`);
  });

  it('leaves out implausible samples (not positive, not finite, ratio beyond 3×)', () => {
    const c = new Calibration();
    assert.equal(c.add('qwen3.7-plus', 0, 10), false);
    assert.equal(c.add('qwen3.7-plus', 100, -1), false);
    assert.equal(c.add('qwen3.7-plus', Number.NaN, 10), false);
    assert.equal(c.add('qwen3.7-plus', 100, 1000), false);
    assert.equal(c.add('qwen3.7-plus', 1000, 100), false);
    assert.equal(c.add('qwen3.7-plus', 100, 250), true);
    assert.equal(c.correction('qwen3.7-plus').samples, 1);
  });

  it('keeps models apart; snapshots and -latest of a model share its calibration', () => {
    assert.equal(calibrationKey('Qwen3.7-Plus-2026-01-23'), 'qwen3.7-plus');
    assert.equal(calibrationKey('qwen3.7-plus-latest'), 'qwen3.7-plus');
    assert.equal(calibrationKey('qwen3.8-max-20261101'), 'qwen3.8-max');
    assert.equal(calibrationKey('dashscope/qwen4-max'), 'qwen4-max');
    assert.equal(calibrationKey('qwen3.7-flash'), 'qwen3.7-flash');
    const c = new Calibration();
    for (const [e, r] of [[100, 110], [200, 220], [300, 330]] as const) c.add('qwen3.7-plus', e, r);
    for (const [e, r] of [[100, 90], [200, 180], [300, 270]] as const) c.add('qwen3.7-flash', e, r);
    near(c.correction('qwen3.7-plus').factor, 1.1, 'plus');
    near(c.correction('qwen3.7-flash').factor, 0.9, 'flash');
    near(c.correction('qwen3.7-plus-2026-01-23').factor, 1.1, 'a snapshot of plus');
    near(c.correction('qwen3.7-plus-latest').factor, 1.1, 'plus, latest');
    assert.equal(c.correction('qwen3.8-max').calibrated, false);
  });

  it('round-trips through plain JSON (global state)', () => {
    const c = calibrated('qwen3.7-plus', [[100, 104], [220, 230], [310, 320], [90, 95]]);
    c.add('qwen4-max', 50, 55, 5000);
    const json = JSON.parse(JSON.stringify(c.toJSON())) as unknown;
    const back = Calibration.fromJSON(json);
    assert.deepEqual(back.correction('qwen3.7-plus'), c.correction('qwen3.7-plus'));
    assert.deepEqual(back.correction('qwen4-max'), c.correction('qwen4-max'));
    assert.deepEqual(back.toJSON(), c.toJSON());
  });

  it('a corrupt stored value is ignored without throwing: calibration starts over', () => {
    for (const bad of [undefined, null, 'x', 42, [], { v: 2, models: {} }, { v: 1 }, { v: 1, models: [] }, { v: 1, models: null }]) {
      const c = Calibration.fromJSON(bad);
      assert.deepEqual(c.toJSON(), { v: 1, models: {} }, JSON.stringify(bad));
    }
    // bad entries are dropped, good ones kept
    const mixed = Calibration.fromJSON({
      v: 1,
      models: {
        'qwen3.7-plus': { at: 1, samples: [[100, 110], 'x', [1, 2, 3], [100, -5], [100, 'a'], null, [200, 220], [300, 330]] },
        'qwen3.8-max': { at: 2, samples: 'not a list' },
        'qwen4-max': null,
        'qwen4-plus': { samples: [[10, 11]] },
      },
    });
    assert.deepEqual(mixed.keys().sort(), ['qwen3.7-plus', 'qwen4-plus']);
    const k = mixed.correction('qwen3.7-plus');
    assert.equal(k.samples, 3);
    near(k.factor, 1.1, 'factor');
    // more than fit are cut to the latest
    const many = Calibration.fromJSON({ v: 1, models: { m: { at: 1, samples: Array.from({ length: 500 }, () => [100, 120]) } } });
    assert.equal(many.correction('m').samples, MAX_SAMPLES);
  });
});

describe('tokens: counts with a calibration', function () {
  this.timeout(60_000);
  const backend = new InProcessBackend();
  const plain = new TokenCounter(backend);
  const calibration = calibrated('qwen3.7-plus', [[100, 108], [200, 216], [1000, 1080], [50, 56]]);
  const counter = new TokenCounter(backend, calibration);
  const text = 'Order 1234567 shipped on 2024-08-06. The quick brown fox jumps over the lazy dog.\n'.repeat(20);

  it("an 'estimate-qwen' count is multiplied by the model's factor and carries the measured error", async () => {
    const raw = await plain.count('dashscope', 'qwen3.7-plus', text);
    assert.deepEqual(Object.keys(raw).sort(), ['exact', 'method', 'tokens'], 'no calibration without a source');
    const c = await counter.count('dashscope', 'qwen3.7-plus', text);
    const k = calibration.correction('qwen3.7-plus');
    assert.equal(c.method, 'estimate-qwen');
    assert.equal(c.exact, false);
    assert.equal(c.tokens, Math.round(raw.tokens * k.factor));
    assert.deepEqual(c.calibration, { ...k, uncorrected: raw.tokens });
    assert.ok(c.calibration.calibrated && c.calibration.error !== undefined && c.calibration.error < 0.05, `error ${c.calibration.error}`);
  });

  it('an uncalibrated model keeps its estimate and says it is not calibrated yet', async () => {
    const raw = await plain.count('dashscope', 'qwen3.8-max', text);
    const c = await counter.count('dashscope', 'qwen3.8-max', text);
    assert.equal(c.tokens, raw.tokens);
    assert.deepEqual(c.calibration, { factor: 1, samples: 0, calibrated: false, uncorrected: raw.tokens });
  });

  it('other methods are left as they are', async () => {
    assert.deepEqual(await counter.count('openai', 'gpt-4o', text), await plain.count('openai', 'gpt-4o', text));
    assert.deepEqual(await counter.count('anthropic', 'claude-sonnet-4', text), await plain.count('anthropic', 'claude-sonnet-4', text));
    // the quick stand-in while an encoder loads is not the calibrated method
    assert.equal(counter.approximate('dashscope', 'qwen3.7-plus', text).calibration, undefined);
  });

  it('document counts (TokenCounter and LiveDocuments) are corrected too, with the factor current at each count', async () => {
    const raw = await plain.count('dashscope', 'qwen3.7-plus', text);
    const k = () => calibration.correction('qwen3.7-plus').factor;
    assert.equal((await counter.openDocument('a.md', 'dashscope', 'qwen3.7-plus', text)).tokens, Math.round(raw.tokens * k()));
    const docs = new LiveDocuments(backend, undefined, calibration);
    const doc = { key: 'b.md', version: 1, text: () => text };
    assert.equal((await docs.count(doc, 'dashscope', 'qwen3.7-plus')).tokens, Math.round(raw.tokens * k()));
    // a new sample moves the factor: the next count of the same, unchanged document follows it
    const live = calibrated('qwen3.7-plus', [[100, 108], [200, 216], [1000, 1080], [50, 56]]);
    const liveDocs = new LiveDocuments(backend, undefined, live);
    const first = await liveDocs.count({ ...doc, key: 'c.md' }, 'dashscope', 'qwen3.7-plus');
    live.add('qwen3.7-plus', 1000, 1300);
    const second = await liveDocs.count({ ...doc, key: 'c.md' }, 'dashscope', 'qwen3.7-plus');
    assert.ok(second.tokens > first.tokens, `${second.tokens} > ${first.tokens}`);
    assert.equal(second.tokens, Math.round(raw.tokens * live.correction('qwen3.7-plus').factor));
    counter.closeDocument('a.md');
    docs.dispose();
    liveDocs.dispose();
  });

  it('a request total scales the whole uncorrected total, framing included (what a sample records)', async () => {
    const req: ChatRequest = { provider: 'dashscope', model: 'qwen3.7-plus', system: 'You answer briefly.', messages: [{ role: 'user', content: text }], maxTokens: 100 };
    const raw = await countRequestLocally(plain, req);
    const r = await countRequestLocally(counter, req);
    const k = calibration.correction('qwen3.7-plus');
    assert.equal(r.calibration?.uncorrected, raw.tokens);
    assert.equal(r.tokens, Math.round(raw.tokens * k.factor));
    assert.equal(r.content + r.framing, r.tokens);
    assert.deepEqual([r.exact, r.method], [false, 'estimate-qwen']);
    // exact requests are not touched
    const gpt = { ...req, provider: 'openai' as const, model: 'gpt-4o' };
    assert.deepEqual(await countRequestLocally(counter, gpt), await countRequestLocally(plain, gpt));
  });
});

describe('tokens: the calibration sample of a finished call', function () {
  this.timeout(60_000);
  const backend = new InProcessBackend();
  const usage = (inputTokens: number): Usage => ({ inputTokens, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  const outcome = (provider: ChatRequest['provider'], model: string, inputTokens: number, usageReported = true): CallOutcome => ({
    result: { text: 'ok', finishReason: 'stop', usage: usage(inputTokens), usageReported, model, timing: { totalMs: 10 }, headers: {} },
    provider,
    model,
    retries: 0,
    fallbacks: 0,
    partialText: 'ok',
    usage: usage(inputTokens),
  });
  const req: ChatRequest = { provider: 'dashscope', model: 'qwen3.7-plus', system: 'Summarise.', messages: [{ role: 'user', content: 'A long report with 12345 figures and some prose.' }], maxTokens: 200 };

  it('a DashScope call to an estimated model gives (its uncorrected request estimate, the reported input)', async () => {
    const calibration = calibrated('qwen3.7-plus', [[100, 150], [200, 300], [300, 450]]);
    const counter = new TokenCounter(backend, calibration);
    const expected = (await countRequestLocally(new TokenCounter(backend), req)).tokens;
    const s = await callSample(counter, [req], outcome('dashscope', 'qwen3.7-plus', 61));
    assert.deepEqual(s, { model: 'qwen3.7-plus', estimate: expected, reported: 61 }, 'the estimate before correction (×1.5 here)');
  });

  it('the request that answered: a fallback is measured with its own model', async () => {
    const counter = new TokenCounter(backend);
    const fallback: ChatRequest = { ...req, model: 'qwen3.8-max-2026-11-01' };
    const s = await callSample(counter, [{ ...req, model: 'qwen-plus' }, fallback], outcome('dashscope', 'qwen3.8-max-2026-11-01', 70));
    assert.equal(s?.model, 'qwen3.8-max');
    assert.equal(s?.estimate, (await countRequestLocally(counter, fallback)).tokens);
  });

  it('no sample without reported usage, from another provider, for an exact model or a failed call', async () => {
    const counter = new TokenCounter(backend);
    assert.equal(await callSample(counter, [req], outcome('dashscope', 'qwen3.7-plus', 61, false)), undefined);
    assert.equal(await callSample(counter, [req], outcome('dashscope', 'qwen3.7-plus', 0)), undefined);
    assert.equal(await callSample(counter, [{ ...req, model: 'qwen-plus' }], outcome('dashscope', 'qwen-plus', 61)), undefined);
    assert.equal(await callSample(counter, [{ ...req, provider: 'openai', model: 'gpt-4o' }], outcome('openai', 'gpt-4o', 61)), undefined);
    const failed: CallOutcome = { ...outcome('dashscope', 'qwen3.7-plus', 61), result: undefined };
    assert.equal(await callSample(counter, [req], failed), undefined);
  });
});
