import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseVocabFile } from '../../../src/core/tokens/vocabulary';
import { scannerFor } from '../../../src/core/tokens/pretokenize';
import { loadRankFile } from '../../../src/core/tokens/ranks';
import { CJK, codeSample, proseSample, rng, whitespaceSample } from './corpus';
import { qwenVocabPath } from './qwenVocab';

/** Pieces by the scanner, with the regex deciding where it answers -1. */
function scanned(pattern: string, text: string): { pieces: string[]; byRegex: number } {
  const scan = scannerFor(pattern);
  assert.ok(scan, 'a scanner for the pattern');
  const sticky = new RegExp(pattern, 'yu');
  const pieces: string[] = [];
  let byRegex = 0;
  for (let i = 0; i < text.length; ) {
    let j = scan(text, i);
    if (j < 0) {
      byRegex++;
      sticky.lastIndex = i;
      j = i + (sticky.exec(text) as RegExpExecArray)[0].length;
    }
    pieces.push(text.slice(i, j));
    i = j;
  }
  return { pieces, byRegex };
}

describe('tokens: ASCII pre-tokenizer', function () {
  this.timeout(60_000);
  const patterns: Record<string, string> = {};
  before(async () => {
    patterns.o200k = (await loadRankFile('o200k_base')).pat_str;
    patterns.cl100k = (await loadRankFile('cl100k_base')).pat_str;
    patterns.qwen = parseVocabFile(readFileSync(qwenVocabPath())).pattern;
  });

  it('gives the pieces of the regex on real text and on random mixes of the tricky chars', () => {
    const random = rng(42);
    const alphabet = ['a', 'B', 'z', 'Z', '0', '9', ' ', '  ', '\t', '\n', '\r', '\r\n', "'", "'s", "'S", "'ll", "'Re", "'vE", "'d", '/', '}', '{', '(', '.', ',', 'é', '中', '\u00a0', '\u3000', '٣', '\u0301', '😀', '\v', '\f', '\x00', '\x7f', '-', '_', '#', 'LL', 've', 're', 'İ'];
    const texts = [codeSample(), proseSample(), CJK, whitespaceSample()];
    for (let k = 0; k < 3000; k++) {
      let s = '';
      const len = 1 + Math.floor(random() * 30);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
      texts.push(s);
    }
    for (const [name, pattern] of Object.entries(patterns)) {
      const g = new RegExp(pattern, 'gu');
      for (const t of texts) assert.deepEqual(scanned(pattern, t).pieces, t.match(g) ?? [], `${name}: ${JSON.stringify(t.slice(0, 60))}`);
      // on code the scanner does nearly all the work
      const code = scanned(pattern, texts[0] as string);
      assert.ok(code.byRegex < code.pieces.length / 50, `${name}: ${code.byRegex} of ${code.pieces.length} pieces of code left to the regex`);
    }
  });

  it('is used only for the three patterns it implements', () => {
    assert.equal(scannerFor('\\p{L}+|\\s+'), undefined);
  });
});
