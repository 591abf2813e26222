import * as assert from 'node:assert/strict';
import { ProviderError } from '../../../src/core/errors';
import { AttemptTimeline, callMetrics, callSpan, DropOldestQueue, resolveTelemetrySettings, serverOf, workspaceIdentity, type TelemetryCall } from '../../../src/core/telemetry';
import type { Inspected } from '../../../src/core/destinations';
import { english, msg } from '../../../src/core/messages';

const T0 = 1_800_000_000_000;

function call(over: Partial<TelemetryCall> = {}): TelemetryCall {
  return {
    startMs: T0,
    endMs: T0 + 1500,
    requestProvider: 'anthropic',
    requestModel: 'claude-sonnet-5-5',
    provider: 'anthropic',
    responseModel: 'claude-sonnet-5-5-20261001',
    server: { address: 'api.anthropic.com', port: 443 },
    maxTokens: 1024,
    usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 1000, cacheWriteTokens: 100, reasoningTokens: 40 },
    usageReported: true,
    finishReason: 'stop',
    outcome: 'ok',
    cost: { amount: 0.0042, currency: 'USD', usd: 0.0042, source: 'provider' },
    ttftMs: 350,
    tier: 'medium',
    task: 'explainCode',
    routeReason: 'medium tier: explanation, 1,200 input tokens → claude-sonnet-5-5',
    batch: false,
    workspace: 'a1b2c3d4e5f6',
    retries: 0,
    fallbacks: 0,
    attempts: [],
    ...over,
  };
}

