import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { countTokens, defaultAnswer, type RecordedRequest } from '../../fake-provider/server';
import { useFakeProvider } from '../../helpers/fakeProvider';

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Parse an SSE body into [event, data] pairs (data lines only; comments skipped). */
function sse(text: string): { event?: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((b) => {
      const lines = b.split('\n');
      const ev = lines.find((l) => l.startsWith('event:'));
      return { event: ev?.slice(6).trim(), data: lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n') };
    });
}

const chat = (model = 'gpt-4o-mini', extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'hello there' }],
  stream: true,
  stream_options: { include_usage: true },
  ...extra,
});

describe('fake provider', () => {
  const fx = useFakeProvider();

  it('exposes base URLs for each provider', () => {
    assert.match(fx.fake.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(fx.fake.openaiBaseUrl, `${fx.fake.url}/v1`);
    assert.equal(fx.fake.anthropicBaseUrl, fx.fake.url);
    assert.equal(fx.fake.dashscopeBaseUrl, `${fx.fake.url}/compatible-mode/v1`);
  });

  it('records every API request in order with lower-case headers and the parsed body', async () => {
    await (await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat('a'), { 'X-Custom': 'One' })).text();
    await (await post(`${fx.fake.url}/v1/messages`, { model: 'b', max_tokens: 5, messages: [] })).text();
    assert.deepEqual(fx.fake.requests.map((r) => [r.method, r.path, r.body.model]), [
      ['POST', '/v1/chat/completions', 'a'],
      ['POST', '/v1/messages', 'b'],
    ]);
    assert.equal(fx.fake.requests[0]!.headers['x-custom'], 'One');
    assert.ok(typeof fx.fake.requests[0]!.at === 'number');
  });

  it('streams OpenAI chunks: role chunk, content deltas, finish chunk, usage chunk with choices [], [DONE]', async () => {
    const res = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/event-stream/);
    assert.match(res.headers.get('x-request-id')!, /^req_/);
    const events = sse(await res.text());
    assert.equal(events.at(-1)!.data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
    const usageChunk = chunks.at(-1);
    assert.deepEqual(usageChunk.choices, []);
    assert.equal(usageChunk.usage.prompt_tokens, countTokens(chat(), 'openai'));
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, defaultAnswer('gpt-4o-mini'));
    for (const c of chunks.slice(0, -1)) assert.equal(c.usage, null);
  });

  it('omits the usage chunk without include_usage, and answers non-streaming requests with JSON', async () => {
    const s = sse(await (await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat('m', { stream_options: undefined }))).text());
    assert.ok(s.slice(0, -1).every((e) => JSON.parse(e.data).choices.length === 1));
    const res = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat('m', { stream: false }));
    const j = await res.json();
    assert.equal(j.object, 'chat.completion');
    assert.equal(j.choices[0].message.content, defaultAnswer('m'));
    assert.equal(j.usage.completion_tokens, Math.ceil(defaultAnswer('m').length / 4));
  });

  it('streams Anthropic named events with usage input_tokens excluding the cached prefix', async () => {
    const body = {
      model: 'claude-x',
      max_tokens: 1000,
      stream: true,
      system: [{ type: 'text', text: 'S'.repeat(4400), cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'hi' }],
    };
    const first = sse(await (await post(`${fx.fake.url}/v1/messages`, body)).text());
    assert.deepEqual(
      [...new Set(first.map((e) => e.event))],
      ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'],
    );
    const start = JSON.parse(first[0]!.data).message.usage;
    assert.equal(start.cache_creation_input_tokens, 1103);
    assert.equal(start.cache_read_input_tokens, 0);
    assert.equal(start.input_tokens, countTokens(body, 'anthropic') - 1103);
    const second = sse(await (await post(`${fx.fake.url}/v1/messages`, body)).text());
    const delta = JSON.parse(second.find((e) => e.event === 'message_delta')!.data);
    assert.equal(delta.usage.cache_read_input_tokens, 1103);
    assert.equal(delta.usage.cache_creation_input_tokens, 0);
    assert.equal(delta.delta.stop_reason, 'end_turn');
  });

  describe('Anthropic prompt cache simulation', () => {
    const usageOf = async (body: unknown) => JSON.parse(sse(await (await post(`${fx.fake.url}/v1/messages`, body)).text())[0]!.data).message.usage;
    const block = (text: string, cache = true) => ({ type: 'text', text, ...(cache ? { cache_control: { type: 'ephemeral' } } : {}) });
    const msgs = (...blocks: unknown[]) => [{ role: 'user', content: blocks }];

    it('caches nothing below the model minimum, without an error', async () => {
      // 2,000 tokens: enough for Sonnet (1024), too short for Haiku 4.5 (4096).
      const doc = block('d'.repeat(8000));
      const haiku = await usageOf({ model: 'claude-haiku-4-5', max_tokens: 10, stream: true, messages: msgs(doc, block('q', false)) });
      assert.equal(haiku.cache_creation_input_tokens, 0);
      assert.equal(haiku.cache_read_input_tokens, 0);
      const sonnet = await usageOf({ model: 'claude-sonnet-5-5', max_tokens: 10, stream: true, messages: msgs(doc, block('q', false)) });
      assert.equal(sonnet.cache_creation_input_tokens, 3 + 2000);
    });

    it('reads the longest cached prefix among the breakpoints and writes the rest', async () => {
      const a = block('a'.repeat(6000));
      const b = block('b'.repeat(6000));
      const model = 'claude-sonnet-5-5';
      const first = await usageOf({ model, max_tokens: 10, stream: true, messages: msgs(a, block('q1', false)) });
      assert.deepEqual([first.cache_creation_input_tokens, first.cache_read_input_tokens], [1503, 0]);
      const second = await usageOf({ model, max_tokens: 10, stream: true, messages: msgs(a, b, block('q2', false)) });
      assert.deepEqual([second.cache_creation_input_tokens, second.cache_read_input_tokens], [1500, 1503]);
      // Another model has its own cache.
      const other = await usageOf({ model: 'claude-opus-5-5', max_tokens: 10, stream: true, messages: msgs(a, b, block('q3', false)) });
      assert.equal(other.cache_read_input_tokens, 0);
    });

    it('forgets an entry 5 minutes after its last use, on the server clock', async () => {
      let t = 1_000_000;
      fx.fake.setLimits({ now: () => t });
      const body = { model: 'claude-sonnet-5-5', max_tokens: 10, stream: true, messages: msgs(block('x'.repeat(6000)), block('q', false)) };
      assert.equal((await usageOf(body)).cache_creation_input_tokens, 1503);
      t += 4 * 60_000;
      assert.equal((await usageOf(body)).cache_read_input_tokens, 1503, 'a hit within 5 minutes refreshes the entry');
      t += 4 * 60_000;
      assert.equal((await usageOf(body)).cache_read_input_tokens, 1503);
      t += 6 * 60_000;
      const late = await usageOf(body);
      assert.deepEqual([late.cache_creation_input_tokens, late.cache_read_input_tokens], [1503, 0]);
    });

    it('refuses more than 4 cache_control blocks like the API', async () => {
      const res = await post(`${fx.fake.url}/v1/messages`, { model: 'claude-sonnet-5-5', max_tokens: 10, stream: true, messages: msgs(...[1, 2, 3, 4, 5].map((i) => block(`b${i}`))) });
      assert.equal(res.status, 400);
      const j = await res.json();
      assert.equal(j.error.type, 'invalid_request_error');
      assert.equal(j.error.message, 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
    });
  });

  it('answers count_tokens', async () => {
    const body = { model: 'c', messages: [{ role: 'user', content: 'x'.repeat(40) }], system: 'abcd' };
    const j = await (await post(`${fx.fake.url}/v1/messages/count_tokens`, body)).json();
    assert.deepEqual(j, { input_tokens: 3 + 10 + 3 + 1 });
  });

  it('DashScope compat stream has its own key order, finish delta and error bodies', async () => {
    const res = await post(`${fx.fake.dashscopeBaseUrl}/chat/completions`, chat('qwen-plus'));
    const ev = sse(await res.text());
    const first = ev[0]!.data;
    assert.ok(first.startsWith('{"choices":'), first);
    assert.match(JSON.parse(first).id, /^chatcmpl-[0-9a-f]{8}-/);
    const finish = JSON.parse(ev.at(-3)!.data);
    assert.deepEqual(finish.choices[0].delta, { content: '' });
    fx.fake.enqueue({ kind: 'error', errorType: 'context_length' });
    const err = await post(`${fx.fake.dashscopeBaseUrl}/chat/completions`, chat('qwen-plus', { stream: false }));
    assert.equal(err.status, 400);
    const j = await err.json();
    assert.equal(j.error.code, 'invalid_parameter_error');
    assert.ok(j.request_id);
    fx.fake.enqueue({ kind: 'error', status: 429 });
    const sErr = await post(`${fx.fake.dashscopeBaseUrl}/chat/completions`, chat('qwen-plus'));
    assert.equal(sErr.status, 429);
    assert.match(await sErr.text(), /^id:1\nevent:error\n:HTTP_STATUS\/429\ndata:\{/);
  });

  it('serves queued scenarios FIFO with times, then falls back to ok', async () => {
    fx.fake.enqueue({ kind: 'error', status: 500, times: 2 }, { kind: 'error', status: 401 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
      await r.text();
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [500, 500, 401, 200]);
  });

  it('chooses scenarios from the model name and the x-fake-scenario header before the queue', async () => {
    fx.fake.enqueue({ kind: 'error', status: 401 });
    const byModel = await post(`${fx.fake.url}/v1/messages`, { model: 'fake-error-529', max_tokens: 5, messages: [] });
    assert.equal(byModel.status, 529);
    assert.equal((await byModel.json()).error.type, 'overloaded_error');
    const byHeader = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat(), { 'x-fake-scenario': JSON.stringify({ kind: 'error', errorType: 'insufficient_quota' }) });
    assert.equal(byHeader.status, 429);
    assert.equal(byHeader.headers.get('x-should-retry'), 'false');
    assert.equal((await byHeader.json()).error.code, 'insufficient_quota');
    const queued = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
    assert.equal(queued.status, 401);
    await queued.text();
  });

  it('passes scenario headers through and honours text and chunkSize', async () => {
    fx.fake.enqueue({ kind: 'ok', text: 'abcdefghij', chunkSize: 3, headers: { 'x-extra': 'yes' } });
    const res = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
    assert.equal(res.headers.get('x-extra'), 'yes');
    const deltas = sse(await res.text())
      .slice(0, -1)
      .map((e) => JSON.parse(e.data).choices[0]?.delta?.content)
      .filter((t) => t);
    assert.deepEqual(deltas, ['abc', 'def', 'ghi', 'j']);
  });

  it('answers 429 with rate-limit headers past the per-minute limits, on an injected clock', async () => {
    let t = 1_000_000;
    fx.fake.setLimits({ rpm: 2, now: () => t });
    const s1 = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
    assert.equal(s1.headers.get('x-ratelimit-remaining-requests'), '1');
    await s1.text();
    t += 10_000;
    await (await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat())).text();
    const limited = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.equal(limited.headers.get('retry-after'), '50');
    assert.equal(limited.headers.get('retry-after-ms'), '50000');
    const j = await limited.json();
    assert.equal(j.error.code, 'rate_limit_exceeded');
    assert.equal(j.error.type, 'requests');
    t += 50_000;
    const again = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
    assert.equal(again.status, 200);
    await again.text();
  });

  it('limits tokens per minute by input tokens, with Anthropic headers on /v1/messages', async () => {
    const t = 0;
    const body = { model: 'c', max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(400) }] }; // 103 tokens
    fx.fake.setLimits({ tpm: 250, now: () => t });
    const a = await post(`${fx.fake.url}/v1/messages`, body);
    assert.equal(a.headers.get('anthropic-ratelimit-tokens-remaining'), '147');
    assert.match(a.headers.get('anthropic-ratelimit-tokens-reset')!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await a.text();
    await (await post(`${fx.fake.url}/v1/messages`, body)).text();
    const c = await post(`${fx.fake.url}/v1/messages`, body);
    assert.equal(c.status, 429);
    assert.equal((await c.json()).error.type, 'rate_limit_error');
  });

  it('is controlled over HTTP: scenarios, requests, limits, reset', async () => {
    const ctl = (p: string, b?: unknown) => post(`${fx.fake.url}/__fake/${p}`, b);
    assert.equal((await ctl('scenarios', [{ kind: 'error', status: 503 }])).status, 200);
    const r = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat('http-model'));
    assert.equal(r.status, 503);
    await r.text();
    const list = (await (await fetch(`${fx.fake.url}/__fake/requests`)).json()) as RecordedRequest[];
    assert.equal(list.length, 1);
    assert.equal(list[0]!.body.model, 'http-model');
    await (await ctl('limits', { rpm: 0 })).text();
    const limited = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
    assert.equal(limited.status, 429);
    await limited.text();
    await (await ctl('reset')).text();
    assert.equal(fx.fake.requests.length, 0);
    const ok = await post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat());
    assert.equal(ok.status, 200);
    await ok.text();
  });

  it('cuts the connection for reset, and holds it open for stall until the client gives up', async () => {
    fx.fake.enqueue({ kind: 'reset' });
    await assert.rejects(post(`${fx.fake.openaiBaseUrl}/chat/completions`, chat()));
    fx.fake.enqueue({ kind: 'stall', afterChunks: 1 });
    const ac = new AbortController();
    const res = await fetch(`${fx.fake.openaiBaseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify(chat()), signal: ac.signal });
    const reader = res.body!.getReader();
    const got: string[] = [];
    const dec = new TextDecoder();
    while (!got.join('').includes('Answer f')) got.push(dec.decode((await reader.read()).value));
    ac.abort();
    await assert.rejects(reader.read());
  });

  it('answers unknown routes with 404', async () => {
    const r = await post(`${fx.fake.url}/v2/unknown`, {});
    assert.equal(r.status, 404);
    await r.text();
  });

  describe('batches', () => {
    it('runs an OpenAI batch through the SDK: upload, create, poll, download output and error files', async () => {
      const client = new OpenAI({ apiKey: 'sk-x', baseURL: fx.fake.openaiBaseUrl, maxRetries: 0 });
      const lines = ['a', 'b', 'c'].map((id) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `q ${id}` }], max_tokens: 100 } }));
      fx.fake.enqueue({ kind: 'ok' }, { kind: 'error', status: 400 });
      const file = await client.files.create({ file: await toFile(Buffer.from(lines.join('\n')), 'in.jsonl'), purpose: 'batch' });
      assert.equal(file.purpose, 'batch');
      const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      assert.equal(created.status, 'in_progress');
      const done = await client.batches.retrieve(created.id);
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.request_counts, { total: 3, completed: 2, failed: 1 });
      const out = (await (await client.files.content(done.output_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(out.map((l) => l.custom_id), ['a', 'c']);
      assert.equal(out[0].response.status_code, 200);
      assert.equal(out[0].response.body.choices[0].message.content, defaultAnswer('gpt-4o-mini'));
      assert.equal(out[0].response.body.usage.prompt_tokens, countTokens({ messages: [{ role: 'user', content: 'q a' }] }));
      const err = (await (await client.files.content(done.error_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(err[0].custom_id, 'b');
      assert.equal(err[0].response.status_code, 400);
    });

    it('runs an Anthropic message batch through the SDK with results from results_url', async () => {
      const client = new Anthropic({ apiKey: 'sk-ant-x', baseURL: fx.fake.anthropicBaseUrl, maxRetries: 0 });
      const params = (t: string) => ({ model: 'claude-test-model', max_tokens: 100, messages: [{ role: 'user' as const, content: t }] });
      const created = await client.messages.batches.create({ requests: [{ custom_id: 'one', params: params('first') }, { custom_id: 'two', params: params('second') }] });
      assert.equal(created.processing_status, 'in_progress');
      assert.equal(created.results_url, null);
      const ended = await client.messages.batches.retrieve(created.id);
      assert.equal(ended.processing_status, 'ended');
      assert.equal(ended.request_counts.succeeded, 2);
      const results = [];
      for await (const r of await client.messages.batches.results(created.id)) results.push(r);
      assert.deepEqual(results.map((r) => r.custom_id), ['one', 'two']);
      const first = results[0]!.result;
      assert.equal(first.type, 'succeeded');
      if (first.type === 'succeeded') {
        assert.equal(first.message.usage.service_tier, 'batch');
        assert.equal(first.message.content[0]!.type, 'text');
      }
    });
  });
});
