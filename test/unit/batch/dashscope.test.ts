import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock';
import { BatchClient } from '../../../src/core/batch/client';
import { dashscopeBatchModels, dashscopeBatchRefusal, dashscopeBatchSupports } from '../../../src/core/batch/dashscope';
import type { BatchItem } from '../../../src/core/batch/types';
import { Catalogue, costOf } from '../../../src/core/pricing';
import type { ChatRequest } from '../../../src/core/types';
import { countTokens, defaultAnswer, outputTokensOf } from '../../fake-provider/server';
import { useFakeProvider } from '../../helpers/fakeProvider';
import { caught } from '../../helpers/errors';
import { english } from '../../../src/core/messages';

const KEY = 'sk-test-dashscope-batch-SECRET-0123';

function items(model: string, n = 2, over: Partial<ChatRequest> = {}): BatchItem[] {
  return Array.from({ length: n }, (_, i) => ({
    customId: `item-${i + 1}`,
    request: { provider: 'dashscope', model, system: 'Extract keywords.', messages: [{ role: 'user', content: `line ${i + 1}` }], maxTokens: 300, batch: true, ...over },
  }));
}

describe('batch: DashScope models per region (data)', () => {
  it('lists the models of each region and refuses others, naming the supported ones', () => {
    assert.ok(dashscopeBatchModels('china').includes('qwen-long'));
    assert.ok(!dashscopeBatchModels('international').includes('qwen-long'), 'qwen-long batch is Beijing only');
    for (const m of ['qwen-plus', 'qwen-flash']) {
      assert.ok(dashscopeBatchSupports(m, 'china'), m);
      assert.ok(dashscopeBatchSupports(m, 'international'), m);
    }
    // Beijing batches the current Qwen3.x models, Singapore the mainline ones; qwen-turbo (shut down) in neither.
    for (const m of ['qwen3.8-max', 'qwen3.7-plus', 'qwen3.7-flash']) assert.ok(dashscopeBatchSupports(m, 'china'), m);
    assert.ok(dashscopeBatchSupports('qwen-max', 'international'));
    for (const r of ['china', 'international'] as const) assert.equal(dashscopeBatchSupports('qwen-turbo', r), false, r);
    const why = english(dashscopeBatchRefusal('qwen-long', 'international')!);
    assert.match(why, /does not take qwen-long/);
    assert.match(why, /qwen-max, qwen-plus, qwen-flash(?!,)/);
    assert.match(english(dashscopeBatchRefusal('qwen-plus', 'us')!), /US \(Virginia\)/);
    assert.equal(dashscopeBatchRefusal('qwen-plus', 'china'), undefined);
  });
});

