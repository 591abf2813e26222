import assert from 'node:assert/strict';
import { english, fill, formatMessage } from '../../../src/core/messages';
import { lintPrompt, parsePromptMd, parsePrompty } from '../../../src/core/prompts';
import type { LintContext, PromptDiagnostic } from '../../../src/core/prompts';
import { md } from './helpers';

const ctx = (extra: Partial<LintContext> = {}): LintContext => ({
  countTokens: (t) => Math.ceil(t.length / 4),
  target: { provider: 'openai', model: 'gpt-4o-mini' },
  ...extra,
});
const byCode = (ds: PromptDiagnostic[], code: string) => {
  const d = ds.find((x) => x.code === code);
  assert.ok(d, `no ${code} in ${ds.map((x) => x.code).join(', ')}`);
  return d;
};

describe('prompts: messages for the display language', () => {
  it('every diagnostic and quick fix carries a catalogue message whose English is its text', () => {
    const files = [
      parsePromptMd(md(['---', 'tier: huge', 'max_token: 10', 'temperature: 5', 'cache: maybe', 'provider: acme', 'variables:', '  9a: 1', '  spare: x', '---', 'stray', '## system', 'Answer in JSON.', '## example user', 'q', '## user', '{{ghost}}'])),
      parsePromptMd(md(['---', 'model: gpt-4o', 'tier: simple', '---', '## user', ''])),
      parsePrompty(md(['---', 'model:', '  api: completion', '  extra: 1', '  configuration:', '    type: nowhere', 'inputs:', '  "a-b": x', '---', 'system:', 'a', 'system:', 'b', '{% if x %}', 'user:', 'hi', 'assistant:', 'prefill'])),
    ];
    let n = 0;
    for (const f of files) {
      for (const d of lintPrompt(f, ctx({ contextWindow: 5 }))) {
        assert.match(d.messageMsg.id, /^prompts\./, d.code);
        assert.equal(english(d.messageMsg), d.message, d.code);
        for (const fix of d.fixes ?? []) {
          assert.match(fix.titleMsg.id, /^prompts\.fix\./);
          assert.equal(english(fix.titleMsg), fix.title);
        }
        n++;
      }
    }
    assert.ok(n >= 15, `only ${n} diagnostics`);
  });

  it('lint messages keep their English text and ids', () => {
    const file = parsePromptMd(md(['---', 'variables:', '  spare: x', '---', '## user', 'Classify {{ghost}} as JSON.']));
    const ds = lintPrompt(file, ctx({ contextWindow: 3 }));
    const missing = byCode(ds, 'max-tokens-missing');
    assert.equal(missing.messageMsg.id, 'prompts.lint.maxTokensMissing');
    assert.equal(missing.message, "No max_tokens: the answer can run to the model's limit, in cost and time. Set it to what the task needs (suggested: 1024).");
    assert.equal(missing.fixes?.[0].titleMsg.id, 'prompts.fix.setMaxTokens');
    assert.equal(missing.fixes?.[0].title, 'Set max_tokens to 1024');
    const undef = byCode(ds, 'variable-undefined');
    assert.equal(undef.messageMsg.id, 'prompts.lint.variableUndefined');
    assert.equal(undef.message, 'Variable `ghost` is used but not defined in `variables`; a run will ask for its value.');
    assert.equal(undef.fixes?.[0].title, 'Define variable `ghost`');
    const unused = byCode(ds, 'variable-unused');
    assert.equal(unused.message, 'Variable `spare` is defined but never used.');
    assert.equal(unused.fixes?.[0].title, 'Remove `spare`');
    const overflow = byCode(ds, 'context-overflow');
    assert.equal(overflow.messageMsg.id, 'prompts.lint.contextOverflowModel');
    assert.match(overflow.message, /^The rendered prompt is \d+ tokens, over the 3-token context window of gpt-4o-mini\.$/);
    const noTarget = byCode(lintPrompt(file, ctx({ contextWindow: 3, target: undefined })), 'context-overflow');
    assert.equal(noTarget.messageMsg.id, 'prompts.lint.contextOverflow');
    assert.match(noTarget.message, /^The rendered prompt is \d+ tokens, over the 3-token context window\.$/);
  });

  it('parse problems keep their English text and ids, nested parts included', () => {
    const p = parsePromptMd(md(['---', 'tier: huge', 'max_token: 1', '---', 'stray', '## user', 'x']));
    const tier = p.problems.find((d) => d.code === 'invalid-value')!;
    assert.equal(tier.messageMsg.id, 'prompts.value.notTier');
    assert.equal(tier.message, '`tier` must be one of simple, medium, complex.');
    const key = byCode(p.problems, 'unknown-key');
    assert.equal(key.messageMsg.id, 'prompts.frontMatter.unknownKey');
    assert.match(key.message, /^Unknown key `max_token` in \.prompt\.md front matter \(known: /);
    const stray = byCode(p.problems, 'stray-text');
    assert.equal(stray.message, 'Text before the first section (`## system`, `## user` …) is not sent.');
    // The nested part is translated with the sentence.
    const upper = formatMessage(stray.messageMsg, (t, args) => fill(t, args).toUpperCase());
    assert.equal(upper, stray.message.toUpperCase());
    const unclosed = byCode(parsePrompty(md(['---', 'name: x', 'user:'])).problems, 'front-matter-unclosed');
    assert.equal(unclosed.messageMsg.id, 'prompts.frontMatter.unclosed');
    assert.equal(unclosed.message, 'The front matter is never closed: add a line with `---` after it.');
  });
});
