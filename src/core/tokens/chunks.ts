import type { EncodingName } from './encodings';

/**
 * Chunking for live counts on large texts.
 *
 * A chunk boundary is a position p where text[p-1] is '\n' and the next line is not blank: after optional
 * indentation (blanks other than \r \n) comes a non-space char; for o200k that char may not be a '/' right at p.
 * The pre-tokenizer regexes never produce a piece that crosses such a position:
 *   o200k: [^\r\n\p{L}\p{N}]?[upper]*[lower]+('s…)? | [^\r\n\p{L}\p{N}]?[upper]+[lower]*('s…)? | \p{N}{1,3}
 *          | ' ?[^\s\p{L}\p{N}]+[\r\n/]*' | \s*[\r\n]+ | \s+(?!\S) | \s+
 *   cl100k: same shape with ' ?[^\s\p{L}\p{N}]+[\r\n]*'; Qwen: cl100k's with single digits (\p{N}), and its added
 *   tokens (`<|im_start|>` …) hold no newline.
 * - the letter and number alternatives cannot contain '\n' (their optional prefix excludes \r\n);
 * - a whitespace piece that contains the '\n' at p-1 comes from `\s*[\r\n]+` (tried before the look-ahead
 *   alternatives `\s+(?!\S)`, `\s+`, and it always succeeds inside a run that reaches a newline); it must end
 *   with \r or \n, and the indentation after p has none, so it ends exactly at p. The indentation itself then
 *   starts a new piece in the full text just as it does at the start of the next chunk;
 * - the punctuation alternative may run on through trailing newlines, and in o200k through '/' too: "}\n//" is ONE
 *   piece, hence the '/' exception. It cannot run into any other non-whitespace char.
 * So every piece ends at or before p, the encoding of text[0:p] + encoding of text[p:] equals the full encoding,
 * and the sum of chunk counts equals the full count (checked by tests on code, prose, CJK, whitespace runs and
 * random edits).
 *
 * Which safe positions become cuts is content-defined (a hash of the line before the position), with a minimum and
 * maximum chunk size, so an edit only changes the chunk it lands in (and at most a neighbour) instead of shifting
 * every later chunk.
 */

export interface ChunkOptions {
  /** No cut before this many chars since the chunk start. */
  minChars?: number;
  /** Cut at the first safe position after this many chars. */
  maxChars?: number;
  /** A safe position after minChars becomes a cut when hash(line) % mask === 0 (mask + 1 = average lines). */
  hashMask?: number;
}

const DEFAULTS: Required<ChunkOptions> = { minChars: 1024, maxChars: 16384, hashMask: 15 };

export function isSafeBoundary(encoding: EncodingName, text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return false;
  if (text.charCodeAt(p - 1) !== 10) return false;
  // Skip indentation: blanks other than \r \n. The position is safe when a non-space char follows.
  let i = p;
  let c = text.charCodeAt(i);
  while (c !== 10 && c !== 13 && isSpace(c)) {
    if (++i >= text.length) return false;
    c = text.charCodeAt(i);
  }
  if (c === 10 || c === 13) return false;
  if (i === p && encoding === 'o200k_base' && c === 47 /* '/' */) return false;
  return true;
}

/** Same set as the JS regex `\s`. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 128) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Split `text` into chunks whose token counts add up to the count of the whole text. */
export function splitChunks(text: string, encoding: EncodingName, options: ChunkOptions = {}): string[] {
  const { minChars, maxChars, hashMask } = { ...DEFAULTS, ...options };
  const chunks: string[] = [];
  let start = 0;
  let lineStart = 0;
  for (;;) {
    const nl = text.indexOf('\n', lineStart);
    if (nl < 0) break;
    const p = nl + 1;
    if (p - start >= minChars && isSafeBoundary(encoding, text, p)) {
      if (p - start >= maxChars || (lineHash(text, lineStart, nl) & hashMask) === 0) {
        chunks.push(text.slice(start, p));
        start = p;
      }
    }
    lineStart = p;
  }
  if (start < text.length || chunks.length === 0) chunks.push(text.slice(start));
  return chunks;
}

/** FNV-1a over the last (up to) 32 chars of the line. */
function lineHash(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = Math.max(from, to - 32); i < to; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ (to - from)) >>> 0;
}

export interface ChunkCountStats {
  tokens: number;
  chunks: number;
  /** Chunks that had to be tokenised (cache misses). */
  encodedChunks: number;
  encodedChars: number;
}

/**
 * Counts texts chunk by chunk with a cache of chunk → count, so re-counting an edited text only tokenises the
 * chunks that changed. The cache is bounded by the total length of the cached chunks (least recently used out).
 */
export class ChunkedCounter {
  private readonly cache = new Map<string, number>();
  private cachedChars = 0;

  constructor(
    private readonly encoding: EncodingName,
    private readonly countChunk: (chunk: string) => number,
    private readonly maxCachedChars = 64 * 1024 * 1024,
    private readonly chunkOptions: ChunkOptions = {},
  ) {}

  count(text: string): ChunkCountStats {
    const chunks = this.split(text);
    const stats = { tokens: 0, chunks: chunks.length, encodedChunks: 0, encodedChars: 0 };
    for (const chunk of chunks) stats.tokens += this.countOne(chunk, stats);
    this.evict();
    return stats;
  }

  split(text: string): string[] {
    return splitChunks(text, this.encoding, this.chunkOptions);
  }

