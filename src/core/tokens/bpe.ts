import { scannerFor, type PieceScanner } from './pretokenize';
import { fromRankFile, parseVocabFile, type BpeVocabulary, type RankFile } from './vocabulary';

/**
 * Byte-pair encoder for the OpenAI encodings (js-tiktoken's rank files) and for Qwen (a vocabulary file converted
 * from its tokenizer.json at build time, see scripts/qwen-vocab.mjs).
 *
 * Both are byte-level BPEs: a pre-tokenizer regex splits the text into pieces; each piece's UTF-8 bytes are merged
 * pairwise, lowest rank first, leftmost on ties. The tiktoken encodings merge any adjacent pair whose bytes form a
 * token; Hugging Face's BPE (Qwen) merges only the pairs of its merge list, which the encoder reads as pairs of
 * token ids. Tests check the ids against js-tiktoken and against the reference
 * Qwen tokenizer.
 *
 * Speed: ASCII text is split into pieces by a hand-written scanner that gives the regex's pieces (./pretokenize),
 * the regex runs only where the text is not ASCII; a piece that is one token (most of them) is looked up by its
 * JavaScript string directly (tokens that are valid UTF-8 are keyed by their text), so it needs no UTF-8
 * conversion; counts of recent pieces are kept in a small map; other pieces are merged on typed arrays.
 *
 * Special tokens: for the OpenAI encodings, `<|endoftext|>` … in user text are encoded as ordinary text, which is
 * what the APIs do with them. Qwen's added tokens (`<|im_start|>`, `<think>` …) are matched in the text as single
 * tokens, as its own tokenizer does.
 */

const NO_MERGE = 0x7fffffff;
/** Recent pieces whose count is remembered (cleared when full). */
const PIECE_CACHE_MAX = 1 << 16;

export class BpeEncoder {
  readonly name: string;
  /** Token id by the token's bytes as a binary string. */
  private readonly binRanks = new Map<string, number>();
  /** Token id by the token's text, for tokens that are valid UTF-8 and not ASCII (a piece is looked up without conversion). */
  private readonly strRanks = new Map<string, number>();
  private readonly byteRank = new Int32Array(256);
  /** The merge of two adjacent bytes, by (first byte << 8 | second byte): the first merges of a piece need no hashing. */
  private readonly bytePairs = new Int32Array(65536).fill(NO_MERGE);
  /** The pre-tokenizer regex, sticky: for the positions the scanner leaves to it (all of them without a scanner). */
  private readonly sticky: RegExp;
  private readonly scan: PieceScanner | undefined;
  /** Hugging Face BPE: the merged token of each listed pair of token ids. */
  private readonly pairs_: PairTable | undefined;
  private readonly added: Map<string, number> | undefined;
  private readonly addedPattern: RegExp | undefined;
  /** The char every added token starts with (`<` for Qwen): the text is searched for it, not matched everywhere. */
  private readonly addedFirst: string | undefined;
  private readonly nfc: boolean;
  /** Token counts of recent pieces. */
  private readonly pieceCounts = new Map<string, number>();
  private start = new Int32Array(64);
  private ids = new Int32Array(64);
  private pairs = new Int32Array(64);

