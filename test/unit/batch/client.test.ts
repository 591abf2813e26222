import assert from 'node:assert/strict';
import { ManualClock, flushMicrotasks } from '../../../src/core/clock';
import type { ChatRequest } from '../../../src/core/types';
import { BatchClient } from '../../../src/core/batch/client';
import type { BatchInfo, BatchItem } from '../../../src/core/batch/types';
import { parseJsonl } from '../../../src/core/batch/jsonl';
import { FakeFetch, json, text } from './fakeFetch';
import { caught } from '../../helpers/errors';

const OA = 'http://fake.test/v1';
const AN = 'http://fake.test';

function items(provider: 'openai' | 'anthropic', model: string, n = 2): BatchItem[] {
  return Array.from({ length: n }, (_, i) => {
    const request: ChatRequest = {
      provider,
      model,
      system: 'Summarise.',
      messages: [{ role: 'user', content: `doc ${i + 1}` }],
      maxTokens: 300,
    };
    return { customId: `doc-${i + 1}`, request };
  });
}

const oaBatch = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'batch_1',
  object: 'batch',
  endpoint: '/v1/chat/completions',
  input_file_id: 'file-in',
  completion_window: '24h',
  status,
  created_at: 1714508499,
  request_counts: { total: 2, completed: 0, failed: 0 },
  ...extra,
});

const anBatch = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'msgbatch_1',
  type: 'message_batch',
  processing_status: status,
  request_counts: { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
  created_at: '2026-11-27T05:00:00Z',
  expires_at: '2026-11-28T05:00:00Z',
  ended_at: null,
  cancel_initiated_at: null,
  results_url: null,
  ...extra,
});

