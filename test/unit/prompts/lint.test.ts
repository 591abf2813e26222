import assert from 'node:assert/strict';
import { formatMoney, lintPrompt, parsePromptMd, parsePrompty, cacheMinTokensFor, inferTask, outputNeed } from '../../../src/core/prompts';
import type { LintContext, PromptDiagnostic, PromptFile } from '../../../src/core/prompts';
import { applyEdits, example, md, o200k, textAt } from './helpers';

const ctx = (extra: Partial<LintContext> = {}): LintContext => ({
  countTokens: o200k,
  target: { provider: 'openai', model: 'gpt-4o-mini' },
  contextWindow: 128_000,
  priceFor: () => ({ input: 0.15, cachedInput: 0.075, output: 0.6, currency: 'USD' }),
  ...extra,
});
const codes = (ds: PromptDiagnostic[]) => ds.map((d) => d.code);
const one = (ds: PromptDiagnostic[], code: string) => {
  const found = ds.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(codes(ds))}`);
  return found[0];
};
/** Apply a diagnostic's first fix and parse again with the same parser. */
const applyFix = (file: PromptFile, d: PromptDiagnostic): string => {
  assert.ok(d.fixes && d.fixes.length, `no fix on ${d.code}`);
  return applyEdits(file.text, d.fixes[0].edits);
};
const longText = (words: number) => Array.from({ length: words }, (_, i) => `word${i % 97}`).join(' ');

describe('prompts: lint', () => {
  it('the three samples are clean apart from the cached long system prompt hint', () => {
    assert.deepEqual(codes(lintPrompt(parsePromptMd(example('sentiment-classifier.prompt.md')), ctx())), []);
    assert.deepEqual(codes(lintPrompt(parsePrompty(example('support-assistant.prompty')), ctx())), []);
    const qa = lintPrompt(parsePromptMd(example('policy-qa.prompt.md')), ctx({ target: { provider: 'anthropic', model: 'claude-sonnet-5-5' } }));
    assert.deepEqual(qa.map((d) => [d.code, d.severity]), [['system-too-long', 'hint']]);
  });

  describe('system prompt length', () => {
    const file = parsePromptMd(md(['---', 'max_tokens: 100', '---', '## system', longText(120), '## user', 'hi']));
    it('fires over the limit with the count, at the system header', () => {
      const d = one(lintPrompt(file, ctx({ systemPromptMaxTokens: 100 })), 'system-too-long');
      assert.equal(d.severity, 'warning');
      assert.equal(d.range.start.line, 3);
      assert.match(d.message, new RegExp(`${o200k(longText(120))} tokens, over the 100-token limit`));
    });
    it('does not fire under the limit (default 500)', () => {
      assert.ok(o200k(longText(120)) < 500);
      assert.ok(!codes(lintPrompt(file, ctx())).includes('system-too-long'));
    });
  });

  describe('max_tokens', () => {
    it('fires when missing, and the quick fix adds the suggested value', () => {
      const file = parsePromptMd(md(['---', 'tier: simple', '---', '## system', 'Classify the ticket as bug or feature.', '## user', '{{t}}']));
      const d = one(lintPrompt(file, ctx()), 'max-tokens-missing');
      assert.equal(d.range.start.line, 0);
      const fixed = parsePromptMd(applyFix(file, d));
      assert.equal(fixed.config.maxTokens, 16);
      assert.equal(fixed.config.tier, 'simple');
      assert.ok(!codes(lintPrompt(fixed, ctx())).includes('max-tokens-missing'));
    });
    it('fires when missing without front matter and the fix creates one', () => {
      const file = parsePromptMd('Write a haiku about {{topic}}.\n');
      const d = one(lintPrompt(file, ctx()), 'max-tokens-missing');
      const text = applyFix(file, d);
      assert.ok(text.startsWith('---\nmax_tokens: 1024\n---\n'));
      assert.equal(parsePromptMd(text).config.maxTokens, 1024);
    });
    it('fires at 4096 on a classification prompt, suggesting a value from the examples; the fix sets it', () => {
      const text = example('sentiment-classifier.prompt.md').replace('max_tokens: 10', 'max_tokens: 4096');
      const file = parsePromptMd(text);
      const d = one(lintPrompt(file, ctx()), 'max-tokens-excessive');
      assert.equal(textAt(text, d.range), '4096');
      assert.match(d.message, /classify/);
      const fixed = parsePromptMd(applyFix(file, d));
      assert.equal(fixed.config.maxTokens, 8);
      assert.deepEqual(codes(lintPrompt(fixed, ctx())), []);
    });
    it('infers a classification task from the wording when `task` is absent', () => {
      const file = parsePromptMd(md(['---', 'max_tokens: 2048', '---', '## system', 'Classify the sentiment of the review.', '## user', '{{r}}']));
      assert.equal(inferTask(file), 'classify');
      assert.equal(outputNeed(file, o200k), 16);
      assert.ok(codes(lintPrompt(file, ctx())).includes('max-tokens-excessive'));
    });
    it('does not fire for a modest cap or an open-ended task', () => {
      const ok = parsePromptMd(md(['---', 'task: classify', 'max_tokens: 32', '---', '## user', '{{r}}']));
      assert.ok(!codes(lintPrompt(ok, ctx())).some((c) => c.startsWith('max-tokens')));
      const essay = parsePromptMd(md(['---', 'max_tokens: 4096', '---', '## user', 'Write a story about {{r}}']));
      assert.ok(!codes(lintPrompt(essay, ctx())).some((c) => c.startsWith('max-tokens')));
    });
    it('offers no label-sized cap for a classification that also asks for JSON or a reply', () => {
      const json = parsePromptMd(md(['---', 'max_tokens: 2048', '---', '## system', 'Classify the ticket and reply with JSON: {"label": …, "reply": "a short answer to the customer"}.', '## user', '{{t}}']));
      assert.equal(inferTask(json), 'classify');
      assert.equal(outputNeed(json, o200k), undefined);
      assert.ok(!codes(lintPrompt(json, ctx())).includes('max-tokens-excessive'));
      const missing = parsePromptMd(md(['## system', 'Classify the question, then explain why in two sentences.', '## user', '{{t}}']));
      const d = one(lintPrompt(missing, ctx()), 'max-tokens-missing');
      assert.equal(parsePromptMd(applyFix(missing, d)).config.maxTokens, 1024);
      // The support assistant answers in paragraphs: "Classify the question first" must not cap it at 16.
      const support = parsePrompty(example('support-assistant.prompty').replace('max_tokens: 400', 'max_tokens: 8000').replace('using only the product notes below.', 'using only the product notes below. Classify the question first.'));
      assert.ok(!codes(lintPrompt(support, ctx())).includes('max-tokens-excessive'));
    });
    it('prompty: the fix edits model.parameters.max_tokens, or adds parameters under model', () => {
      const text = md(['---', 'model:', '  configuration:', '    type: openai', '    name: gpt-4o', '  parameters:', '    max_tokens: 8000', '---', 'system:', 'Classify the ticket as bug or feature.', 'user:', '{{t}}']);
      const file = parsePrompty(text);
      const d = one(lintPrompt(file, ctx()), 'max-tokens-excessive');
      assert.equal(parsePrompty(applyFix(file, d)).config.maxTokens, 16);
      const bare = parsePrompty(md(['---', 'model:', '  configuration:', '    type: openai', '    name: gpt-4o', '---', 'user:', 'hi']));
      const m = one(lintPrompt(bare, ctx()), 'max-tokens-missing');
      const fixedText = applyFix(bare, m);
      assert.equal(fixedText, md(['---', 'model:', '  configuration:', '    type: openai', '    name: gpt-4o', '  parameters:', '    max_tokens: 1024', '---', 'user:', 'hi']));
      assert.equal(parsePrompty(fixedText).problems.length, 0);
    });
  });

  describe('format-heavy instructions without examples', () => {
    const text = md(['---', 'max_tokens: 200', '---', '## system', 'Reply in JSON with keys name and age.', '## user', '{{bio}}']);
    it('fires at the format word; the fix inserts two example pairs before the user section', () => {
      const file = parsePromptMd(text);
      const d = one(lintPrompt(file, ctx()), 'format-without-examples');
      assert.equal(textAt(text, d.range), 'JSON');
      const fixed = parsePromptMd(applyFix(file, d));
      assert.equal(fixed.sections.filter((s) => s.example).length, 4);
      assert.deepEqual(fixed.problems, []);
      assert.ok(!codes(lintPrompt(fixed, ctx())).includes('format-without-examples'));
    });
    it('does not fire with examples, or without format words', () => {
      assert.ok(!codes(lintPrompt(parsePromptMd(md(['---', 'max_tokens: 200', '---', '## system', 'Be kind.', '## user', 'hi'])), ctx())).includes('format-without-examples'));
    });
  });

  describe('context window', () => {
    const file = parsePromptMd(md(['---', 'max_tokens: 500', '---', '## user', longText(200)]));
    const n = o200k(longText(200));
    it('fires when the rendered prompt exceeds the window, and when max_tokens tips it over', () => {
      assert.match(one(lintPrompt(file, ctx({ contextWindow: n - 1 })), 'context-overflow').message, /over the/);
      assert.match(one(lintPrompt(file, ctx({ contextWindow: n + 100 })), 'context-overflow').message, /plus max_tokens/);
    });
    it('does not fire when it fits or the window is unknown', () => {
      assert.ok(!codes(lintPrompt(file, ctx({ contextWindow: n + 500 }))).includes('context-overflow'));
      assert.ok(!codes(lintPrompt(file, ctx({ contextWindow: undefined }))).includes('context-overflow'));
    });
  });

  describe('prompt caching', () => {
    const qa = example('policy-qa.prompt.md').replace('cache: true', 'cache: false');
    it('fires with the saving per call when a ≥1,024-token prefix is not cached; the fix sets cache: true', () => {
      const file = parsePromptMd(qa);
      const d = one(lintPrompt(file, ctx()), 'cache-off');
      const prefix = o200k(file.sections[0].text);
      assert.match(d.message, new RegExp(`first ${prefix} tokens`));
      const saving = (prefix * (0.15 - 0.075)) / 1e6;
      assert.ok(d.message.includes(`saves about ${formatMoney(saving, 'USD')} (${formatMoney(saving * 1000, 'USD')} per 1,000 calls)`), d.message);
      assert.equal(textAt(qa, d.range), 'false');
      const fixed = parsePromptMd(applyFix(file, d));
      assert.equal(fixed.config.cache, true);
      assert.ok(!codes(lintPrompt(fixed, ctx())).includes('cache-off'));
    });
    it('without prices it still fires, without an amount', () => {
      const d = one(lintPrompt(parsePromptMd(qa), ctx({ priceFor: () => undefined })), 'cache-off');
      assert.doesNotMatch(d.message, /\$/);
    });
    it('does not fire for short prefixes; hints when cache is on but the prefix is too short', () => {
      const short = parsePromptMd(example('sentiment-classifier.prompt.md'));
      assert.ok(!codes(lintPrompt(short, ctx())).includes('cache-off'));
      const on = parsePromptMd(example('sentiment-classifier.prompt.md').replace('cache: false', 'cache: true'));
      assert.equal(one(lintPrompt(on, ctx()), 'cache-too-short').severity, 'hint');
    });
    it('uses the model minimum: 2,048 for Claude Haiku 3.5, 4,096 for Opus 4.5', () => {
      assert.equal(cacheMinTokensFor('anthropic', 'claude-3-5-haiku-latest'), 2048);
      assert.equal(cacheMinTokensFor('anthropic', 'claude-opus-4-5'), 4096);
      assert.equal(cacheMinTokensFor('openai', 'gpt-4o'), 1024);
      const file = parsePromptMd(qa);
      assert.ok(!codes(lintPrompt(file, ctx({ target: { provider: 'anthropic', model: 'claude-3-5-haiku-latest' } }))).includes('cache-off'));
    });
  });

  describe('variables', () => {
    const text = md(['---', 'max_tokens: 50', 'variables:', '  used: a', '  spare: b', '---', '## user', '{{used}} {{ghost}} {{ghost}} {{selection}}']);
    const file = parsePromptMd(text);
    const ds = lintPrompt(file, ctx());
    it('flags every use of an undefined variable (selection needs no definition); the fix declares it', () => {
      const undef = ds.filter((d) => d.code === 'variable-undefined');
      assert.equal(undef.length, 2);
      assert.ok(undef.every((d) => textAt(text, d.range) === '{{ghost}}'));
      assert.equal(undef[1].fixes, undefined);
      const fixed = parsePromptMd(applyFix(file, undef[0]));
      assert.deepEqual(fixed.variables.map((v) => v.name), ['used', 'spare', 'ghost']);
      assert.deepEqual(fixed.problems, []);
    });
    it('flags a defined variable that is never used; the fix removes its line', () => {
      const d = one(ds, 'variable-unused');
      assert.equal(textAt(text, d.range), 'spare');
      const fixed = parsePromptMd(applyFix(file, d));
      assert.deepEqual(fixed.variables.map((v) => v.name), ['used']);
    });
    it('does not fire when every variable is defined and used', () => {
      const clean = parsePromptMd(md(['---', 'max_tokens: 50', 'variables:', '  a: 1', '---', '## user', '{{a}}']));
      assert.ok(!codes(lintPrompt(clean, ctx())).some((c) => c.startsWith('variable-')));
    });
    it('prompty: the fix adds an input with a type', () => {
      const p = parsePrompty(md(['---', 'model:', '  parameters:', '    max_tokens: 20', 'inputs:', '  a:', '    type: string', '---', 'user:', '{{a}} {{b}}']));
      const d = one(lintPrompt(p, ctx()), 'variable-undefined');
      const fixed = parsePrompty(applyFix(p, d));
      assert.deepEqual(fixed.variables.map((v) => v.name), ['a', 'b']);
      assert.deepEqual(fixed.problems, []);
    });
  });

  it('passes YAML and unknown-key problems through at their lines, without throwing', () => {
    const ds = lintPrompt(parsePromptMd(md(['---', 'max_tokens: 10', 'colour: red', 'bad: [', '---', '## user', 'x'])), ctx());
    assert.ok(ds.some((d) => d.code === 'unknown-key' && d.range.start.line === 2));
    assert.ok(ds.some((d) => d.code === 'yaml-invalid'));
  });

  it('survives a throwing or nonsensical tokenizer and price port', () => {
    const file = parsePromptMd(example('policy-qa.prompt.md'));
    assert.doesNotThrow(() => lintPrompt(file, { countTokens: () => { throw new Error('boom'); }, priceFor: () => { throw new Error('x'); }, target: { provider: 'openai', model: 'm' } }));
    assert.doesNotThrow(() => lintPrompt(file, { countTokens: () => NaN }));
  });
});
