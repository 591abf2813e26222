import assert from 'node:assert/strict';
import { dashscopeRegionOf, defaultBaseUrl } from '../../../src/core/providers';
import { toOpenAIMessages } from '../../../src/core/providers/openaiCompatible';
import { thinksByDefault } from '../../../src/core/providers/reasoning';
import { openAIBatchBody } from '../../../src/core/batch/openai';
import { applyPromptCaching, countCacheBreakpoints, supportsDashScopeExplicitCache } from '../../../src/core/resilience/caching';
import type { ChatRequest } from '../../../src/core/types';
import { useFakeProvider } from '../../helpers/fakeProvider';
import { collect } from './collect';

const KEY = 'sk-test-dashscope-SECRET-0123456789';
const tokens = (t: string) => Math.ceil(t.length / 4);
const words = (n: number) => 'w'.repeat(n * 4); // n tokens
const on = { enabled: true, minTokens: 1024, countTokens: tokens };

function qwen(system: string | undefined, contents: string[], over: Partial<ChatRequest> = {}): ChatRequest {
  return {
    provider: 'dashscope',
    model: 'qwen-plus',
    system,
    messages: contents.map((c, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: c })),
    maxTokens: 256,
    ...over,
  };
}

describe('DashScope regions', () => {
  it('has China, international and US (Virginia) compatible-mode base URLs, and knows a host\'s region', () => {
    assert.equal(defaultBaseUrl('dashscope', 'china'), 'https://dashscope.aliyuncs.com/compatible-mode/v1');
    assert.equal(defaultBaseUrl('dashscope', 'international'), 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
    assert.equal(defaultBaseUrl('dashscope', 'us'), 'https://dashscope-us.aliyuncs.com/compatible-mode/v1');
    assert.equal(dashscopeRegionOf('https://dashscope-us.aliyuncs.com/compatible-mode/v1'), 'us');
    assert.equal(dashscopeRegionOf('https://dashscope.aliyuncs.com/compatible-mode/v1'), 'china');
    assert.equal(dashscopeRegionOf('http://127.0.0.1:1234/compatible-mode/v1'), undefined);
  });
});

describe('DashScope explicit context cache: marks', () => {
  it('knows which models have an explicit cache (snapshots and -latest included)', () => {
    for (const m of ['qwen-plus', 'qwen-max', 'qwen-flash', 'qwen-plus-2025-09-11', 'qwen-flash-latest', 'qwen3-coder-plus']) assert.ok(supportsDashScopeExplicitCache(m), m);
    for (const m of ['qwen-turbo', 'qwen-long', 'qwen-plus-character', 'qwq-plus']) assert.ok(!supportsDashScopeExplicitCache(m), m);
  });

  it('marks the stable prefix once it reaches 1,024 tokens, never the last message, at most 4 marks', () => {
    const short = applyPromptCaching(qwen(words(500), [words(400), 'ok', 'question']), on);
    assert.equal(countCacheBreakpoints(short), 0, 'a 900-token prefix is too short to cache');
    const out = applyPromptCaching(qwen(words(1500), [words(3000), 'Understood.', 'What does section 2 say?']), on);
    assert.equal(out.provider, 'dashscope');
    assert.equal(out.systemCacheBreakpoint, true);
    assert.equal(out.messages[2]!.cacheBreakpoint, undefined, 'the question is not marked');
    assert.ok(countCacheBreakpoints(out) >= 1 && countCacheBreakpoints(out) <= 4);
    const many = applyPromptCaching(qwen(words(1200), Array.from({ length: 11 }, () => words(1100))), on);
    assert.equal(countCacheBreakpoints(many), 4);
  });

  it('keeps marks already on the request (the editor marks the stable part) and does not add past 4', () => {
    const r = qwen(words(2000), [words(2000), 'ok', 'q']);
    r.systemCacheBreakpoint = true;
    r.messages[0]!.cacheBreakpoint = true;
    const out = applyPromptCaching(r, on);
    assert.equal(out.systemCacheBreakpoint, true);
    assert.equal(out.messages[0]!.cacheBreakpoint, true);
    assert.ok(countCacheBreakpoints(out) <= 4);
  });

  it('drops a mark on a prefix too short to cache (it would only turn the implicit cache off) and keeps at most 4', () => {
    const r = qwen('Be brief.', [words(100), 'ok', 'q']);
    r.messages[0]!.cacheBreakpoint = true;
    assert.equal(countCacheBreakpoints(applyPromptCaching(r, on)), 0);
    const many = qwen(words(1100), Array.from({ length: 11 }, () => words(200)), { systemCacheBreakpoint: true });
    many.messages.forEach((m, i) => (m.cacheBreakpoint = i < 10 || undefined));
    const out = applyPromptCaching(many, on);
    assert.equal(countCacheBreakpoints(out), 4);
    assert.equal(out.messages[9]!.cacheBreakpoint, true, 'the longest marked prefixes are kept');
    assert.equal(out.systemCacheBreakpoint, undefined);
  });

  it('drops the marks for models without an explicit cache, for batch calls, and does nothing when switched off', () => {
    const r = qwen(words(2000), [words(2000), 'q'], { model: 'qwen-turbo', systemCacheBreakpoint: true });
    const turbo = applyPromptCaching(r, on);
    assert.equal(countCacheBreakpoints(turbo), 0);
    assert.equal(countCacheBreakpoints(applyPromptCaching(qwen(words(2000), [words(2000), 'q'], { batch: true, systemCacheBreakpoint: true }), on)), 0);
    const off = qwen(words(2000), [words(2000), 'q']);
    assert.equal(applyPromptCaching(off, { ...on, enabled: false }), off);
    // switched off, marks the request already carries (a prompt file's `cache: true`) are not sent either
    assert.equal(countCacheBreakpoints(applyPromptCaching({ ...off, systemCacheBreakpoint: true }, { ...on, enabled: false })), 0);
  });

  it('sends a marked message as a text part with cache_control ephemeral; plain messages stay strings', () => {
    const r = qwen('You are terse.', ['Long shared document', 'ok', 'question'], { systemCacheBreakpoint: true });
    r.messages[0]!.cacheBreakpoint = true;
    assert.deepEqual(toOpenAIMessages(r), [
      { role: 'system', content: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'text', text: 'Long shared document', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'question' },
    ]);
    assert.deepEqual(toOpenAIMessages({ ...r, provider: 'openai' })[0], { role: 'system', content: 'You are terse.' }, 'OpenAI gets no marks');
    assert.deepEqual(toOpenAIMessages({ ...r, batch: true })[0], { role: 'system', content: 'You are terse.' }, 'batch lines carry no marks');
    assert.deepEqual(toOpenAIMessages({ ...r, model: 'qwen-turbo' })[0], { role: 'system', content: 'You are terse.' }, 'nor models without an explicit cache');
  });
});

describe('DashScope through the openai SDK against the fake provider', () => {
  const fx = useFakeProvider();

  it('explicit cache: the first request writes the marked prefix, the second reads it, with the DashScope usage shape', async () => {
    const p = fx.provider('dashscope', KEY);
    const r = applyPromptCaching(qwen(words(1500), [words(2000), 'Understood.', 'What does it say?']), on);
    assert.ok(countCacheBreakpoints(r) > 0);
    const first = await collect(p.stream(r));
    assert.equal(first.error, undefined);
    const sent = fx.fake.requests[0]!.body as { messages: { content: unknown }[] };
    assert.ok(Array.isArray(sent.messages[0]!.content), 'the marked system prompt went as content parts');
    assert.deepEqual((sent.messages[0]!.content as { cache_control: unknown }[])[0]!.cache_control, { type: 'ephemeral' });
    const u1 = first.result!.usage;
    assert.equal(u1.explicitCache, true);
    assert.ok(u1.cacheWriteTokens > 1024, `cache written: ${u1.cacheWriteTokens}`);
    assert.equal(u1.cacheReadTokens, 0);
    const second = await collect(p.stream(r));
    const u2 = second.result!.usage;
    assert.equal(u2.cacheReadTokens, u1.cacheWriteTokens, 'the second request reads what the first wrote');
    assert.equal(u2.cacheWriteTokens, 0);
    assert.equal(u2.explicitCache, true);
  });

  it('asks Qwen3.5 and later (which think by default) not to think, over HTTP through the SDK; Qwen3 models get no flag', async () => {
    const p = fx.provider('dashscope', KEY);
    for (const model of ['qwen3.7-flash', 'qwen3.8-max', 'qwen4-max', 'qwen3.5-plus-2026-02-15']) {
      const r = await collect(p.stream(qwen(undefined, ['Label: spam or not?'], { model, maxTokens: 10 })));
      assert.equal(r.error, undefined);
      assert.equal((fx.fake.requests.at(-1)!.body as { enable_thinking?: boolean }).enable_thinking, false, model);
    }
    await collect(p.stream(qwen(undefined, ['Hello'], { model: 'qwen-plus' })));
    assert.equal('enable_thinking' in (fx.fake.requests.at(-1)!.body as object), false, 'qwen-plus: its own default (no thinking)');
    assert.equal(thinksByDefault('openai', 'qwen3.7-flash'), false, 'a local server is left alone');
    assert.equal(openAIBatchBody({ provider: 'dashscope', model: 'qwen3.7-plus', messages: [{ role: 'user', content: 'x' }], maxTokens: 5 }).enable_thinking, false, 'batch lines too');
  });

  it('a key from another region gets a message saying DashScope keys are region-locked, naming the region setting', async () => {
    const p = fx.provider('dashscope', KEY);
    fx.fake.enqueue({ kind: 'error', errorType: 'auth' });
    const e = (await collect(p.stream(qwen(undefined, ['hi'])))).error!;
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /region-locked/);
    assert.match(e.message, /tierwise\.providers\.dashscope\.region/);
    assert.ok(!e.message.includes(KEY));
  });
});
