import assert from 'node:assert/strict';
import { ManualClock, type Clock } from '../../../src/core/clock';
import { createProvider } from '../../../src/core/providers';
import { buildMessagesBody } from '../../../src/core/providers/anthropic';
import type { ChatRequest } from '../../../src/core/types';
import { countTokens, defaultAnswer, type Scenario } from '../../fake-provider/server';
import { useFakeProvider } from '../../helpers/fakeProvider';
import { tickingClock } from '../../helpers/clocks';
import { collect, waitFor } from './collect';

const KEY = 'sk-ant-api03-SECRET-abcdefghijklmnop';

function req(over: Partial<ChatRequest> = {}): ChatRequest {
  return {
    provider: 'anthropic',
    model: 'claude-test-model',
    system: 'You review code.',
    messages: [{ role: 'user', content: 'Is this function pure?' }],
    maxTokens: 1024,
    ...over,
  };
}

describe('providers/anthropic (@anthropic-ai/sdk against the fake provider)', () => {
  const fx = useFakeProvider();

  const anthropic = (over: Record<string, unknown> = {}, clock?: Clock) =>
    fx.provider('anthropic', KEY, over, clock);

  it('streams Messages events into text, usage and a finish with model, request id, timing and headers', async () => {
    const c = await collect(anthropic({}, tickingClock()).stream(req()));
    assert.equal(c.error, undefined);
    const answer = defaultAnswer('claude-test-model');
    assert.equal(c.text, answer);
    assert.equal(c.events[0]!.type, 'start');
    assert.deepEqual(c.events.slice(-2).map((e) => e.type), ['usage', 'finish']);
    const res = c.result!;
    assert.equal(res.finishReason, 'stop');
    assert.equal(res.model, 'claude-test-model');
    assert.equal(res.usageReported, true);
    assert.deepEqual(res.usage, {
      inputTokens: countTokens(fx.fake.requests[0]!.body, 'anthropic'),
      outputTokens: Math.ceil(answer.length / 4),
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    assert.match(res.requestId!, /^req_/);
    assert.equal(res.headers['request-id'], res.requestId);
    assert.equal(res.headers['anthropic-ratelimit-requests-limit'], '500');
    assert.ok(res.headers['anthropic-ratelimit-tokens-reset']);
    assert.ok(res.timing.timeToFirstTokenMs! > 0 && res.timing.tokensPerSecond! > 0);
  });

  it('sends the key only in the auth header, no retries, system and messages as given', async () => {
    await collect(anthropic().stream(req({ temperature: 0.5 })));
    const rec = fx.fake.requests[0]!;
    assert.equal(rec.path, '/v1/messages');
    // SDK 1.x sends the key as a Bearer token (older ones used x-api-key).
    const auth = rec.headers['x-api-key'] ?? rec.headers.authorization;
    assert.ok(auth === KEY || auth === `Bearer ${KEY}`, auth);
    const elsewhere = Object.entries(rec.headers).filter(([k, v]) => k !== 'x-api-key' && k !== 'authorization' && v.includes(KEY));
    assert.deepEqual(elsewhere, []);
    assert.equal(rec.headers['x-stainless-retry-count'], '0');
    assert.ok(!JSON.stringify(rec.body).includes(KEY));
    assert.equal(rec.body.system, 'You review code.');
    assert.equal(rec.body.max_tokens, 1024);
    assert.equal(rec.body.temperature, 0.5);
    assert.equal(rec.body.stream, true);
  });

  it('leaves temperature out for models that refuse a non-default one (Sonnet 5+, Opus 4.7+, Fable)', async () => {
    for (const model of ['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-opus-4-7', 'claude-fable-5-1', 'claude-haiku-5-5']) {
      assert.equal((buildMessagesBody(req({ model, temperature: 0 })) as { temperature?: number }).temperature, undefined, model);
    }
    for (const model of ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-6', 'claude-3-haiku-20240307']) {
      assert.equal((buildMessagesBody(req({ model, temperature: 0 })) as { temperature?: number }).temperature, 0, model);
    }
  });

  it('adds input_tokens to the cache read and write tokens (Anthropic input_tokens excludes them)', async () => {
    fx.fake.enqueue({ kind: 'ok', usage: { input: 5000, cached: 3000, cacheWrite: 1500, output: 300, reasoning: 120 } });
    const c = await collect(anthropic().stream(req()));
    assert.deepEqual(c.result!.usage, {
      inputTokens: 5000,
      outputTokens: 300,
      cacheReadTokens: 3000,
      cacheWriteTokens: 1500,
      reasoningTokens: 120,
    });
  });

  it('marks cache breakpoints with cache_control and reports the write, then the read', async () => {
    const r = req({ system: 'Project conventions. '.repeat(200), systemCacheBreakpoint: true });
    const first = await collect(anthropic().stream(r));
    const second = await collect(anthropic().stream(r));
    const body = fx.fake.requests[0]!.body;
    assert.deepEqual(body.system, [{ type: 'text', text: r.system, cache_control: { type: 'ephemeral' } }]);
    const prefix = 3 + Math.ceil(r.system!.length / 4);
    assert.equal(first.result!.usage.cacheWriteTokens, prefix);
    assert.equal(first.result!.usage.cacheReadTokens, 0);
    assert.equal(second.result!.usage.cacheWriteTokens, 0);
    assert.equal(second.result!.usage.cacheReadTokens, prefix);
    assert.equal(second.result!.usage.inputTokens, countTokens(body, 'anthropic'));
  });

  it('message cache breakpoints become text blocks with cache_control', async () => {
    await collect(anthropic().stream(req({ messages: [{ role: 'user', content: 'file contents', cacheBreakpoint: true }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'now?' }] })));
    assert.deepEqual(fx.fake.requests[0]!.body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'file contents', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'now?' },
    ]);
  });

  it('max_tokens stop → length', async () => {
    const c = await collect(anthropic().stream(req({ maxTokens: 3 })));
    assert.equal(c.result!.finishReason, 'length');
    assert.equal(c.text.length, 12);
  });

  it('count_tokens returns the exact input count', async () => {
    const p = anthropic();
    const n = await p.countTokens!(req());
    assert.equal(n, countTokens(fx.fake.requests[0]!.body, 'anthropic'));
    assert.equal(fx.fake.requests[0]!.path, '/v1/messages/count_tokens');
    assert.equal(fx.fake.requests[0]!.body.system, 'You review code.');
  });

  it('count_tokens errors are ProviderErrors too', async () => {
    const p = createProvider({ id: 'anthropic', baseUrl: 'http://127.0.0.1:1', apiKey: KEY });
    await assert.rejects(p.countTokens!(req()), (e: unknown) => (e as { kind?: string }).kind === 'network');
  });

  describe('errors', () => {
    const cases: { name: string; scenario: Scenario; kind: string; code?: string; msg?: RegExp }[] = [
      { name: '401 → auth', scenario: { kind: 'error', status: 401 }, kind: 'auth', code: 'authentication_error' },
      { name: '403 → permission', scenario: { kind: 'error', status: 403 }, kind: 'permission', code: 'permission_error' },
      { name: '404 → notFound naming the model', scenario: { kind: 'error', status: 404 }, kind: 'notFound', code: 'not_found_error', msg: /"claude-test-model"/ },
      { name: '400 prompt too long → contextLength with numbers', scenario: { kind: 'error', errorType: 'context_length' }, kind: 'contextLength', msg: /200001 tokens, the context window is 200000 tokens/ },
      { name: '400 → badRequest', scenario: { kind: 'error', status: 400 }, kind: 'badRequest', code: 'invalid_request_error' },
      { name: 'billing → quota', scenario: { kind: 'error', errorType: 'insufficient_quota', status: 400 }, kind: 'quota', code: 'billing_error' },
      { name: '429 → rateLimit', scenario: { kind: 'error', status: 429, headers: { 'retry-after': '7' } }, kind: 'rateLimit', code: 'rate_limit_error', msg: /retry after 7 s/ },
      { name: '500 → server', scenario: { kind: 'error', status: 500 }, kind: 'server', code: 'api_error' },
      { name: '529 → overloaded', scenario: { kind: 'error', status: 529 }, kind: 'overloaded', code: 'overloaded_error' },
    ];
    for (const t of cases) {
      it(t.name, async () => {
        fx.fake.enqueue(t.scenario);
        const e = (await collect(anthropic().stream(req()))).error!;
        assert.ok(e);
        assert.equal(e.kind, t.kind);
        assert.equal(e.provider, 'anthropic');
        if (t.code) assert.equal(e.code, t.code);
        if (t.msg) assert.match(e.message, t.msg);
        assert.match(e.requestId!, /^req_/);
        assert.ok(e.message.includes(e.requestId!));
        assert.equal(e.headers['request-id'], e.requestId);
        assert.ok(!e.message.includes(KEY));
        assert.equal(fx.fake.requests.length, 1);
      });
    }

    it('overloaded_error event mid-stream → overloaded, partial text kept', async () => {
      fx.fake.enqueue({ kind: 'error', errorType: 'overloaded', afterChunks: 2 });
      const e = (await collect(anthropic().stream(req()))).error!;
      assert.equal(e.kind, 'overloaded');
      assert.equal(e.code, 'overloaded_error');
      assert.equal(e.partialText, defaultAnswer('claude-test-model').slice(0, 16));
      assert.ok(e.usage!.inputTokens > 0, 'input side reported by message_start');
    });

    it('a drop mid-stream → streamInterrupted with partial text and usage (reported input + estimated output)', async () => {
      fx.fake.enqueue({ kind: 'dropMidStream', afterChunks: 4, chunkSize: 4 });
      const c = await collect(anthropic().stream(req()));
      const e = c.error!;
      assert.equal(e.kind, 'streamInterrupted');
      assert.equal(e.partialText, defaultAnswer('claude-test-model').slice(0, 16));
      assert.equal(e.usage!.inputTokens, countTokens(fx.fake.requests[0]!.body, 'anthropic'));
      assert.equal(e.usage!.outputTokens, 4);
    });

    it('malformed SSE → malformed', async () => {
      fx.fake.enqueue({ kind: 'malformed', afterChunks: 2 });
      const e = (await collect(anthropic().stream(req()))).error!;
      assert.equal(e.kind, 'malformed');
      assert.equal(e.partialText, defaultAnswer('claude-test-model').slice(0, 16));
    });

    it('connection reset → network', async () => {
      fx.fake.enqueue({ kind: 'reset' });
      const e = (await collect(anthropic().stream(req()))).error!;
      assert.equal(e.kind, 'network');
    });

    it('missing key → missingKey', async () => {
      const p = createProvider({ id: 'anthropic', baseUrl: fx.fake.anthropicBaseUrl });
      assert.equal((await collect(p.stream(req()))).error!.kind, 'missingKey');
      assert.equal(fx.fake.requests.length, 0);
    });
  });

  it('abort mid-stream → aborted with the partial text', async () => {
    fx.fake.enqueue({ kind: 'stall', afterChunks: 5 });
    const ac = new AbortController();
    let texts = 0;
    const c = await collect(anthropic().stream(req(), ac.signal), (e) => {
      if (e.type === 'text' && ++texts === 3) ac.abort();
    });
    assert.equal(c.error!.kind, 'aborted');
    assert.equal(c.error!.partialText, defaultAnswer('claude-test-model').slice(0, 24));
  });

  it('idle timeout on the clock → timeout', async () => {
    fx.fake.enqueue({ kind: 'stall', afterChunks: 2 });
    const clock = new ManualClock();
    let texts = 0;
    const done = collect(anthropic({ timeoutMs: 10_000 }, clock).stream(req()), (e) => {
      if (e.type === 'text') texts++;
    });
    await waitFor(() => texts === 2 && clock.pending === 1);
    await clock.advance(10_000);
    const c = await done;
    assert.equal(c.error!.kind, 'timeout');
    assert.equal(c.error!.partialText, defaultAnswer('claude-test-model').slice(0, 16));
  });
});
