import assert from 'node:assert/strict';
import { applyPromptCaching, countCacheBreakpoints, minCacheableTokens, stableFirst } from '../../../src/core/resilience/caching';
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
});
