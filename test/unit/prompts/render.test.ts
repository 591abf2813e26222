import assert from 'node:assert/strict';
import { parsePromptMd, parsePrompty, renderPrompt, toChatRequest, needsSelection, requiredVariables } from '../../../src/core/prompts';
import { example, md } from './helpers';

describe('prompts: rendering', () => {
  it('renders the classifier: system, few-shot pairs in order, user message from the default', () => {
    const r = renderPrompt(parsePromptMd(example('sentiment-classifier.prompt.md')));
    assert.equal(r.system, 'You classify product reviews by sentiment. Answer with exactly one word: positive, negative or mixed.');
    assert.deepEqual(r.messages.map((m) => [m.role, m.content]), [
      ['user', 'Arrived on time, works perfectly, would buy again.'],
      ['assistant', 'positive'],
      ['user', 'Great screen, but the speakers crackle at any volume.'],
      ['assistant', 'mixed'],
      ['user', 'Broke on the first day and the refund took a month.'],
      ['assistant', 'negative'],
      ['user', 'The battery died after two days and support never answered.'],
    ]);
    assert.equal(r.maxTokens, 10);
    assert.equal(r.temperature, 0);
    assert.equal(r.tier, 'simple');
    assert.equal(r.cache, false);
    assert.equal(r.systemCacheBreakpoint, undefined);
    assert.deepEqual(r.missing, []);
  });

  it('explicit values win over defaults; missing ones are listed once and left as written', () => {
    const p = parsePromptMd(md(['---', 'variables:', '  lang: French', '  tone:', '---', '## system', 'Tone: {{tone}}', '## user', 'To {{lang}}: {{ text }} ({{text}}) {{selection}}']));
    const r1 = renderPrompt(p);
    assert.deepEqual(r1.missing, ['tone', 'text', 'selection']);
    assert.equal(r1.messages[0].content, 'To French: {{ text }} ({{text}}) {{selection}}');
    const r2 = renderPrompt(p, { values: { lang: 'German', tone: 'dry', text: 'hi', selection: 'const x = 1;' } });
    assert.deepEqual(r2.missing, []);
    assert.equal(r2.system, 'Tone: dry');
    assert.equal(r2.messages[0].content, 'To German: hi (hi) const x = 1;');
    assert.ok(needsSelection(p));
    assert.deepEqual(requiredVariables(p), ['tone', 'text', 'selection']);
  });

  it('does not substitute inside values (no second pass)', () => {
    const p = parsePromptMd(md(['## user', '{{a}} {{b}}']));
    const r = renderPrompt(p, { values: { a: '{{b}}', b: 'B' } });
    assert.equal(r.messages[0].content, '{{b}} B');
  });

  it('with cache: true marks breakpoints after the system prompt and after the last example', () => {
    const p = parsePromptMd(md(['---', 'cache: true', '---', '## system', 'S', '## example user', 'q', '## example assistant', 'a', '## user', 'u']));
    const r = renderPrompt(p);
    assert.equal(r.systemCacheBreakpoint, true);
    assert.deepEqual(r.messages, [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a', cacheBreakpoint: true },
      { role: 'user', content: 'u' },
    ]);
  });

  it('joins duplicate system and user sections', () => {
    const r = renderPrompt(parsePromptMd(md(['## system', 'A', '## user', 'x', '## system', 'B', '## user', 'y'])));
    assert.equal(r.system, 'A\n\nB');
    assert.deepEqual(r.messages, [{ role: 'user', content: 'x\n\ny' }]);
  });

  it('prompty: uses defaults, samples only when asked, and keeps a trailing assistant prefill', () => {
    const p = parsePrompty(example('support-assistant.prompty'));
    assert.deepEqual(renderPrompt(p).missing, ['question']);
    const r = renderPrompt(p, { useSamples: true });
    assert.deepEqual(r.missing, []);
    assert.equal(r.messages.at(-1)!.content, "Hi, I'm Sam. Can I pitch the tent in strong wind?");
    const pre = renderPrompt(parsePrompty(md(['user:', 'Say hi', 'assistant:', 'Hi'])));
    assert.deepEqual(pre.messages, [{ role: 'user', content: 'Say hi' }, { role: 'assistant', content: 'Hi' }]);
  });

  it('builds a ChatRequest for a target, with a default max_tokens when the file has none', () => {
    const r = renderPrompt(parsePrompty(example('support-assistant.prompty')), { values: { question: 'Q?' } });
    const req = toChatRequest(r, { provider: 'openai', model: 'gpt-4o-mini' });
    assert.equal(req.provider, 'openai');
    assert.equal(req.model, 'gpt-4o-mini');
    assert.equal(req.maxTokens, 400);
    assert.equal(req.temperature, 0.3);
    assert.ok(req.system!.startsWith('You are a friendly support assistant'));
    assert.deepEqual(req.messages, [{ role: 'user', content: "Hi, I'm Sam. Q?" }]);
    const bare = toChatRequest(renderPrompt(parsePromptMd('hi')), { provider: 'anthropic', model: 'claude-sonnet-4-5' }, 777);
    assert.equal(bare.maxTokens, 777);
    assert.equal(bare.system, undefined);
  });
});
