import assert from 'node:assert/strict';
import { Tiktoken } from 'js-tiktoken/lite';
import { BpeEncoder } from '../../../src/core/tokens/bpe';
import { ChunkedCounter, DocumentChunks, isSafeBoundary, splitChunks } from '../../../src/core/tokens/chunks';
import { digitSplitExtra } from '../../../src/core/tokens/estimate';
import type { EncodingName } from '../../../src/core/tokens/encodings';
import { loadRankFile } from '../../../src/core/tokens/ranks';
import { CJK, codeSample, proseSample, rng, whitespaceSample } from './corpus';

const encodings: Exclude<EncodingName, 'qwen'>[] = ['o200k_base', 'cl100k_base'];

for (const name of encodings) {
  describe(`tokens: ${name} encoder and chunking`, function () {
    this.timeout(60_000);
    let ours: BpeEncoder;
    let reference: Tiktoken;
    const samples: Record<string, string> = {};
    const tokenBytes = new Map<number, number>();

    before(async () => {
      const file = await loadRankFile(name);
      for (const line of file.bpe_ranks.split('\n')) {
        const parts = line.split(' ');
        const offset = Number(parts[1]);
        for (let i = 2; i < parts.length; i++) tokenBytes.set(offset + i - 2, atob(parts[i] as string).length);
      }
      ours = new BpeEncoder(name, file);
      reference = new Tiktoken(file);
      samples.code = codeSample();
      samples.prose = proseSample();
      samples.cjk = CJK.repeat(20);
      samples.whitespace = whitespaceSample();
      samples.mixed = [samples.code.slice(0, 20_000), CJK, samples.whitespace.slice(0, 5000), samples.prose.slice(0, 20_000)].join('\n');
    });

    const full = (t: string) => reference.encode(t, [], []);

    it('produces the same token ids as js-tiktoken', () => {
      for (const [kind, text] of Object.entries(samples)) {
        assert.deepEqual(ours.encode(text), full(text), kind);
        assert.equal(ours.count(text), full(text).length, kind);
      }
      assert.deepEqual(ours.encode('<|endoftext|> hi'), full('<|endoftext|> hi'));
      assert.equal(ours.count(''), 0);
    });

    it('sum of chunk counts equals a full encode (code, prose, CJK, whitespace runs)', () => {
      for (const [kind, text] of Object.entries(samples)) {
        const chunks = splitChunks(text, name, { minChars: 64, maxChars: 512 });
        assert.equal(chunks.join(''), text, kind);
        assert.ok(chunks.length > 3, `${kind} split into ${chunks.length}`);
        const sum = chunks.reduce((n, c) => n + ours.count(c), 0);
        assert.equal(sum, full(text).length, kind);
      }
    });

    it('every safe boundary is a token boundary of the full encoding', () => {
      for (const [kind, text] of Object.entries(samples)) {
        const t = text.slice(0, 30_000);
        // Token boundaries (in UTF-16 offsets) of the reference encoding, from each token's byte length.
        const ids = full(t);
        const ends = new Set<number>();
        const enc = new TextEncoder();
        const byteToChar = new Map<number, number>();
        for (let i = 0, b = 0; i <= t.length; ) {
          byteToChar.set(b, i);
          if (i === t.length) break;
          const s = String.fromCodePoint(t.codePointAt(i) as number);
          b += enc.encode(s).length;
          i += s.length;
        }
        let bytes = 0;
        for (const id of ids) {
          bytes += tokenBytes.get(id) as number;
          const c = byteToChar.get(bytes);
          if (c !== undefined) ends.add(c);
        }
        for (let p = 1; p < t.length; p++) {
          if (isSafeBoundary(name, t, p)) assert.ok(ends.has(p), `${kind}: boundary at ${p} splits a token: ${JSON.stringify(t.slice(p - 10, p + 10))}`);
        }
      }
    });

    it('random edits: cached chunked counts stay equal to a full encode and only nearby chunks are re-encoded', () => {
      const rand = rng(name === 'o200k_base' ? 1 : 2);
      const counter = new ChunkedCounter(name, (c) => ours.count(c));
      let text = samples.mixed;
      const first = counter.count(text);
      assert.equal(first.tokens, full(text).length);
      const alphabet = ['a', ' ', '\n', '/', '\t', '1', '中', '}', '\n\n', '  ', '😀', "'s", '\r\n'];
      for (let i = 0; i < 100; i++) {
        const pos = Math.floor(rand() * (text.length + 1));
        if (rand() < 0.6) {
          const ins = alphabet[Math.floor(rand() * alphabet.length)] as string;
          text = text.slice(0, pos) + ins + text.slice(pos);
        } else {
          text = text.slice(0, pos) + text.slice(pos + 1 + Math.floor(rand() * 3));
        }
        const s = counter.count(text);
        assert.equal(s.tokens, ours.count(text), `edit ${i}`);
        if (i % 10 === 0) assert.equal(s.tokens, full(text).length, `edit ${i} vs js-tiktoken`);
        assert.ok(s.encodedChunks <= 3, `edit ${i} re-encoded ${s.encodedChunks} of ${s.chunks} chunks`);
      }
    });
  });
}

