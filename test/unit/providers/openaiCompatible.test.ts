import { REASONING_ROOM_TOKENS } from '../../../src/core/providers/reasoning';
import { estimateTokens } from '../../../src/core/tokens/estimate';
import assert from 'node:assert/strict';
import { ManualClock, type Clock } from '../../../src/core/clock';
import { createProvider, DASHSCOPE_BASE_URLS, defaultBaseUrl } from '../../../src/core/providers';
import { toOpenAIMessages } from '../../../src/core/providers/openaiCompatible';
import { DEFAULT_TASKS } from '../../../src/core/routing/taskCatalogue';
import { buildMessages, buildUserContent } from '../../../src/core/routing/tasks';
import type { ChatRequest } from '../../../src/core/types';
import { countTokens, defaultAnswer, type FakeProvider } from '../../fake-provider/server';
import { useFakeProvider } from '../../helpers/fakeProvider';
import { tickingClock } from '../../helpers/clocks';
import { collect, waitFor } from './collect';

const KEY = 'sk-test-SECRET-0123456789abcdef';

function req(over: Partial<ChatRequest> = {}): ChatRequest {
  return {
    provider: 'openai',
    model: 'gpt-4o-mini',
    system: 'You are terse.',
    messages: [{ role: 'user', content: 'Explain closures in one line.' }],
    maxTokens: 512,
    ...over,
  };
}

