/**
 * OpenTelemetry export against the real protocol: a local OTLP/HTTP receiver (test/helpers/otlpReceiver.ts) takes
 * what the extension exports and decodes it with the official @opentelemetry/otlp-transformer request shapes. Calls
 * go to the fake provider as OpenAI, Anthropic, DashScope and a local OpenAI-compatible server.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_TASKS } from '../../src/core/routing';
import { workspaceIdentity } from '../../src/core/telemetry';
import type { LedgerRecord } from '../../src/core/pricing';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlpReceiver';
import { answerAfter, fakeEnqueue, fakeReset, fakeUrl, openFixture, setting, tierwise, until } from './helpers';

const KEYS = { openai: 'sk-test-otel-openai-0123456789abcdef', anthropic: 'sk-ant-test-otel-0123456789abcdef', dashscope: 'sk-test-otel-dashscope-0123456789' } as const;
const HEADER_VALUE = 'twotelHeaderSecret4Kq9Z2';

/** Explain on sample.ts; resolves with the ledger record of the call once the answer has ended. */
async function explain(): Promise<LedgerRecord> {
  const app = await tierwise();
  const editor = await openFixture('sample.ts');
  editor.selection = new vscode.Selection(0, 0, 8, 1);
  const n = app.services.ledger().all().length;
  const before = app.panel.latest()?.id;
  await vscode.commands.executeCommand('tierwise.explain');
  await answerAfter(before);
  return until('the ledger record', () => app.services.ledger().all()[n]);
}

/** The call spans (`chat …`) that arrived since the receiver was reset, after a flush. */
async function callSpans(rx: OtlpReceiver, count = 1): Promise<ReceivedSpan[]> {
  const app = await tierwise();
  return until(`${count} call span(s) at the receiver`, async () => {
    await app.services.telemetry.flush();
    const s = rx.spans.filter((x) => x.name.startsWith('chat '));
    return s.length >= count ? s : undefined;
  });
}

