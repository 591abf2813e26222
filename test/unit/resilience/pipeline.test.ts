import assert from 'node:assert/strict';
import { ManualClock, flushMicrotasks } from '../../../src/core/clock';
import type { ChatRequest, ProviderId } from '../../../src/core/types';
import { CallRunner, withFallbacks } from '../../../src/core/resilience/pipeline';
import type { CallEvent, CallOutcome } from '../../../src/core/resilience/pipeline';
import { resolveResilienceSettings } from '../../../src/core/resilience/settings';
import type { ResilienceSettingsInput } from '../../../src/core/resilience/settings';
import { ScriptedProvider } from './scripted';
import type { Step } from './scripted';

function req(provider: ProviderId, model: string): ChatRequest {
  return { provider, model, messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 };
}

function setup(scripts: Partial<Record<ProviderId, Step[]>>, settings: ResilienceSettingsInput = {}) {
  const clock = new ManualClock(1_000_000);
  const providers = new Map<ProviderId, ScriptedProvider>();
  for (const [id, steps] of Object.entries(scripts)) providers.set(id as ProviderId, new ScriptedProvider(id as ProviderId, steps, clock));
  const runner = new CallRunner({
    clock,
    providerFor: (p) => providers.get(p)!,
    settings: resolveResilienceSettings(settings),
    estimateTokens: () => 10,
    random: () => 0,
  });
  const events: CallEvent[] = [];
  const start = (candidates: ChatRequest[], signal?: AbortSignal) => {
    let outcome: CallOutcome | undefined;
    const done = runner.run(candidates, (e) => events.push(e), signal).then((o) => (outcome = o));
    return { done, outcome: (): CallOutcome | undefined => outcome };
  };
  return { clock, providers, runner, events, start };
}

const types = (events: CallEvent[]) => events.map((e) => e.type);