describe('tokens: chunk boundaries', () => {
  it('cuts only after a newline followed by a non-blank line, never before a slash in o200k', () => {
    assert.equal(isSafeBoundary('o200k_base', 'a\nb', 2), true);
    assert.equal(isSafeBoundary('o200k_base', 'a\n b', 2), true);
    assert.equal(isSafeBoundary('o200k_base', 'a\n \n', 2), false);
    assert.equal(isSafeBoundary('o200k_base', 'a\n  ', 2), false);
    assert.equal(isSafeBoundary('o200k_base', '}\n  //', 2), true);
    assert.equal(isSafeBoundary('o200k_base', '}\n//', 2), false);
    assert.equal(isSafeBoundary('cl100k_base', '}\n//', 2), true);
    assert.equal(isSafeBoundary('o200k_base', 'a\n\nb', 2), false);
    assert.equal(isSafeBoundary('o200k_base', 'ab', 1), false);
  });

  it('a one-character edit in a large file re-encodes a single chunk', () => {
    const base = codeSample();
    let calls = 0;
    const counter = new ChunkedCounter('o200k_base', (c) => {
      calls++;
      return c.length;
    });
    counter.count(base);
    calls = 0;
    const mid = Math.floor(base.length / 2);
    const s = counter.count(base.slice(0, mid) + 'x' + base.slice(mid));
    assert.equal(s.encodedChunks, 1);
    assert.equal(calls, 1);
    assert.ok(s.chunks > 10, `${s.chunks} chunks`);
  });
});

describe('tokens: documents updated by edits', function () {
  this.timeout(60_000);
  let ours: BpeEncoder;
  before(async () => {
    ours = new BpeEncoder('o200k_base', await loadRankFile('o200k_base'));
  });

  it('random edits keep the text and the count equal to a full encode, touching only a few chunks', () => {
    const rand = rng(42);
    const counter = new ChunkedCounter('o200k_base', (c) => ours.count(c));
    let text = [codeSample().slice(0, 25_000), CJK, whitespaceSample().slice(0, 6000), proseSample().slice(0, 12_000)].join('\n');
    const doc = new DocumentChunks(counter, digitSplitExtra, text);
    const pieces = ['a', ' ', '\n', '/', '\t', '12', '中', '}', '\n\n', '    ', '😀', '\r\n', 'function x() {\n  return 1;\n}\n', ''];
    for (let i = 0; i < 300; i++) {
      const offset = Math.floor(rand() * (text.length + 1));
      const deleteCount = rand() < 0.5 ? 0 : Math.floor(rand() * (rand() < 0.9 ? 3 : 3000));
      const ins = pieces[Math.floor(rand() * pieces.length)] as string;
      text = text.slice(0, offset) + ins + text.slice(offset + deleteCount);
      const s = doc.edit([{ offset, deleteCount, text: ins }]);
      assert.equal(doc.text(), text, `edit ${i}: text`);
      assert.equal(s.tokens, ours.count(text), `edit ${i}: tokens`);
      assert.equal(s.digitExtra, digitSplitExtra(text), `edit ${i}: digits`);
      if (deleteCount < 10) assert.ok(s.encodedChunks <= 4, `edit ${i} re-encoded ${s.encodedChunks}`);
    }
    // several edits in one event, applied in descending offset order
    const before = doc.text();
    const s = doc.edit([
      { offset: 500, deleteCount: 2, text: 'XY' },
      { offset: 100, deleteCount: 0, text: '\nnew line\n' },
    ]);
    const expected = before.slice(0, 100) + '\nnew line\n' + before.slice(100, 500) + 'XY' + before.slice(502);
    assert.equal(doc.text(), expected);
    assert.equal(s.tokens, ours.count(expected));
    // deleting everything and typing again
    assert.equal(doc.edit([{ offset: 0, deleteCount: doc.length, text: '' }]).tokens, 0);
    assert.equal(doc.edit([{ offset: 0, deleteCount: 0, text: 'hello world' }]).tokens, 2);
  });
});
