import assert from 'node:assert/strict';
import path from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import { ANTHROPIC_CODE_FACTOR, ANTHROPIC_PROSE_FACTOR, anthropicFactor, countPlan, formatCount, TokenCounter, WorkerBackend, type TokenCount } from '../../../src/core/tokens/client';
import { encodingForModel } from '../../../src/core/tokens/encodings';
import { digitSplitExtra, estimateTokens } from '../../../src/core/tokens/estimate';
import { InProcessBackend } from '../../../src/core/tokens/inprocess';
import { loadRankFile } from '../../../src/core/tokens/ranks';
import { approximateRequest, countRequestLocally } from '../../../src/core/tokens/request';
import { codeSample } from './corpus';

describe('tokens: model → encoding', () => {
  it('maps current families to o200k and older ones to cl100k', () => {
    for (const m of ['gpt-4o', 'gpt-4o-2024-08-06', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-nano', 'o1', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'chatgpt-4o-latest', 'gpt-4.5-preview', 'some-future-model'])
      assert.equal(encodingForModel(m), 'o200k_base', m);
    for (const m of ['gpt-4', 'gpt-4-0613', 'gpt-4-turbo', 'gpt-4-32k', 'gpt-3.5-turbo', 'gpt-3.5-turbo-0125', 'text-embedding-3-small'])
      assert.equal(encodingForModel(m), 'cl100k_base', m);
  });

  it('plans exact counts for OpenAI and labelled estimates for the others', () => {
    assert.deepEqual(countPlan('openai', 'gpt-4'), { encoding: 'cl100k_base', exact: true, method: 'tiktoken-cl100k' });
    assert.deepEqual(countPlan('dashscope', 'qwen-plus'), { encoding: 'qwen', exact: true, method: 'qwen' });
    assert.equal(countPlan('dashscope', 'qwen3.5-plus').method, 'estimate-qwen');
    assert.equal(countPlan('anthropic', 'claude-sonnet-4').exact, false);
    assert.equal(countPlan('openaiCompatible', 'llama3').method, 'estimate');
  });
});

describe('tokens: TokenCounter (in-process backend)', function () {
  this.timeout(60_000);
  let reference: Tiktoken;
  const backend = new InProcessBackend();
  const counter = new TokenCounter(backend);
  before(async () => {
    reference = new Tiktoken(await loadRankFile('o200k_base'));
  });

  it('counts OpenAI text exactly', async () => {
    const text = codeSample().slice(0, 50_000);
    const c = await counter.count('openai', 'gpt-4o', text);
    assert.deepEqual(c, { tokens: reference.encode(text, [], []).length, exact: true, method: 'tiktoken-o200k' });
    assert.deepEqual(await counter.count('openai', 'gpt-4o', ''), { tokens: 0, exact: true, method: 'tiktoken-o200k' });
  });

  it('Newer Qwen families: split numbers into single digits on top of o200k; Anthropic: scaled, both marked estimates', async () => {
    assert.equal(digitSplitExtra('a 1234567 b 12 x9'), 7 - 3 + (2 - 1) + 0);
    const text = 'Order 1234567 shipped on 2024-08-06.';
    const base = reference.encode(text, [], []).length;
    const q = await counter.count('dashscope', 'qwen3.6-plus', text);
    assert.deepEqual(q, { tokens: base + digitSplitExtra(text), exact: false, method: 'estimate-qwen' });
    const a = await counter.count('anthropic', 'claude-sonnet-4', text);
    assert.deepEqual(a, { tokens: Math.round(base * anthropicFactor(text)), exact: false, method: 'estimate-anthropic' });
    // prose scales by about 1.16, code by up to 1.30 (published Claude-vs-GPT-4o measurements)
    assert.ok(Math.abs(anthropicFactor('The quick brown fox jumps over the lazy dog, again and again.') - ANTHROPIC_PROSE_FACTOR) < 0.02);
    assert.ok(anthropicFactor(codeSample()) > 1.2 && anthropicFactor(codeSample()) <= ANTHROPIC_CODE_FACTOR);
    assert.equal(anthropicFactor('x = f(a[0], {b: c});\n'.repeat(50)), ANTHROPIC_CODE_FACTOR);
    assert.equal(anthropicFactor('   '), ANTHROPIC_PROSE_FACTOR);
  });

  it('live: approximate at once while the encoder loads, then exact; stale requests are dropped', async () => {
    const fresh = new TokenCounter(new InProcessBackend());
    const seen: { key: string; c: TokenCount }[] = [];
    const texts = ['hello world', 'hello world!', 'hello world!!'];
    const done = new Promise<void>((resolve) => {
      for (const t of texts)
        fresh.live('doc', 'openai', 'gpt-4o', t, (c) => {
          seen.push({ key: t, c });
          if (c.exact && t === texts[2]) resolve();
        });
    });
    // the approximations came synchronously
    assert.equal(seen.length, 3);
    assert.ok(seen.every((s) => !s.c.exact && s.c.method === 'estimate'));
    await done;
    const exact = seen.filter((s) => s.c.exact);
    // the first request was already running; the second was replaced by the third before it ran
    assert.deepEqual(
      exact.map((s) => s.key),
      ['hello world!!'],
    );
    assert.equal(exact[0]?.c.tokens, reference.encode('hello world!!').length);
    assert.equal(formatCount({ tokens: 1234, exact: false, method: 'estimate' }), '≈1,234');
    assert.equal(formatCount({ tokens: 12, exact: true, method: 'tiktoken-o200k' }), '12');
  });

  it('request totals include system, few-shot messages and framing', async () => {
    const req = {
      provider: 'openai' as const,
      model: 'gpt-4o',
      system: 'You are terse.',
      messages: [
        { role: 'user' as const, content: 'Example question' },
        { role: 'assistant' as const, content: 'Example answer' },
        { role: 'user' as const, content: 'Hello' },
      ],
      maxTokens: 100,
    };
    const r = await countRequestLocally(counter, req);
    const content = ['You are terse.', 'Example question', 'Example answer', 'Hello'].map((t) => reference.encode(t).length);
    assert.deepEqual(r.parts, content);
    // 4 messages × (3 framing + 1 role) + 3 reply priming
    assert.equal(r.framing, 4 * 4 + 3);
    assert.equal(r.tokens, content.reduce((a, b) => a + b) + 19);
    assert.equal(r.exact, true);
    // single "Hello" user message: 3 + 1 (role) + 1 + 3 = 8, what the API reports as prompt_tokens for gpt-4o
    const hello = await countRequestLocally(counter, { ...req, system: undefined, messages: [{ role: 'user', content: 'Hello' }] });
    assert.equal(hello.tokens, 8);
    // Anthropic's framing is not published: an estimate
    const anth = await countRequestLocally(counter, { ...req, provider: 'anthropic', model: 'claude-sonnet-4' });
    assert.equal(anth.exact, false);
    const approx = approximateRequest(counter, req);
    assert.equal(approx.exact, false);
    assert.ok(Math.abs(approx.tokens - r.tokens) <= 6, `${approx.tokens} vs ${r.tokens}`);
  });

  it('the approximate count is within 25% on code and samples huge texts quickly', () => {
    const text = codeSample();
    const exact = reference.encode(text, [], []).length;
    const approx = estimateTokens(text);
    assert.ok(Math.abs(approx - exact) / exact < 0.25, `${approx} vs ${exact}`);
    const huge = text.repeat(60);
    const t0 = performance.now();
    const big = estimateTokens(huge);
    assert.ok(performance.now() - t0 < 250, 'sampled, not walked');
    assert.ok(Math.abs(big - exact * 60) / (exact * 60) < 0.3);
  });
});

describe('tokens: the real worker thread', function () {
  this.timeout(60_000);
  it('loads o200k in the background and counts exactly, with cached chunks on a re-count', async () => {
    const readyAt: number[] = [];
    const backend = new WorkerBackend(path.resolve(__dirname, '../../../src/core/tokens/worker.ts'), {
      execArgv: ['--require', 'tsx/cjs'],
      preload: ['o200k_base'],
      onReady: (_enc, ms) => readyAt.push(ms),
    });
    try {
      const counter = new TokenCounter(backend);
      const reference = new Tiktoken(await loadRankFile('o200k_base'));
      const text = codeSample();
      const c = await counter.count('openai', 'gpt-4o', text);
      assert.equal(c.tokens, reference.encode(text, [], []).length);
      assert.equal(c.exact, true);
      assert.equal(readyAt.length, 1);
      assert.ok(counter.isReady('openai', 'gpt-4o'));
      const edited = text.slice(0, 1000) + 'x' + text.slice(1000);
      assert.equal((await counter.count('openai', 'gpt-4o', edited)).tokens, reference.encode(edited, [], []).length);
      // large texts travel in pieces; two at once do not mix
      const big1 = text.repeat(8);
      const big2 = text.replace(/\n/g, ' 1\n').repeat(8);
      assert.ok(big1.length > 512 * 1024 && big2.length > 512 * 1024);
      const [b1, b2] = await Promise.all([counter.count('openai', 'gpt-4o', big1), counter.count('openai', 'gpt-4o', big2)]);
      assert.equal(b1.tokens, reference.encode(big1, [], []).length);
      assert.equal(b2.tokens, reference.encode(big2, [], []).length);
      assert.equal((await counter.openDocument('big', 'openai', 'gpt-4o', big2)).tokens, b2.tokens);
      // cl100k loads on demand
      const old = await counter.count('openai', 'gpt-3.5-turbo', 'hello there');
      assert.deepEqual(old, { tokens: 2, exact: true, method: 'tiktoken-cl100k' });
    } finally {
      await backend.dispose();
    }
  });
});

describe('tokens: documents through the counter', function () {
  this.timeout(60_000);
  it('opens, edits and reopens after the backend lost the document', async () => {
    const backend = new InProcessBackend();
    const counter = new TokenCounter(backend);
    const reference = new Tiktoken(await loadRankFile('o200k_base'));
    let text = codeSample().slice(0, 30_000);
    assert.equal((await counter.openDocument('a.ts', 'openai', 'gpt-4o', text)).tokens, reference.encode(text, [], []).length);
    text = text.slice(0, 200) + 'const added = 12345;\n' + text.slice(200);
    const c = await counter.editDocument('a.ts', [{ offset: 200, deleteCount: 0, text: 'const added = 12345;\n' }]);
    assert.deepEqual(c, { tokens: reference.encode(text, [], []).length, exact: true, method: 'tiktoken-o200k' });
    // documents of the newer Qwen families add the single-digit split
    await counter.openDocument('q.md', 'dashscope', 'qwen3.5-plus', 'year 2024\n');
    const q = await counter.editDocument('q.md', [{ offset: 10, deleteCount: 0, text: 'total 1234567\n' }]);
    assert.equal(q.tokens, reference.encode('year 2024\ntotal 1234567\n', [], []).length + digitSplitExtra('year 2024\ntotal 1234567\n'));
    // the backend forgets the document (a restarted worker): reopened from the current text
    backend.close('a.ts');
    await assert.rejects(counter.editDocument('a.ts', [{ offset: 0, deleteCount: 0, text: 'x' }]), /unknown document/);
    const again = await counter.editDocument('a.ts', [{ offset: 0, deleteCount: 0, text: 'x' }], () => 'x' + text);
    assert.equal(again.tokens, reference.encode('x' + text, [], []).length);
    counter.closeDocument('a.ts');
    await assert.rejects(counter.editDocument('a.ts', []), /unknown document/);
  });

  it('the worker holds documents too, and an edit sent right after open waits for it', async () => {
    const backend = new WorkerBackend(path.resolve(__dirname, '../../../src/core/tokens/worker.ts'), { execArgv: ['--require', 'tsx/cjs'], preload: [] });
    try {
      const counter = new TokenCounter(backend);
      const reference = new Tiktoken(await loadRankFile('o200k_base'));
      const text = codeSample().slice(0, 40_000);
      const opened = counter.openDocument('w.ts', 'openai', 'gpt-4o', text);
      const edited = counter.editDocument('w.ts', [{ offset: 1000, deleteCount: 1, text: 'Z' }]);
      assert.equal((await opened).tokens, reference.encode(text, [], []).length);
      const t2 = text.slice(0, 1000) + 'Z' + text.slice(1001);
      assert.equal((await edited).tokens, reference.encode(t2, [], []).length);
      // the worker dies: pending work fails, the next request starts a new worker, the document is reopened
      // terminate() settles on the worker's 'exit' event, after the backend's own listener has seen it.
      await (backend as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      const t3 = 'Q' + t2;
      const again = await counter.editDocument('w.ts', [{ offset: 0, deleteCount: 0, text: 'Q' }], () => t3);
      assert.equal(again.tokens, reference.encode(t3, [], []).length);
      assert.equal(backend.restartCount, 1);
      assert.equal((await counter.count('openai', 'gpt-4o', 'hello world')).tokens, 2);
    } finally {
      await backend.dispose();
    }
  });
});
