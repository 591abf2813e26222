import assert from 'node:assert/strict';
import { countPrompt, insertExamplePairs, lintPrompt, parsePromptFile, renderPrompt, setFrontMatterValue, TextIndex } from '../../../src/core/prompts';
import type { PromptFormat, Range } from '../../../src/core/prompts';
import { applyEdits, example } from './helpers';
import { mulberry32 as rng } from '../../helpers/random';


const SAMPLES: [string, PromptFormat][] = [
  [example('sentiment-classifier.prompt.md'), 'promptMd'],
  [example('policy-qa.prompt.md'), 'promptMd'],
  [example('support-assistant.prompty'), 'prompty'],
];
const TOKENS = ['---', '\n', '\r\n', '\r', '## user', '## system', '## example user', '## example assistant', 'user:', 'system:', 'assistant:', '{{', '}}', '{{x}}', '{{ selection }}', ':', ' ', '  ', '\t', '-', '[', ']', '{', '}', '&a', '*a', '!!binary', '|', '>', '"', "'", '#', '```', '~~~', '{%', '%}', 'max_tokens: 4096', 'cache: true', 'variables:', 'model:', '  parameters:', 'inputs:', '\uFEFF', '\u0000', '😀', '\u2028'];

function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const at = () => Math.floor(r() * (text.length + 1));
  const kind = Math.floor(r() * 8);
  switch (kind) {
    case 0: {
      const i = at();
      return text.slice(0, i) + pick(TOKENS) + text.slice(i);
    }
    case 1: {
      const i = at();
      return text.slice(0, i) + text.slice(i + 1 + Math.floor(r() * 40));
    }
    case 2:
      return text.slice(0, at()); // truncation (often inside the YAML)
    case 3: {
      const i = at();
      const j = at();
      return text.slice(0, Math.min(i, j)) + text.slice(Math.max(i, j)) + text.slice(Math.min(i, j), Math.max(i, j));
    }
    case 4: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines.splice(i, 0, lines[Math.floor(r() * lines.length)]);
      return lines.join('\n');
    }
    case 5: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines[i] = ' '.repeat(Math.floor(r() * 6)) + lines[i].trimStart();
      return lines.join('\n');
    }
    case 6: {
      const n = Math.floor(r() * 200);
      let s = '';
      for (let k = 0; k < n; k++) s += String.fromCharCode(Math.floor(r() * (r() < 0.8 ? 128 : 0xffff)));
      return s;
    }
    default: {
      let s = '';
      const n = 1 + Math.floor(r() * 30);
      for (let k = 0; k < n; k++) s += pick(TOKENS) + (r() < 0.3 ? '\n' : '');
      return s;
    }
  }
}

function inBounds(idx: TextIndex, r: Range): boolean {
  const ok = (p: Range['start']) => p.line >= 0 && p.line < idx.lineCount && p.character >= 0 && p.character <= idx.lines[p.line].text.length;
  return ok(r.start) && ok(r.end) && (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
}

describe('prompts: fuzz (deterministic)', function () {
  this.timeout(120_000);
  it('5,000 mutated, truncated and random inputs: no exception escapes, every range is inside the text', () => {
    const r = rng(0x7135);
    const count = (t: string) => Math.ceil(t.length / 4);
    let withProblems = 0;
    for (let n = 0; n < 5000; n++) {
      const [base, format] = SAMPLES[n % SAMPLES.length];
      let text = base;
      const steps = 1 + Math.floor(r() * 4);
      for (let k = 0; k < steps; k++) text = mutate(text, r);
      const fmt: PromptFormat = r() < 0.1 ? (format === 'prompty' ? 'promptMd' : 'prompty') : format;
      try {
        const file = parsePromptFile(text, fmt);
        const ds = lintPrompt(file, {
          countTokens: count,
          contextWindow: 2000,
          target: { provider: 'openai', model: 'gpt-4o-mini' },
          priceFor: () => ({ input: 1, cachedInput: 0.1, currency: 'USD' }),
        });
        renderPrompt(file, { values: { selection: 'sel' }, useSamples: true });
        countPrompt(file, count);
        const idx = new TextIndex(text);
        for (const d of ds) assert.ok(inBounds(idx, d.range), `diagnostic ${d.code} out of bounds in case ${n}`);
        for (const s of file.sections) assert.ok(inBounds(idx, s.headerRange) && inBounds(idx, s.bodyRange), `section range in case ${n}`);
        for (const ref of file.references) assert.ok(inBounds(idx, ref.range), `reference range in case ${n}`);
        if (ds.length) withProblems++;
        // Quick fixes must produce text that parses again (never crash), and edits must be in bounds.
        for (const d of ds) for (const f of d.fixes ?? []) {
          for (const e of f.edits) assert.ok(inBounds(idx, e.range), `fix ${f.title} out of bounds in case ${n}`);
          parsePromptFile(applyEdits(text, f.edits), fmt);
        }
        const e1 = setFrontMatterValue(file, fmt === 'prompty' ? 'model.parameters.max_tokens' : 'max_tokens', '64');
        if (e1) parsePromptFile(applyEdits(text, e1), fmt);
        const e2 = insertExamplePairs(file);
        if (e2) parsePromptFile(applyEdits(text, e2), fmt);
      } catch (e) {
        assert.fail(`case ${n} (${fmt}) threw: ${(e as Error).stack}\n--- input ---\n${JSON.stringify(text.slice(0, 400))}`);
      }
    }
    // The mutations really did break things.
    assert.ok(withProblems > 2500, `only ${withProblems} inputs had diagnostics`);
  });

  it('setting max_tokens through the fix round-trips on the samples', () => {
    for (const [text, fmt] of SAMPLES) {
      const file = parsePromptFile(text, fmt);
      const edits = setFrontMatterValue(file, fmt === 'prompty' ? 'model.parameters.max_tokens' : 'max_tokens', '123')!;
      assert.equal(parsePromptFile(applyEdits(text, edits), fmt).config.maxTokens, 123);
    }
  });
});