  constructor(name: string, source: RankFile | BpeVocabulary) {
    this.name = name;
    const vocab = 'bpe_ranks' in source ? fromRankFile(source) : source;
    this.sticky = new RegExp(vocab.pattern, 'yu');
    this.scan = scannerFor(vocab.pattern);
    this.nfc = vocab.normalize === 'NFC';
    const tokens = vocab.tokens;
    for (let id = 0; id < tokens.length; id++) {
      const bin = tokens[id];
      if (bin === undefined) continue;
      this.binRanks.set(bin, id);
      if (bin.length === 1) this.byteRank[bin.charCodeAt(0)] = id;
      const text = binaryToText(bin);
      if (text !== undefined && text !== bin) this.strRanks.set(text, id);
    }
    if (vocab.merges) {
      const m = vocab.merges;
      const table = new PairTable(tokens.length);
      for (let id = 0; id < tokens.length; id++) {
        const left = m[2 * id] as number;
        if (left >= 0) table.set(left, m[2 * id + 1] as number, id);
      }
      this.pairs_ = table;
    }
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        const ia = this.byteRank[a] as number;
        const ib = this.byteRank[b] as number;
        const r = this.pairs_ ? this.pairs_.get(ia, ib) : this.binRanks.get(String.fromCharCode(a, b));
        if (r !== undefined) this.bytePairs[(a << 8) | b] = r;
      }
    }
    const added = Object.entries(vocab.added ?? {});
    if (added.length) {
      this.added = new Map(added);
      // Longest first, so that a token that is a prefix of another never wins.
      const alternatives = added.map(([t]) => t).sort((a, b) => b.length - a.length).map(escapeRegExp);
      const firsts = new Set(added.map(([t]) => t[0]));
      this.addedFirst = firsts.size === 1 ? added[0]?.[0][0] : undefined;
      this.addedPattern = new RegExp(alternatives.join('|'), this.addedFirst ? 'y' : 'g');
    }
  }

  /** Reads a vocabulary file written by scripts/qwen-vocab.mjs. */
  static fromVocabFile(name: string, data: Uint8Array): BpeEncoder {
    return new BpeEncoder(name, parseVocabFile(data));
  }

  get vocabularySize(): number {
    return this.binRanks.size + (this.added?.size ?? 0);
  }

  /** Token ids of `text`. */
  encode(text: string): number[] {
    const out: number[] = [];
    this.forSegments(text, (segment) => {
      this.encodeOrdinary(segment, out);
      return 0;
    }, (id) => {
      out.push(id);
    });
    return out;
  }

  /** Number of tokens of `text`; same as `encode(text).length` without building the array. */
  count(text: string): number {
    return this.forSegments(text, (segment) => this.countOrdinary(segment));
  }

  /** Splits off added tokens (Qwen) after normalisation; returns the sum of `ordinary` plus one per added token. */
  private forSegments(text: string, ordinary: (segment: string) => number, onAdded?: (id: number) => void): number {
    if (this.nfc && needsNormalizing(text)) text = text.normalize('NFC');
    const re = this.addedPattern;
    if (!re) return ordinary(text);
    let n = 0;
    let at = 0;
    const found = (index: number, token: string) => {
      if (index > at) n += ordinary(text.slice(at, index));
      onAdded?.(this.added?.get(token) as number);
      n++;
      at = index + token.length;
    };
    const first = this.addedFirst;
    if (first) {
      // sticky match at each occurrence of the first char
      for (let p = text.indexOf(first); p >= 0; p = text.indexOf(first, Math.max(p + 1, at))) {
        re.lastIndex = p;
        const m = re.exec(text);
        if (m) found(p, m[0]);
      }
    } else {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) found(m.index, m[0]);
    }
    if (at < text.length) n += ordinary(at === 0 ? text : text.slice(at));
    return n;
  }

  /** End of the piece that starts at `i`, by the regex. */
  private regexEnd(text: string, i: number): number {
    this.sticky.lastIndex = i;
    const m = this.sticky.exec(text);
    return m ? i + m[0].length : text.length;
  }

  private countOrdinary(text: string): number {
    const scan = this.scan;
    const cache = this.pieceCounts;
    const len = text.length;
    let n = 0;
    for (let i = 0; i < len; ) {
      let j = scan ? scan(text, i) : -1;
      // A piece from the scanner is ASCII: its text is its bytes.
      const ascii = j >= 0;
      if (!ascii) j = this.regexEnd(text, i);
      const piece = text.slice(i, j);
      i = j;
      // A small map of recent pieces first: it stays in the CPU cache, the vocabulary's maps do not.
      let c = cache.get(piece);
      if (c === undefined) {
        if (ascii) c = this.binRanks.has(piece) ? 1 : this.mergeParts(piece, undefined);
        else c = this.strRanks.has(piece) ? 1 : this.merge(toBinary(piece), undefined);
        if (cache.size >= PIECE_CACHE_MAX) cache.clear();
        cache.set(piece, c);
      }
      n += c;
    }
    return n;
  }

  private encodeOrdinary(text: string, out: number[]): void {
    for (let i = 0; i < text.length; ) {
      let j = this.scan ? this.scan(text, i) : -1;
      const ascii = j >= 0;
      if (!ascii) j = this.regexEnd(text, i);
      const piece = text.slice(i, j);
      i = j;
      const direct = ascii ? undefined : this.strRanks.get(piece);
      if (direct !== undefined) out.push(direct);
      else this.merge(ascii ? piece : toBinary(piece), out);
    }
  }

  /** Merge the bytes of one piece (a binary string); pushes the ids to `out` when given; returns the number of tokens. */
  private merge(bin: string, out: number[] | undefined): number {
    const direct = this.binRanks.get(bin);
    if (direct !== undefined) {
      out?.push(direct);
      return 1;
    }
    return this.mergeParts(bin, out);
  }

  /**
   * Merge a piece that is not one token: the adjacent pair of lowest rank first, leftmost on ties, until no pair
   * merges; a merged token's id is its rank. Tiktoken ranks a pair by its joined bytes, Hugging Face BPE (Qwen) by
   * the two ids in its merge list (no strings are made). Pushes the ids to `out` when given; returns their number.
   */
  private mergeParts(bin: string, out: number[] | undefined): number {
    const n = bin.length;
    if (this.start.length <= n) {
      const size = Math.max(n + 1, this.start.length * 2);
      this.start = new Int32Array(size);
      this.ids = new Int32Array(size);
      this.pairs = new Int32Array(size);
    }
    const start = this.start;
    const ids = this.ids;
    const pairs = this.pairs;
    const table = this.pairs_;
    for (let i = 0; i < n; i++) {
      start[i] = i;
      ids[i] = this.byteRank[bin.charCodeAt(i)] as number;
    }
    start[n] = n;
    let parts = n;
    const bytePairs = this.bytePairs;
    for (let i = 0; i < parts - 1; i++) pairs[i] = bytePairs[(bin.charCodeAt(i) << 8) | bin.charCodeAt(i + 1)] as number;
    while (parts > 1) {
      let best = NO_MERGE;
      let at = -1;
      for (let i = 0; i < parts - 1; i++) {
        const r = pairs[i] as number;
        if (r < best) {
          best = r;
          at = i;
        }
      }
      if (at < 0) break;
      ids[at] = best;
      // drop part at+1
      for (let i = at + 1; i < parts; i++) {
        start[i] = start[i + 1] as number;
        ids[i] = ids[i + 1] as number;
      }
      for (let i = at + 1; i < parts - 2; i++) pairs[i] = pairs[i + 1] as number;
      parts--;
      if (at < parts - 1) pairs[at] = table ? table.get(best, ids[at + 1] as number) : this.pairRank(bin, at);
      if (at > 0) pairs[at - 1] = table ? table.get(ids[at - 1] as number, best) : this.pairRank(bin, at - 1);
    }
    if (out) for (let i = 0; i < parts; i++) out.push(ids[i] as number);
    return parts;
  }

  /** Tiktoken: the rank of merging part i with part i+1 (that of their joined bytes), or NO_MERGE. */
  private pairRank(bin: string, i: number): number {
    const r = this.binRanks.get(bin.slice(this.start[i], this.start[i + 2]));
    return r === undefined ? NO_MERGE : r;
  }
}