describe('providers/openaiCompatible (openai SDK against the fake provider)', () => {
  const fx = useFakeProvider();

  const openai = (over: Record<string, unknown> = {}, clock?: Clock) =>
    fx.provider('openai', KEY, over, clock);

  it('streams text deltas and assembles the result with reported usage, model, request id and headers', async () => {
    const r = req();
    const c = await collect(openai({}, tickingClock()).stream(r));
    assert.equal(c.error, undefined);
    const answer = defaultAnswer('gpt-4o-mini');
    assert.equal(c.text, answer);
    assert.deepEqual(
      c.events.map((e) => e.type),
      ['start', ...Array(Math.ceil(answer.length / 8)).fill('text'), 'usage', 'finish'],
    );
    const res = c.result!;
    assert.equal(res.text, answer);
    assert.equal(res.finishReason, 'stop');
    assert.equal(res.model, 'gpt-4o-mini');
    assert.equal(res.usageReported, true);
    const body = fx.fake.requests[0]!.body;
    assert.deepEqual(res.usage, {
      inputTokens: countTokens(body, 'openai'),
      outputTokens: Math.ceil(answer.length / 4),
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    assert.match(res.requestId!, /^req_[0-9a-f]{32}$/);
    assert.equal(res.headers['x-request-id'], res.requestId);
    assert.equal(res.headers['x-ratelimit-limit-requests'], '500');
    assert.ok(res.headers['x-ratelimit-remaining-tokens']);
    assert.ok(res.timing.timeToFirstTokenMs! > 0);
    assert.ok(res.timing.totalMs > res.timing.timeToFirstTokenMs!);
    assert.ok(res.timing.tokensPerSecond! > 0);
    const start = c.events[0]!;
    assert.deepEqual(start, { type: 'start', requestId: res.requestId, model: 'gpt-4o-mini', headers: res.headers });
  });

  it('sends stream_options.include_usage, max_tokens and temperature; the key only in the auth header', async () => {
    await collect(openai().stream(req({ temperature: 0.2 })));
    const rec = fx.fake.requests[0]!;
    assert.equal(rec.path, '/v1/chat/completions');
    assert.equal(rec.body.stream, true);
    assert.deepEqual(rec.body.stream_options, { include_usage: true });
    assert.equal(rec.body.max_tokens, 512);
    assert.equal(rec.body.max_completion_tokens, undefined);
    assert.equal(rec.body.temperature, 0.2);
    assert.deepEqual(rec.body.messages, [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Explain closures in one line.' },
    ]);
    assert.equal(rec.headers.authorization, `Bearer ${KEY}`);
    assert.ok(!JSON.stringify(rec.body).includes(KEY));
    assert.equal(rec.headers['x-stainless-retry-count'], '0');
  });

  it('uses max_completion_tokens, with room for the reasoning, and drops temperature for o-series and gpt-5 models', async () => {
    await collect(openai().stream(req({ model: 'o4-mini', temperature: 0.3 })));
    await collect(openai().stream(req({ model: 'gpt-5-nano', temperature: 0.3 })));
    for (const rec of fx.fake.requests) {
      assert.equal(rec.body.max_completion_tokens, 512 + REASONING_ROOM_TOKENS);
      assert.equal(rec.body.max_tokens, undefined);
      assert.equal(rec.body.temperature, undefined);
    }
  });

  it('normalises cached and reasoning tokens (prompt_tokens already includes cached_tokens)', async () => {
    fx.fake.enqueue({ kind: 'ok', usage: { input: 3000, cached: 2048, output: 700, reasoning: 600 } });
    const c = await collect(openai().stream(req()));
    assert.deepEqual(c.result!.usage, {
      inputTokens: 3000,
      outputTokens: 700,
      cacheReadTokens: 2048,
      cacheWriteTokens: 0,
      reasoningTokens: 600,
    });
  });

  it('reports implicit prefix caching for a repeated long prompt', async () => {
    const long = 'lorem ipsum dolor sit amet '.repeat(400); // ~2700 tokens
    const r = req({ system: long });
    const first = await collect(openai().stream(r));
    const second = await collect(openai().stream(r));
    assert.equal(first.result!.usage.cacheReadTokens, 0);
    const cached = second.result!.usage.cacheReadTokens;
    assert.ok(cached >= 1024, `cached ${cached}`);
    assert.equal(cached % 128, 0);
    assert.ok(cached <= second.result!.usage.inputTokens);
  });

  it('maps finish_reason length when max tokens cut the answer', async () => {
    const c = await collect(openai().stream(req({ maxTokens: 5 })));
    assert.equal(c.result!.finishReason, 'length');
    assert.equal(c.text.length, 20);
    assert.equal(c.result!.usage.outputTokens, 5);
  });

  describe('errors', () => {
    const cases: { name: string; scenario: Parameters<FakeProvider['enqueue']>[0]; kind: string; status?: number; code?: string; msg?: RegExp }[] = [
      { name: '401 → auth', scenario: { kind: 'error', status: 401 }, kind: 'auth', status: 401, code: 'invalid_api_key', msg: /rejected the API key/ },
      { name: '403 → permission', scenario: { kind: 'error', status: 403 }, kind: 'permission', status: 403 },
      { name: '404 → notFound naming the model', scenario: { kind: 'error', status: 404 }, kind: 'notFound', code: 'model_not_found', msg: /"gpt-4o-mini"/ },
      { name: '400 context → contextLength with numbers', scenario: { kind: 'error', errorType: 'context_length' }, kind: 'contextLength', code: 'context_length_exceeded', msg: /128001 tokens, the context window is 128000 tokens/ },
      { name: '400 other → badRequest', scenario: { kind: 'error', errorType: 'bad_request' }, kind: 'badRequest', code: 'empty_array' },
      { name: '429 insufficient_quota → quota', scenario: { kind: 'error', errorType: 'insufficient_quota' }, kind: 'quota', code: 'insufficient_quota' },
      { name: '429 rate limit → rateLimit', scenario: { kind: 'error', errorType: 'rate_limit', headers: { 'retry-after': '2' } }, kind: 'rateLimit', code: 'rate_limit_exceeded', msg: /retry after 2 s/ },
      { name: '500 → server', scenario: { kind: 'error', status: 500 }, kind: 'server', status: 500 },
      { name: '503 → server', scenario: { kind: 'error', status: 503 }, kind: 'server', status: 503 },
      { name: '529 → overloaded', scenario: { kind: 'error', status: 529 }, kind: 'overloaded', status: 529 },
    ];
    for (const t of cases) {
      it(t.name, async () => {
        fx.fake.enqueue(t.scenario);
        const c = await collect(openai().stream(req()));
        const e = c.error!;
        assert.ok(e, 'expected a ProviderError');
        assert.equal(e.kind, t.kind);
        assert.equal(e.provider, 'openai');
        if (t.status) assert.equal(e.status, t.status);
        if (t.code) assert.equal(e.code, t.code);
        if (t.msg) assert.match(e.message, t.msg);
        assert.match(e.requestId!, /^req_/);
        assert.ok(e.message.includes(e.requestId!), 'message names the request id');
        assert.equal(e.headers['x-request-id'], e.requestId);
        assert.ok(!e.message.includes(KEY));
        assert.equal(fx.fake.requests.length, 1, 'no SDK retries');
      });
    }

    it('keeps retry-after / retry-after-ms headers on rate limit errors', async () => {
      fx.fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '3', 'retry-after-ms': '1500' } });
      const e = (await collect(openai().stream(req()))).error!;
      assert.equal(e.headers['retry-after'], '3');
      assert.equal(e.headers['retry-after-ms'], '1500');
      assert.equal(e.headers['x-ratelimit-limit-requests'], '500');
    });

    it('connection refused → network', async () => {
      const p = createProvider({ id: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: KEY });
      const e = (await collect(p.stream(req()))).error!;
      assert.equal(e.kind, 'network');
      assert.match(e.message, /127\.0\.0\.1:1/);
    });

    it('connection reset before any byte → network', async () => {
      fx.fake.enqueue({ kind: 'reset' });
      const e = (await collect(openai().stream(req()))).error!;
      assert.equal(e.kind, 'network');
    });

    it('a drop mid-stream → streamInterrupted keeping the partial text and a usage estimate', async () => {
      fx.fake.enqueue({ kind: 'dropMidStream', afterChunks: 3, chunkSize: 5 });
      const c = await collect(openai().stream(req()));
      const e = c.error!;
      assert.equal(e.kind, 'streamInterrupted');
      assert.equal(e.partialText, defaultAnswer('gpt-4o-mini').slice(0, 15));
      assert.equal(c.text, e.partialText);
      assert.equal(e.usage!.outputTokens, 4);
      assert.ok(e.usage!.inputTokens > 0);
      assert.match(e.requestId!, /^req_/);
    });

    it('malformed SSE → malformed', async () => {
      fx.fake.enqueue({ kind: 'malformed', afterChunks: 1 });
      const e = (await collect(openai().stream(req()))).error!;
      assert.equal(e.kind, 'malformed');
      assert.equal(e.partialText, defaultAnswer('gpt-4o-mini').slice(0, 8));
    });

    it('an error event inside the stream keeps its kind and the partial text', async () => {
      fx.fake.enqueue({ kind: 'error', errorType: 'server', afterChunks: 2 });
      const e = (await collect(openai().stream(req()))).error!;
      assert.equal(e.kind, 'server');
      assert.equal(e.status, undefined);
      assert.equal(e.partialText, defaultAnswer('gpt-4o-mini').slice(0, 16));
    });

    it('never leaks the key, even when the server echoes it', async () => {
      fx.fake.enqueue({ kind: 'error', status: 400, headers: {} });
      // A gateway that echoes the key in its message (seen with some proxies).
      const echo: typeof fetch = async (input, init) => {
        const r = await fetch(input, init);
        if (r.ok) return r;
        const body = { error: { message: `bad key ${KEY} in request`, type: 'invalid_request_error', code: null, param: null } };
        return new Response(JSON.stringify(body), { status: r.status, headers: r.headers });
      };
      const e = (await collect(openai({ fetch: echo }).stream(req()))).error!;
      assert.equal(e.kind, 'badRequest');
      assert.ok(!e.message.includes(KEY), e.message);
      assert.match(e.message, /bad key \*\*\* in request/);
    });

    it('missing key → missingKey without any request', async () => {
      const p = createProvider({ id: 'openai', baseUrl: fx.fake.openaiBaseUrl });
      const e = (await collect(p.stream(req()))).error!;
      assert.equal(e.kind, 'missingKey');
      assert.equal(fx.fake.requests.length, 0);
    });
  });

  describe('abort and timeouts', () => {
    it('abort mid-stream → aborted with the partial text', async () => {
      fx.fake.enqueue({ kind: 'stall', afterChunks: 3 });
      const ac = new AbortController();
      let texts = 0;
      const c = await collect(openai().stream(req(), ac.signal), (e) => {
        if (e.type === 'text' && ++texts === 2) ac.abort();
      });
      assert.equal(c.error!.kind, 'aborted');
      assert.equal(c.error!.partialText, defaultAnswer('gpt-4o-mini').slice(0, 16));
      assert.equal(c.error!.usage!.outputTokens, 4);
      assert.equal(c.error!.message, `Request cancelled. (request ${c.error!.requestId})`);
    });

    it('abort before the response → aborted', async () => {
      fx.fake.enqueue({ kind: 'stall', afterChunks: 0 });
      const ac = new AbortController();
      ac.abort();
      const e = (await collect(openai().stream(req(), ac.signal))).error!;
      assert.equal(e.kind, 'aborted');
    });

    it('idle timeout driven by the clock → timeout with the partial text', async () => {
      fx.fake.enqueue({ kind: 'stall', afterChunks: 1 });
      const clock = new ManualClock();
      const p = openai({ timeoutMs: 30_000 }, clock);
      let texts = 0;
      const done = collect(p.stream(req()), (e) => {
        if (e.type === 'text') texts++;
      });
      await waitFor(() => texts === 1 && clock.pending === 1);
      await clock.advance(29_999);
      assert.equal(clock.pending, 1, 'not yet timed out');
      await clock.advance(1);
      const c = await done;
      assert.equal(c.error!.kind, 'timeout');
      assert.equal(c.error!.partialText, defaultAnswer('gpt-4o-mini').slice(0, 8));
      assert.match(c.error!.message, /30000 ms/);
    });

    it('a stall before the first text times out too (scenario chosen by request header)', async () => {
      const clock = new ManualClock();
      const p = openai({ timeoutMs: 5000, headers: { 'x-fake-scenario': JSON.stringify({ kind: 'stall', afterChunks: 0 }) } }, clock);
      const done = collect(p.stream(req()));
      await waitFor(() => fx.fake.requests.length === 1 && clock.pending === 1);
      await clock.advance(5000);
      const c = await done;
      assert.equal(c.error!.kind, 'timeout');
      assert.equal(c.error!.partialText, undefined);
    });
  });

  describe('DashScope and OpenAI-compatible servers', () => {
    it('uses the region base URLs by default', () => {
      assert.equal(defaultBaseUrl('dashscope', 'china'), 'https://dashscope.aliyuncs.com/compatible-mode/v1');
      assert.equal(defaultBaseUrl('dashscope', 'international'), 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
      assert.equal(defaultBaseUrl('dashscope'), DASHSCOPE_BASE_URLS.china, 'the same default as the region setting and the price list');
    });

    it('sends requests to the chosen region through the injected fetch', async () => {
      const seen: string[] = [];
      const route: typeof fetch = (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        seen.push(url);
        return fetch(url.replace(/^https:\/\/[^/]+\/compatible-mode\/v1/, fx.fake.dashscopeBaseUrl), init);
      };
      for (const region of ['china', 'international'] as const) {
        const p = createProvider({ id: 'dashscope', apiKey: KEY, region, fetch: route });
        const c = await collect(p.stream(req({ provider: 'dashscope', model: 'qwen-plus' })));
        assert.equal(c.error, undefined);
      }
      assert.deepEqual(seen, [
        'https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions',
        'https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions',
      ]);
    });

    it('streams DashScope compatible-mode chunks with cached tokens', async () => {
      fx.fake.enqueue({ kind: 'ok', usage: { input: 3019, cached: 2048, output: 104 } });
      const p = fx.provider('dashscope', KEY);
      const c = await collect(p.stream(req({ provider: 'dashscope', model: 'qwen-plus' })));
      assert.equal(c.text, defaultAnswer('qwen-plus'));
      assert.equal(c.result!.model, 'qwen-plus');
      assert.deepEqual(c.result!.usage, { inputTokens: 3019, outputTokens: 104, cacheReadTokens: 2048, cacheWriteTokens: 0, reasoningTokens: 0 });
      assert.equal(fx.fake.requests[0]!.path, '/compatible-mode/v1/chat/completions');
      assert.equal(fx.fake.requests[0]!.body.max_tokens, 512);
    });

    it('maps DashScope native SSE error events and its context overflow', async () => {
      const p = fx.provider('dashscope', KEY);
      fx.fake.enqueue({ kind: 'error', errorType: 'context_length' }, { kind: 'error', errorType: 'rate_limit' }, { kind: 'error', errorType: 'insufficient_quota' });
      const ctx = (await collect(p.stream(req({ provider: 'dashscope', model: 'qwen-plus' })))).error!;
      assert.equal(ctx.kind, 'contextLength');
      assert.equal(ctx.code, 'invalid_parameter_error');
      assert.match(ctx.message, /context window is 129024 tokens/);
      assert.ok(ctx.requestId);
      const rl = (await collect(p.stream(req({ provider: 'dashscope', model: 'qwen-plus' })))).error!;
      assert.equal(rl.kind, 'rateLimit');
      const q = (await collect(p.stream(req({ provider: 'dashscope', model: 'qwen-plus' })))).error!;
      assert.equal(q.kind, 'rateLimit', 'DashScope per-minute throttle uses the insufficient_quota wording');
      assert.equal(q.code, 'insufficient_quota');
    });

    it('talks to a keyless local server without an Authorization header', async () => {
      const p = createProvider({ id: 'openaiCompatible', baseUrl: fx.fake.openaiBaseUrl });
      const c = await collect(p.stream(req({ provider: 'openaiCompatible', model: 'llama3.2' })));
      assert.equal(c.error, undefined);
      assert.equal(c.text, defaultAnswer('llama3.2'));
      assert.equal(fx.fake.requests[0]!.headers.authorization, undefined);
    });

    it('estimates usage when a server sends no usage chunk', async () => {
      const strip: typeof fetch = async (input, init) => {
        const body = JSON.parse(String(init!.body));
        delete body.stream_options;
        return fetch(input, { ...init, body: JSON.stringify(body) });
      };
      const p = createProvider({ id: 'openaiCompatible', baseUrl: fx.fake.openaiBaseUrl, fetch: strip });
      const c = await collect(p.stream(req({ provider: 'openaiCompatible', model: 'local' })));
      assert.equal(c.result!.usageReported, false);
      assert.equal(c.result!.usage.outputTokens, estimateTokens(defaultAnswer('local')));
      assert.ok(c.result!.usage.inputTokens > 0);
    });
  });

  it('sends an editor request as system + one user message: the selection first, the question after it', () => {
    const input = { selectionText: 'const x = 1;', languageId: 'typescript', question: 'What is x?' };
    const built = buildMessages(DEFAULT_TASKS.answer, input);
    assert.equal(built.messages.length, 2, 'two user messages in the core request');
    const wire = toOpenAIMessages({ provider: 'openai', model: 'gpt-6.1-sol', system: built.system, messages: built.messages, maxTokens: 100 });
    assert.deepEqual(wire, [
      { role: 'system', content: DEFAULT_TASKS.answer.system },
      { role: 'user', content: buildUserContent(DEFAULT_TASKS.answer, input) },
    ]);
    // Few-shot pairs keep their turns; a marked message is never merged.
    const fewShot = buildMessages(DEFAULT_TASKS.classify, { selectionText: 'ok', question: 'a, b' });
    const w2 = toOpenAIMessages({ provider: 'openai', model: 'm', messages: fewShot.messages, maxTokens: 5 });
    assert.deepEqual(w2.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    const marked = toOpenAIMessages({ provider: 'dashscope', model: 'm', messages: [{ role: 'user', content: 'doc', cacheBreakpoint: true }, { role: 'user', content: 'q' }], maxTokens: 5 });
    assert.equal(marked.length, 2);
  });
});
