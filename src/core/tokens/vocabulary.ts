/**
 * The two vocabulary sources of the encoder: js-tiktoken's rank files (OpenAI) and the vocabulary file that
 * scripts/qwen-vocab.mjs writes from Qwen's tokenizer.json, both read into one form.
 */

export interface RankFile {
  pat_str: string;
  special_tokens: Record<string, number>;
  /** js-tiktoken's compressed format: lines of `<tag> <offset> <base64 token> <base64 token> …`. */
  bpe_ranks: string;
}

/** A vocabulary in the worker's own form. */
export interface BpeVocabulary {
  /** Pre-tokenizer regex source (used with the `gu` flags). */
  pattern: string;
  /** Token bytes as binary strings (one char per byte); the index is the rank (token id). */
  tokens: readonly (string | undefined)[];
  /**
   * Hugging Face BPE: the pair of token ids each token was merged from, at [2·id] and [2·id + 1] (-1 for single
   * bytes). Only these pairs merge.
   */
  merges?: Int32Array;
  /** Tokens matched in the text before pre-tokenisation, each one id. */
  added?: Record<string, number>;
  /** Unicode normalisation applied to the text first. */
  normalize?: 'NFC';
}

const VOCAB_MAGIC = 'TWBPE2';

export function fromRankFile(file: RankFile): BpeVocabulary {
  const tokens: string[] = [];
  for (const line of file.bpe_ranks.split('\n')) {
    if (!line) continue;
    const parts = line.split(' ');
    const offset = Number.parseInt(parts[1] ?? '0', 10);
    for (let i = 2; i < parts.length; i++) tokens[offset + i - 2] = atob(parts[i] as string);
  }
  return { pattern: file.pat_str, tokens };
}

/** Parses the vocabulary file format of scripts/qwen-vocab.mjs. */
export function parseVocabFile(data: Uint8Array): BpeVocabulary {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.toString('latin1', 0, VOCAB_MAGIC.length) !== VOCAB_MAGIC) throw new Error('not a Tierwise vocabulary file');
  let at = VOCAB_MAGIC.length;
  const metaLength = buf.readUInt32LE(at);
  at += 4;
  const meta = JSON.parse(buf.toString('utf8', at, at + metaLength)) as { pattern: string; normalize?: 'NFC'; added?: Record<string, number>; count: number };
  at += metaLength;
  const tokens: string[] = new Array<string>(meta.count);
  const merges = new Int32Array(2 * meta.count).fill(-1);
  for (let id = 0; id < 256; id++) tokens[id] = String.fromCharCode(buf[at + id] as number);
  at += 256;
  for (let id = 256; id < meta.count; id++) {
    const left = buf.readUIntLE(at, 3);
    const right = buf.readUIntLE(at + 3, 3);
    at += 6;
    if (left >= id || right >= id) throw new Error(`vocabulary token ${id} is not made of lower tokens`);
    merges[2 * id] = left;
    merges[2 * id + 1] = right;
    tokens[id] = (tokens[left] as string) + (tokens[right] as string);
  }
  if (at !== buf.length) throw new Error('vocabulary file has trailing bytes');
  return { pattern: meta.pattern, tokens, merges, added: meta.added, normalize: meta.normalize };
}