describe('Telemetry mapping (call facts → GenAI span and metrics)', () => {
  it('names the span "chat {model}" and sets the GenAI, cost and tierwise.* attributes', () => {
    const s = callSpan(call());
    assert.equal(s.name, 'chat claude-sonnet-5-5');
    assert.equal(s.startMs, T0);
    assert.equal(s.endMs, T0 + 1500);
    assert.equal(s.error, undefined);
    assert.deepEqual(s.children, []);
    assert.deepEqual(s.attributes, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-5-5',
      'gen_ai.response.model': 'claude-sonnet-5-5-20261001',
      'gen_ai.request.max_tokens': 1024,
      'server.address': 'api.anthropic.com',
      'server.port': 443,
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 1000,
      'gen_ai.usage.cache_creation.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 40,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': 0.35,
      'gen_ai.usage.cost.amount': 0.0042,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'provider',
      'tierwise.cost.usd': 0.0042,
      'tierwise.provider': 'anthropic',
      'tierwise.tier': 'medium',
      'tierwise.task': 'explainCode',
      'tierwise.route.reason': 'medium tier: explanation, 1,200 input tokens → claude-sonnet-5-5',
      'tierwise.routing.overhead': false,
      'tierwise.batch': false,
      'tierwise.workspace': 'a1b2c3d4e5f6',
      'tierwise.retries': 0,
      'tierwise.fallbacks': 0,
      'tierwise.outcome': 'ok',
      'tierwise.usage.estimated': false,
    });
  });

  it('custom provider names for DashScope and OpenAI-compatible servers; CNY costs keep their currency', () => {
    const d = callSpan(call({ provider: 'dashscope', requestProvider: 'dashscope', cost: { amount: 0.03, currency: 'CNY', usd: 0.0042, source: 'provider' } })).attributes;
    assert.equal(d['gen_ai.provider.name'], 'dashscope');
    assert.equal(d['gen_ai.usage.cost.currency'], 'CNY');
    assert.equal(d['gen_ai.usage.cost.amount'], 0.03);
    assert.equal(d['tierwise.cost.usd'], 0.0042);
    const l = callSpan(call({ provider: 'openaiCompatible', requestProvider: 'openaiCompatible', local: true, server: serverOf('http://127.0.0.1:11434/v1') })).attributes;
    assert.equal(l['gen_ai.provider.name'], 'openai_compatible');
    assert.equal(l['server.address'], '127.0.0.1');
    assert.equal(l['server.port'], 11434);
    assert.equal(l['tierwise.local'], true);
  });

  it('an error sets error.type, the HTTP status and the span status; a call without a price has no cost attributes', () => {
    const s = callSpan(call({ outcome: 'error', error: { kind: 'auth', status: 401 }, finishReason: 'error', cost: undefined, usageReported: false }));
    assert.equal(s.error, '401 auth');
    assert.equal(s.attributes['error.type'], 'auth');
    assert.equal(s.attributes['http.response.status_code'], 401);
    assert.equal(s.attributes['tierwise.usage.estimated'], true);
    for (const k of Object.keys(s.attributes)) assert.ok(!k.startsWith('gen_ai.usage.cost'), k);
    const cancelled = callSpan(call({ outcome: 'cancelled', error: { kind: 'aborted' } }));
    assert.equal(cancelled.error, undefined, 'a cancelled call is not a failed span');
    assert.equal(cancelled.attributes['error.type'], 'aborted');
  });

  it('retries and fallbacks become child spans, one per attempt', () => {
    const s = callSpan(
      call({
        retries: 1,
        fallbacks: 1,
        attempts: [
          { kind: 'first', provider: 'anthropic', model: 'claude-sonnet-5-5', attempt: 1, startMs: T0, endMs: T0 + 100, error: 'overloaded', status: 529 },
          { kind: 'retry', provider: 'anthropic', model: 'claude-sonnet-5-5', attempt: 2, startMs: T0 + 600, endMs: T0 + 700, error: 'overloaded', status: 529, delayMs: 500 },
          { kind: 'fallback', provider: 'openai', model: 'gpt-6.1-sol', attempt: 1, startMs: T0 + 700, endMs: T0 + 1500 },
        ],
      }),
    );
    assert.deepEqual(s.children.map((c) => c.name), ['attempt claude-sonnet-5-5', 'retry claude-sonnet-5-5', 'fallback gpt-6.1-sol']);
    assert.equal(s.children[1]!.attributes['tierwise.retry.delay_ms'], 500);
    assert.equal(s.children[1]!.attributes['error.type'], 'overloaded');
    assert.equal(s.children[1]!.error, 'overloaded');
    assert.equal(s.children[2]!.attributes['gen_ai.provider.name'], 'openai');
    assert.equal(s.children[2]!.error, undefined);
    for (const c of s.children) assert.equal(c.attributes['gen_ai.usage.cost.amount'], undefined, 'cost only on the inference span, never twice');
  });

  it('no prompt or answer text unless the call carries content (capture on)', () => {
    const secret = 'function secretAlgorithm() {}';
    const off = JSON.stringify(callSpan(call()));
    assert.ok(!off.includes('gen_ai.input.messages') && !off.includes(secret));
    const on = callSpan(call({ content: { system: 'Explain.', messages: [{ role: 'user', content: secret }], output: 'It does nothing.' } })).attributes;
    assert.deepEqual(JSON.parse(on['gen_ai.system_instructions'] as string), [{ type: 'text', content: 'Explain.' }]);
    assert.deepEqual(JSON.parse(on['gen_ai.input.messages'] as string), [{ role: 'user', parts: [{ type: 'text', content: secret }] }]);
    assert.deepEqual(JSON.parse(on['gen_ai.output.messages'] as string), [{ role: 'assistant', parts: [{ type: 'text', content: 'It does nothing.' }], finish_reason: 'stop' }]);
  });

  it('metrics: token usage by type, duration, time to first chunk, and the cost counter by provider, model, tier and task', () => {
    const m = callMetrics(call());
    assert.deepEqual(m.map((p) => [p.name, p.value, p.attributes['gen_ai.token.type']]), [
      ['gen_ai.client.token.usage', 1200, 'input'],
      ['gen_ai.client.token.usage', 300, 'output'],
      ['gen_ai.client.operation.duration', 1.5, undefined],
      ['gen_ai.client.operation.time_to_first_chunk', 0.35, undefined],
      ['tierwise.client.cost', 0.0042, undefined],
    ]);
    assert.deepEqual(m[4]!.attributes, {
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-5-5-20261001',
      'tierwise.tier': 'medium',
      'tierwise.task': 'explainCode',
      'gen_ai.usage.cost.source': 'provider',
    });
    const failed = callMetrics(call({ error: { kind: 'auth', status: 401 }, usageReported: false, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }, cost: undefined, ttftMs: undefined }));
    assert.deepEqual(failed.map((p) => p.name), ['gen_ai.client.operation.duration']);
    assert.equal(failed[0]!.attributes['error.type'], 'auth');
  });

  it('serverOf keeps only host and port of a base URL', () => {
    assert.deepEqual(serverOf('https://user:pw@dashscope.aliyuncs.com/compatible-mode/v1?key=x'), { address: 'dashscope.aliyuncs.com', port: 443 });
    assert.deepEqual(serverOf('http://[::1]:8080/v1'), { address: '::1', port: 8080 });
    assert.equal(serverOf('not a url'), undefined);
  });
});

