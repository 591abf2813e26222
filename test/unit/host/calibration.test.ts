import './vscodeStub';
import assert from 'node:assert/strict';
import { CALIBRATION_KEY, QwenCalibrationStore, calibrationDetail, calibrationNote } from '../../../src/host/tokens/calibration';
import { TokenCounter } from '../../../src/core/tokens/client';
import { InProcessBackend } from '../../../src/core/tokens/inprocess';
import { countRequestLocally } from '../../../src/core/tokens/request';
import type { CallOutcome } from '../../../src/core/resilience/pipeline';
import type { ChatRequest, Usage } from '../../../src/core/types';
import type { Log } from '../../../src/host/util/log';

/** A Memento in memory (global state). */
class FakeMemento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    // stored as VS Code stores it: JSON
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

const log: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Log;
const usage = (inputTokens: number): Usage => ({ inputTokens, outputTokens: 30, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
const done = (model: string, inputTokens: number): CallOutcome => ({
  result: { text: 'ok', finishReason: 'stop', usage: usage(inputTokens), usageReported: true, model, timing: { totalMs: 5 }, headers: {} },
  provider: 'dashscope',
  model,
  retries: 0,
  fallbacks: 0,
  partialText: 'ok',
  usage: usage(inputTokens),
});

describe('host / QwenCalibrationStore: DashScope usage calibrates the estimate, kept in global state', function () {
  this.timeout(60_000);
  const backend = new InProcessBackend();
  const texts = ['Explain this function and its 3 edge cases.', 'Summarise the report: revenue 1234567, costs 98765.', 'Rewrite the paragraph in plain words, please.'];
  const request = (content: string): ChatRequest => ({ provider: 'dashscope', model: 'qwen3.7-plus', system: 'You are concise.', messages: [{ role: 'user', content }], maxTokens: 256 });

  it('after calls to qwen3.7-plus the samples are stored under tierwise.qwenCalibration and correct the next count', async () => {
    const state = new FakeMemento();
    const store = new QwenCalibrationStore(state as never, log);
    const counter = new TokenCounter(backend, store);
    const changed: string[] = [];
    store.onDidChange((m) => changed.push(m));
    const estimates: number[] = [];
    for (const t of texts) {
      const req = request(t);
      const estimate = (await countRequestLocally(new TokenCounter(backend), req)).tokens;
      estimates.push(estimate);
      await store.observe(counter, [req], done('qwen3.7-plus', Math.round(estimate * 1.2)));
    }
    assert.deepEqual(changed, ['qwen3.7-plus', 'qwen3.7-plus', 'qwen3.7-plus']);
    assert.equal(CALIBRATION_KEY, 'tierwise.qwenCalibration');
    const stored = state.get<{ v: number; models: Record<string, { samples: number[][] }> }>(CALIBRATION_KEY);
    assert.deepEqual(
      stored?.models['qwen3.7-plus']?.samples,
      estimates.map((e) => [e, Math.round(e * 1.2)]),
    );
    const k = store.correction('qwen3.7-plus');
    assert.equal(k.calibrated, true);
    assert.ok(Math.abs(k.factor - 1.2) < 0.02, `factor ${k.factor}`);
    // the counter reads the new factor
    const raw = await new TokenCounter(backend).count('dashscope', 'qwen3.7-plus', texts[0]!);
    const c = await counter.count('dashscope', 'qwen3.7-plus', texts[0]!);
    assert.equal(c.tokens, Math.round(raw.tokens * k.factor));
    // loaded again at the next activation
    const again = new QwenCalibrationStore(state as never, log);
    assert.deepEqual(again.correction('qwen3.7-plus'), k);
  });

  it('calls that give no sample store nothing; a corrupt stored value starts over', async () => {
    const state = new FakeMemento();
    state.values.set(CALIBRATION_KEY, { v: 1, models: 'garbage' });
    const store = new QwenCalibrationStore(state as never, log);
    assert.deepEqual(store.correction('qwen3.7-plus'), { factor: 1, samples: 0, calibrated: false });
    const counter = new TokenCounter(backend, store);
    await store.observe(counter, [{ ...request(texts[0]!), model: 'qwen-plus' }], done('qwen-plus', 40));
    assert.deepEqual(state.get(CALIBRATION_KEY), { v: 1, models: 'garbage' }, 'an exact model is not calibrated');
    await store.observe(counter, [request(texts[0]!)], done('qwen3.7-plus', 40));
    assert.equal(store.correction('qwen3.7-plus').samples, 1);
    assert.deepEqual(Object.keys((state.get(CALIBRATION_KEY) as { models: object }).models), ['qwen3.7-plus']);
  });

  it('picks up samples another window stored meanwhile', async () => {
    const state = new FakeMemento();
    const a = new QwenCalibrationStore(state as never, log);
    const b = new QwenCalibrationStore(state as never, log);
    const counter = new TokenCounter(backend);
    await a.observe(counter, [request(texts[0]!)], done('qwen3.7-plus', 30));
    await b.observe(counter, [request(texts[1]!)], done('qwen3.7-plus', 40));
    assert.equal(b.correction('qwen3.7-plus').samples, 2);
  });

  it('labels: the measured error and the number of calls, or that the estimate is not calibrated yet', async () => {
    assert.equal(calibrationNote(undefined), undefined);
    assert.equal(calibrationNote({ factor: 1, samples: 1, calibrated: false }), 'not calibrated yet, 1 of 3 calls measured');
    assert.equal(calibrationNote({ factor: 1.1, samples: 12, calibrated: true, error: 0.041, meanError: 0.02 }), '±4% measured over 12 calls');
    assert.equal(calibrationNote({ factor: 1.1, samples: 5, calibrated: true, error: 0.001, meanError: 0.001 }), '±1% measured over 5 calls', 'never ±0%');
    assert.match(calibrationDetail({ factor: 1.08, samples: 12, calibrated: true, error: 0.041, meanError: 0.02 }) ?? '', /×1\.08.*last 12 calls.*±4%.*mean error 2%/);
    assert.match(calibrationDetail({ factor: 1, samples: 2, calibrated: false }) ?? '', /once 3 calls have been measured \(2 so far\)/);
    // what a count carries is what the label reads
    const state = new FakeMemento();
    const store = new QwenCalibrationStore(state as never, log);
    const counter = new TokenCounter(backend, store);
    for (const [i, t] of [...texts, ...texts].entries()) {
      const est = (await countRequestLocally(new TokenCounter(backend), request(t))).tokens;
      await store.observe(counter, [request(t)], done('qwen3.7-plus', Math.round(est * (1.1 + (i % 3) * 0.02))));
    }
    const c = await counter.count('dashscope', 'qwen3.7-plus', texts[2]!);
    assert.match(calibrationNote(c.calibration) ?? '', /^±\d+% measured over 6 calls$/);
  });
});