suite('OpenTelemetry export', () => {
  let rx: OtlpReceiver;
  let workspace: string | undefined;

  suiteSetup(async () => {
    const app = await tierwise();
    rx = await startOtlpReceiver();
    for (const [id, key] of Object.entries(KEYS)) await app.keys.set(id as keyof typeof KEYS, key);
    await setting('provider', 'openai');
    await setting('batch.pollSeconds', 1);
    const f = vscode.workspace.workspaceFolders?.[0];
    workspace = workspaceIdentity(f && { uri: f.uri.toString(), name: f.name }, false);
  });
  suiteTeardown(async () => {
    const app = await tierwise();
    for (const k of ['telemetry.otlpEndpoint', 'telemetry.headers', 'telemetry.resourceAttributes', 'telemetry.captureContent', 'batch.pollSeconds']) await setting(k, undefined);
    await setting('provider', 'openai');
    await app.services.telemetry.setHeader('x-tierwise-test', '');
    await rx.close();
  });
  setup(async () => {
    await fakeReset();
    rx.reset();
  });

  test('nothing is exported, and the SDK is not loaded, while export is off', async () => {
    const app = await tierwise();
    const loadedBefore = app.telemetryBundle();
    await setting('telemetry.otlpEndpoint', undefined);
    assert.equal(app.services.telemetry.enabled, false);
    await explain();
    await app.services.telemetry.flush();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(rx.raw, [], 'the receiver got nothing');
    assert.equal(app.services.telemetry.running, false);
    if (!loadedBefore) assert.equal(app.telemetryBundle(), false, 'dist/telemetry.js is not loaded');
  });

  test('OpenAI: one span with the GenAI attributes, cost, tierwise.* facts, headers and resource attributes', async () => {
    const app = await tierwise();
    await app.services.telemetry.setHeader('x-tierwise-test', HEADER_VALUE);
    await setting('telemetry.resourceAttributes', { team: 'payments', user: 'ana' });
    await setting('telemetry.otlpEndpoint', rx.url);
    await fakeEnqueue({ kind: 'ok', usage: { input: 1500, output: 320, cached: 1024, reasoning: 64 } });
    const rec = await explain();
    const [span] = await callSpans(rx);
    // The decoded span, for reading (the README's example comes from here).
    await fs.writeFile(path.join(os.tmpdir(), 'tierwise-otel-span.json'), JSON.stringify(span, null, 2)).catch(() => undefined);
    const a = span!.attributes;
    assert.equal(span!.name, 'chat gpt-6.1-sol');
    assert.equal(span!.kind, 3, 'CLIENT');
    assert.equal(span!.status.code, 0);
    assert.equal(a['gen_ai.operation.name'], 'chat');
    assert.equal(a['gen_ai.provider.name'], 'openai');
    assert.equal(a['gen_ai.request.model'], 'gpt-6.1-sol');
    assert.match(String(a['gen_ai.response.model']), /^gpt-6\.1-sol/);
    assert.equal(a['gen_ai.request.max_tokens'], DEFAULT_TASKS.explainCode.maxTokens);
    assert.equal(a['gen_ai.usage.input_tokens'], 1500);
    assert.equal(a['gen_ai.usage.output_tokens'], 320);
    assert.equal(a['gen_ai.usage.cache_read.input_tokens'], 1024);
    assert.equal(a['gen_ai.usage.cache_creation.input_tokens'], 0);
    assert.equal(a['gen_ai.usage.reasoning.output_tokens'], 64);
    assert.deepEqual(a['gen_ai.response.finish_reasons'], ['stop']);
    assert.equal(a['gen_ai.usage.cost.amount'], rec.cost);
    assert.ok(rec.cost > 0);
    assert.equal(a['gen_ai.usage.cost.currency'], 'USD');
    assert.equal(a['gen_ai.usage.cost.source'], 'provider');
    assert.equal(a['tierwise.tier'], 'medium');
    assert.equal(a['tierwise.task'], 'explainCode');
    assert.match(String(a['tierwise.route.reason']), /medium tier/);
    assert.equal(a['tierwise.batch'], false);
    assert.equal(a['tierwise.routing.overhead'], false);
    assert.equal(a['tierwise.retries'], 0);
    assert.equal(a['tierwise.workspace'], workspace);
    assert.equal(a['server.address'], '127.0.0.1');
    assert.equal(a['gen_ai.input.messages'], undefined, 'no prompt text while captureContent is off');
    assert.ok(!rx.raw.join('').includes('export function fib'), 'the selected code is not exported');
    assert.equal(span!.resource['service.name'], 'tierwise');
    assert.equal(span!.resource.team, 'payments');
    assert.equal(span!.resource.user, 'ana');
    assert.ok(rx.headers.every((h) => h['x-tierwise-test'] === HEADER_VALUE), 'the header from secret storage goes with every export');
    assert.ok(!rx.raw.some((b) => b.includes(HEADER_VALUE) || b.includes(KEYS.openai)), 'no header value or key inside what is exported');
    // The metrics of the same call.
    await until('the metrics', async () => {
      await app.services.telemetry.flush();
      return rx.metrics.some((m) => m.name === 'tierwise.client.cost') || undefined;
    });
    const tokens = rx.metrics.filter((m) => m.name === 'gen_ai.client.token.usage').flatMap((m) => m.points);
    const input = tokens.find((p) => p.attributes['gen_ai.token.type'] === 'input' && p.attributes['gen_ai.request.model'] === 'gpt-6.1-sol');
    assert.ok(input && input.sum! >= 1500, JSON.stringify(tokens));
    assert.ok(tokens.some((p) => p.attributes['gen_ai.token.type'] === 'output'));
    for (const n of ['gen_ai.client.operation.duration', 'gen_ai.client.operation.time_to_first_chunk']) assert.ok(rx.metrics.some((m) => m.name === n && m.kind === 'histogram'), n);
    const cost = rx.metrics.filter((m) => m.name === 'tierwise.client.cost').flatMap((m) => m.points).find((p) => p.attributes['tierwise.task'] === 'explainCode' && p.attributes['gen_ai.provider.name'] === 'openai');
    assert.ok(cost && cost.value! >= rec.costUsd - 1e-12, JSON.stringify(cost));
    assert.equal(cost.attributes['tierwise.tier'], 'medium');
  });

  test('Anthropic: cache read and cache creation tokens', async () => {
    await setting('telemetry.otlpEndpoint', rx.url);
    await setting('provider', 'anthropic');
    try {
      await fakeEnqueue({ kind: 'ok', usage: { input: 3000, output: 200, cached: 2000, cacheWrite: 500 } });
      const rec = await explain();
      const [span] = await callSpans(rx);
      const a = span!.attributes;
      assert.equal(a['gen_ai.provider.name'], 'anthropic');
      assert.match(String(a['gen_ai.request.model']), /^claude-/);
      assert.equal(a['gen_ai.usage.input_tokens'], 3000, 'input tokens include the cached parts');
      assert.equal(a['gen_ai.usage.cache_read.input_tokens'], 2000);
      assert.equal(a['gen_ai.usage.cache_creation.input_tokens'], 500);
      assert.equal(a['gen_ai.usage.cost.amount'], rec.cost);
      assert.equal(a['gen_ai.usage.cost.currency'], 'USD');
    } finally {
      await setting('provider', 'openai');
    }
  });

  test('DashScope: a custom provider name, the cost in CNY (ISO 4217) and its USD figure', async () => {
    await setting('telemetry.otlpEndpoint', rx.url);
    await setting('provider', 'dashscope');
    try {
      await fakeEnqueue({ kind: 'ok', usage: { input: 900, output: 150, cached: 256, reasoning: 30 } });
      const rec = await explain();
      const [span] = await callSpans(rx);
      const a = span!.attributes;
      assert.equal(a['gen_ai.provider.name'], 'dashscope');
      assert.match(String(a['gen_ai.request.model']), /^qwen/);
      assert.equal(a['gen_ai.usage.cache_read.input_tokens'], 256);
      assert.equal(a['gen_ai.usage.reasoning.output_tokens'], 30);
      assert.equal(a['gen_ai.usage.cost.currency'], 'CNY');
      assert.equal(a['gen_ai.usage.cost.amount'], rec.cost);
      assert.equal(a['tierwise.cost.usd'], rec.costUsd);
      assert.ok(rec.cost > rec.costUsd, 'yuan are more than dollars');
    } finally {
      await setting('provider', 'openai');
    }
  });

  test('a local model (OpenAI-compatible on loopback): free, marked local, with its server address', async () => {
    await setting('telemetry.otlpEndpoint', rx.url);
    // The fake, as a local server (another suite may have left the default, Ollama's port, or a gateway).
    const mine = vscode.workspace.getConfiguration('tierwise').inspect('providers.openaiCompatible.baseUrl')?.globalValue;
    await setting('providers.openaiCompatible.baseUrl', `${fakeUrl()}/v1`);
    await setting('provider', 'openaiCompatible');
    try {
      await fakeEnqueue({ kind: 'ok', usage: { input: 400, output: 80 } });
      await explain();
      const [span] = await callSpans(rx);
      const a = span!.attributes;
      assert.equal(a['gen_ai.provider.name'], 'openai_compatible');
      assert.equal(a['tierwise.local'], true);
      assert.equal(a['server.address'], '127.0.0.1');
      assert.equal(a['gen_ai.usage.input_tokens'], 400);
      assert.equal(a['gen_ai.usage.cost.amount'], 0);
    } finally {
      await setting('provider', 'openai');
      await setting('providers.openaiCompatible.baseUrl', mine);
    }
  });

  test('a 401: error.type and status on an error span, no key anywhere', async () => {
    await setting('telemetry.otlpEndpoint', rx.url);
    await fakeEnqueue({ kind: 'error', status: 401, errorType: 'auth' });
    const rec = await explain();
    assert.equal(rec.outcome, 'error');
    const [span] = await callSpans(rx);
    assert.equal(span!.attributes['error.type'], 'auth');
    assert.equal(span!.attributes['http.response.status_code'], 401);
    assert.equal(span!.status.code, 2, 'ERROR');
    assert.equal(span!.attributes['tierwise.outcome'], 'error');
    assert.ok(!rx.raw.some((b) => Object.values(KEYS).some((k) => b.includes(k))));
  });

  test('a 429 then success: the retry count, and the attempts as child spans', async () => {
    await setting('telemetry.otlpEndpoint', rx.url);
    await fakeEnqueue({ kind: 'error', status: 429, errorType: 'rate_limit', headers: { 'retry-after-ms': '30' } });
    await explain();
    const [span] = await callSpans(rx);
    assert.equal(span!.attributes['tierwise.retries'], 1);
    assert.equal(span!.status.code, 0);
    const children = rx.spans.filter((s) => s.parentSpanId === span!.spanId).sort((x, y) => x.startMs - y.startMs);
    assert.deepEqual(children.map((c) => c.name), ['attempt gpt-6.1-sol', 'retry gpt-6.1-sol']);
    assert.equal(children[0]!.attributes['error.type'], 'rateLimit');
    assert.equal(children[0]!.attributes['http.response.status_code'], 429);
    assert.equal(children[0]!.status.code, 2);
    assert.ok(Number(children[1]!.attributes['tierwise.retry.delay_ms']) >= 30);
    assert.ok(children.every((c) => c.traceId === span!.traceId));
  });

  test('a batch job: one span per item, marked batch, with the job id and batch prices', async () => {
    const app = await tierwise();
    await setting('telemetry.otlpEndpoint', rx.url);
    const doc = await vscode.workspace.openTextDocument({ content: 'The export button does nothing.\nPlease add a dark theme.\n', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
    const n = app.services.ledger().all().length;
    const id = await vscode.commands.executeCommand<string | undefined>('tierwise.runBatch', 'extractKeywords', 'lines');
    assert.ok(id, 'a batch id');
    const recs = await until('two batch records', () => (app.services.ledger().all().length >= n + 2 ? app.services.ledger().all().slice(n) : undefined), 30_000);
    const spans = await callSpans(rx, 2);
    for (const s of spans) {
      assert.equal(s.attributes['tierwise.batch'], true);
      assert.equal(s.attributes['tierwise.batch.job_id'], id);
      assert.equal(s.attributes['tierwise.batch.items'], 2);
      assert.equal(s.attributes['tierwise.task'], 'extractKeywords');
      assert.equal(s.attributes['gen_ai.provider.name'], 'openai');
    }
    assert.deepEqual(spans.map((s) => s.attributes['tierwise.batch.item']).sort(), [0, 1]);
    const total = spans.reduce((sum, s) => sum + Number(s.attributes['gen_ai.usage.cost.amount']), 0);
    const ledger = recs.reduce((sum, r) => sum + r.cost, 0);
    assert.ok(Math.abs(total - ledger) < 1e-12, `${total} != ${ledger}`);
  });

  test('captureContent on: the prompt and the answer are exported as GenAI messages', async () => {
    await setting('telemetry.otlpEndpoint', rx.url);
    await setting('telemetry.captureContent', true);
    try {
      await fakeEnqueue({ kind: 'ok', text: 'It computes Fibonacci numbers.' });
      await explain();
      const [span] = await callSpans(rx);
      const input = JSON.parse(String(span!.attributes['gen_ai.input.messages'])) as { role: string; parts: { content: string }[] }[];
      assert.ok(input.some((m) => m.parts[0]!.content.includes('export function fib')), 'the selection is in the input messages');
      const output = JSON.parse(String(span!.attributes['gen_ai.output.messages'])) as { parts: { content: string }[] }[];
      assert.equal(output[0]!.parts[0]!.content, 'It computes Fibonacci numbers.');
      assert.equal(JSON.parse(String(span!.attributes['gen_ai.system_instructions']))[0].content, DEFAULT_TASKS.explainCode.system);
    } finally {
      await setting('telemetry.captureContent', undefined);
    }
  });
});