/**
 * Open-addressing hash map from a pair of token ids to a token id, in one typed array: a slot is four ints (left,
 * right, value, unused), so a probe touches one cache line.
 */
class PairTable {
  private readonly mask: number;
  private readonly slots: Int32Array;

  constructor(entries: number) {
    let size = 1;
    while (size < entries * 2) size <<= 1;
    this.mask = size - 1;
    this.slots = new Int32Array(size * 4).fill(-1);
  }

  private slot(a: number, b: number): number {
    return ((Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0) & this.mask;
  }

  set(a: number, b: number, v: number): void {
    const t = this.slots;
    let i = this.slot(a, b);
    while (t[i * 4] !== -1 && !(t[i * 4] === a && t[i * 4 + 1] === b)) i = (i + 1) & this.mask;
    t[i * 4] = a;
    t[i * 4 + 1] = b;
    t[i * 4 + 2] = v;
  }

  /** The merged id, or NO_MERGE. */
  get(a: number, b: number): number {
    const t = this.slots;
    let i = this.slot(a, b);
    for (;;) {
      const k = i * 4;
      const l = t[k] as number;
      if (l === -1) return NO_MERGE;
      if (l === a && t[k + 1] === b) return t[k + 2] as number;
      i = (i + 1) & this.mask;
    }
  }
}

/**
 * The text of a token's bytes (a binary string) when they are valid UTF-8, else undefined. Decoded by hand: it runs
 * for every token of a vocabulary at load, where a Buffer per token costs more than the decoding.
 */
function binaryToText(bin: string): string | undefined {
  let i = 0;
  const n = bin.length;
  while (i < n && bin.charCodeAt(i) < 0x80) i++;
  if (i === n) return bin;
  let out = bin.slice(0, i);
  while (i < n) {
    const b0 = bin.charCodeAt(i);
    if (b0 < 0x80) {
      out += bin[i];
      i++;
      continue;
    }
    // continuation bytes needed, bits of the lead byte, smallest code point of that length (no overlong forms)
    let need = 3;
    let cp = b0 & 0x07;
    let min = 0x10000;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 < 0xf0 || b0 > 0xf4) return undefined;
    if (i + need >= n) return undefined;
    for (let k = 1; k <= need; k++) {
      const b = bin.charCodeAt(i + k);
      if (!(b >= 0x80 && b <= 0xbf)) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/** Only text with a char at or above U+0300 (combining marks onwards) can change under NFC. */
function needsNormalizing(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x300) return true;
  return false;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** UTF-8 bytes of `s` as a binary string (one char per byte). */
function toBinary(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'utf8').toString('latin1');
  }
  return s;
}
