import { ChunkedCounter, type ChunkCountStats } from './chunks';
import { loadEncoder, type EncodingName } from './encodings';
import type { BpeEncoder } from './bpe';

/**
 * What runs inside the worker (and, for tests, in-process): lazily loaded encoders plus a chunk cache per encoding.
 */
export class CountEngine {
  private readonly encoders = new Map<EncodingName, Promise<BpeEncoder>>();
  private readonly counters = new Map<EncodingName, ChunkedCounter>();

  constructor(private readonly onReady?: (encoding: EncodingName, loadMs: number) => void) {}

  load(encoding: EncodingName): Promise<BpeEncoder> {
    let p = this.encoders.get(encoding);
    if (!p) {
      const t0 = performance.now();
      p = loadEncoder(encoding).then((enc) => {
        this.counters.set(encoding, new ChunkedCounter(encoding, (chunk) => enc.count(chunk)));
        this.onReady?.(encoding, performance.now() - t0);
        return enc;
      });
      this.encoders.set(encoding, p);
    }
    return p;
  }

  isLoaded(encoding: EncodingName): boolean {
    return this.counters.has(encoding);
  }

  async count(encoding: EncodingName, text: string): Promise<ChunkCountStats> {
    await this.load(encoding);
    return (this.counters.get(encoding) as ChunkedCounter).count(text);
  }
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