describe('batch / OpenAI client', () => {
  it('uploads the JSONL file with purpose batch, then creates the batch', async () => {
    const f = new FakeFetch()
      .on('POST', `${OA}/files`, json(200, { id: 'file-in', object: 'file', purpose: 'batch', filename: 'tierwise-batch.jsonl' }))
      .on('POST', `${OA}/batches`, json(200, oaBatch('validating')));
    const client = new BatchClient({ provider: 'openai', apiKey: 'sk-test', baseUrl: `${OA}/`, fetch: f.fetch });
    const info = await client.submit(items('openai', 'gpt-4o-mini'), { metadata: { job: 'nightly' } });
    assert.equal(info.id, 'batch_1');
    assert.equal(info.status, 'validating');

    const [upload, create] = f.calls;
    assert.equal(upload!.headers.authorization, 'Bearer sk-test');
    const form = upload!.body as FormData;
    assert.equal(form.get('purpose'), 'batch');
    const file = form.get('file') as File;
    assert.equal(file.name, 'tierwise-batch.jsonl');
    const lines = parseJsonl(await file.text()).values as { custom_id: string; url: string; body: { model: string } }[];
    assert.deepEqual(
      lines.map((l) => [l.custom_id, l.url, l.body.model]),
      [
        ['doc-1', '/v1/chat/completions', 'gpt-4o-mini'],
        ['doc-2', '/v1/chat/completions', 'gpt-4o-mini'],
      ],
    );
    assert.equal(create!.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(create!.body as string), {
      input_file_id: 'file-in',
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { job: 'nightly' },
    });
  });

  it('polls on the clock with growing delays until completed, tolerating a transient error, then reads both files', async () => {
    const clock = new ManualClock(0);
    const f = new FakeFetch()
      .on(
        'GET',
        `${OA}/batches/batch_1`,
        json(200, oaBatch('validating')),
        json(200, oaBatch('in_progress', { request_counts: { total: 2, completed: 1, failed: 0 } })),
        json(503, { error: { message: 'Service Unavailable', type: 'server_error' } }),
        json(200, oaBatch('finalizing')),
        json(200, oaBatch('completed', { output_file_id: 'file-out', error_file_id: 'file-err', request_counts: { total: 2, completed: 1, failed: 1 } })),
      )
      .on(
        'GET',
        `${OA}/files/file-out/content`,
        text(
          '{"id":"r1","custom_id":"doc-2","response":{"status_code":200,"request_id":"req_1","body":{"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Short."},"finish_reason":"stop"}],"usage":{"prompt_tokens":30,"completion_tokens":2,"total_tokens":32}}},"error":null}\n',
        ),
      )
      .on(
        'GET',
        `${OA}/files/file-err/content`,
        text('{"id":"r2","custom_id":"doc-1","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}\n'),
      );
    const client = new BatchClient({ provider: 'openai', apiKey: 'sk-test', baseUrl: OA, fetch: f.fetch, clock });
    const seen: string[] = [];
    const done = client.waitForCompletion('batch_1', {
      pollMs: 10_000,
      factor: 2,
      maxPollMs: 30_000,
      onUpdate: (i: BatchInfo) => seen.push(`${clock.now()}:${i.status}`),
    });
    let info: BatchInfo | undefined;
    void done.then((i) => (info = i));
    await clock.runAll();
    await flushMicrotasks();
    assert.ok(info, 'finished');
    assert.equal(info.status, 'completed');
    // Polls at 0, 10 s, 30 s (error), 60 s, 90 s: delays 10, 20, 30 (capped), 30.
    assert.deepEqual(seen, ['0:validating', '10000:inProgress', '60000:finalizing', '90000:completed']);
    assert.equal(f.calls.length, 5);

    const { results, unreadable } = await client.results(info, { order: ['doc-1', 'doc-2'] });
    assert.deepEqual(unreadable, []);
    assert.deepEqual(
      results.map((r) => [r.customId, r.ok, r.ok ? r.text : r.outcome]),
      [
        ['doc-1', false, 'expired'],
        ['doc-2', true, 'Short.'],
      ],
    );
    assert.equal(f.calls.at(-1)!.headers.accept, 'application/binary');
  });

  it('gives up after too many transient errors in a row, and on a timeout', async () => {
    const clock = new ManualClock(0);
    const f = new FakeFetch().on('GET', `${OA}/batches/batch_1`, json(500, { error: { message: 'boom', type: 'server_error' } }));
    const client = new BatchClient({ provider: 'openai', apiKey: 'sk-test', baseUrl: OA, fetch: f.fetch, clock });
    const p = client.waitForCompletion('batch_1', { pollMs: 1000, factor: 1, maxConsecutiveErrors: 2 });
    const err = caught(p);
    await clock.runAll();
    const e = await err;
    assert.equal(e.kind, 'server');
    assert.equal(f.calls.length, 3);

    const slow = new FakeFetch().on('GET', `${OA}/batches/batch_1`, json(200, oaBatch('in_progress')));
    const clock2 = new ManualClock(0);
    const c2 = new BatchClient({ provider: 'openai', apiKey: 'sk-test', baseUrl: OA, fetch: slow.fetch, clock: clock2 });
    const err2 = caught(c2.waitForCompletion('batch_1', { pollMs: 60_000, factor: 1, timeoutMs: 180_000 }));
    await clock2.runAll();
    const e2 = await err2;
    assert.equal(e2.kind, 'timeout');
    assert.equal(e2.message, 'Batch batch_1 did not finish within 3 minutes of waiting; it may still finish later.');
    assert.equal(slow.calls.length, 4);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = new ManualClock(0);
    const f = new FakeFetch().on('GET', `${OA}/batches/batch_1`, json(200, oaBatch('in_progress')));
    const client = new BatchClient({ provider: 'openai', apiKey: 'sk-test', baseUrl: OA, fetch: f.fetch, clock });
    const ac = new AbortController();
    const err = caught(client.waitForCompletion('batch_1', { signal: ac.signal }));
    await flushMicrotasks();
    assert.equal(clock.pending, 1);
    ac.abort();
    const e = await err;
    assert.equal(e.kind, 'aborted');
    assert.equal(f.calls.length, 1);
  });

  it('maps HTTP failures: unknown batch, bad key (secret scrubbed), unfinished results', async () => {
    const f = new FakeFetch()
      .on('GET', `${OA}/batches/nope`, json(404, { error: { message: 'No batch found with id nope', type: 'invalid_request_error' } }))
      .on('POST', `${OA}/batches/batch_1/cancel`, json(401, { error: { message: 'Incorrect API key provided: sk-secret-key', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    const client = new BatchClient({ provider: 'openai', apiKey: 'sk-secret-key', baseUrl: OA, fetch: f.fetch });
    const nf = await caught(client.retrieve('nope'));
    assert.equal(nf.kind, 'notFound');
    assert.equal(nf.message, 'OpenAI has no batch "nope" (HTTP 404).');
    const auth = await caught(client.cancel('batch_1'));
    assert.equal(auth.kind, 'auth');
    assert.ok(!auth.message.includes('sk-secret-key'), auth.message);
    const running = await caught(client.results(runningInfo()));
    assert.equal(running.kind, 'badRequest');
    assert.equal(running.message, 'Batch batch_1 has not finished yet (in_progress).');
  });

  it('does not send anything for an invalid batch', async () => {
    const f = new FakeFetch();
    const client = new BatchClient({ provider: 'openai', apiKey: 'k', baseUrl: OA, fetch: f.fetch });
    const mixed = [...items('openai', 'gpt-4o-mini', 1), { ...items('openai', 'gpt-4o', 2)[1]! }];
    const e = await caught(client.submit(mixed));
    assert.equal(e.kind, 'badRequest');
    assert.equal(f.calls.length, 0);
  });
});

function runningInfo(): BatchInfo {
  return {
    provider: 'openai',
    id: 'batch_1',
    status: 'inProgress',
    rawStatus: 'in_progress',
    done: false,
    counts: { total: 2, succeeded: 0, failed: 0, processing: 2, cancelled: 0, expired: 0 },
    errors: [],
  };
}

describe('batch / Anthropic client', () => {
  it('creates the batch inline with the API key and version headers', async () => {
    const f = new FakeFetch().on('POST', `${AN}/v1/messages/batches`, json(200, anBatch('in_progress')));
    const client = new BatchClient({ provider: 'anthropic', apiKey: 'sk-ant', baseUrl: AN, fetch: f.fetch });
    const info = await client.submit(items('anthropic', 'claude-haiku-4-5'));
    assert.equal(info.id, 'msgbatch_1');
    assert.equal(info.status, 'inProgress');
    const call = f.calls[0]!;
    assert.equal(call.headers['x-api-key'], 'sk-ant');
    assert.equal(call.headers['anthropic-version'], '2023-06-01');
    assert.equal(call.headers.authorization, undefined);
    const body = JSON.parse(call.body as string) as { requests: { custom_id: string; params: Record<string, unknown> }[] };
    assert.deepEqual(body.requests[1], {
      custom_id: 'doc-2',
      params: { model: 'claude-haiku-4-5', max_tokens: 300, system: 'Summarise.', messages: [{ role: 'user', content: 'doc 2' }] },
    });
  });

  it('polls until ended, then reads results from results_url in submission order', async () => {
    const clock = new ManualClock(0);
    const resultsUrl = `${AN}/v1/messages/batches/msgbatch_1/results`;
    const f = new FakeFetch()
      .on(
        'GET',
        `${AN}/v1/messages/batches/msgbatch_1`,
        json(200, anBatch('in_progress')),
        json(200, anBatch('ended', { request_counts: { processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 0 }, results_url: resultsUrl, ended_at: '2026-11-27T05:40:00Z' })),
      )
      .on(
        'GET',
        resultsUrl,
        text(
          [
            '{"custom_id":"doc-2","result":{"type":"succeeded","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"Two."}],"stop_reason":"max_tokens","usage":{"input_tokens":12,"output_tokens":300,"cache_creation_input_tokens":5}}}}',
            '{"custom_id":"doc-1","result":{"type":"errored","error":{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":null}}}',
          ].join('\n'),
        ),
      );
    const client = new BatchClient({ provider: 'anthropic', apiKey: 'sk-ant', baseUrl: AN, fetch: f.fetch, clock });
    const p = client.waitForCompletion('msgbatch_1', { pollMs: 5000 });
    await clock.runAll();
    const info = await p;
    assert.equal(clock.now(), 5000);
    assert.equal(info.status, 'completed');
    assert.equal(info.counts.failed, 1);
    const { results } = await client.results(info, { order: ['doc-1', 'doc-2'] });
    assert.deepEqual(results, [
      { customId: 'doc-1', ok: false, outcome: 'errored', code: 'api_error', message: 'Internal server error', retryable: true },
      {
        customId: 'doc-2',
        ok: true,
        text: 'Two.',
        finishReason: 'length',
        usage: { inputTokens: 17, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 5, reasoningTokens: 0 },
        model: 'claude-haiku-4-5-20251001',
        requestId: 'msg_2',
      },
    ]);
    assert.equal(f.calls.at(-1)!.headers['x-api-key'], 'sk-ant');
  });

  it('never sends the key to a results_url on another origin', async () => {
    const f = new FakeFetch();
    const client = new BatchClient({ provider: 'anthropic', apiKey: 'sk-ant', baseUrl: AN, fetch: f.fetch });
    const ended: BatchInfo = {
      provider: 'anthropic',
      id: 'msgbatch_1',
      status: 'completed',
      rawStatus: 'ended',
      done: true,
      counts: { total: 1, succeeded: 1, failed: 0, processing: 0, cancelled: 0, expired: 0 },
      resultsUrl: 'https://evil.example/results',
      errors: [],
    };
    const e = await caught(client.results(ended));
    assert.equal(e.kind, 'malformed');
    assert.equal(f.calls.length, 0);
  });

  it('cancels: canceling, later ended as cancelled', async () => {
    const f = new FakeFetch()
      .on('POST', `${AN}/v1/messages/batches/msgbatch_1/cancel`, json(200, anBatch('canceling', { cancel_initiated_at: '2026-11-27T05:10:00Z' })))
      .on('GET', `${AN}/v1/messages/batches/msgbatch_1`, json(200, anBatch('ended', { cancel_initiated_at: '2026-11-27T05:10:00Z', request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 2, expired: 0 } })));
    const client = new BatchClient({ provider: 'anthropic', apiKey: 'sk-ant', baseUrl: AN, fetch: f.fetch });
    assert.equal((await client.cancel('msgbatch_1')).status, 'cancelling');
    const after = await client.retrieve('msgbatch_1');
    assert.equal(after.status, 'cancelled');
    assert.equal(after.counts.cancelled, 2);
  });

  it('reports a network failure as such', async () => {
    const client = new BatchClient({
      provider: 'anthropic',
      apiKey: 'sk-ant',
      baseUrl: AN,
      fetch: () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })),
    });
    const e = await caught(client.retrieve('msgbatch_1'));
    assert.equal(e.kind, 'network');
    assert.match(e.message, /fake\.test/);
  });
});