  /** Count of one chunk, from the cache when possible; `stats` records cache misses. */
  countOne(chunk: string, stats?: { encodedChunks: number; encodedChars: number }): number {
    let n = this.cache.get(chunk);
    if (n === undefined) {
      n = this.countChunk(chunk);
      if (stats) {
        stats.encodedChunks++;
        stats.encodedChars += chunk.length;
      }
      this.cache.set(chunk, n);
      this.cachedChars += chunk.length;
    } else {
      // refresh recency
      this.cache.delete(chunk);
      this.cache.set(chunk, n);
    }
    return n;
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  clear(): void {
    this.cache.clear();
    this.cachedChars = 0;
  }

  evict(): void {
    if (this.cachedChars <= this.maxCachedChars) return;
    for (const key of this.cache.keys()) {
      this.cache.delete(key);
      this.cachedChars -= key.length;
      if (this.cachedChars <= this.maxCachedChars * 0.75) break;
    }
  }
}

/** One edit: replace `deleteCount` chars at `offset` with `text` (offsets in UTF-16 code units). */
export interface TextEdit {
  offset: number;
  deleteCount: number;
  text: string;
}

export interface DocumentCountStats extends ChunkCountStats {
  /** Extra tokens if numbers are split into single digits (Qwen), summed per chunk. */
  digitExtra: number;
}

/**
 * A document held as chunks, updated by edits: an edit re-splits only the chunks it touches plus one neighbour on
 * each side (their outer boundaries stay safe: the text around them is unchanged), so a keystroke in a large
 * file costs a few kilobytes of work instead of re-reading the file.
 */
export class DocumentChunks {
  private chunks: string[] = [];
  private tokens: number[] = [];
  private digits: number[] = [];
  private starts: number[] = [];
  private totalTokens = 0;
  private totalDigits = 0;

  constructor(
    private readonly counter: ChunkedCounter,
    private readonly digitExtraOf: (chunk: string) => number,
    text: string,
  ) {
    this.reset(text);
  }

  reset(text: string): DocumentCountStats {
    const stats = { tokens: 0, chunks: 0, encodedChunks: 0, encodedChars: 0, digitExtra: 0 };
    this.chunks = this.counter.split(text);
    this.tokens = this.chunks.map((c) => this.counter.countOne(c, stats));
    this.digits = this.chunks.map((c) => this.digitExtraOf(c));
    this.reindex(0);
    this.counter.evict();
    return this.stats(stats);
  }

  get length(): number {
    const last = this.chunks.length - 1;
    return last < 0 ? 0 : (this.starts[last] as number) + (this.chunks[last] as string).length;
  }

  text(): string {
    return this.chunks.join('');
  }

  /** Apply edits in order, each against the text left by the previous one. */
  edit(edits: readonly TextEdit[]): DocumentCountStats {
    const stats = { tokens: 0, chunks: 0, encodedChunks: 0, encodedChars: 0, digitExtra: 0 };
    for (const e of edits) this.applyOne(e, stats);
    this.counter.evict();
    return this.stats(stats);
  }

  private applyOne(e: TextEdit, stats: { encodedChunks: number; encodedChars: number }): void {
    const len = this.length;
    const offset = Math.max(0, Math.min(len, e.offset));
    const end = Math.max(offset, Math.min(len, offset + e.deleteCount));
    if (this.chunks.length === 0) {
      this.reset(e.text);
      return;
    }
    const first = Math.max(0, this.chunkAt(offset) - 1);
    const last = Math.min(this.chunks.length - 1, this.chunkAt(end) + 1);
    const regionStart = this.starts[first] as number;
    const region = this.chunks.slice(first, last + 1).join('');
    const edited = region.slice(0, offset - regionStart) + e.text + region.slice(end - regionStart);
    const fresh = edited.length ? this.counter.split(edited) : [];
    const freshTokens = fresh.map((c) => this.counter.countOne(c, stats));
    const freshDigits = fresh.map((c) => this.digitExtraOf(c));
    for (let i = first; i <= last; i++) {
      this.totalTokens -= this.tokens[i] as number;
      this.totalDigits -= this.digits[i] as number;
    }
    for (let i = 0; i < fresh.length; i++) {
      this.totalTokens += freshTokens[i] as number;
      this.totalDigits += freshDigits[i] as number;
    }
    this.chunks.splice(first, last - first + 1, ...fresh);
    this.tokens.splice(first, last - first + 1, ...freshTokens);
    this.digits.splice(first, last - first + 1, ...freshDigits);
    this.starts.length = this.chunks.length;
    this.reindex(first);
  }

  /** Index of the chunk containing `offset` (the last chunk for the end of the text). */
  private chunkAt(offset: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private reindex(from: number): void {
    if (from === 0) {
      this.totalTokens = 0;
      this.totalDigits = 0;
      for (let i = 0; i < this.chunks.length; i++) {
        this.totalTokens += this.tokens[i] as number;
        this.totalDigits += this.digits[i] as number;
      }
    }
    let pos = from === 0 ? 0 : (this.starts[from - 1] as number) + (this.chunks[from - 1] as string).length;
    for (let i = from; i < this.chunks.length; i++) {
      this.starts[i] = pos;
      pos += (this.chunks[i] as string).length;
    }
  }

  private stats(s: { encodedChunks: number; encodedChars: number }): DocumentCountStats {
    return { tokens: this.totalTokens, digitExtra: this.totalDigits, chunks: this.chunks.length, encodedChunks: s.encodedChunks, encodedChars: s.encodedChars };
  }
}