describe('resilience/pipeline', () => {
  it('sends one call at a time until the first answer shows the provider\'s limits, then schedules by them', async () => {
    const limited = { 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': '30s' };
    const t = setup({ openai: [{ ok: 'one', headers: limited }, { ok: 'two', headers: limited }, { ok: 'three', headers: limited }] });
    const runs = [t.start([req('openai', 'gpt')]), t.start([req('openai', 'gpt')]), t.start([req('openai', 'gpt')])];
    await flushMicrotasks(20);
    const queued = t.events.filter((e) => e.type === 'queued');
    assert.equal(queued.length, 2);
    assert.equal(queued[0]?.type === 'queued' && queued[0].reason, 'queued (learning the rate limits)');
    await Promise.all([runs[0]!.done, runs[1]!.done]);
    assert.equal(runs[2]!.outcome(), undefined, 'the third waits: 2 requests per minute, learned from the headers');
    assert.equal(t.runner.limits('openai', 'gpt').rpmLimit, 2);
    await t.clock.advance(60_000);
    await runs[2]!.done;
    assert.equal(runs[2]!.outcome()?.result?.text, 'three');
  });

  it('passes a good stream through', async () => {
    const t = setup({ openai: [{ ok: 'Hello world' }] });
    const run = t.start([req('openai', 'gpt')]);
    await run.done;
    assert.equal(run.outcome()?.result?.text, 'Hello world');
    assert.deepEqual(types(t.events), ['attempt', 'start', 'text', 'text', 'usage', 'finish']);
    assert.equal(run.outcome()?.retries, 0);
  });

  it('backs off 1 s, 2 s, 4 s on the clock and then succeeds', async () => {
    const t = setup({ openai: [{ fail: 'server', status: 503 }, { fail: 'server', status: 503 }, { fail: 'server', status: 503 }, { ok: 'finally' }] });
    const run = t.start([req('openai', 'gpt')]);
    await flushMicrotasks();
    const retries = () => t.events.filter((e) => e.type === 'retry');
    assert.equal(retries().length, 1);
    await t.clock.advance(999);
    assert.equal(retries().length, 1);
    await t.clock.advance(1);
    assert.equal(retries().length, 2);
    await t.clock.advance(2000);
    assert.equal(retries().length, 3);
    await t.clock.advance(4000);
    await run.done;
    assert.equal(run.outcome()?.result?.text, 'finally');
    assert.equal(run.outcome()?.retries, 3);
    assert.deepEqual(retries().map((e) => (e.type === 'retry' ? [e.delayMs, e.attempt, e.of] : [])), [[1000, 1, 4], [2000, 2, 4], [4000, 3, 4]]);
    const first = retries()[0];
    assert.equal(first?.type === 'retry' && first.message, '503 server error, retrying in 1.0 s (retry 1 of 4)');
    assert.deepEqual(
      t.events.filter((e) => e.type === 'attempt').map((e) => (e.type === 'attempt' ? `${e.attempt}/${e.of}` : '')),
      ['1/5', '2/5', '3/5', '4/5'],
    );
  });

  it('waits what retry-after asks', async () => {
    const t = setup({ openai: [{ fail: 'rateLimit', status: 429, headers: { 'retry-after': '7' } }, { ok: 'ok' }] });
    const run = t.start([req('openai', 'gpt')]);
    await t.clock.advance(6999);
    assert.equal(run.outcome(), undefined);
    await t.clock.advance(1);
    await run.done;
    assert.equal(run.outcome()?.result?.text, 'ok');
  });

  it('gives up after maxRetries and reports the last error', async () => {
    const t = setup({ openai: Array.from({ length: 5 }, () => ({ fail: 'server' as const, status: 500 })) }, { retry: { maxRetries: 2 } });
    const run = t.start([req('openai', 'gpt')]);
    await t.clock.runAll();
    await run.done;
    assert.equal(run.outcome()?.error?.kind, 'server');
    assert.equal(run.outcome()?.retries, 2);
    assert.equal(t.providers.get('openai')!.requests.length, 3);
  });

  it('does not retry a 401 nor fall back from it', async () => {
    const t = setup({ openai: [{ fail: 'auth', status: 401 }], anthropic: [{ ok: 'no' }] });
    const run = t.start([req('openai', 'gpt'), req('anthropic', 'claude')]);
    await run.done;
    assert.equal(run.outcome()?.error?.kind, 'auth');
    assert.equal(t.providers.get('openai')!.requests.length, 1);
    assert.equal(t.providers.get('anthropic')!.requests.length, 0);
    assert.deepEqual(types(t.events), ['attempt']);
  });

  it('does not fall back from an exhausted rate limit (a 4xx)', async () => {
    const t = setup({ openai: [{ fail: 'rateLimit', status: 429 }, { fail: 'rateLimit', status: 429 }], anthropic: [{ ok: 'no' }] }, { retry: { maxRetries: 1 } });
    const run = t.start([req('openai', 'gpt'), req('anthropic', 'claude')]);
    await t.clock.runAll();
    await run.done;
    assert.equal(run.outcome()?.error?.kind, 'rateLimit');
    assert.equal(t.providers.get('anthropic')!.requests.length, 0);
  });

  it('falls back in order once a candidate keeps failing with 5xx / overloaded', async () => {
    const t = setup(
      {
        anthropic: [{ fail: 'overloaded', status: 529 }, { fail: 'overloaded', status: 529 }],
        openai: [{ fail: 'network' }, { fail: 'network' }],
        dashscope: [{ ok: 'from qwen' }],
      },
      { retry: { maxRetries: 1 } },
    );
    const run = t.start([req('anthropic', 'claude'), req('openai', 'gpt'), req('dashscope', 'qwen-plus')]);
    await t.clock.runAll();
    await run.done;
    assert.equal(run.outcome()?.result?.text, 'from qwen');
    assert.equal(run.outcome()?.provider, 'dashscope');
    assert.equal(run.outcome()?.fallbacks, 2);
    assert.equal(run.outcome()?.retries, 2);
    const fb = t.events.filter((e) => e.type === 'fallback');
    assert.deepEqual(
      fb.map((e) => (e.type === 'fallback' ? `${e.from.provider}->${e.to.provider}` : '')),
      ['anthropic->openai', 'openai->dashscope'],
    );
    assert.match(fb[0]?.type === 'fallback' ? fb[0].reason : '', /529 overloaded after 2 attempts/);
  });

  it('keeps partial text after a mid-stream drop and does not retry', async () => {
    const t = setup({ openai: [{ textThenFail: 'Half an ans', fail: 'network' }, { ok: 'never' }], anthropic: [{ ok: 'never' }] });
    const run = t.start([req('openai', 'gpt'), req('anthropic', 'claude')]);
    await run.done;
    assert.equal(run.outcome()?.error?.kind, 'streamInterrupted');
    assert.equal(run.outcome()?.partialText, 'Half an ans');
    assert.equal(run.outcome()?.error?.partialText, 'Half an ans');
    assert.deepEqual(run.outcome()?.usage, { inputTokens: 10, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    assert.equal(t.providers.get('openai')!.requests.length, 1);
    assert.equal(t.providers.get('anthropic')!.requests.length, 0);
  });

  it('turns a stall into a timeout: before text it retries, after text it stops with the partial text', async () => {
    const t = setup({ openai: [{ stallAfter: '' }, { stallAfter: 'Some text' }] }, { timeouts: { connectMs: 1000, firstTokenMs: 2000, idleMs: 3000 } });
    const run = t.start([req('openai', 'gpt')]);
    await flushMicrotasks();
    await t.clock.advance(2000); // first token timeout
    const retry = t.events.find((e) => e.type === 'retry');
    assert.ok(retry && retry.type === 'retry');
    assert.equal(retry.error.kind, 'timeout');
    assert.equal(retry.error.code, 'firstTokenTimeout');
    await t.clock.advance(1000); // backoff
    await t.clock.advance(2999);
    assert.equal(run.outcome(), undefined);
    await t.clock.advance(1); // idle timeout
    await run.done;
    assert.equal(run.outcome()?.error?.kind, 'timeout');
    assert.equal(run.outcome()?.error?.code, 'idleTimeout');
    assert.equal(run.outcome()?.partialText, 'Some text');
    assert.equal(run.outcome()?.retries, 1);
  });

  it('opens the circuit after repeated failures and skips the provider until the cool-down ends', async () => {
    const fails = Array.from({ length: 3 }, () => ({ fail: 'server' as const, status: 500 }));
    const t = setup(
      { openai: [...fails, { ok: 'openai back' }], anthropic: [{ ok: 'a1' }, { ok: 'a2' }] },
      { retry: { maxRetries: 2 }, breaker: { failureThreshold: 3, cooldownMs: 60_000 } },
    );
    const chain = [req('openai', 'gpt'), req('anthropic', 'claude')];
    const first = t.start(chain);
    await t.clock.runAll();
    await first.done;
    assert.equal(first.outcome()?.result?.text, 'a1');
    assert.equal(t.runner.breakerState('openai'), 'open');

    t.events.length = 0;
    const second = t.start(chain);
    await second.done;
    assert.equal(second.outcome()?.result?.text, 'a2');
    assert.equal(t.providers.get('openai')!.requests.length, 3);
    assert.deepEqual(types(t.events).slice(0, 2), ['skipped', 'fallback']);

    await t.clock.advance(60_000);
    assert.equal(t.runner.breakerState('openai'), 'halfOpen');
    const third = t.start(chain);
    await third.done;
    assert.equal(third.outcome()?.result?.text, 'openai back');
    assert.equal(t.runner.breakerState('openai'), 'closed');
  });

  it('stops retrying a provider whose circuit opens meanwhile', async () => {
    const t = setup(
      { openai: Array.from({ length: 5 }, () => ({ fail: 'server' as const, status: 502 })), anthropic: [{ ok: 'fine' }] },
      { retry: { maxRetries: 4 }, breaker: { failureThreshold: 2, cooldownMs: 60_000 } },
    );
    const run = t.start([req('openai', 'gpt'), req('anthropic', 'claude')]);
    await t.clock.runAll();
    await run.done;
    assert.equal(run.outcome()?.result?.text, 'fine');
    assert.equal(t.providers.get('openai')!.requests.length, 2);
  });

  it('queues on the rate limit with an event and can be cancelled while queued', async () => {
    const t = setup({ openai: [{ ok: 'a' }, { ok: 'b' }] }, { limits: { openai: { rpm: 1 } } });
    const a = t.start([req('openai', 'gpt')]);
    await a.done;
    const ac = new AbortController();
    const b = t.start([req('openai', 'gpt')], ac.signal);
    await flushMicrotasks();
    const queued = t.events.find((e) => e.type === 'queued');
    assert.equal(queued?.type === 'queued' && queued.reason, 'queued (rate limit)');
    ac.abort();
    await b.done;
    assert.equal(b.outcome()?.error?.kind, 'aborted');
    assert.equal(t.providers.get('openai')!.requests.length, 1);
    assert.equal(t.clock.pending, 0);
  });

  it('cancels during a backoff wait', async () => {
    const t = setup({ openai: [{ fail: 'server', status: 500 }] });
    const ac = new AbortController();
    const run = t.start([req('openai', 'gpt')], ac.signal);
    await flushMicrotasks();
    assert.equal(t.clock.pending, 1);
    ac.abort();
    await run.done;
    assert.equal(run.outcome()?.error?.kind, 'aborted');
  });

  it('places cache breakpoints on Anthropic requests when caching is on', async () => {
    const long = 'x'.repeat(8000); // 2000 tokens at 4 chars a token
    const t = setup({ anthropic: [{ ok: 'a' }] });
    const r: ChatRequest = { ...req('anthropic', 'claude-sonnet-4-5'), system: long };
    await t.start([r]).done;
    assert.equal(t.providers.get('anthropic')!.requests[0]?.systemCacheBreakpoint, true);
    const off = setup({ anthropic: [{ ok: 'a' }] }, { cache: { enabled: false } });
    await off.start([r]).done;
    assert.equal(off.providers.get('anthropic')!.requests[0]?.systemCacheBreakpoint, undefined);
  });

  it('builds the candidate list from the tier fallback chain', () => {
    const s = resolveResilienceSettings({ fallback: { complex: ['anthropic/claude-opus-4-1', 'openai/gpt-5', 'bogus/x', 'openai/gpt-5'] } });
    const list = withFallbacks(req('openai', 'gpt-5'), 'complex', s);
    assert.deepEqual(list.map((r) => `${r.provider}/${r.model}`), ['openai/gpt-5', 'anthropic/claude-opus-4-1']);
  });
});
