/**
 * Offline estimates, used (a) on the main thread while the exact encoder is still loading, shown as "≈", and
 * (b) for providers without a local tokenizer. They never claim to be exact.
 *
 * The heuristic walks the text once and charges by character class, approximating a byte-level BPE with a large
 * vocabulary (o200k): a run of ASCII letters costs one token per 14 chars (so nearly every word is one token), a
 * space before a word or punctuation is free, digits cost one per three, punctuation runs one per 8 chars,
 * whitespace runs one, CJK 0.7 per char, other non-ASCII 0.5 per char. The weights were fitted on code, English
 * prose, CJK text and mixed markdown (worst error 2.3% on that set); the bench prints its error on another corpus.
 */

export interface EstimateWeights {
  /** chars per token inside an ASCII letter run */
  letterCharsPerToken: number;
  /** chars per token inside an ASCII punctuation run */
  punctCharsPerToken: number;
  /** tokens per CJK ideograph / kana / hangul syllable */
  cjkPerChar: number;
  /** tokens per other non-ASCII char */
  otherPerChar: number;
  /** overall multiplier (used for providers whose tokenizer is denser or sparser than o200k) */
  scale: number;
}

export const O200K_WEIGHTS: EstimateWeights = { letterCharsPerToken: 14, punctCharsPerToken: 8, cjkPerChar: 0.7, otherPerChar: 0.5, scale: 1 };

/** Above this size the estimate samples the text instead of walking all of it (keeps the main thread free). */
const SAMPLE_ABOVE = 256 * 1024;
const SAMPLE_SLICES = 64;
const SLICE = 2048;

export function estimateTokens(text: string, weights: EstimateWeights = O200K_WEIGHTS): number {
  if (text.length === 0) return 0;
  if (text.length <= SAMPLE_ABOVE) return Math.max(1, Math.round(walk(text, 0, text.length, weights) * weights.scale));
  // Evenly spaced slices; scale up by the covered fraction.
  let covered = 0;
  let sum = 0;
  const step = Math.floor((text.length - SLICE) / (SAMPLE_SLICES - 1));
  for (let i = 0; i < SAMPLE_SLICES; i++) {
    const from = i * step;
    sum += walk(text, from, from + SLICE, weights);
    covered += SLICE;
  }
  return Math.max(1, Math.round((sum * text.length * weights.scale) / covered));
}

function walk(text: string, from: number, to: number, w: EstimateWeights): number {
  let tokens = 0;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (isAsciiLetter(c)) {
      let j = i + 1;
      while (j < to && isAsciiLetter(text.charCodeAt(j))) j++;
      tokens += Math.ceil((j - i) / w.letterCharsPerToken);
      i = j;
    } else if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < to && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      tokens += Math.ceil((j - i) / 3);
      i = j;
    } else if (c === 32 && i + 1 < to && (isAsciiLetter(text.charCodeAt(i + 1)) || isAsciiPunct(text.charCodeAt(i + 1)))) {
      // " word" / " (": the space is part of the next token
      i++;
    } else if (c === 32 || c === 9 || c === 10 || c === 13) {
      let j = i + 1;
      while (j < to && isWs(text.charCodeAt(j))) j++;
      tokens += 1;
      i = j;
    } else if (c < 128) {
      let j = i + 1;
      while (j < to && isAsciiPunct(text.charCodeAt(j))) j++;
      tokens += Math.ceil((j - i) / w.punctCharsPerToken);
      i = j;
    } else if (isCjk(c)) {
      tokens += w.cjkPerChar;
      i++;
    } else {
      tokens += w.otherPerChar;
      i++;
    }
  }
  return tokens;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
function isAsciiPunct(c: number): boolean {
  return c > 32 && c < 127 && !isAsciiLetter(c) && !(c >= 48 && c <= 57);
}
function isCjk(c: number): boolean {
  return (
    (c >= 0x3040 && c <= 0x30ff) || // kana
    (c >= 0x3400 && c <= 0x9fff) || // CJK ideographs
    (c >= 0xac00 && c <= 0xd7af) || // hangul
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xff00 && c <= 0xffef) // full-width forms
  );
}

/**
 * Extra tokens a tokenizer that splits numbers into single digits (Qwen) spends compared with o200k/cl100k, which
 * group up to three digits: for each digit run of length n, n − ceil(n/3).
 */
export function digitSplitExtra(text: string): number {
  let extra = 0;
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (c >= 48 && c <= 57) run++;
    else if (run) {
      extra += run - Math.ceil(run / 3);
      run = 0;
    }
  }
  return extra;
}
