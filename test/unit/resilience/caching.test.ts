import assert from 'node:assert/strict';
import { PrefixMemory, applyPromptCaching, withoutCacheMarks, countCacheBreakpoints, minCacheableTokens, prefixHash, stableFirst } from '../../../src/core/resilience/caching';
import { DEFAULT_TASKS } from '../../../src/core/routing/taskCatalogue';
import { buildMessages } from '../../../src/core/routing/tasks';
import type { ChatRequest } from '../../../src/core/types';

const tokens = (t: string) => Math.ceil(t.length / 4);
const words = (n: number) => 'w'.repeat(n * 4); // n tokens

function anthropic(system: string | undefined, ...contents: string[]): ChatRequest {
  return {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    system,
    messages: contents.map((c, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: c })),
    maxTokens: 500,
  };
}

const on = { enabled: true, minTokens: 1024, countTokens: tokens };

describe('resilience/caching', () => {
  it('knows the minimum cacheable lengths', () => {
    assert.equal(minCacheableTokens('anthropic', 'claude-sonnet-4-5-20250929'), 1024);
    assert.equal(minCacheableTokens('anthropic', 'claude-opus-4-1'), 1024);
    assert.equal(minCacheableTokens('anthropic', 'claude-3-5-haiku-latest'), 2048);
    assert.equal(minCacheableTokens('anthropic', 'claude-3-haiku-20240307'), 2048);
    assert.equal(minCacheableTokens('anthropic', 'claude-haiku-4-5'), 4096);
    assert.equal(minCacheableTokens('anthropic', 'claude-opus-4-6'), 4096);
    assert.equal(minCacheableTokens('openai', 'gpt-4o'), 1024);
  });

  it('caching off removes every mark, even a prompt file\'s own', () => {
    const r: ChatRequest = { ...anthropic(words(1500), words(2000), 'q'), systemCacheBreakpoint: true };
    r.messages[0] = { ...r.messages[0]!, cacheBreakpoint: true };
    const out = withoutCacheMarks(r);
    assert.equal(countCacheBreakpoints(out), 0);
    assert.deepEqual(out.messages.map((m) => m.content), r.messages.map((m) => m.content));
    const plain = anthropic(undefined, 'q');
    assert.equal(withoutCacheMarks(plain), plain);
  });

  it('is a no-op when disabled', () => {
    const r = anthropic(words(3000), 'q');
    assert.equal(applyPromptCaching(r, { ...on, enabled: false }), r);
  });

  it('marks a long system prompt, never the final question', () => {
    const out = applyPromptCaching(anthropic(words(1500), words(5000)), on);
    assert.equal(out.systemCacheBreakpoint, true);
    assert.equal(out.messages[0]?.cacheBreakpoint, undefined);
  });

  it('leaves a prefix shorter than the minimum alone', () => {
    const r = anthropic(words(500), words(300), 'ok', 'question');
    const out = applyPromptCaching(r, on);
    assert.equal(countCacheBreakpoints(out), 0);
    assert.equal(countCacheBreakpoints(applyPromptCaching(anthropic(words(1500), 'q'), { ...on, minTokens: 2048 })), 0);
  });

  it('marks the longest stable prefix where the system prompt alone is too short', () => {
    // system 200 + shared document 3000 + ack 10 | question
    const out = applyPromptCaching(anthropic(words(200), words(3000), 'Understood.', 'What does section 2 say?'), on);
    assert.equal(out.systemCacheBreakpoint, undefined);
    assert.deepEqual(out.messages.map((m) => !!m.cacheBreakpoint), [true, true, false]);
  });

  it('uses at most 4 breakpoints and prefers longest prefix, system, then the biggest blocks', () => {
    const msgs = [words(2000), 'a1', words(50), 'a2', words(1800), 'a3', words(10), 'a4', 'question'];
    const out = applyPromptCaching(anthropic(words(1200), ...msgs), on);
    assert.equal(countCacheBreakpoints(out), 4);
    assert.equal(out.systemCacheBreakpoint, true);
    const marked = out.messages.flatMap((m, i) => (m.cacheBreakpoint ? [i] : []));
    assert.deepEqual(marked, [0, 4, 7]); // the 2000 and 1800 blocks, and the end of the history
  });

  it('counts breakpoints already present against the 4', () => {
    const r = anthropic(words(1200), words(2000), 'a', words(2000), 'b', 'q');
    r.messages[0]!.cacheBreakpoint = true;
    r.messages[1]!.cacheBreakpoint = true;
    r.messages[2]!.cacheBreakpoint = true;
    const out = applyPromptCaching(r, on);
    assert.equal(countCacheBreakpoints(out), 4);
    assert.equal(out.messages[3]?.cacheBreakpoint, true); // the longest prefix got the last slot
    assert.equal(applyPromptCaching(out, on), out);
  });

  it('does not mutate the request', () => {
    const r = anthropic(words(1500), 'q');
    const before = JSON.stringify(r);
    applyPromptCaching(r, on);
    assert.equal(JSON.stringify(r), before);
  });

  it('drops marks for providers that cache by themselves and keeps the order', () => {
    const r: ChatRequest = { ...anthropic(words(1500), words(2000), 'a', 'q'), provider: 'openai', model: 'gpt-4o', systemCacheBreakpoint: true };
    r.messages[0] = { ...r.messages[0]!, cacheBreakpoint: true };
    const out = applyPromptCaching(r, on);
    assert.equal(countCacheBreakpoints(out), 0);
    assert.deepEqual(out.messages.map((m) => m.content), r.messages.map((m) => m.content));
  });

  it('orders prompt parts stable first', () => {
    const q = { role: 'user' as const, content: 'q' };
    const doc = { role: 'user' as const, content: 'doc' };
    const h = { role: 'assistant' as const, content: 'h' };
    assert.deepEqual(stableFirst({ question: q, history: [h], shared: [doc] }), [doc, h, q]);
  });

  describe('editor requests (selection as its own stable message)', () => {
    const selection = words(4300);
    function editor(question?: string, model = 'claude-sonnet-4-5'): ChatRequest {
      const task = question ? DEFAULT_TASKS.answer : DEFAULT_TASKS.explainCode;
      const built = buildMessages(task, { selectionText: selection, languageId: 'typescript', question });
      return { provider: 'anthropic', model, system: built.system, messages: built.messages, maxTokens: 500 };
    }

    it('marks the selection, not the question, so two questions share the cached prefix', () => {
      const a = applyPromptCaching(editor('What does it do?'), on);
      const b = applyPromptCaching(editor('Is it thread-safe?'), on);
      assert.deepEqual(a.messages.map((m) => !!m.cacheBreakpoint), [true, false]);
      assert.deepEqual(b.messages.map((m) => !!m.cacheBreakpoint), [true, false]);
      assert.deepEqual(a.messages[0], b.messages[0]);
    });

    it('marks a stable last message (Explain: no question)', () => {
      const out = applyPromptCaching(editor(), on);
      assert.equal(out.messages.length, 1);
      assert.equal(out.messages[0]!.cacheBreakpoint, true);
    });

    it('marks nothing below the model minimum', () => {
      const small = applyPromptCaching(editor('q'), { ...on, minTokens: 8192 });
      assert.equal(countCacheBreakpoints(small), 0);
    });

    it('whenSeen: no mark (no write premium) the first time a prefix is sent, marks from the second time', () => {
      let t = 0;
      const memory = new PrefixMemory(() => t);
      const req = { ...editor('First question'), cachePolicy: 'whenSeen' as const };
      assert.equal(countCacheBreakpoints(applyPromptCaching(req, { ...on, memory })), 0);
      t += 60_000;
      const again = { ...editor('Another question'), cachePolicy: 'whenSeen' as const };
      assert.equal(countCacheBreakpoints(applyPromptCaching(again, { ...on, memory })), 1);
      // Without a memory a whenSeen request is never marked; an 'always' request is marked the first time.
      assert.equal(countCacheBreakpoints(applyPromptCaching(req, on)), 0);
      assert.equal(countCacheBreakpoints(applyPromptCaching(editor('x'), { ...on, memory: new PrefixMemory(() => 0) })), 1);
    });

    it('the memory forgets after its lifetime and holds a bounded number of hashes, never the text', () => {
      let t = 0;
      const m = new PrefixMemory(() => t, 1000, 3);
      assert.equal(m.seenBefore('a'), false);
      assert.equal(m.seenBefore('a'), true);
      t = 5000;
      assert.equal(m.seenBefore('a'), false, 'expired');
      for (const k of ['b', 'c', 'd', 'e']) m.seenBefore(k);
      assert.equal(m.size, 3);
      assert.equal(m.seenBefore('a'), false, 'oldest dropped');
      const h = prefixHash(['anthropic', 'claude', selection]);
      assert.match(h, /^[0-9a-f]{16}$/);
      assert.notEqual(h, prefixHash(['anthropic', 'claude', selection + 'x']));
      assert.notEqual(prefixHash(['ab', 'c']), prefixHash(['a', 'bc']));
    });

    it('other providers get no marks (their caches are automatic) and the same stable-first prefix', () => {
      const out = applyPromptCaching({ ...editor('q'), provider: 'openai', model: 'gpt-6-sol' }, on);
      assert.equal(countCacheBreakpoints(out), 0);
      assert.equal(out.messages[0]!.content.includes(selection), true);
    });
  });
});
