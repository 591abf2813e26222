import * as assert from 'node:assert/strict';
import { OtelExport } from '../../../src/core/telemetry/otel';
import type { TelemetryCall } from '../../../src/core/telemetry';
import { deadPort, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlpReceiver';

function call(i = 0, over: Partial<TelemetryCall> = {}): TelemetryCall {
  const now = Date.now();
  return {
    startMs: now - 800,
    endMs: now,
    requestProvider: 'openai',
    requestModel: 'gpt-6.1-sol',
    provider: 'openai',
    responseModel: 'gpt-6.1-sol',
    usage: { inputTokens: 100 + i, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    usageReported: true,
    finishReason: 'stop',
    outcome: 'ok',
    cost: { amount: 0.0004, currency: 'USD', usd: 0.0004, source: 'provider' },
    ttftMs: 120,
    tier: 'medium',
    task: 'explainCode',
    batch: false,
    retries: 0,
    fallbacks: 0,
    attempts: [],
    ...over,
  };
}

function logger() {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
}

describe('OTLP/HTTP export through the OpenTelemetry SDK', function () {
  this.timeout(30_000);
  let rx: OtlpReceiver;
  beforeEach(async () => (rx = await startOtlpReceiver()));
  afterEach(() => rx.close());

  it('delivers the span with its child spans, the resource, the headers and the metrics', async () => {
    const log = logger();
    const e = new OtelExport({ endpoint: rx.url, headers: { authorization: 'Basic dGVzdA==' }, serviceName: 'tierwise-test', serviceVersion: '9.9.9', resourceAttributes: { team: 'payments', user: 'ana' }, log });
    const now = Date.now();
    e.submit(
      call(0, {
        retries: 1,
        attempts: [
          { kind: 'first', provider: 'openai', model: 'gpt-6.1-sol', attempt: 1, startMs: now - 800, endMs: now - 700, error: 'rateLimit', status: 429 },
          { kind: 'retry', provider: 'openai', model: 'gpt-6.1-sol', attempt: 2, startMs: now - 400, endMs: now, delayMs: 300 },
        ],
      }),
    );
    await e.flush();
    const parent = rx.spans.find((s) => s.name === 'chat gpt-6.1-sol');
    assert.ok(parent, 'the call span arrived');
    assert.equal(parent.kind, 3, 'SpanKind CLIENT');
    assert.equal(parent.attributes['gen_ai.usage.input_tokens'], 100);
    assert.equal(parent.resource['service.name'], 'tierwise-test');
    assert.equal(parent.resource['service.version'], '9.9.9');
    assert.equal(parent.resource.team, 'payments');
    assert.equal(parent.resource.user, 'ana');
    const children = rx.spans.filter((s) => s.parentSpanId === parent.spanId);
    assert.deepEqual(children.map((c) => c.name).sort(), ['attempt gpt-6.1-sol', 'retry gpt-6.1-sol']);
    assert.ok(children.every((c) => c.traceId === parent.traceId));
    assert.equal(children.find((c) => c.name.startsWith('attempt'))!.status.code, 2, 'the failed attempt is an error span');
    assert.ok(rx.headers.every((h) => h.authorization === 'Basic dGVzdA=='));
    const names = new Set(rx.metrics.map((m) => m.name));
    for (const n of ['gen_ai.client.token.usage', 'gen_ai.client.operation.duration', 'gen_ai.client.operation.time_to_first_chunk', 'tierwise.client.cost']) assert.ok(names.has(n), n);
    const cost = rx.metrics.find((m) => m.name === 'tierwise.client.cost')!;
    assert.equal(cost.kind, 'sum');
    assert.equal(cost.points[0]!.value, 0.0004);
    assert.equal(e.stats().exportedSpans, 3);
    assert.ok(!log.lines.some((l) => l.startsWith('warn')), log.lines.join('\n'));
    await e.shutdown();
  });

  it('a dead collector: submit stays synchronous and fast, the failure is logged once, the queue keeps its newest calls', async () => {
    const log = logger();
    const e = new OtelExport({ endpoint: `http://127.0.0.1:${await deadPort()}`, headers: {}, serviceName: 't', serviceVersion: '1', resourceAttributes: {}, log, maxQueue: 50, batchSize: 10, exportTimeoutMs: 500 });
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) e.submit(call(i));
    const perCall = (performance.now() - t0) / 200;
    assert.ok(perCall < 5, `submit took ${perCall.toFixed(2)} ms per call`);
    await e.flush(3000);
    await e.flush(3000);
    const failures = log.lines.filter((l) => l.includes('export failed'));
    assert.equal(failures.filter((l) => l.includes('span')).length, 1, log.lines.join('\n'));
    assert.ok(e.stats().dropped > 0, 'the oldest calls were dropped');
    assert.equal(log.lines.filter((l) => l.includes('the oldest are dropped')).length, 1);
    await e.shutdown(500);
    assert.ok(log.lines.some((l) => /\d+ call\(s\) were dropped/.test(l)), 'the dropped count is logged');
  });

  it('a collector answering 503, then 200: one failure line, one recovery line, and the later spans arrive', async () => {
    const log = logger();
    const e = new OtelExport({ endpoint: rx.url, headers: {}, serviceName: 't', serviceVersion: '1', resourceAttributes: {}, log, exportTimeoutMs: 800 });
    rx.answer = 503;
    e.submit(call(1));
    await e.flush(4000);
    e.submit(call(2));
    await e.flush(4000);
    rx.answer = 200;
    e.submit(call(3));
    await e.flush(4000);
    assert.equal(log.lines.filter((l) => l.includes('span export failed')).length, 1, log.lines.join('\n'));
    assert.ok(log.lines.some((l) => l.includes('span export works again')), log.lines.join('\n'));
    assert.ok(rx.spans.some((s) => s.attributes['gen_ai.usage.input_tokens'] === 103));
    await e.shutdown(500);
  });

  it('a collector that never answers: flush and shutdown give up after their timeouts', async () => {
    const log = logger();
    const e = new OtelExport({ endpoint: rx.url, headers: {}, serviceName: 't', serviceVersion: '1', resourceAttributes: {}, log, exportTimeoutMs: 300 });
    rx.answer = 'hang';
    e.submit(call());
    const t0 = Date.now();
    await e.flush(1500);
    await e.shutdown(500);
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
  });
});
