/**
 * A hand-written pre-tokenizer for ASCII text that gives exactly the pieces of the o200k, cl100k and Qwen regexes
 * (the regex is most of the time a count takes). At each position it reads the ASCII chars the regex would look
 * at; when one of them is not ASCII (it could be a letter, a digit, a mark or a space the tables below do not know)
 * it answers -1 and the caller runs the regex itself at that position. Every position starts a regex match (the
 * punctuation alternative takes any char the others do not), so pieces are contiguous and both ways agree; tests
 * compare the pieces with the regex on real and random text.
 *
 *   o200k:  [^\r\n\p{L}\p{N}]?[UPPER]*[lower]+('s|'t|…)? | [^\r\n\p{L}\p{N}]?[UPPER]+[lower]*('s|'t|…)?
 *           | \p{N}{1,3} | ' ?[^\s\p{L}\p{N}]+[\r\n/]*' | \s*[\r\n]+ | \s+(?!\S) | \s+
 *   cl100k: 's|'t|'re|'ve|'m|'ll|'d (any case) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3}
 *           | ' ?[^\s\p{L}\p{N}]+[\r\n]*' | \s*[\r\n]+ | \s+(?!\S) | \s+
 *   Qwen:   as cl100k with \p{N} (one digit per piece).
 */

export interface PieceScanner {
  /** End of the piece that starts at `i` (i < text.length), or -1 when the regex must decide. */
  (text: string, i: number): number;
}

const UP = 1;
const LO = 2;
const DIGIT = 4;
const SPACE = 8;
const NEWLINE = 16;
const PUNCT = 32;
const OTHER = 64; // not ASCII
const END = 128;
const LETTER = UP | LO;

const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 65 && c <= 90) CLASS[c] = UP;
  else if (c >= 97 && c <= 122) CLASS[c] = LO;
  else if (c >= 48 && c <= 57) CLASS[c] = DIGIT;
  else if (c === 10 || c === 13) CLASS[c] = SPACE | NEWLINE;
  else if (c === 32 || (c >= 9 && c <= 12)) CLASS[c] = SPACE;
  else CLASS[c] = PUNCT;
}

function classAt(text: string, i: number): number {
  if (i >= text.length) return END;
  const c = text.charCodeAt(i);
  return c < 128 ? (CLASS[c] as number) : OTHER;
}

/** End of a contraction ('s 't 'm 'd 're 've 'll, any case) starting at the apostrophe at `i`, or `i` if none. */
function contractionEnd(text: string, i: number): number {
  const a = text.charCodeAt(i + 1) | 0x20; // lower-cases ASCII letters; NaN → 0x20 at the end
  if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64) return i + 2; // s t m d
  const b = text.charCodeAt(i + 2) | 0x20;
  if ((a === 0x72 && b === 0x65) || (a === 0x76 && b === 0x65) || (a === 0x6c && b === 0x6c)) return i + 3; // re ve ll
  return i;
}

/** Whitespace alternatives, from a whitespace char at `i`. */
function whitespaceEnd(text: string, i: number): number {
  let j = i;
  let c: number;
  while ((c = classAt(text, j)) & SPACE) j++;
  if (c & OTHER) return -1;
  // \s*[\r\n]+ : up to the last newline of the run
  for (let q = j - 1; q >= i; q--) if ((CLASS[text.charCodeAt(q)] as number) & NEWLINE) return q + 1;
  // \s+(?!\S) : the run, less its last char when something follows; \s+ for a single char
  if (c === END || j - i === 1) return j;
  return j - 1;
}

function makeScanner(o200k: boolean, maxDigits: number): PieceScanner {
  return (text, i) => {
    const c0 = classAt(text, i);
    if (c0 & OTHER) return -1;
    // cl100k / Qwen: a contraction first
    if (!o200k && text.charCodeAt(i) === 39) {
      const e = contractionEnd(text, i);
      if (e > i) return e;
    }
    // letters, with an optional prefix that is neither a newline, a letter nor a digit
    let start = -1;
    if (c0 & LETTER) start = i;
    else if (!(c0 & (NEWLINE | DIGIT))) {
      const c1 = classAt(text, i + 1);
      if (c1 & OTHER) return -1;
      if (c1 & LETTER) start = i + 1;
    }
    if (start >= 0) {
      let j = start;
      let c: number;
      if (o200k) {
        while ((c = classAt(text, j)) & UP) j++;
        while ((c = classAt(text, j)) & LO) j++;
      } else {
        while ((c = classAt(text, j)) & LETTER) j++;
      }
      if (c & OTHER) return -1;
      if (o200k && text.charCodeAt(j) === 39) return contractionEnd(text, j);
      return j;
    }
    if (c0 & DIGIT) {
      let j = i + 1;
      const max = i + maxDigits;
      let c = 0;
      while (j < max && (c = classAt(text, j)) & DIGIT) j++;
      if (j < max && c & OTHER) return -1;
      return j;
    }
    // ' ?[^\s\p{L}\p{N}]+' then trailing newlines (and slashes in o200k)
    let p = -1;
    if (c0 & PUNCT) p = i;
    else if (text.charCodeAt(i) === 32) {
      const c1 = classAt(text, i + 1);
      if (c1 & OTHER) return -1;
      if (c1 & PUNCT) p = i + 1;
    }
    if (p >= 0) {
      let j = p;
      let c: number;
      while ((c = classAt(text, j)) & PUNCT) j++;
      if (c & OTHER) return -1;
      for (;;) {
        const ch = text.charCodeAt(j);
        if (ch === 10 || ch === 13 || (o200k && ch === 47)) j++;
        else break;
      }
      return j;
    }
    return whitespaceEnd(text, i);
  };
}

const O200K_PATTERN =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const CL100K_PATTERN = "('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN_PATTERN = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const SCANNERS = new Map<string, PieceScanner>([
  [O200K_PATTERN, makeScanner(true, 3)],
  [CL100K_PATTERN, makeScanner(false, 3)],
  [QWEN_PATTERN, makeScanner(false, 1)],
]);

/** The ASCII scanner for a pre-tokenizer regex source, when it is one of the three known ones. */
export function scannerFor(pattern: string): PieceScanner | undefined {
  return SCANNERS.get(pattern);
}
