import assert from 'node:assert/strict';
import { ManualClock, flushMicrotasks } from '../../../src/core/clock';
import type { Provider } from '../../../src/core/providers';
import { estimateInputTokens } from '../../../src/core/providers/usage';
import { CallRunner } from '../../../src/core/resilience/pipeline';
import type { CallEvent, CallOutcome } from '../../../src/core/resilience/pipeline';
import { resolveResilienceSettings } from '../../../src/core/resilience/settings';
import type { ResilienceSettingsInput } from '../../../src/core/resilience/settings';
import type { ChatRequest, ProviderId } from '../../../src/core/types';
import { useFakeProvider } from '../../helpers/fakeProvider';

/**
 * The pipeline over real HTTP: the real providers (official SDKs) against the fake provider. Backoff waits and
 * timeouts run on a ManualClock: a retry event advances the clock by exactly the announced delay, so no test sleeps.
 */
describe('resilience over HTTP (fake provider)', function () {
  const fx = useFakeProvider();

  function setup(settings: ResilienceSettingsInput = {}) {
    const clock = new ManualClock(Date.now());
    const providers: Partial<Record<ProviderId, Provider>> = {
      openai: fx.provider('openai', 'sk-test', {}, clock),
      anthropic: fx.provider('anthropic', 'sk-ant-test', {}, clock),
      dashscope: fx.provider('dashscope', 'sk-ds', {}, clock),
    };
    const runner = new CallRunner({
      clock,
      providerFor: (p) => providers[p]!,
      settings: resolveResilienceSettings({ retry: { maxRetries: 4 }, ...settings }),
      estimateTokens: estimateInputTokens,
      random: () => 0,
    });
    const events: CallEvent[] = [];
    const run = (candidates: ChatRequest[]): Promise<CallOutcome> =>
      runner.run(candidates, (e) => {
        events.push(e);
        // Drive the backoff wait: the sleep is registered right after this event.
        if (e.type === 'retry') setImmediate(() => void clock.advance(e.delayMs));
      });
    return { clock, runner, events, run };
  }

  const ask = (provider: ProviderId, model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
    provider,
    model,
    messages: [{ role: 'user', content: 'Write a function that adds two numbers.' }],
    maxTokens: 256,
    ...extra,
  });

  it('a 429 with retry-after is waited out, then the call succeeds', async () => {
    const t = setup();
    fx.fake.enqueue({ kind: 'error', status: 429, errorType: 'rate_limit', headers: { 'retry-after': '2' } });
    const out = await t.run([ask('openai', 'gpt-4o-mini')]);
    assert.ok(out.result, out.error?.message);
    assert.match(out.result.text, /gpt-4o-mini/);
    assert.equal(out.retries, 1);
    const retry = t.events.find((e) => e.type === 'retry');
    assert.ok(retry?.type === 'retry');
    assert.equal(retry.delayMs, 2000);
    assert.equal(retry.error.kind, 'rateLimit');
    assert.equal(retry.message, '429 rate limited, retrying in 2.0 s (retry 1 of 4)');
    assert.equal(fx.fake.requests.length, 2);
  });

  it('three 503s, then success, with the backoff schedule 1 s, 2 s, 4 s', async () => {
    const t = setup();
    fx.fake.enqueue({ kind: 'error', status: 503, times: 3 });
    const out = await t.run([ask('dashscope', 'qwen-plus')]);
    assert.ok(out.result, out.error?.message);
    assert.equal(out.retries, 3);
    assert.deepEqual(
      t.events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : [])),
      [1000, 2000, 4000],
    );
    assert.equal(fx.fake.requests.length, 4);
  });

  it('529 overloaded until retries run out, then falls back to the second provider', async () => {
    const t = setup({ retry: { maxRetries: 2 } });
    fx.fake.enqueue({ kind: 'error', status: 529, errorType: 'overloaded', times: 3 });
    const out = await t.run([ask('anthropic', 'claude-sonnet-4-6'), ask('openai', 'gpt-4o')]);
    assert.ok(out.result, out.error?.message);
    assert.equal(out.provider, 'openai');
    assert.equal(out.fallbacks, 1);
    assert.equal(out.retries, 2);
    const fb = t.events.find((e) => e.type === 'fallback');
    assert.ok(fb?.type === 'fallback');
    assert.deepEqual([fb.from, fb.to], [{ provider: 'anthropic', model: 'claude-sonnet-4-6' }, { provider: 'openai', model: 'gpt-4o' }]);
    assert.match(fb.reason, /529 overloaded/);
    assert.deepEqual(fx.fake.requests.map((r) => r.path), ['/v1/messages', '/v1/messages', '/v1/messages', '/v1/chat/completions']);
  });

  it('a 401 is neither retried nor sent to the fallback', async () => {
    const t = setup();
    fx.fake.enqueue({ kind: 'error', status: 401, errorType: 'auth' });
    const out = await t.run([ask('openai', 'gpt-4o'), ask('anthropic', 'claude-sonnet-4-6')]);
    assert.equal(out.error?.kind, 'auth');
    assert.equal(out.retries, 0);
    assert.equal(fx.fake.requests.length, 1);
  });

  it('a connection dropped mid-stream keeps the partial text and is not retried', async () => {
    const t = setup();
    fx.fake.enqueue({ kind: 'dropMidStream', afterChunks: 3, chunkSize: 5 });
    const out = await t.run([ask('openai', 'gpt-4o'), ask('anthropic', 'claude-sonnet-4-6')]);
    assert.equal(out.error?.kind, 'streamInterrupted', out.error?.message);
    assert.equal(out.partialText.length, 15);
    assert.equal(out.error?.partialText, out.partialText);
    assert.ok(out.usage.inputTokens > 0 && out.usage.outputTokens > 0, JSON.stringify(out.usage));
    const shown = t.events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
    assert.equal(shown, out.partialText);
    assert.equal(fx.fake.requests.length, 1);
  });

  it('a stalled stream becomes a timeout with the text so far', async () => {
    const t = setup({ timeouts: { connectMs: 10_000, firstTokenMs: 10_000, idleMs: 5_000 } });
    fx.fake.enqueue({ kind: 'stall', afterChunks: 2, chunkSize: 4 });
    const done = t.run([ask('anthropic', 'claude-sonnet-4-6')]);
    // wait (in real time) until the two chunks have arrived, then let simulated time pass
    for (let i = 0; i < 500 && t.events.filter((e) => e.type === 'text').length < 2; i++) await new Promise((r) => setTimeout(r, 2));
    await flushMicrotasks();
    await t.clock.advance(4_999);
    assert.equal(fx.fake.requests.length, 1);
    await t.clock.advance(1);
    const out = await done;
    assert.equal(out.error?.kind, 'timeout');
    assert.equal(out.error?.code, 'idleTimeout');
    assert.equal(out.partialText.length, 8);
    assert.equal(fx.fake.requests.length, 1);
  });

  it('puts cache_control on the stable Anthropic blocks; the second call reads the cache', async () => {
    const t = setup();
    const system = 'You review TypeScript code. '.repeat(200); // ~1400 tokens
    const doc = 'export const x = 1;\n'.repeat(400); // ~2000 tokens
    const req = (q: string) =>
      ask('anthropic', 'claude-sonnet-4-6', {
        system,
        messages: [
          { role: 'user', content: doc },
          { role: 'assistant', content: 'I have read the file.' },
          { role: 'user', content: q },
        ],
      });
    const first = await t.run([req('What does x hold?')]);
    assert.ok(first.result, first.error?.message);
    const body = fx.fake.requests[0]!.body as { system: unknown; messages: { content: unknown }[] };
    assert.deepEqual(body.system, [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }]);
    const marked = body.messages.map((m) => Array.isArray(m.content) && (m.content as { cache_control?: unknown }[]).some((b) => b.cache_control));
    assert.deepEqual(marked, [true, true, false]); // the document, the end of history; never the question
    assert.ok(first.result.usage.cacheWriteTokens > 0);
    assert.equal(first.result.usage.cacheReadTokens, 0);

    const second = await t.run([req('Is x exported?')]);
    assert.ok(second.result, second.error?.message);
    assert.ok(second.result.usage.cacheReadTokens > 1000, JSON.stringify(second.result.usage));
    assert.equal(second.result.usage.cacheWriteTokens, 0);
  });

  it('does not mark a prompt below the model minimum', async () => {
    const t = setup();
    await t.run([ask('anthropic', 'claude-3-haiku-20240307', { system: 'Be brief. '.repeat(500) })]); // ~1250 < 2048
    const body = fx.fake.requests[0]!.body as { system: unknown };
    assert.equal(typeof body.system, 'string');
  });
});
