import { BpeEncoder, type RankFile } from './bpe';
import type { EncodingName } from './encodings';

/*
 * The rank files are large (o200k ≈ 2.3 MB, cl100k ≈ 1.1 MB of JavaScript). Only the token worker imports this
 * module; the extension host's bundle must not (import from './client', './encodings', './estimate' there).
 */

/** Loads the rank file of one encoding (only the one asked for is pulled in). */
export async function loadRankFile(name: EncodingName): Promise<RankFile> {
  switch (name) {
    case 'o200k_base':
      return (await import('js-tiktoken/ranks/o200k_base')).default as RankFile;
    case 'cl100k_base':
      return (await import('js-tiktoken/ranks/cl100k_base')).default as RankFile;
  }
}

export async function loadEncoder(name: EncodingName): Promise<BpeEncoder> {
  return new BpeEncoder(name, await loadRankFile(name));
}