describe('batch: DashScope through its OpenAI-compatible endpoints (fake provider over HTTP)', () => {
  const fx = useFakeProvider();

  const client = (region: 'china' | 'international' | 'us' = 'china') =>
    fx.batchClient('dashscope', { apiKey: KEY, dashscopeRegion: region, clock: new ManualClock() });

  it('uploads, creates, polls and fetches the results under the compatible-mode base URL; priced at batch prices', async () => {
    const c = client('international');
    const submitted = items('qwen-plus', 2);
    // the editor's cache marks are not sent in a batch (no cache discount there)
    submitted[0]!.request.systemCacheBreakpoint = true;
    const info = await c.submit(submitted, { metadata: { source: 'tierwise' } });
    assert.equal(info.provider, 'dashscope');
    assert.match(info.id, /^batch_/);
    const [upload, create] = fx.fake.requests;
    assert.equal(upload!.path, '/compatible-mode/v1/files');
    assert.equal(upload!.body.purpose, 'batch');
    assert.equal(upload!.headers.authorization, `Bearer ${KEY}`);
    const lines = (upload!.body.content as string).trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; url: string; body: { model: string; max_tokens: number; messages: { content: unknown }[] } });
    assert.deepEqual(lines.map((l) => l.custom_id), ['item-1', 'item-2']);
    for (const l of lines) {
      assert.equal(l.url, '/v1/chat/completions');
      assert.equal(l.body.model, 'qwen-plus');
      assert.equal(l.body.max_tokens, 300);
      assert.equal(typeof l.body.messages[0]!.content, 'string', 'no cache_control parts in batch lines');
    }
    assert.equal(create!.path, '/compatible-mode/v1/batches');
    assert.match(create!.body.input_file_id as string, /^file-batch-/);
    assert.equal(create!.body.endpoint, '/v1/chat/completions');
    assert.equal(create!.body.completion_window, '24h');

    const done = await c.waitForCompletion(info.id, { pollMs: 1000 });
    assert.equal(done.status, 'completed');
    assert.equal(fx.fake.requests.at(-1)!.path, `/compatible-mode/v1/batches/${info.id}`);
    const { results, unreadable } = await c.results(done, { order: ['item-1', 'item-2'] });
    assert.deepEqual(unreadable, []);
    assert.equal(results.length, 2);
    const plus = new Catalogue({ dashscopeRegion: 'international' }).get('dashscope', 'qwen-plus')!;
    for (const [i, r] of results.entries()) {
      assert.ok(r.ok);
      assert.equal(r.text, defaultAnswer('qwen-plus'));
      const input = countTokens(lines[i]!.body, 'openai');
      assert.equal(r.usage.inputTokens, input);
      const out = outputTokensOf(defaultAnswer('qwen-plus'));
      assert.equal(r.usage.outputTokens, out);
      // half price: ($0.2 in, $0.6 out per M) at batch, ($0.4, $1.2) real time
      assert.ok(Math.abs(costOf(plus, r.usage, { batch: true }).total - (input * 0.2 + out * 0.6) / 1e6) < 1e-15);
      assert.ok(Math.abs(costOf(plus, r.usage).total - 2 * costOf(plus, r.usage, { batch: true }).total) < 1e-15);
    }
  });

  it('reads the error file too: a failed item comes back with its code and HTTP status', async () => {
    const c = client('china');
    fx.fake.enqueue({ kind: 'ok' }, { kind: 'error', errorType: 'bad_request' });
    const info = await c.submit(items('qwen3.7-flash', 2));
    const done = await c.waitForCompletion(info.id);
    assert.ok(done.outputFileId && done.errorFileId);
    const { results } = await c.results(done, { order: ['item-1', 'item-2'] });
    assert.equal(results[0]!.ok, true);
    const bad = results[1]!;
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.status === 400 && bad.retryable === false);
  });

  it('cancels a batch that has not run yet', async () => {
    const c = client('china');
    const info = await c.submit(items('qwen3.8-max', 1));
    const cancelled = await c.cancel(info.id);
    assert.equal(fx.fake.requests.at(-1)!.path, `/compatible-mode/v1/batches/${info.id}/cancel`);
    assert.equal(cancelled.status, 'cancelling');
    assert.equal((await c.retrieve(info.id)).status, 'cancelled');
  });

  it('refuses a model the region does not batch before anything is sent, naming the supported models', async () => {
    const e = await caught(client('international').submit(items('qwen-long', 2)));
    assert.equal(e.kind, 'badRequest');
    assert.match(e.message, /qwen-max, qwen-plus, qwen-flash(?!,)/);
    const us = await caught(client('us').submit(items('qwen-plus', 1)));
    assert.match(us.message, /not offered for the US \(Virginia\) region/);
    const mixed = [...items('qwen-plus', 1), { customId: 'x', request: { ...items('qwen-max', 1)[0]!.request } }];
    assert.match((await caught(client('china').submit(mixed))).message, /one model per batch/);
    assert.deepEqual(fx.fake.requests, []);
  });

  it('goes to the region\'s own host by default', async () => {
    const seen: string[] = [];
    for (const region of ['china', 'international'] as const) {
      const c = new BatchClient({
        provider: 'dashscope',
        apiKey: KEY,
        dashscopeRegion: region,
        fetch: (url, init) => {
          seen.push(url);
          return fetch(url.replace(/^https:\/\/[^/]+\/compatible-mode\/v1/, fx.fake.dashscopeBaseUrl), init);
        },
      });
      await c.submit(items('qwen-plus', 1));
    }
    assert.deepEqual(seen, [
      'https://dashscope.aliyuncs.com/compatible-mode/v1/files',
      'https://dashscope.aliyuncs.com/compatible-mode/v1/batches',
      'https://dashscope-intl.aliyuncs.com/compatible-mode/v1/files',
      'https://dashscope-intl.aliyuncs.com/compatible-mode/v1/batches',
    ]);
  });
});