describe('AttemptTimeline (pipeline events → attempts)', () => {
  it('keeps each attempt with its kind, failure and retry delay', () => {
    let now = T0;
    const t = new AttemptTimeline(() => now);
    const err = (kind: 'rateLimit' | 'server', status: number) => new ProviderError({ kind, status, message: 'x', provider: 'openai' });
    t.observe({ type: 'attempt', provider: 'openai', model: 'gpt-6.1-sol', attempt: 1, of: 3 });
    now += 100;
    t.observe({ type: 'retry', error: err('rateLimit', 429), delayMs: 400, attempt: 1, of: 2, message: '', text: msg('common.asIs', '') });
    now += 400;
    t.observe({ type: 'attempt', provider: 'openai', model: 'gpt-6.1-sol', attempt: 2, of: 3 });
    now += 50;
    t.observe({ type: 'fallback', from: { provider: 'openai', model: 'gpt-6.1-sol' }, to: { provider: 'anthropic', model: 'claude-sonnet-5-5' }, reason: '500 server', reasonText: msg('common.asIs', '500 server'), error: err('server', 500) });
    t.observe({ type: 'attempt', provider: 'anthropic', model: 'claude-sonnet-5-5', attempt: 1, of: 3 });
    now += 20;
    t.observe({ type: 'text', text: 'Hi' });
    now += 30;
    const a = t.attempts();
    assert.deepEqual(
      a.map((x) => [x.kind, x.model, x.startMs - T0, x.endMs - T0, x.error, x.status, x.delayMs]),
      [
        ['first', 'gpt-6.1-sol', 0, 100, 'rateLimit', 429, undefined],
        ['retry', 'gpt-6.1-sol', 500, 550, 'server', 500, 400],
        ['fallback', 'claude-sonnet-5-5', 550, 600, undefined, undefined, undefined],
      ],
    );
    assert.equal(t.timeToFirstTextMs(), 570);
  });
});

describe('Telemetry settings and workspace identity', () => {
  const inspect = (values: Record<string, Inspected>) => (k: string) => values[k];

  it('reads user values only: a workspace value is ignored and named', () => {
    const s = resolveTelemetrySettings(
      inspect({
        otlpEndpoint: { globalValue: 'https://otel.example.com/v1/traces/', workspaceValue: 'https://evil.example.com' },
        headers: { globalValue: ['Authorization', 'bad header'] },
        resourceAttributes: { globalValue: { team: 'payments', user: 'ana', 'bad key': 'x' } },
        captureContent: { workspaceValue: true, defaultValue: false },
      }),
    );
    assert.equal(s.endpoint, 'https://otel.example.com', 'a signal path is taken off');
    assert.deepEqual(s.headerNames, ['Authorization']);
    assert.deepEqual(s.resourceAttributes, { team: 'payments', user: 'ana' });
    assert.equal(s.captureContent, false);
    assert.equal(s.serviceName, 'tierwise');
    assert.deepEqual(s.ignored, ['tierwise.telemetry.otlpEndpoint', 'tierwise.telemetry.captureContent']);
    assert.equal(s.problems.length, 2);
  });

  it('is off without an endpoint, and with one that is not http(s)', () => {
    assert.equal(resolveTelemetrySettings(inspect({})).endpoint, undefined);
    const s = resolveTelemetrySettings(inspect({ otlpEndpoint: { globalValue: 'ftp://x' } }));
    assert.equal(s.endpoint, undefined);
    assert.match(english(s.problems[0]!), /export stays off/);
  });

  it('the workspace is a 12-digit hash of the folder URI, or its name when names are allowed', () => {
    const f = { uri: 'file:///home/ana/payments', name: 'payments' };
    const h = workspaceIdentity(f, false)!;
    assert.match(h, /^[0-9a-f]{12}$/);
    assert.equal(workspaceIdentity({ ...f }, false), h, 'stable');
    assert.notEqual(workspaceIdentity({ ...f, uri: 'file:///home/ana/other' }, false), h);
    assert.equal(workspaceIdentity(f, true), 'payments');
    assert.equal(workspaceIdentity(undefined, true), undefined);
  });

  it('the queue drops its oldest items when full and counts them', () => {
    const q = new DropOldestQueue<number>(3);
    for (let i = 1; i <= 5; i++) q.push(i);
    assert.equal(q.dropped, 2);
    assert.deepEqual(q.take(10), [3, 4, 5]);
  });
});
